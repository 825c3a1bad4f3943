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
    Parallelism.map(corpus.count, threads: threads, minimumPerWorker: 256) { examples in
      var workspace = TextClassifier.Workspace()
      return examples.map { example in
        corpus.withText(at: example) { _ = classifier.classify(utf8: $0, workspace: &workspace) }
        return workspace.probabilities
      }
    }
  }
}
