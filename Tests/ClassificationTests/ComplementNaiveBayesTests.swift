import Foundation
import Testing

@testable import Classification

/// Complement naive Bayes against scikit-learn's `ComplementNB`, with values computed
/// beforehand by scikit-learn 1.9: X = [[2, 1, 0], [0, 1, 2], [1, 0, 1]], y = [0, 1, 1],
/// alpha = 1, predicting x = [1, 1, 0].
@Suite struct ComplementNaiveBayesTests {
  static func counts() -> MultinomialNaiveBayes {
    var counts = MultinomialNaiveBayes(classCount: 2, featureCount: 3)
    for (features, label) in [([0, 0, 1], 0), ([1, 2, 2], 1), ([0, 2], 1)] as [([UInt32], Int)] {
      features.withUnsafeBufferPointer { counts.add(features: $0, label: label) }
    }
    return counts
  }

  func probability(_ model: LinearModel) -> Double {
    var scores = [Double](repeating: 0, count: 2)
    [0, 1].withUnsafeBufferPointer { features in
      scores.withUnsafeMutableBufferPointer { model.scores(features: features, into: $0) }
    }
    return 1 / (1 + exp(scores[1] - scores[0]))
  }

  @Test(arguments: [
    (
      false,
      [
        1.3862943611198906, 0.6931471805599453, 1.3862943611198906, 1.0986122886681098,
        0.6931471805599453, 1.791759469228055,
      ], 0.7272727272727274
    ),
    (true, [0.4, 0.1934264036172708, 0.4, 0.30657359638272924, 0.2, 0.5], 0.5744425168116589),
  ])
  func matchesScikitLearn(normalize: Bool, featureLogProb: [Double], probability expected: Double) {
    let model = Self.counts().complementLinearModel(alpha: 1, normalize: normalize)
    // Crible is feature-major: [f0c0, f0c1, f1c0, ...]; the expectations above are too.
    for i in 0..<6 { #expect(abs(Double(model.weights[i]) - featureLogProb[i]) < 1e-6) }
    #expect(abs(probability(model) - expected) < 1e-6)
  }

  @Test func trainsSavesAndLoads() throws {
    let classifier = try Trainer.train(
      [try Fixtures.corpus()], options: TrainingOptions(algorithm: .complementNaiveBayes))
    #expect(classifier.estimator.algorithmName == "complement-naive-bayes")
    #expect(classifier.weighting == TrainingOptions.defaultWeighting(for: .complementNaiveBayes))
    let loaded = try ModelFile.decode(ModelFile.encode(classifier), source: "m.crible")
    #expect(loaded.estimator == classifier.estimator)
    for text in Fixtures.examples.map(\.1) {
      #expect(loaded.predict(text) == classifier.predict(text))
    }
    #expect(classifier.predict("你这个垃圾蠢货").label == "offensive")
  }
}
