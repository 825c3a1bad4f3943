import ArgumentParser
import Classification
import Foundation

/// `crible quantize`: a smaller copy of a logistic-regression or linear-SVM model, and what it
/// costs.
struct Quantize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Write a smaller copy of a logistic-regression or linear-SVM model: fp16 or int8 weights, pruning.",
    discussion: """
      Weights are rounded to half precision (fp16) or to 8-bit integers with one scale per \
      feature (int8); --prune drops the features whose weights differ across labels by at most \
      the given amount (0 drops empty hash buckets). With --evaluate, both models are measured \
      on that labelled file and the cost is printed.
      """)

  @Argument(help: "The logistic-regression or linear-SVM model to shrink.")
  var model: String

  @Option(name: .shortAndLong, help: "Where to write the smaller model.")
  var output: String

  @Option(
    name: .customLong("to"),
    help: ArgumentHelp(
      "How to store the weights.",
      valueName: Quantization.allCases.map(\.rawValue).joined(separator: "|")))
  var quantization: Quantization = .int8

  @Option(help: "Drop features whose weights differ across labels by at most this much.")
  var prune: Double?

  @Option(help: "A labelled file on which to measure both models.")
  var evaluate: String?

  @Option(help: "The line format of the --evaluate file: auto, tsv or fasttext.")
  var format: LabeledCorpus.Format = .auto

  @OptionGroup var threading: ThreadOptions

  func validate() throws {
    if let prune, !(prune >= 0) {
      throw ValidationError("--prune must be 0 or more, not \(prune).")
    }
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let original = try ModelFile.load(path: model)
      let smaller = try original.quantized(quantization, pruneBelow: prune)
      try ModelFile.save(smaller, to: output)
      func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      }
      func megabytes(_ bytes: Int) -> String { String(format: "%.2f MB", Double(bytes) / 1e6) }
      let before = size(model)
      let after = size(output)
      print(
        "\(output): \(megabytes(after)) (from \(megabytes(before)), \(String(format: "%.1f", Double(before) / Double(max(after, 1))))× smaller), \(quantization.rawValue) weights, \(smaller.vocabulary?.count ?? smaller.pipeline.bucketCount) features (from \(original.vocabulary?.count ?? original.pipeline.bucketCount))"
      )
      guard let evaluate else { return }
      let corpus = try LabeledCorpus.load(path: evaluate, format: format, labels: original.labels)
      let reloaded = try ModelFile.load(path: output)
      // Each model's probabilities once: for its metrics, and to compare their labels.
      let truth = (0..<corpus.count).map { corpus.label(at: $0) }
      let originalRows = Evaluator.predictProbabilities(
        original, on: corpus, threads: threading.threads)
      let smallerRows = Evaluator.predictProbabilities(
        reloaded, on: corpus, threads: threading.threads)
      let a = ClassificationReport(
        labels: original.labels, truth: truth, probabilities: originalRows)
      let b = ClassificationReport(
        labels: reloaded.labels, truth: truth, probabilities: smallerRows)
      let same = zip(originalRows, smallerRows).filter {
        original.labelSet($0)[0] == reloaded.labelSet($1)[0]
      }.count
      let fixed = Evaluate.fixed
      print(
        "on \(evaluate) (\(corpus.count) examples): accuracy \(fixed(a.accuracy)) → \(fixed(b.accuracy)) (\(String(format: "%+.4f", b.accuracy - a.accuracy))), macro-F1 \(fixed(a.macroF1)) → \(fixed(b.macroF1)) (\(String(format: "%+.4f", b.macroF1 - a.macroF1))); same label for \(String(format: "%.2f", 100 * Double(same) / Double(max(corpus.count, 1))))% of messages"
      )
    }
  }
}

extension Quantization: ExpressibleByArgument {}
