/// Searches training configurations for the one that scores best on held-out data: a grid,
/// optionally pruned by successive halving.
public enum Tuner {
  /// One configuration to try.
  public struct Candidate: Sendable {
    /// A readable summary (`logistic-regression l2=1e-05 han=1-2 ...`).
    public var name: String
    /// How to train it.
    public var options: TrainingOptions

    /// Creates a candidate.
    public init(name: String, options: TrainingOptions) {
      self.name = name
      self.options = options
    }
  }

  /// What the search maximises.
  public enum Objective: Sendable, Equatable, CustomStringConvertible {
    /// Macro-averaged F1.
    case macroF1
    /// Accuracy.
    case accuracy
    /// The F1 of one label.
    case f1(String)
    /// The recall of a label at the threshold where its precision reaches the given value
    /// (0 when it never does).
    case recallAtPrecision(String, Double)

    /// The objective's name, as the command line takes it.
    public var description: String {
      switch self {
      case .macroF1: "macro-f1"
      case .accuracy: "accuracy"
      case .f1(let label): "f1:\(label)"
      case .recallAtPrecision(let label, let precision): "recall@precision:\(label)=\(precision)"
      }
    }

    /// Parses `macro-f1`, `accuracy`, `f1:LABEL` or `recall@precision:LABEL=P`.
    public init?(_ text: String) {
      if text == "macro-f1" {
        self = .macroF1
      } else if text == "accuracy" {
        self = .accuracy
      } else if text.hasPrefix("f1:"), text.count > 3 {
        self = .f1(String(text.dropFirst(3)))
      } else if text.hasPrefix("recall@precision:"),
        let equals = text.lastIndex(of: "="),
        let precision = Double(text[text.index(after: equals)...]), precision > 0, precision <= 1
      {
        let label = String(text[text.index(text.startIndex, offsetBy: 17)..<equals])
        guard !label.isEmpty else { return nil }
        self = .recallAtPrecision(label, precision)
      } else {
        return nil
      }
    }
  }

  /// How a candidate did.
  public struct Result: Sendable, Codable, Equatable {
    /// The candidate's summary.
    public var name: String
    /// The objective on held-out data (the mean over folds with cross-validation).
    public var score: Double
    /// Training seconds (summed over folds).
    public var seconds: Double
    /// The share of the training data it was last trained on (successive halving trains most
    /// candidates on less than all of it).
    public var fraction: Double
  }

  /// The objective of `classifier` on `held`.
  ///
  /// - Throws: ``CribleError`` when the objective names a label the model does not have.
  public static func score(
    _ classifier: TextClassifier, on held: LabeledCorpus, objective: Objective, threads: Int?
  ) throws(CribleError) -> Double {
    func index(of label: String) throws(CribleError) -> Int {
      guard let index = classifier.labels.firstIndex(of: label) else {
        throw CribleError(
          .badConfiguration,
          "The objective names the label \"\(label)\", which the data does not have (it has \(classifier.labels.joined(separator: ", ")))."
        )
      }
      return index
    }
    switch objective {
    case .macroF1, .accuracy, .f1:
      if classifier.isMultiLabel {
        let report = Evaluator.evaluateMultiLabel(classifier, on: held, threads: threads)
        switch objective {
        case .accuracy: return report.subsetAccuracy
        case .f1(let label):
          return report.perLabel[classifier.labels[try index(of: label)]]?.f1 ?? 0
        default: return report.macroF1
        }
      }
      let report = Evaluator.evaluate(classifier, on: held, threads: threads)
      switch objective {
      case .accuracy: return report.accuracy
      case .f1(let label): return report.perLabel[classifier.labels[try index(of: label)]]?.f1 ?? 0
      default: return report.macroF1
      }
    case .recallAtPrecision(let label, let precision):
      let column = try index(of: label)
      let probabilities = Evaluator.predictProbabilities(classifier, on: held, threads: threads)
      let positives = (0..<held.count).map { held.labelSet(at: $0).contains(column) }
      guard
        let choice = ThresholdSelection.choose(
          scores: probabilities.map { $0[column] }, positives: positives,
          target: .precision(precision), label: label),
        choice.reached
      else { return 0 }
      return choice.recall
    }
  }

  /// Trains and scores every candidate; returns the results, best first.
  ///
  /// With `validation`, each candidate is trained on `training` and scored on `validation`;
  /// otherwise by stratified `folds`-fold cross-validation of `training`. With `halving`, every
  /// candidate first trains on a quarter of the training data, the best third go on to half of
  /// it, and the best third of those to all of it (successive halving); the results of
  /// candidates dropped early stay in the list, ranked below those that went further.
  ///
  /// The trainings run one per worker (the first candidate's `threads`), each on one thread:
  /// with `validation` several candidates at a time, otherwise each candidate's folds (see
  /// ``CrossValidation``). So the results do not depend on the worker count; results, scores
  /// and `progress` come in candidate order.
  ///
  /// - Parameters:
  ///   - candidates: The configurations.
  ///   - training: The training data.
  ///   - validation: Held-out data, with the training labels; or `nil` for cross-validation.
  ///   - folds: The folds when there is no `validation`.
  ///   - objective: What to maximise.
  ///   - halving: Whether to prune by successive halving.
  ///   - seed: Seeds the folds and the halving subsamples.
  ///   - progress: Called after each training with (done, total, best so far).
  /// - Returns: The results, best first.
  /// - Throws: ``CribleError`` when a candidate cannot be trained or scored.
  public static func run(
    _ candidates: [Candidate], training: LabeledCorpus, validation: LabeledCorpus?, folds: Int,
    objective: Objective, halving: Bool, seed: UInt64 = 1,
    progress: ((Int, Int, Result?) -> Void)? = nil
  ) throws(CribleError) -> [Result] {
    let fractions: [Double] = halving && candidates.count > 3 ? [0.25, 0.5, 1] : [1]
    // Training subsamples: the first share of a seeded, stratified order.
    let order = CrossValidation.stratifiedOrder(training, seed: seed)
    var alive = Array(candidates.indices)
    var results = [Result?](repeating: nil, count: candidates.count)
    var total = 0
    var planned = alive.count
    var remaining = alive.count
    for _ in fractions.dropFirst() {
      remaining = max(1, (remaining + 2) / 3)
      planned += remaining
    }
    var best: Result?
    // Candidates train without their own held-out data: the search's is the judge.
    let trainingOptions = candidates.map { candidate in
      var options = candidate.options
      options.validation = nil
      return options
    }
    for (rung, fraction) in fractions.enumerated() {
      let part =
        fraction < 1
        ? training.subset(Array(order.prefix(max(2, Int(Double(training.count) * fraction)))))
        : training
      func record(_ index: Int, score: Double, seconds: Double) {
        let result = Result(
          name: candidates[index].name, score: score, seconds: seconds, fraction: fraction)
        results[index] = result
        if rung == fractions.count - 1, best.map({ score > $0.score }) ?? true { best = result }
        total += 1
        progress?(total, planned, best ?? result)
      }
      if let validation {
        // One candidate per worker, each trained on one thread.
        try Parallelism.forEachInOrder(alive.count, threads: candidates.first?.options.threads) {
          position throws(CribleError) in
          try CrossValidation.fit(
            part, holding: validation, options: trainingOptions[alive[position]])
        } consume: { position, fitted throws(CribleError) in
          let score = try Self.score(
            fitted.model, on: fitted.held, objective: objective,
            threads: trainingOptions[alive[position]].threads)
          record(alive[position], score: score, seconds: fitted.seconds)
        }
      } else {
        for index in alive {
          let options = trainingOptions[index]
          var score = 0.0
          var seconds = 0.0
          // The folds train one per worker (see `CrossValidation.forEachFold`).
          try CrossValidation.forEachFold(part, folds: folds, options: options, seed: seed) {
            _, model, held, trainingSeconds throws(CribleError) in
            score +=
              try Self.score(model, on: held, objective: objective, threads: options.threads)
              / Double(folds)
            seconds += trainingSeconds
          }
          record(index, score: score, seconds: seconds)
        }
      }
      if rung < fractions.count - 1 {
        alive.sort { (results[$0]?.score ?? 0) > (results[$1]?.score ?? 0) }
        alive = Array(alive.prefix(max(1, (alive.count + 2) / 3)))
      }
    }
    return results.compactMap { $0 }.sorted {
      $0.fraction != $1.fraction ? $0.fraction > $1.fraction : $0.score > $1.score
    }
  }
}
