import Classification
import FuzzSupport

// Any bytes, as an input file: in every input format the labeller writes exactly one output
// line per input line; and as a labelled corpus, parsing either succeeds or throws a
// CribleError, never crashes.
let classifier: TextClassifier = {
  let texts = ["你真是个垃圾", "滚开，蠢货", "ferme ta gueule", "今天天气很好", "merci beaucoup", "bonne journée"]
  let labels = ["offensive", "offensive", "offensive", "safe", "safe", "safe"]
  do {
    let corpus = try LabeledCorpus(texts: texts, labels: labels)
    return try Trainer.train(
      [corpus],
      options: TrainingOptions(
        algorithm: .naiveBayes, pipeline: .init(features: .init(bucketBits: 12)), threads: 1))
  } catch {
    fatalError("training the fuzzing model failed: \(error)")
  }
}()
let labelers = [
  BatchLabeler(classifier: classifier, threads: 1),
  BatchLabeler(classifier: classifier, threads: 1, input: .tsv(column: 2)),
  BatchLabeler(
    classifier: classifier, threads: 1, input: .jsonl(field: "text"),
    output: .init(format: .jsonl, topK: 2, withText: true)),
]

func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: start, count: count))
  var lines = 0
  var index = 0
  while index < bytes.count {
    lines += 1
    while index < bytes.count && bytes[index] != 0x0A { index += 1 }
    index += 1
  }
  for labeler in labelers {
    let output = labeler.labelInMemory(bytes)
    let written = output.filter { $0 == 0x0A }.count
    precondition(written == lines, "\(lines) input lines gave \(written) output lines")
  }
  for format in LabeledCorpus.Format.allCases {
    for multiLabel in [false, true] {
      _ = try? LabeledCorpus(bytes: bytes, source: "fuzz", format: format, multiLabel: multiLabel)
    }
  }
  return 0
}

// SwiftPM makes `FuzzInputRecords_main` the entry point (see FuzzSupport).
@_cdecl("FuzzInputRecords_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv) { fuzz($0, $1) }
}
