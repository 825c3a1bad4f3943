/// Accuracy, per-label precision, recall, F1 and support, and their macro and weighted
/// averages, computed from a confusion matrix with scikit-learn's definitions
/// (`classification_report`): a ratio whose denominator is zero is reported as 0.
public struct ClassificationReport: Sendable, Codable, Equatable {
  /// Metrics of one label.
  public struct LabelMetrics: Sendable, Codable, Equatable {
    /// TP / (TP + FP).
    public var precision: Double
    /// TP / (TP + FN).
    public var recall: Double
    /// 2 · precision · recall / (precision + recall).
    public var f1: Double
    /// The number of examples whose true label this is.
    public var support: Int
  }

  /// The fraction of examples whose predicted label is the true one.
  public var accuracy: Double
  /// The unweighted mean of the per-label F1 scores.
  public var macroF1: Double
  /// The mean of the per-label F1 scores, weighted by support.
  public var weightedF1: Double
  /// The labels, in model order.
  public var labels: [String]
  /// Metrics of each label.
  public var perLabel: [String: LabelMetrics]
  /// `confusionMatrix[actual][predicted]`, rows and columns in the order of ``labels``.
  public var confusionMatrix: [[Int]]
  /// The number of examples.
  public var examples: Int

  enum CodingKeys: String, CodingKey {
    case accuracy, labels, examples
    case macroF1 = "macro_f1"
    case weightedF1 = "weighted_f1"
    case perLabel = "per_label"
    case confusionMatrix = "confusion_matrix"
  }

  /// Computes the report of a confusion matrix.
  public init(_ matrix: ConfusionMatrix) {
    let n = matrix.labels.count
    let counts = matrix.counts
    let total = matrix.total
    var correct = 0
    var perLabel: [String: LabelMetrics] = [:]
    var macro = 0.0
    var weighted = 0.0
    for c in 0..<n {
      let truePositives = counts[c][c]
      correct += truePositives
      let predicted = (0..<n).reduce(0) { $0 + counts[$1][c] }
      let support = counts[c].reduce(0, +)
      let precision = predicted > 0 ? Double(truePositives) / Double(predicted) : 0
      let recall = support > 0 ? Double(truePositives) / Double(support) : 0
      let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
      perLabel[matrix.labels[c]] = LabelMetrics(
        precision: precision, recall: recall, f1: f1, support: support)
      macro += f1
      weighted += f1 * Double(support)
    }
    accuracy = total > 0 ? Double(correct) / Double(total) : 0
    macroF1 = n > 0 ? macro / Double(n) : 0
    weightedF1 = total > 0 ? weighted / Double(total) : 0
    labels = matrix.labels
    self.perLabel = perLabel
    confusionMatrix = counts
    examples = total
  }
}
