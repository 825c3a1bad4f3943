import Foundation
import Testing

@testable import Classification

@Suite struct MultiLabelTests {
  /// Messages that are spam, offensive, both, or neither (clean).
  static let examples: [(String, String)] = [
    ("spam", "加微信领红包 优惠 限时"), ("spam", "免费领取 加我微信"), ("spam", "gagnez un iphone cliquez ici"),
    ("spam", "offre gratuite cliquez vite"), ("offensive", "你这个蠢货"), ("offensive", "滚开 垃圾"),
    ("offensive", "ferme ta gueule connard"), ("offensive", "espèce d'abruti"),
    ("spam,offensive", "蠢货 加微信领红包"), ("spam,offensive", "connard cliquez ici gratuit"),
    ("offensive,spam", "垃圾 免费领取"), ("clean", "今天天气很好"), ("clean", "merci pour ton aide"),
    ("clean", "明天见"), ("clean", "bonne journée"),
  ]

  static func corpus(_ format: LabeledCorpus.Format = .tsv) throws -> LabeledCorpus {
    let text: String
    switch format {
    case .fasttext:
      text = examples.map { labels, message in
        labels.split(separator: ",").map { "__label__\($0)" }.joined(separator: " ") + " " + message
      }.joined(separator: "\n")
    default: text = examples.map { "\($0)\t\($1)" }.joined(separator: "\n")
    }
    return try LabeledCorpus(
      bytes: Array(text.utf8), source: "memory", format: format, labels: nil, multiLabel: true)
  }

  @Test func bothFormatsReadLabelSets() throws {
    for format in [LabeledCorpus.Format.tsv, .fasttext] {
      let corpus = try Self.corpus(format)
      #expect(corpus.isMultiLabel)
      #expect(corpus.labels == ["clean", "offensive", "spam"])
      #expect(corpus.labelSet(at: 0) == [2])
      #expect(corpus.labelSet(at: 8) == [1, 2])
      #expect(corpus.labelSet(at: 10) == [1, 2])
      #expect(corpus.labelCounts == [4, 7, 7])
    }
  }

  @Test func malformedLabelSetsNameTheLine() throws {
    #expect {
      try LabeledCorpus(
        bytes: Array("spam,,fraud\ttext\n".utf8), source: "f.tsv", format: .tsv, labels: nil,
        multiLabel: true)
    } throws: {
      ($0 as? CribleError)?.message.contains("Line 1 of f.tsv has an empty label") ?? false
    }
    // Without multiLabel, several fastText labels are refused, pointing at --multi-label.
    #expect {
      try LabeledCorpus(
        bytes: Array("__label__a __label__b text\n".utf8), source: "f.txt", format: .fasttext,
        labels: nil)
    } throws: { ($0 as? CribleError)?.message.contains("--multi-label") ?? false }
    // Duplicates collapse.
    let corpus = try LabeledCorpus(
      bytes: Array("a, b ,a\ttext\n".utf8), source: "f", format: .tsv, labels: nil, multiLabel: true
    )
    #expect(corpus.labels == ["a", "b"] && corpus.labelSet(at: 0) == [0, 1])
  }

  @Test(arguments: Algorithm.allCases)
  func oneVsRestLearnsEachLabel(algorithm: Algorithm) throws {
    var options = TrainingOptions(
      algorithm: algorithm, pipeline: .init(features: .init(bucketBits: 12)), threads: 2)
    options.naiveBayes.alpha = 0.1
    options.complementNaiveBayes.alpha = 0.1
    let classifier = try Trainer.train([Self.corpus()], options: options)
    #expect(classifier.isMultiLabel)
    #expect(classifier.labels == ["clean", "offensive", "spam"])
    let reloaded = try ModelFile.decode(ModelFile.encode(classifier), source: "memory")
    #expect(reloaded.isMultiLabel && reloaded.estimator == classifier.estimator)
    var right = 0
    for (labels, text) in Self.examples {
      let prediction = reloaded.predict(text)
      // Independent probabilities: they need not sum to one.
      #expect(prediction.probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
      let predicted = Set(reloaded.labelSet(prediction.probabilities).map { reloaded.labels[$0] })
      if predicted == Set(labels.split(separator: ",").map(String.init)) { right += 1 }
    }
    #expect(right >= Self.examples.count - 2, "\(algorithm): \(right) of \(Self.examples.count)")
  }

  @Test func labelSetsAreWrittenMostProbableFirst() throws {
    let classifier = try Trainer.train(
      [Self.corpus()],
      options: TrainingOptions(pipeline: .init(features: .init(bucketBits: 12)), threads: 1))
    let out = BatchLabeler(classifier: classifier).label(text: "蠢货 加微信领红包\n今天天气很好")
    let lines = out.split(separator: "\n")
    #expect(lines.count == 2)
    let first = lines[0].split(separator: "\t")
    let names = first[0].split(separator: ",")
    let probabilities = first[1].split(separator: ",").compactMap { Double($0) }
    #expect(Set(names) == ["offensive", "spam"] && probabilities.count == 2)
    #expect(probabilities[0] >= probabilities[1])
    #expect(lines[1].hasPrefix("clean\t"))
    // A threshold nothing reaches gives the abstain label.
    let strict = BatchLabeler(
      classifier: classifier,
      output: .init(thresholds: ["clean": 1, "offensive": 1, "spam": 1], abstainLabel: "none"))
    #expect(strict.label(text: "今天天气很好").hasPrefix("none\t"))
  }

  @Test func reportFollowsScikitLearn() {
    // y_true = [[0,1], [1], [2], [0,2]], y_pred = [[0], [1], [1,2], [0,2]] over 3 labels;
    // scikit-learn 1.9 gives accuracy_score 0.5, hamming_loss 0.1667, micro precision, recall
    // and F1 0.8333, macro F1 0.8333.
    let report = MultiLabelReport(
      labels: ["a", "b", "c"], truth: [[0, 1], [1], [2], [0, 2]],
      predicted: [[0], [1], [1, 2], [0, 2]])
    #expect(report.subsetAccuracy == 0.5)
    #expect(abs(report.hammingLoss - 2.0 / 12) < 1e-12)
    // tp: a 2, b 1, c 2 = 5; fp: b 1; fn: b 1. micro P 5/6, R 5/6, F1 10/12.
    #expect(abs(report.microPrecision - 5.0 / 6) < 1e-12)
    #expect(abs(report.microRecall - 5.0 / 6) < 1e-12)
    #expect(abs(report.microF1 - 10.0 / 12) < 1e-12)
    // F1: a 1, b 2/4 = 0.5, c 1 → macro 2.5 / 3.
    #expect(abs(report.macroF1 - 2.5 / 3) < 1e-12)
    #expect(report.perLabel["b"]?.support == 2)
  }
}
