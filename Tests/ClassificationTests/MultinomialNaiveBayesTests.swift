import Foundation
import Testing

@testable import Classification

@Suite struct MultinomialNaiveBayesTests {
  /// A case small enough to compute by hand, as scikit-learn's doctests do.
  ///
  /// Two classes, three features; class 0 saw feature 0 twice and feature 1 once, class 1 saw
  /// feature 1 once and feature 2 twice. With α = 1, scikit-learn's MultinomialNB gives
  /// log P(f | 0) = log(3/6, 2/6, 1/6), log P(f | 1) = log(1/6, 2/6, 3/6), equal priors, and for
  /// x = [2, 0, 0]: P(0 | x) = (1/2)² / ((1/2)² + (1/6)²) = 0.9 exactly.
  @Test func handComputedExample() {
    var counts = MultinomialNaiveBayes(classCount: 2, featureCount: 3)
    [0, 0, 1].withUnsafeBufferPointer { counts.add(features: $0, label: 0) }
    [1, 2, 2].withUnsafeBufferPointer { counts.add(features: $0, label: 1) }
    #expect(counts.classCounts == [1, 1])
    #expect(counts.featureCounts == [2, 0, 1, 1, 0, 2])
    let model = counts.linearModel(alpha: 1)
    let expected: [Double] = [3, 1, 2, 2, 1, 3].map { log($0 / 6) }
    for i in 0..<6 { #expect(abs(Double(model.weights[i]) - expected[i]) < 1e-6) }
    #expect(model.bias.allSatisfy { abs($0 - log(0.5)) < 1e-12 })
    var scores = [Double](repeating: 0, count: 2)
    [0, 0].withUnsafeBufferPointer { features in
      scores.withUnsafeMutableBufferPointer { model.scores(features: features, into: $0) }
    }
    let p0 = 1 / (1 + exp(scores[1] - scores[0]))
    #expect(abs(p0 - 0.9) < 1e-6)
  }

  @Test func priorsFollowClassCounts() {
    var counts = MultinomialNaiveBayes(classCount: 3, featureCount: 4)
    for label in [0, 0, 0, 1] {
      [UInt32]().withUnsafeBufferPointer { counts.add(features: $0, label: label) }
    }
    let model = counts.linearModel(alpha: 0.5)
    #expect(abs(model.bias[0] - log(0.75)) < 1e-12)
    #expect(abs(model.bias[1] - log(0.25)) < 1e-12)
    #expect(model.bias[2] == -.infinity)  // never seen: probability zero, as in scikit-learn
  }

  @Test func mergingShardsEqualsTrainingOnTheWhole() {
    var whole = MultinomialNaiveBayes(classCount: 2, featureCount: 8)
    var first = whole
    var second = whole
    let data: [([UInt32], Int)] = [([1, 2, 2], 0), ([3, 7], 1), ([0, 1], 0), ([5, 5, 5], 1)]
    for (index, (features, label)) in data.enumerated() {
      features.withUnsafeBufferPointer {
        whole.add(features: $0, label: label)
        if index < 2 {
          first.add(features: $0, label: label)
        } else {
          second.add(features: $0, label: label)
        }
      }
    }
    first.merge(second)
    #expect(first == whole)
  }

  @Test func configurationRejectsNonPositiveAlpha() {
    #expect(MultinomialNaiveBayes.Configuration(alpha: 0).validationError() != nil)
    #expect(MultinomialNaiveBayes.Configuration(alpha: -1).validationError() != nil)
    #expect(MultinomialNaiveBayes.Configuration(alpha: .nan).validationError() != nil)
    #expect(MultinomialNaiveBayes.Configuration().validationError() == nil)
  }
}
