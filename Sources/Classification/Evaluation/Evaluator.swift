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
    let workers = min(Parallelism.workerCount(requested: threads), max(1, corpus.count / 256))
    let bounds = (0...workers).map { corpus.count * $0 / workers }
    var matrices = [ConfusionMatrix](
      repeating: ConfusionMatrix(labels: classifier.labels), count: workers)
    matrices.withUnsafeMutableBufferPointer { matrices in
      Parallelism.forEach(workers) { worker in
        var matrix = ConfusionMatrix(labels: classifier.labels)
        var workspace = TextClassifier.Workspace()
        for example in bounds[worker]..<bounds[worker + 1] {
          let predicted = corpus.withText(at: example) {
            classifier.classify(utf8: $0, workspace: &workspace).label
          }
          matrix.record(actual: corpus.label(at: example), predicted: predicted)
        }
        matrices[worker] = matrix
      }
    }
    var total = ConfusionMatrix(labels: classifier.labels)
    for matrix in matrices { total.merge(matrix) }
    return ClassificationReport(total)
  }
}
