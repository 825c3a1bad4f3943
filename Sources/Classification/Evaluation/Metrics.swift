#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Metrics of scored predictions, with scikit-learn's definitions (`sklearn.metrics`).
public enum Metrics {
  /// `log_loss`: the mean of −ln p(true label), probabilities clipped to [ε, 1 − ε] with
  /// ε = 2⁻⁵² (`numpy.finfo(float64).eps`).
  ///
  /// - Parameters:
  ///   - truth: Each example's true label index.
  ///   - probabilities: Each example's probability of every label.
  /// - Returns: The loss; 0 for no examples.
  public static func logLoss(truth: [Int], probabilities: [[Double]]) -> Double {
    guard !truth.isEmpty else { return 0 }
    let eps = Double.ulpOfOne
    var sum = 0.0
    for (actual, row) in zip(truth, probabilities) {
      sum -= log(min(max(row[actual], eps), 1 - eps))
    }
    return sum / Double(truth.count)
  }

  /// `roc_auc_score` of one label: the area under the ROC curve, ties between scores counted
  /// half (the trapezoidal rule over the distinct scores).
  ///
  /// - Parameters:
  ///   - scores: Each example's score (probability) for the label.
  ///   - positives: Whether each example carries the label.
  /// - Returns: The area, or `nil` when every example or none carries the label (undefined).
  public static func rocAUC(scores: [Double], positives: [Bool]) -> Double? {
    let positiveCount = positives.filter { $0 }.count
    let negativeCount = positives.count - positiveCount
    guard positiveCount > 0 && negativeCount > 0 else { return nil }
    // Mann-Whitney: the mean rank of the positives, with tied scores sharing their mean rank.
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
      let meanRank = Double(start + end) / 2 + 1
      for position in start...end where positives[order[position]] { rankSum += meanRank }
      start = end + 1
    }
    let p = Double(positiveCount)
    return (rankSum - p * (p + 1) / 2) / (p * Double(negativeCount))
  }

  /// What a threshold admits: the examples scoring at or above it.
  public struct OperatingPoint: Sendable, Equatable {
    /// The threshold: one of the distinct scores.
    public var threshold: Double
    /// Admitted examples that carry the label.
    public var truePositives: Int
    /// Admitted examples that do not.
    public var falsePositives: Int
  }

  /// One operating point per distinct score, from the highest down (tied scores enter
  /// together): the steps of the precision-recall and ROC curves.
  ///
  /// - Parameters:
  ///   - scores: Each example's score (probability) for the label.
  ///   - positives: Whether each example carries the label.
  /// - Returns: The points, by decreasing threshold.
  public static func operatingPoints(scores: [Double], positives: [Bool]) -> [OperatingPoint] {
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var points: [OperatingPoint] = []
    var truePositives = 0
    var falsePositives = 0
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
      for position in start...end {
        if positives[order[position]] { truePositives += 1 } else { falsePositives += 1 }
      }
      points.append(
        OperatingPoint(
          threshold: scores[order[start]], truePositives: truePositives,
          falsePositives: falsePositives))
      start = end + 1
    }
    return points
  }

  /// `average_precision_score` of one label: Σₙ (Rₙ − Rₙ₋₁) Pₙ over the distinct scores taken
  /// as thresholds, from the highest down.
  ///
  /// - Parameters:
  ///   - scores: Each example's score (probability) for the label.
  ///   - positives: Whether each example carries the label.
  /// - Returns: The average precision, or `nil` when no example carries the label.
  public static func averagePrecision(scores: [Double], positives: [Bool]) -> Double? {
    let positiveCount = positives.filter { $0 }.count
    guard positiveCount > 0 else { return nil }
    var previousRecall = 0.0
    var result = 0.0
    for point in operatingPoints(scores: scores, positives: positives) {
      let recall = Double(point.truePositives) / Double(positiveCount)
      let precision =
        Double(point.truePositives) / Double(point.truePositives + point.falsePositives)
      result += (recall - previousRecall) * precision
      previousRecall = recall
    }
    return result
  }

  /// `top_k_accuracy_score`: the fraction of examples whose true label is among the `k` most
  /// probable (on a tie at the boundary, the higher label index first, as scikit-learn's
  /// reversed stable sort has it).
  ///
  /// - Parameters:
  ///   - truth: Each example's true label index.
  ///   - probabilities: Each example's probability of every label.
  ///   - k: How many of the most probable labels count.
  /// - Returns: The fraction; 0 for no examples.
  public static func topKAccuracy(truth: [Int], probabilities: [[Double]], k: Int) -> Double {
    guard !truth.isEmpty else { return 0 }
    var hits = 0
    for (actual, row) in zip(truth, probabilities) {
      // Labels ranked above the true one: higher probability, or equal with a higher index.
      var above = 0
      for c in row.indices where c != actual {
        if row[c] > row[actual] || (row[c] == row[actual] && c > actual) { above += 1 }
      }
      if above < k { hits += 1 }
    }
    return Double(hits) / Double(truth.count)
  }
}
