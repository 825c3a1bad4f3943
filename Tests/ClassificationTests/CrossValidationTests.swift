import Testing
import Tokenization
import _TestSupport

@testable import Classification

/// Cross-validation trains its folds concurrently; what it reports must not depend on that.
@Suite struct CrossValidationTests {
  /// 1,800 messages of three labels, each drawing words from its own list and a shared one.
  ///
  /// The folds' models are neither perfect nor useless, and each fold is large enough that
  /// logistic regression splits its gradient over two workers (512 examples each at least).
  static func corpus() throws -> LabeledCorpus {
    var generator = SeededGenerator(seed: 29)
    let labels = ["billing", "delivery", "spam"]
    let own = labels.map { label in (0..<40).map { "\(label.prefix(3))\($0)" } }
    let shared = (0..<200).map { "mot\($0)" }
    var texts: [String] = []
    var names: [String] = []
    for index in 0..<1_800 {
      let label = index % 3
      let words = (0..<(4 + Int(generator.next() % 8))).map { _ in
        generator.unit() < 0.3
          ? own[label][Int(generator.next() % 40)] : shared[Int(generator.next() % 200)]
      }
      texts.append(words.joined(separator: " "))
      names.append(labels[label])
    }
    return try LabeledCorpus(texts: texts, labels: names)
  }

  /// Small hash tables keep the debug-built tests quick.
  static let pipeline = TextPipeline.Configuration(features: .init(bucketBits: 14))

  /// Every fold's probabilities on its held-out part, for a worker count.
  static func heldOutProbabilities(_ algorithm: Algorithm, threads: Int) throws -> [[[Double]]] {
    var probabilities: [[[Double]]] = []
    try CrossValidation.forEachFold(
      corpus(), folds: 3,
      options: TrainingOptions(algorithm: algorithm, pipeline: pipeline, threads: threads), seed: 5
    ) { _, model, held, _ in
      probabilities.append(Evaluator.predictProbabilities(model, on: held, threads: 1))
    }
    return probabilities
  }

  @Test(arguments: [Algorithm.logisticRegression, .naiveBayes, .embeddings])
  func theFoldsModelsDoNotDependOnTheWorkers(algorithm: Algorithm) throws {
    let one = try Self.heldOutProbabilities(algorithm, threads: 1)
    #expect(one.count == 3 && one.allSatisfy { $0.count == 600 })
    for threads in [2, 3] {
      #expect(try Self.heldOutProbabilities(algorithm, threads: threads) == one)
    }
  }

  @Test func theReportIsTheSequentialOne() throws {
    let corpus = try Self.corpus()
    var reports: [CrossValidation.Report] = []
    for threads in [1, 2] {
      var report = try CrossValidation.run(
        corpus, folds: 3,
        options: TrainingOptions(
          algorithm: .logisticRegression, pipeline: Self.pipeline, threads: threads),
        seed: 5)
      report.trainingSeconds = []
      // Evaluation adds the log-loss over its workers' chunks, so only it varies, in its last
      // digits.
      let logLoss = report.metrics.removeValue(forKey: "log_loss")
      #expect((logLoss?.mean ?? 0) > 0)
      reports.append(report)
    }
    #expect(reports[0] == reports[1])
    let macroF1 = try #require(reports[0].metrics["macro_f1"])
    #expect(macroF1.folds.count == 3)
    // The task is learnable but not trivial.
    #expect(macroF1.mean > 0.5 && macroF1.mean < 1)
  }

  @Test func foldsReportInOrder() throws {
    var done: [Int] = []
    let report = try CrossValidation.run(
      Self.corpus(), folds: 5,
      options: TrainingOptions(algorithm: .naiveBayes, pipeline: Self.pipeline, threads: 2),
      seed: 3
    ) { done.append($0) }
    #expect(done == [1, 2, 3, 4, 5])
    #expect(report.trainingSeconds.count == 5)
  }

  @Test(arguments: [1, 2])
  func aFoldThatCannotTrainFailsTheRun(threads: Int) throws {
    // Every fold's training refuses the options, on the workers when there are two.
    #expect {
      try CrossValidation.run(
        Self.corpus(), folds: 4,
        options: TrainingOptions(algorithm: .naiveBayes, minCount: 0, threads: threads))
    } throws: { error in
      (error as? CribleError)?.kind == .badConfiguration
        && (error as? CribleError)?.message.contains("minimum count") == true
    }
  }
}
