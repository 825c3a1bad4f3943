import ArgumentParser
import Classification
import Foundation
import Tokenization

/// `crible tune`: search training configurations on held-out data and keep the best.
struct Tune: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Search algorithms and settings on held-out data; print a leaderboard; write the best model.",
    discussion: """
      Tries every combination of the listed values (a grid), scoring each on --validation or by \
      --folds cross-validation; --halving prunes the grid by successive halving (a quarter of \
      the training data, then half, then all, keeping the best third each time). The best \
      configuration is then trained on the whole training file and written to --output. Other \
      training options (--disable, --max-features, --language, ...) apply to every candidate.
      """)

  @Argument(help: "The training file.")
  var file: String

  @Option(name: .shortAndLong, help: "Where to write the best model.")
  var output: String

  @Option(help: "Held-out data to score candidates on.")
  var validation: String?

  @Option(help: "Without --validation: score candidates by k-fold cross-validation.")
  var folds: Int = 3

  @Option(
    help:
      "What to maximise: macro-f1, accuracy, f1:LABEL, or recall@precision:LABEL=P (recall where LABEL's precision reaches P)."
  )
  var metric: String = "macro-f1"

  @Flag(help: "Prune the grid by successive halving.")
  var halving = false

  @Option(help: "Algorithms to try, comma-separated.")
  var algorithms: String =
    "logistic-regression,linear-svm,naive-bayes,complement-naive-bayes,embeddings"

  @Option(help: "Logistic regression's L2 strengths to try.")
  var l2Values: String = "1e-6,1e-5,1e-4"

  @Option(help: "The linear support vector machine's costs C to try.")
  var costValues: String = "0.3,1"

  @Option(help: "Naive Bayes's smoothing values to try.")
  var alphaValues: String = "0.1,0.3,1"

  @Option(help: "The supervised embeddings' first learning rates to try.")
  var learningRateValues: String = "0.5"

  @Option(help: "Han n-gram ranges to try.")
  var hanNgramsValues: String = "1-2,1-3"

  @Option(help: "Longest word n-grams to try.")
  var wordNgramsValues: String = "1,2"

  @Option(
    help:
      "Subword lengths to try, such as 3-5,2-4 (0: no subwords); by default only the pipeline's own (--subwords, --language)."
  )
  var subwordsValues: String?

  @Option(help: "Bucket bits to try.")
  var bucketBitsValues: String = "22"

  @Option(help: "Class weightings to try: uniform and/or balanced.")
  var classWeights: String = "uniform,balanced"

  @Option(help: "The line format of the files: auto, tsv or fasttext.")
  var format: LabeledCorpus.Format = .auto

  @Option(help: "Seeds the folds and the halving subsamples.")
  var seed: UInt64 = 1

  @Option(help: "How many rows of the leaderboard to print.")
  var top: Int = 10

  @Flag(help: "Print the leaderboard as one JSON object.")
  var json = false

  @OptionGroup var model: ModelOptions

  @OptionGroup var threading: ThreadOptions

  func validate() throws {
    if Tuner.Objective(metric) == nil {
      throw ValidationError(
        "--metric must be macro-f1, accuracy, f1:LABEL or recall@precision:LABEL=P, not \(metric).")
    }
    if validation == nil && folds < 2 {
      throw ValidationError("Give --validation, or --folds of 2 or more.")
    }
  }

  /// Splits a comma-separated list, checking each value.
  func values<T>(_ text: String, _ option: String, _ parse: (String) -> T?) throws(CribleError)
    -> [T]
  {
    var result: [T] = []
    for part in text.split(separator: ",") {
      let item = part.trimmingCharacters(in: .whitespaces)
      guard let value = parse(item) else {
        throw CribleError(
          .badConfiguration, "--\(option) has the value \"\(item)\", which is not valid.")
      }
      result.append(value)
    }
    guard !result.isEmpty else {
      throw CribleError(.badConfiguration, "--\(option) lists no value.")
    }
    return result
  }

  func candidates() throws(CribleError) -> [Tuner.Candidate] {
    let base = try model.trainingOptions(threads: threading.threads)
    let algorithmList = try values(algorithms, "algorithms") { Algorithm(rawValue: $0) }
    let l2List = try values(l2Values, "l2-values") { Double($0).flatMap { $0 > 0 ? $0 : nil } }
    let alphaList = try values(alphaValues, "alpha-values") {
      Double($0).flatMap { $0 > 0 ? $0 : nil }
    }
    let costList = try values(costValues, "cost-values") {
      Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
    }
    let rateList = try values(learningRateValues, "learning-rate-values") {
      Double($0).flatMap { $0 > 0 && $0 <= 100 ? $0 : nil }
    }
    let hanList = try values(hanNgramsValues, "han-ngrams-values") { LengthRange(argument: $0) }
    let wordList = try values(wordNgramsValues, "word-ngrams-values") {
      Int($0).flatMap { (1...5).contains($0) ? $0 : nil }
    }
    let subwordList = try subwordsValues.map { text throws(CribleError) in
      try values(text, "subwords-values") { LengthRange(argument: $0) }
    }
    let bitsList = try values(bucketBitsValues, "bucket-bits-values") {
      Int($0).flatMap { (4...28).contains($0) ? $0 : nil }
    }
    let weightList = try values(classWeights, "class-weights") { name -> ClassWeights? in
      name == "uniform" ? .uniform : name == "balanced" ? .balanced : nil
    }
    // The grid, one option at a time: every candidate so far times each value of the next
    // option, in that order, each value adding its part to the candidate's name (or, when it
    // does not apply to the candidate, `nil`).
    var grid = [Tuner.Candidate(name: "", options: base)]
    func expand<T>(_ values: [T], _ apply: (inout TrainingOptions, T) -> String?) {
      grid = grid.flatMap { candidate in
        values.compactMap { value in
          var options = candidate.options
          guard let part = apply(&options, value) else { return nil }
          let name = candidate.name.isEmpty ? part : candidate.name + " " + part
          return Tuner.Candidate(name: name, options: options)
        }
      }
    }
    expand(algorithmList) { options, algorithm in
      options.algorithm = algorithm
      options.weighting = TrainingOptions.defaultWeighting(for: algorithm)
      model.applyAlgorithmChoices(for: algorithm, to: &options.pipeline)
      options.smoothingCandidates = nil
      options.costCandidates = nil
      options.choosesClassWeights = false
      options.automaticL2 = false
      return algorithm.rawValue
    }
    // L2 strengths for logistic regression, costs for the support vector machine, α for naive
    // Bayes, first learning rates for the supervised embeddings: each candidate takes the
    // values of its own algorithm.
    enum Strength {
      case l2(Double)
      case cost(Double)
      case alpha(Double)
      case learningRate(Double)
    }
    let strengths =
      l2List.map(Strength.l2) + costList.map(Strength.cost) + alphaList.map(Strength.alpha)
      + rateList.map(Strength.learningRate)
    expand(strengths) { options, strength in
      switch (strength, options.algorithm) {
      case (.l2(let l2), .logisticRegression):
        options.logisticRegression.l2 = l2
        return "l2=\(l2)"
      case (.cost(let cost), .linearSVM):
        options.linearSVM.cost = cost
        return "C=\(cost)"
      case (.alpha(let alpha), .naiveBayes), (.alpha(let alpha), .complementNaiveBayes):
        options.naiveBayes.alpha = alpha
        options.complementNaiveBayes.alpha = alpha
        return "alpha=\(alpha)"
      case (.learningRate(let rate), .embeddings):
        options.embeddings.learningRate = rate
        return "lr=\(rate) dimension=\(options.embeddings.dimension)"
      default:
        return nil
      }
    }
    expand(hanList) { options, han in
      options.pipeline.features.hanNGrams = han.range
      return "han=\(han)"
    }
    expand(wordList) { options, words in
      options.pipeline.features.wordNGrams = words
      return "words=\(words)"
    }
    if let subwordList {
      expand(subwordList) { options, lengths in
        let none = lengths.range == 0...0
        options.pipeline.features.subwordNGrams = none ? nil : lengths.range
        return "subwords=\(none ? "none" : lengths.description)"
      }
    }
    expand(bitsList) { options, bits in
      options.pipeline.features.bucketBits = bits
      return "bits=\(bits)"
    }
    expand(weightList) { options, weights in
      options.classWeights = weights
      return weights == .uniform ? "uniform" : "balanced"
    }
    return grid
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let objective = Tuner.Objective(metric) ?? .macroF1
      let candidates = try candidates()
      let training = try LabeledCorpus.load(path: file, format: format)
      let held = try validation.map { path throws(CribleError) in
        try LabeledCorpus.load(path: path, format: format)
      }
      let started = Date()
      let results = try Tuner.run(
        candidates, training: training, validation: held, folds: folds, objective: objective,
        halving: halving, seed: seed
      ) { done, total, best in
        let width = 30
        let filled = total > 0 ? width * done / total : width
        Console.progress(
          "[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total)"
            + (best.map { " best \(String(format: "%.4f", $0.score))" } ?? ""))
      }
      Console.endProgress()
      guard let winner = results.first,
        let chosen = candidates.first(where: { $0.name == winner.name })
      else { return }
      let classifier = try Trainer.train([training], options: chosen.options)
      try ModelFile.save(classifier, to: output)
      let elapsed = Date().timeIntervalSince(started)
      if json {
        struct Board: Encodable {
          var objective: String
          var candidates: Int
          var seconds: Double
          var best: String
          var output: String
          var results: [Tuner.Result]
        }
        print(
          jsonText(
            Board(
              objective: objective.description, candidates: candidates.count, seconds: elapsed,
              best: winner.name, output: output, results: results)))
        return
      }
      print(
        "\(candidates.count) candidates, \(objective) on \(validation ?? "\(folds)-fold cross-validation")\(halving ? ", successive halving" : ""): \(String(format: "%.1f", elapsed)) s"
      )
      print(
        "rank  \(objective.description.padding(toLength: 9, withPad: " ", startingAt: 0))  data  seconds  configuration"
      )
      for (rank, result) in results.prefix(top).enumerated() {
        print(
          "\(String(rank + 1).padding(toLength: 4, withPad: " ", startingAt: 0))  \(String(format: "%.4f", result.score).padding(toLength: 9, withPad: " ", startingAt: 0))  \(String(format: "%3.0f%%", result.fraction * 100))  \(String(format: "%7.2f", result.seconds))  \(result.name)"
        )
      }
      print("Wrote the best, \(winner.name), trained on all of \(file), to \(output).")
    }
  }
}
