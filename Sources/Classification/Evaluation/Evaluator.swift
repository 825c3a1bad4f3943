/// Runs a classifier over a labelled corpus and measures it.
public enum Evaluator {
  /// Predicts every example of `corpus` (in parallel) and returns the report.
  ///
  /// - Precondition: `corpus` was loaded with the classifier's labels.
  public static func evaluate(
    _ classifier: TextClassifier, on corpus: LabeledCorpus, threads: Int? = nil
  )
    -> ClassificationReport
  {
    precondition(
      corpus.labels == classifier.labels, "Evaluator: load the corpus with the model's labels")
    let probabilities = predictProbabilities(classifier, on: corpus, threads: threads)
    return ClassificationReport(
      labels: classifier.labels, truth: (0..<corpus.count).map { corpus.label(at: $0) },
      probabilities: probabilities)
  }

  /// Every label's probability for every example of `corpus`, computed in parallel.
  ///
  /// - Parameters:
  ///   - classifier: The model.
  ///   - corpus: The examples.
  ///   - threads: Workers; `nil` for the default.
  /// - Returns: One row of probabilities per example, in corpus order.
  public static func predictProbabilities(
    _ classifier: TextClassifier, on corpus: LabeledCorpus, threads: Int? = nil
  ) -> [[Double]] {
    let workers = min(Parallelism.workerCount(requested: threads), max(1, corpus.count / 256))
    let bounds = (0...workers).map { corpus.count * $0 / workers }
    var parts = [[[Double]]](repeating: [], count: workers)
    parts.withUnsafeMutableBufferPointer { parts in
      Parallelism.forEach(workers) { worker in
        var workspace = TextClassifier.Workspace()
        var rows: [[Double]] = []
        rows.reserveCapacity(bounds[worker + 1] - bounds[worker])
        for example in bounds[worker]..<bounds[worker + 1] {
          corpus.withText(at: example) {
            _ = classifier.classify(utf8: $0, workspace: &workspace)
          }
          rows.append(workspace.probabilities)
        }
        parts[worker] = rows
      }
    }
    return Array(parts.joined())
  }
}
