import Testing
import _TestSupport

@testable import Classification

@Suite struct LearningRateSelectionTests {
  static func matrix() -> TrainingMatrix {
    var generator = SeededGenerator(seed: 11)
    return SupervisedEmbeddingsTests.matrix(generator: &generator, examples: 240)
  }

  static func select(_ candidates: [Double], threads: Int? = nil) -> LearningRateSelection {
    LearningRateSelection.select(
      matrix(), candidates: candidates, folds: 3, seed: 1, threads: threads
    ) { _ in SupervisedEmbeddings.Configuration(dimension: 8, epochs: 5) }
  }

  /// A rate too small to move the embeddings far from their random start loses to a usable
  /// one, wherever it is listed.
  @Test func choosesTheRateThatLearns() {
    let choice = Self.select([1e-5, 0.5])
    #expect(choice.candidates == [1e-5, 0.5])
    #expect(choice.learningRate == 0.5)
    #expect(choice.macroF1[1] == 1 && choice.macroF1[0] < 0.9, "\(choice.macroF1)")
    #expect(Self.select([0.5, 1e-5]).learningRate == 0.5)
  }

  /// A rate at which training diverges (it throws) scores 0 instead of failing the selection.
  @Test func aDivergingRateScoresZero() {
    #expect(throws: CribleError.self) {
      try SupervisedEmbeddings.fit(
        Self.matrix(), configuration: .init(dimension: 8, epochs: 5, learningRate: 20))
    }
    let choice = Self.select([20, 0.5])
    #expect(choice.macroF1 == [0, 1])
    #expect(choice.learningRate == 0.5)
  }

  /// Both rates separate the three groups perfectly: the one listed first wins.
  @Test func tiesGoToTheFirstCandidate() {
    let choice = Self.select([0.6, 0.5])
    #expect(choice.macroF1 == [1, 1])
    #expect(choice.learningRate == 0.6)
    #expect(Self.select([0.5, 0.6]).learningRate == 0.5)
  }

  @Test func sameChoiceForAnyWorkerCount() {
    let one = Self.select([0.05, 0.1, 0.5], threads: 1)
    #expect(Self.select([0.05, 0.1, 0.5], threads: 2) == one)
    #expect(Self.select([0.05, 0.1, 0.5], threads: 3) == one)
  }

  /// `Trainer` chooses when given candidates, records the choice, and trains the final model
  /// with the chosen rate; without candidates it keeps the configured rate.
  @Test func trainerRecordsTheChoice() throws {
    let corpus = try Fixtures.corpus()
    var options = TrainingOptions(algorithm: .embeddings)
    options.pipeline.features.bucketBits = 12
    options.learningRateCandidates = [0.5, 1]
    let chosen = try Trainer.train([corpus], options: options)
    let selection = try #require(chosen.provenance?.learningRateSelection)
    #expect(selection.candidates == [0.5, 1] && selection.macroF1.count == 2)
    #expect(chosen.estimator.hyperparameters["learning_rate"] == selection.learningRate)
    options.learningRateCandidates = nil
    options.embeddings.learningRate = 0.7
    let fixed = try Trainer.train([corpus], options: options)
    #expect(fixed.provenance?.learningRateSelection == nil)
    #expect(fixed.estimator.hyperparameters["learning_rate"] == 0.7)
  }
}
