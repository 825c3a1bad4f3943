import Foundation
import LinearAlgebra
import Testing
import _TestSupport

@testable import Classification

@Suite struct SupervisedEmbeddingsTests {
  /// Twelve features in three groups; a message of two features from group `c` has label `c`.
  static func matrix(generator: inout SeededGenerator, examples: Int) -> TrainingMatrix {
    var matrix = TrainingMatrix(featureCount: 12, classCount: 3)
    for _ in 0..<examples {
      let label = Int(generator.next() % 3)
      let first = UInt32(label * 4) + UInt32(generator.next() % 4)
      let second = UInt32(label * 4) + UInt32(generator.next() % 4)
      let indices = first == second ? [first] : [min(first, second), max(first, second)]
      let values = [Float](repeating: 1 / Float(indices.count), count: indices.count)
      indices.withUnsafeBufferPointer { i in
        values.withUnsafeBufferPointer { v in matrix.append(indices: i, values: v, label: label) }
      }
    }
    return matrix
  }

  /// Each of the twelve features of ``matrix(generator:examples:)``'s three groups scores its
  /// own group's label highest.
  static func expectEachFeatureScoresItsGroup(_ model: LinearModel) {
    for feature in 0..<12 {
      let row = Array(model.weights[(feature * 3)..<(feature * 3 + 3)])
      #expect(row.indices.max { row[$0] < row[$1] } == feature / 4, "feature \(feature): \(row)")
    }
  }

  @Test func learnsSeparableGroups() throws {
    var generator = SeededGenerator(seed: 3)
    let matrix = Self.matrix(generator: &generator, examples: 300)
    let model = try SupervisedEmbeddings.fit(
      matrix, configuration: .init(dimension: 8, epochs: 10, learningRate: 0.5))
    #expect(model.classCount == 3 && model.featureCount == 12)
    #expect(model.bias == [0, 0, 0])
    Self.expectEachFeatureScoresItsGroup(model)
  }

  @Test func deterministicForASeed() throws {
    var generator = SeededGenerator(seed: 5)
    let matrix = Self.matrix(generator: &generator, examples: 100)
    let configuration = SupervisedEmbeddings.Configuration(dimension: 4, epochs: 3, seed: 9)
    let first = try SupervisedEmbeddings.fit(matrix, configuration: configuration)
    #expect(try SupervisedEmbeddings.fit(matrix, configuration: configuration) == first)
    var other = configuration
    other.seed = 10
    #expect(try SupervisedEmbeddings.fit(matrix, configuration: other) != first)
  }

  /// A feature no example has scores nothing, rather than its random first embedding.
  @Test func unseenFeaturesScoreZero() throws {
    var matrix = TrainingMatrix(featureCount: 4, classCount: 2)
    for (index, label) in [(UInt32(0), 0), (1, 1)] {
      [index].withUnsafeBufferPointer { i in
        [Float(1)].withUnsafeBufferPointer { v in matrix.append(indices: i, values: v, label: label)
        }
      }
    }
    let model = try SupervisedEmbeddings.fit(matrix, configuration: .init(dimension: 4, epochs: 5))
    #expect(Array(model.weights[4..<8]) == [0, 0, 0, 0])
    #expect(model.weights[0] > model.weights[1] && model.weights[3] > model.weights[2])
  }

  /// Unscaled values and a high learning rate blow the weights up: an error, not a model of
  /// NaNs.
  @Test func divergenceIsAnError() {
    var matrix = TrainingMatrix(featureCount: 2, classCount: 2)
    for (index, label) in [(UInt32(0), 0), (1, 1), (0, 1), (1, 0)] {
      [index].withUnsafeBufferPointer { i in
        [Float(1e6)].withUnsafeBufferPointer { v in
          matrix.append(indices: i, values: v, label: label)
        }
      }
    }
    #expect(throws: CribleError.self) {
      try SupervisedEmbeddings.fit(
        matrix, configuration: .init(dimension: 4, epochs: 50, learningRate: 50))
    }
  }

  /// Class weights count by visits, not by step size.
  ///
  /// A rare label weighing 50 at the default learning rate trains and is learned. Scaling the
  /// step by 50 blew the embeddings up (as `--class-weight balanced` did on zh-video-queries)
  /// once the labels share a feature, here one in every message, as `</s>` is.
  @Test func heavyExampleWeightsTrain() throws {
    var generator = SeededGenerator(seed: 7)
    var matrix = TrainingMatrix(featureCount: 13, classCount: 3)
    for _ in 0..<600 {
      let label = Int(generator.next() % 3)
      let indices = [UInt32(label * 4) + UInt32(generator.next() % 4), 12]
      indices.withUnsafeBufferPointer { i in
        [Float(0.5), 0.5].withUnsafeBufferPointer { v in
          matrix.append(indices: i, values: v, label: label, weight: label == 2 ? 50 : 0.5)
        }
      }
    }
    let model = try SupervisedEmbeddings.fit(
      matrix, configuration: .init(dimension: 8, epochs: 10, learningRate: 0.5))
    Self.expectEachFeatureScoresItsGroup(model)
  }

  /// Weights say how often an example is visited, relative to the others: an example of
  /// weight 0 has no say (its label does not matter), and weights that are all equal train the
  /// model of no weights (over one epoch: later ones reshuffle a fresh order, where unweighted
  /// training reshuffles the last one).
  @Test func weightsAreRelativeVisits() throws {
    var generator = SeededGenerator(seed: 8)
    let matrix = Self.matrix(generator: &generator, examples: 120)
    let configuration = SupervisedEmbeddings.Configuration(dimension: 4, epochs: 3, seed: 2)
    var ignored = matrix
    var relabelled = matrix
    for example in 0..<matrix.count {
      ignored.weights[example] = example % 3 == 0 ? 0 : 1.5
      relabelled.weights[example] = ignored.weights[example]
      if example % 3 == 0 { relabelled.labels[example] = (matrix.labels[example] + 1) % 3 }
    }
    let model = try SupervisedEmbeddings.fit(ignored, configuration: configuration)
    #expect(try SupervisedEmbeddings.fit(relabelled, configuration: configuration) == model)
    var doubled = matrix
    doubled.weights = doubled.weights.map { $0 * 2 }
    var once = configuration
    once.epochs = 1
    #expect(
      try SupervisedEmbeddings.fit(doubled, configuration: once)
        == SupervisedEmbeddings.fit(matrix, configuration: once))
  }

  /// About 50,000 updates, within 5 to 100 passes.
  @Test func epochsFollowTheCorpusSize() throws {
    let epochs = SupervisedEmbeddings.Configuration.defaultEpochs
    #expect(epochs(701) == 71)
    #expect(epochs(2_000) == 25)
    #expect(epochs(25_726) == 5)
    #expect(epochs(100) == 100)
    #expect(epochs(0) == 100)
    let corpus = try Fixtures.corpus()
    let classifier = try Trainer.train(
      [corpus], options: TrainingOptions(algorithm: .embeddings, threads: 1))
    #expect(classifier.estimator.hyperparameters["epochs"] == Double(epochs(corpus.count)))
    var fixed = TrainingOptions(algorithm: .embeddings, automaticEpochs: false, threads: 1)
    fixed.embeddings.epochs = 3
    let given = try Trainer.train([corpus], options: fixed)
    #expect(given.estimator.hyperparameters["epochs"] == 3)
  }

  /// Embeddings that would not fit in memory are refused before anything is allocated.
  @Test func refusesEmbeddingsTooLargeForMemory() {
    let matrix = TrainingMatrix(featureCount: 1 << 25, classCount: 2)
    #expect(throws: CribleError.self) {
      try SupervisedEmbeddings.fit(matrix, configuration: .init(dimension: 64))
    }
  }

  @Test func refusesBadSettings() {
    #expect(SupervisedEmbeddings.Configuration().validationError() == nil)
    #expect(SupervisedEmbeddings.Configuration(dimension: 0).validationError() != nil)
    #expect(SupervisedEmbeddings.Configuration(epochs: 0).validationError() != nil)
    #expect(SupervisedEmbeddings.Configuration(learningRate: 0).validationError() != nil)
    #expect(SupervisedEmbeddings.Configuration(seed: 1 << 60).validationError() != nil)
  }

  @Test func trainsSavesAndLoads() throws {
    let classifier = try Trainer.train(
      [try Fixtures.corpus()], options: TrainingOptions(algorithm: .embeddings, threads: 2))
    #expect(classifier.estimator.algorithmName == "embeddings")
    #expect(classifier.estimator.hyperparameters["dimension"] == 50)
    #expect(classifier.weighting == FeatureWeighting(l1Normalize: true))
    try Fixtures.expectRoundTripAndSense(classifier)
  }
}
