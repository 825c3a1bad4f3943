import ArgumentParser
import Classification
import Foundation

/// `crible cross-validate`: stratified k-fold cross-validation of a training configuration.
struct CrossValidate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cross-validate",
    abstract: "Stratified k-fold cross-validation: each metric's mean and standard deviation.",
    discussion: """
      Trains on k − 1 folds and measures on the fold left out, k times, with the same training \
      options as `crible train`. Folds are stratified by label and seeded (--seed). The folds \
      train concurrently, one per worker (--threads), each on one thread, so the results are \
      the same whatever the number of workers; memory holds one training per worker.
      """)

  @Argument(help: "The labelled file.")
  var file: String

  @Option(help: "The number of folds.")
  var folds: Int = 5

  @Option(help: "Seeds the assignment of examples to folds.")
  var seed: UInt64 = 1

  @Option(help: "The line format of the file: auto, tsv or fasttext.")
  var format: LabeledCorpus.Format = .auto

  @Flag(help: "Multi-label data (see `crible train --multi-label`).")
  var multiLabel = false

  @Flag(help: "Print one JSON object.")
  var json = false

  @Option(
    help:
      "Supervised embeddings: passes over the training data. (default: about 50,000 updates, 5 to 100 passes)"
  )
  var epochs: Int?

  @Option(
    help:
      "Supervised embeddings: the first learning rate, falling linearly to zero. (default: 0.5)")
  var learningRate: Double?

  @Option(
    help:
      "Supervised embeddings: seeds the order of examples and the first embeddings, as `crible train --seed` does (--seed seeds the folds). (default: 1)"
  )
  var trainingSeed: UInt64?

  @OptionGroup var model: ModelOptions

  @OptionGroup var threading: ThreadOptions

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      var options = try model.trainingOptions(threads: threading.threads)
      options.setEmbeddingSchedule(epochs: epochs, learningRate: learningRate, seed: trainingSeed)
      try options.validate()
      let corpus = try LabeledCorpus.load(path: file, format: format, multiLabel: multiLabel)
      let started = Date()
      let report = try CrossValidation.run(corpus, folds: folds, options: options, seed: seed) {
        done in Console.progress("fold \(done) of \(folds)")
      }
      Console.endProgress()
      if json {
        print(jsonText(report))
        return
      }
      print(
        "\(folds)-fold cross-validation of \(model.algorithm.rawValue) on \(corpus.count) examples (\(String(format: "%.1f", Date().timeIntervalSince(started))) s)"
      )
      let names = report.metrics.keys.sorted { a, b in
        let order = ["accuracy", "macro_f1", "weighted_f1", "log_loss"]
        let i = order.firstIndex(of: a) ?? order.count
        let j = order.firstIndex(of: b) ?? order.count
        return i != j ? i < j : a < b
      }
      let width = max(12, names.map(\.count).max() ?? 0)
      for name in names {
        guard let summary = report.metrics[name] else { continue }
        print(
          name.padding(toLength: width, withPad: " ", startingAt: 0)
            + "  \(String(format: "%.4f", summary.mean)) ± \(String(format: "%.4f", summary.std))"
        )
      }
    }
  }
}
