/// How a multi-label classifier did on labelled data, with scikit-learn's definitions.
///
/// Each example has a set of true labels and a set of predicted labels (those at or above their
/// thresholds). Subset accuracy counts the examples whose sets match exactly; Hamming loss is
/// the fraction of (example, label) pairs predicted wrongly; micro-averaged scores pool the
/// true and false positives of every label, macro-averaged ones average the labels' scores
/// (`f1_score(average="micro" | "macro")` on the label-indicator matrices).
public struct MultiLabelReport: Sendable, Codable, Equatable {
  /// The labels, in the model's order.
  public var labels: [String]
  /// The number of examples.
  public var examples: Int
  /// The fraction of examples whose predicted set equals their true set.
  public var subsetAccuracy: Double
  /// The fraction of (example, label) decisions that are wrong.
  public var hammingLoss: Double
  /// Precision over all (example, label) pairs.
  public var microPrecision: Double
  /// Recall over all (example, label) pairs.
  public var microRecall: Double
  /// F1 over all (example, label) pairs.
  public var microF1: Double
  /// The mean of the labels' F1.
  public var macroF1: Double
  /// Precision, recall, F1 and support of each label.
  public var perLabel: [String: ClassificationReport.LabelMetrics]

  enum CodingKeys: String, CodingKey {
    case labels, examples
    case subsetAccuracy = "subset_accuracy"
    case hammingLoss = "hamming_loss"
    case microPrecision = "micro_precision"
    case microRecall = "micro_recall"
    case microF1 = "micro_f1"
    case macroF1 = "macro_f1"
    case perLabel = "per_label"
  }

  /// Measures predicted label sets against true ones.
  ///
  /// - Parameters:
  ///   - labels: The label names, indexed as in the sets.
  ///   - truth: Each example's true label indices.
  ///   - predicted: Each example's predicted label indices.
  public init(labels: [String], truth: [[Int]], predicted: [[Int]]) {
    precondition(truth.count == predicted.count, "MultiLabelReport: one prediction per example")
    self.labels = labels
    examples = truth.count
    var truePositives = [Int](repeating: 0, count: labels.count)
    var falsePositives = [Int](repeating: 0, count: labels.count)
    var falseNegatives = [Int](repeating: 0, count: labels.count)
    var exact = 0
    for (actual, guess) in zip(truth, predicted) {
      let actual = Set(actual)
      let guess = Set(guess)
      if actual == guess { exact += 1 }
      for label in guess {
        if actual.contains(label) { truePositives[label] += 1 } else { falsePositives[label] += 1 }
      }
      for label in actual where !guess.contains(label) { falseNegatives[label] += 1 }
    }
    func ratio(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : 0 }
    subsetAccuracy = ratio(exact, examples)
    let wrong = falsePositives.reduce(0, +) + falseNegatives.reduce(0, +)
    hammingLoss = ratio(wrong, examples * labels.count)
    let tp = truePositives.reduce(0, +)
    microPrecision = ratio(tp, tp + falsePositives.reduce(0, +))
    microRecall = ratio(tp, tp + falseNegatives.reduce(0, +))
    microF1 = ratio(2 * tp, 2 * tp + falsePositives.reduce(0, +) + falseNegatives.reduce(0, +))
    var perLabel: [String: ClassificationReport.LabelMetrics] = [:]
    var f1Sum = 0.0
    for (index, label) in labels.enumerated() {
      let precision = ratio(truePositives[index], truePositives[index] + falsePositives[index])
      let recall = ratio(truePositives[index], truePositives[index] + falseNegatives[index])
      let f1 = ratio(
        2 * truePositives[index],
        2 * truePositives[index] + falsePositives[index] + falseNegatives[index])
      f1Sum += f1
      perLabel[label] = .init(
        precision: precision, recall: recall, f1: f1,
        support: truePositives[index] + falseNegatives[index])
    }
    macroF1 = labels.isEmpty ? 0 : f1Sum / Double(labels.count)
    self.perLabel = perLabel
  }
}

extension Evaluator {
  /// Predicts the label set of every example of a multi-label `corpus` (in parallel) and
  /// measures them.
  ///
  /// - Parameters:
  ///   - classifier: A one-vs-rest model.
  ///   - corpus: Loaded with the classifier's labels (and `multiLabel: true`).
  ///   - thresholds: Thresholds by label index replacing the model's; `nil` keeps them.
  ///   - threads: Workers; `nil` for the default.
  /// - Returns: The report.
  public static func evaluateMultiLabel(
    _ classifier: TextClassifier, on corpus: LabeledCorpus, thresholds: [Double]? = nil,
    threads: Int? = nil
  ) -> MultiLabelReport {
    precondition(
      corpus.labels == classifier.labels, "Evaluator: load the corpus with the model's labels")
    let predicted = Evaluator.predictProbabilities(classifier, on: corpus, threads: threads).map {
      classifier.labelSet($0, thresholds: thresholds)
    }
    return MultiLabelReport(
      labels: classifier.labels, truth: (0..<corpus.count).map { corpus.labelSet(at: $0) },
      predicted: predicted)
  }
}
