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
  /// F1 over all (example, label) decisions; for single-label data it equals ``accuracy``.
  public var microF1: Double
  /// The mean negative log-probability of the true label (probabilities clipped to
  /// [ε, 1 − ε], ε = 2⁻⁵²), when probabilities are known.
  public var logLoss: Double?
  /// Each label's ROC-AUC, one-vs-rest; `nil` for a label that is always or never true.
  public var rocAUC: [String: Double?]?
  /// Each label's average precision, one-vs-rest; `nil` for a label that is never true.
  public var averagePrecision: [String: Double?]?
  /// The fraction of examples whose true label is among the `k` most probable, for k = 2 up
  /// to the number of labels less one (keys `"2"`, `"3"`, ...); empty for two labels.
  public var topKAccuracy: [String: Double]?

  enum CodingKeys: String, CodingKey {
    case accuracy, labels, examples
    case macroF1 = "macro_f1"
    case weightedF1 = "weighted_f1"
    case microF1 = "micro_f1"
    case perLabel = "per_label"
    case confusionMatrix = "confusion_matrix"
    case logLoss = "log_loss"
    case rocAUC = "roc_auc"
    case averagePrecision = "average_precision"
    case topKAccuracy = "top_k_accuracy"
  }

  /// Computes every metric from the true labels and the predicted probabilities (the predicted
  /// label is the most probable one, the first on a tie).
  ///
  /// - Parameters:
  ///   - labels: The label names, in model order.
  ///   - truth: Each example's true label index.
  ///   - probabilities: Each example's probability of every label.
  public init(labels: [String], truth: [Int], probabilities: [[Double]]) {
    precondition(truth.count == probabilities.count, "ClassificationReport: one row per example")
    var matrix = ConfusionMatrix(labels: labels)
    for (actual, row) in zip(truth, probabilities) {
      var best = 0
      for c in 1..<row.count where row[c] > row[best] { best = c }
      matrix.record(actual: actual, predicted: best)
    }
    self.init(matrix)
    logLoss = Metrics.logLoss(truth: truth, probabilities: probabilities)
    var auc: [String: Double?] = [:]
    var precision: [String: Double?] = [:]
    for (index, label) in labels.enumerated() {
      let scores = probabilities.map { $0[index] }
      let positives = truth.map { $0 == index }
      auc[label] = Metrics.rocAUC(scores: scores, positives: positives)
      precision[label] = Metrics.averagePrecision(scores: scores, positives: positives)
    }
    rocAUC = auc
    averagePrecision = precision
    var topK: [String: Double] = [:]
    if labels.count > 2 {
      for k in 2..<labels.count {
        topK[String(k)] = Metrics.topKAccuracy(truth: truth, probabilities: probabilities, k: k)
      }
    }
    topKAccuracy = topK
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
    microF1 = accuracy
  }
}
