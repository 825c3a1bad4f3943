/// Chooses decision thresholds on held-out data: the threshold at which a label reaches a
/// target precision (or recall), so that moderators can "flag only when 95 % sure".
public enum ThresholdSelection {
  /// What a threshold does on the held-out data.
  public struct Choice: Sendable, Codable, Equatable {
    /// The label.
    public var label: String
    /// The least probability at which the label is given.
    public var threshold: Double
    /// The label's precision at that threshold.
    public var precision: Double
    /// The label's recall at that threshold.
    public var recall: Double
    /// Whether the target was reached (otherwise the threshold is the best one could do).
    public var reached: Bool
  }

  /// What to aim for.
  public enum Target: Sendable, Equatable {
    /// The least precision wanted; among the thresholds that reach it, the one with the most
    /// recall (the lowest).
    case precision(Double)
    /// The least recall wanted; among the thresholds that reach it, the one with the most
    /// precision (the highest).
    case recall(Double)
  }

  /// The threshold, among the distinct scores, that meets `target` best.
  ///
  /// When no threshold reaches a precision target, the one with the highest precision is
  /// returned with `reached == false`.
  ///
  /// - Parameters:
  ///   - scores: Each example's probability of the label.
  ///   - positives: Whether each example truly has the label.
  ///   - target: The precision or recall wanted.
  ///   - label: The label's name, for the result.
  /// - Returns: The choice, or `nil` when no example has the label.
  public static func choose(
    scores: [Double], positives: [Bool], target: Target, label: String
  ) -> Choice? {
    let positiveCount = positives.filter { $0 }.count
    guard positiveCount > 0 else { return nil }
    let candidates = Metrics.operatingPoints(scores: scores, positives: positives).map { point in
      Choice(
        label: label, threshold: point.threshold,
        precision: Double(point.truePositives) / Double(point.truePositives + point.falsePositives),
        recall: Double(point.truePositives) / Double(positiveCount), reached: false)
    }
    switch target {
    case .precision(let wanted):
      if var best = candidates.last(where: { $0.precision >= wanted }) {
        best.reached = true
        return best
      }
      return candidates.max {
        $0.precision < $1.precision || ($0.precision == $1.precision && $0.recall < $1.recall)
      }
    case .recall(let wanted):
      if var best = candidates.first(where: { $0.recall >= wanted }) {
        best.reached = true
        return best
      }
      return candidates.last
    }
  }

  /// Chooses thresholds for `targets` on `validation` and stores them in the model.
  ///
  /// - Parameters:
  ///   - classifier: The trained model.
  ///   - validation: Held-out data, loaded with the model's labels.
  ///   - targets: The target of each label to tune.
  ///   - threads: Workers; `nil` for the default.
  /// - Returns: The model with the thresholds, and what each does on `validation`.
  /// - Throws: ``CribleError`` when a label is unknown or never occurs in `validation`.
  public static func apply(
    to classifier: TextClassifier, validation: LabeledCorpus, targets: [String: Target],
    threads: Int? = nil
  ) throws(CribleError) -> (TextClassifier, [Choice]) {
    let probabilities = Evaluator.predictProbabilities(classifier, on: validation, threads: threads)
    var thresholds = classifier.decisionThresholds
    var choices: [Choice] = []
    for (label, target) in targets.sorted(by: { $0.key < $1.key }) {
      guard let index = classifier.labels.firstIndex(of: label) else {
        throw CribleError(
          .badConfiguration,
          "The threshold target names the label \"\(label)\", which the model does not have (it has \(classifier.labels.joined(separator: ", ")))."
        )
      }
      let positives = (0..<validation.count).map { validation.labelSet(at: $0).contains(index) }
      guard
        let choice = choose(
          scores: probabilities.map { $0[index] }, positives: positives, target: target,
          label: label)
      else {
        throw CribleError(
          .badData,
          "\(validation.source) has no example of \(label), so no threshold can be chosen for it.")
      }
      thresholds[label] = choice.threshold
      choices.append(choice)
    }
    return (classifier.with(thresholds: thresholds), choices)
  }
}
