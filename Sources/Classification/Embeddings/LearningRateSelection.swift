/// Chooses the supervised embeddings' first learning rate by stratified k-fold
/// cross-validation on the training data, as naive Bayes chooses its smoothing
/// (``SmoothingSelection``).
///
/// Every candidate is trained on every fold's complement, from the training matrix already
/// built (features, vocabulary and weighting are those of the whole training data), with the
/// number of passes for that many examples; its predictions on the held-out folds are pooled,
/// and the candidate with the best pooled macro-F1 wins (on a tie, the one listed first). A
/// candidate whose training diverges scores 0.
///
/// Why: the best rate depends on the corpus more than any default captures. By nested
/// cross-validation on the fourteen training sets of Benchmarks/README.md ("Session 10"),
/// choosing between 0.5 and 1 this way beats always 0.5 on average, most on the small
/// corpora, which need the larger steps, while the large Chinese ones keep 0.5.
public struct LearningRateSelection: Sendable, Equatable, Codable {
  /// The candidates tried when the user gives no learning rate.
  public static let defaultCandidates: [Double] = [0.5, 1]
  /// The number of folds.
  public static let defaultFolds = 3

  /// The candidates, in the order tried.
  public var candidates: [Double]
  /// The pooled held-out macro-F1 of each candidate.
  public var macroF1: [Double]
  /// The chosen learning rate.
  public var learningRate: Double

  enum CodingKeys: String, CodingKey {
    case candidates
    case macroF1 = "macro_f1"
    case learningRate = "learning_rate"
  }

  /// Runs the selection.
  ///
  /// The candidates' trainings on the folds run concurrently, one per worker
  /// (``Parallelism/forEachInOrder(_:threads:produce:consume:)``); each is sequential and
  /// seeded, so the choice does not depend on the number of workers.
  ///
  /// - Parameters:
  ///   - data: The training examples.
  ///   - candidates: The learning rates to try.
  ///   - folds: The number of folds (at least 2).
  ///   - seed: Seeds the assignment of examples to folds.
  ///   - threads: Workers; `nil` for the default.
  ///   - configuration: The settings for a training set of so many examples (the learning rate
  ///     is replaced by each candidate).
  /// - Returns: Every candidate's pooled held-out macro-F1, and the best candidate.
  static func select(
    _ data: TrainingMatrix, candidates: [Double], folds: Int, seed: UInt64, threads: Int?,
    configuration: (_ examples: Int) -> SupervisedEmbeddings.Configuration
  ) -> LearningRateSelection {
    precondition(!candidates.isEmpty && folds >= 2, "LearningRateSelection: nothing to choose")
    let assignment = CrossValidation.stratifiedFolds(
      labels: data.labels.lazy.map(Int.init), labelCount: data.classCount, folds: folds,
      seed: seed)
    let names = (0..<data.classCount).map(String.init)
    var pooled = [ConfusionMatrix](
      repeating: ConfusionMatrix(labels: names), count: candidates.count)
    var diverged = [Bool](repeating: false, count: candidates.count)
    // Item i trains candidate i / folds without fold i % folds; it cannot fail (a diverged
    // training is a result), so `forEachInOrder` never throws here.
    try? Parallelism.forEachInOrder(candidates.count * folds, threads: threads) {
      item -> ConfusionMatrix? in
      let fold = item % folds
      let training = data.subset(where: { assignment[$0] != fold })
      var settings = configuration(training.count)
      settings.learningRate = candidates[item / folds]
      guard let model = try? SupervisedEmbeddings.fit(training, configuration: settings) else {
        return nil
      }
      var matrix = ConfusionMatrix(labels: names)
      let held = data.subset(where: { assignment[$0] == fold })
      model.weights.withUnsafeBufferPointer {
        held.recordPredictions(weights: $0, bias: nil, into: &matrix)
      }
      return matrix
    } consume: { item, matrix in
      if let matrix {
        pooled[item / folds].merge(matrix)
      } else {
        diverged[item / folds] = true
      }
    }
    let scores = zip(pooled, diverged).map { $1 ? 0 : ClassificationReport($0).macroF1 }
    var best = 0
    for index in scores.indices where scores[index] > scores[best] { best = index }
    return LearningRateSelection(
      candidates: candidates, macroF1: scores, learningRate: candidates[best])
  }
}
