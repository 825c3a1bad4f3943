import Foundation
import Testing

@testable import Classification

@Suite struct QuantizationTests {
  @Test(arguments: Quantization.allCases, [Algorithm.logisticRegression, .linearSVM])
  func savedModelsLabelAsTheQuantisedOne(quantization: Quantization, algorithm: Algorithm) throws {
    let classifier = try Trainer.train(
      [Fixtures.corpus()],
      options: TrainingOptions(
        algorithm: algorithm, pipeline: .init(features: .init(bucketBits: 12)), threads: 2))
    #expect(classifier.estimator.algorithmName == algorithm.rawValue)
    let smaller = try classifier.quantized(quantization)
    let reloaded = try ModelFile.decode(ModelFile.encode(smaller), source: "memory")
    #expect(reloaded.quantization == quantization)
    #expect(reloaded.linearModel.weights == smaller.linearModel.weights)
    #expect(reloaded.inverseDocumentFrequencies == smaller.inverseDocumentFrequencies)
    for (_, text) in Fixtures.examples {
      #expect(reloaded.predict(text) == smaller.predict(text))
    }
    // Rounding stays within half a step of the original weights.
    let original = classifier.linearModel.weights
    let rounded = smaller.linearModel.weights
    let classes = classifier.labels.count
    for index in original.indices {
      let bound: Float
      switch quantization {
      case .none: bound = 0
      case .fp16: bound = abs(original[index]) / 1024
      case .int8:
        let column = stride(from: index % classes, to: original.count, by: classes)
        bound = column.map { abs(original[$0]) }.max().map { $0 / 127 / 2 } ?? 0
      }
      #expect(abs(rounded[index] - original[index]) <= bound * 1.0001)
    }
  }

  @Test func smallerFilesForSmallerWeights() throws {
    let classifier = try Fixtures.classifier()
    let sizes = try Quantization.allCases.map {
      try ModelFile.encode(classifier.quantized($0)).count
    }
    #expect(sizes[0] > sizes[1] && sizes[1] > sizes[2])
  }

  @Test func pruningDropsFeaturesWithEqualWeights() throws {
    // A hashed model without a vocabulary: unseen buckets have weight 0 for every label.
    let classifier = try Trainer.train(
      [Fixtures.corpus()],
      options: TrainingOptions(
        maxFeatures: nil, pipeline: .init(features: .init(bucketBits: 12)), threads: 1))
    #expect(classifier.vocabulary == nil)
    let pruned = try classifier.quantized(.none, pruneBelow: 0)
    let vocabulary = try #require(pruned.vocabulary)
    let classes = classifier.labels.count
    let weights = classifier.linearModel.weights
    let nonEmpty = (0..<(1 << 12)).filter { row in
      (0..<classes).contains { weights[row * classes + $0] != weights[row * classes] }
    }
    #expect(vocabulary.buckets == nonEmpty.map { UInt32($0) })
    // What remains scores the training messages as before, up to the vector lengths.
    for (_, text) in Fixtures.examples {
      #expect(pruned.predict(text).label == classifier.predict(text).label)
    }
  }

  @Test func naiveBayesIsRefused() throws {
    let classifier = try Trainer.train(
      [Fixtures.corpus()],
      options: TrainingOptions(
        algorithm: .naiveBayes, pipeline: .init(features: .init(bucketBits: 12))))
    #expect { try classifier.quantized(.int8) } throws: {
      ($0 as? CribleError)?.kind == .badConfiguration
    }
  }
}
