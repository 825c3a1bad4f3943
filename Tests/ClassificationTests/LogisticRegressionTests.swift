import Foundation
import LinearAlgebra
import Testing
import _TestSupport

@testable import Classification

@Suite struct LogisticRegressionTests {
  /// Six examples, three features, three classes; values computed beforehand with
  /// scikit-learn 1.9: `LogisticRegression(C=2, tol=1e-12).fit(X, y)` reaches the objective
  /// `C·Σ loss + ½‖W‖² = 9.016935921702958`, which is `0.7514113268085798` in Crible's scaling
  /// (divided by `C·n`), with `λ = 1 / (C·n) = 1/12`.
  static let rows: [[Float]] = [
    [1, 0, 2], [0, 1, 1], [2, 1, 0], [0, 0, 1], [1, 1, 1], [0, 2, 0],
  ]
  static let labels = [0, 1, 0, 2, 1, 2]

  static func matrix() -> TrainingMatrix {
    var matrix = TrainingMatrix(featureCount: 3, classCount: 3)
    for (row, label) in zip(rows, labels) {
      let indices = row.indices.filter { row[$0] != 0 }.map { UInt32($0) }
      let values = indices.map { row[Int($0)] }
      indices.withUnsafeBufferPointer { i in
        values.withUnsafeBufferPointer { v in matrix.append(indices: i, values: v, label: label) }
      }
    }
    return matrix
  }

  @Test func reachesScikitLearnsObjective() {
    let configuration = LogisticRegression.Configuration(
      l2: 1.0 / 12, maxIterations: 1000, tolerance: 1e-7)
    for threads in [1, 2] {
      let (model, report) = LogisticRegression.fit(
        Self.matrix(), configuration: configuration, threads: threads)
      #expect(report.converged)
      #expect(abs(report.objective - 0.7514113268085798) / 0.7514113268085798 < 1e-4)
      // The same probabilities for the first example (intercepts may differ by a constant).
      var scores = [Double](repeating: 0, count: 3)
      let linear = model.linearModel
      [UInt32(0), 2].withUnsafeBufferPointer { i in
        [Float(1), 2].withUnsafeBufferPointer { v in
          scores.withUnsafeMutableBufferPointer { linear.scores(indices: i, values: v, into: $0) }
        }
      }
      let probabilities = LogDomain.softmax(scores.map { Float($0) })
      let expected: [Float] = [0.6126983406441928, 0.3073411682355067, 0.07996049112030056]
      for c in 0..<3 { #expect(abs(probabilities[c] - expected[c]) < 1e-3) }
    }
  }

  @Test func deterministicForAThreadCount() {
    let configuration = LogisticRegression.Configuration(l2: 0.01)
    let first = LogisticRegression.fit(Self.matrix(), configuration: configuration, threads: 2).0
    let second = LogisticRegression.fit(Self.matrix(), configuration: configuration, threads: 2).0
    #expect(first == second)
  }

  @Test func reportsWhenItStopsEarly() {
    let configuration = LogisticRegression.Configuration(
      l2: 1e-6, maxIterations: 2, tolerance: 1e-12)
    let (_, report) = LogisticRegression.fit(
      Self.matrix(), configuration: configuration, threads: 1)
    #expect(!report.converged)
    #expect(report.iterations <= 2)
  }

  @Test func trainsSavesAndLoads() throws {
    let classifier = try Trainer.train(
      [try Fixtures.corpus()], options: TrainingOptions(algorithm: .logisticRegression, threads: 2))
    #expect(classifier.estimator.algorithmName == "logistic-regression")
    #expect(
      classifier.estimator.hyperparameters["l2"] == LogisticRegression.Configuration.defaultL2)
    #expect(classifier.provenance?.converged != nil)
    try Fixtures.expectRoundTripAndSense(classifier)
  }

  @Test func refusesBadSettings() {
    #expect(LogisticRegression.Configuration(l2: 0).validationError() != nil)
    #expect(LogisticRegression.Configuration(maxIterations: 0).validationError() != nil)
    #expect(LogisticRegression.Configuration(tolerance: -1).validationError() != nil)
  }
}

@Suite struct SoftmaxObjectiveTests {
  /// The objective and gradient against a direct computation, for the two-class fast path and
  /// the general path, on seeded random data.
  @Test(arguments: [2, 3, 5])
  func matchesADirectComputation(classes: Int) {
    var generator = SeededGenerator(seed: UInt64(classes))
    let features = 7
    var matrix = TrainingMatrix(featureCount: features, classCount: classes)
    var rows: [[(Int, Float)]] = []
    for example in 0..<40 {
      let row = (0..<features).filter { _ in generator.unit() < 0.4 }.map {
        ($0, Float(generator.unit() * 2))
      }
      rows.append(row)
      let label = example % classes
      row.map { UInt32($0.0) }.withUnsafeBufferPointer { i in
        row.map(\.1).withUnsafeBufferPointer { v in
          matrix.append(indices: i, values: v, label: label)
        }
      }
    }
    let size = features * classes + classes
    let theta = DenseVector((0..<size).map { _ in Float(generator.unit() - 0.5) })
    let l2 = 0.05
    var expectedGradient = [Double](repeating: 0, count: size)
    var expectedLoss: Double = 0
    for (example, row) in rows.enumerated() {
      let label = example % classes
      var z = (0..<classes).map { Double(theta[features * classes + $0]) }
      for (f, v) in row {
        for c in 0..<classes { z[c] += Double(v) * Double(theta[f * classes + c]) }
      }
      let m = z.max() ?? 0
      let e = z.map { exp($0 - m) }
      let sum = e.reduce(0, +)
      expectedLoss -= log(e[label] / sum)
      for c in 0..<classes {
        let d = e[c] / sum - (c == label ? 1 : 0)
        for (f, v) in row { expectedGradient[f * classes + c] += Double(v) * d }
        expectedGradient[features * classes + c] += d
      }
    }
    var penalty: Double = 0
    for i in 0..<(features * classes) {
      penalty += Double(theta[i]) * Double(theta[i])
      expectedGradient[i] = expectedGradient[i] / 40 + l2 * Double(theta[i])
    }
    for c in 0..<classes { expectedGradient[features * classes + c] /= 40 }
    let expectedObjective = expectedLoss / 40 + l2 / 2 * penalty
    for threads in [1, 2] {
      let objective = SoftmaxObjective(data: matrix, l2: l2, threads: threads)
      var gradient = DenseVector(repeating: 0, count: size)
      let value = objective.evaluate(theta, gradient: &gradient)
      #expect(abs(value - expectedObjective) < 1e-5 * max(1, abs(expectedObjective)))
      for i in 0..<size { #expect(abs(Double(gradient[i]) - expectedGradient[i]) < 1e-4) }
    }
  }
}

@Suite struct ClassWeightTests {
  @Test func balancedFollowsScikitLearn() throws {
    // n / (labels · n_label): 8 examples, 6 and 2 → 8/12 and 8/4.
    let weights = try ClassWeights.balanced.weights(labels: ["a", "b"], examples: [6, 2])
    #expect(weights == [Float(8.0 / 12), 2])
    #expect(
      try ClassWeights.explicit(["b": 3]).weights(labels: ["a", "b"], examples: [1, 1]) == [1, 3])
    #expect(throws: CribleError.self) {
      try ClassWeights.explicit(["c": 3]).weights(labels: ["a", "b"], examples: [1, 1])
    }
    #expect(throws: CribleError.self) {
      try ClassWeights.explicit(["a": 0]).weights(labels: ["a", "b"], examples: [1, 1])
    }
  }

  /// An example of weight 2 counts exactly as the same example given twice.
  @Test func weightTwoEqualsTwoCopies() {
    let rows: [([UInt32], [Float], Int)] = [
      ([0, 2], [1, 0.5], 0), ([1], [2], 1), ([0, 1], [1, 1], 1),
    ]
    var weighted = TrainingMatrix(featureCount: 3, classCount: 2)
    var copied = TrainingMatrix(featureCount: 3, classCount: 2)
    for (position, (indices, values, label)) in rows.enumerated() {
      indices.withUnsafeBufferPointer { i in
        values.withUnsafeBufferPointer { v in
          weighted.append(indices: i, values: v, label: label, weight: position == 1 ? 2 : 1)
          copied.append(indices: i, values: v, label: label)
          if position == 1 { copied.append(indices: i, values: v, label: label) }
        }
      }
    }
    let theta = DenseVector([0.3, -0.2, 0.1, 0.4, -0.5, 0.2, 0.05, -0.05])
    var g1 = DenseVector(repeating: 0, count: 8)
    var g2 = DenseVector(repeating: 0, count: 8)
    let f1 = SoftmaxObjective(data: weighted, l2: 0.1, threads: 1).evaluate(theta, gradient: &g1)
    let f2 = SoftmaxObjective(data: copied, l2: 0.1, threads: 1).evaluate(theta, gradient: &g2)
    #expect(abs(f1 - f2) < 1e-6)
    for i in 0..<8 { #expect(abs(g1[i] - g2[i]) < 1e-6) }
  }

  @Test func naiveBayesCountsAreWeighted() throws {
    let corpus = try LabeledCorpus(
      texts: ["垃圾", "你好", "你好呀"], labels: ["offensive", "safe", "safe"])
    let classifier = try Trainer.train(
      [corpus],
      options: TrainingOptions(
        algorithm: .naiveBayes, maxFeatures: nil, classWeights: .balanced,
        pipeline: .init(features: .init(bucketBits: 10))))
    // 3 examples, 2 labels: offensive weighs 3/2, safe 3/4; each label's total is 1.5.
    #expect(classifier.estimator.counts?.classCounts == [1.5, 1.5])
  }
}

@Suite struct EarlyStoppingTests {
  /// The optimiser's per-iteration hook stops it when asked: on an ill-conditioned quadratic
  /// that needs many iterations, a hook that answers yes at iteration 3 ends the run there.
  @Test func theHookStopsTheOptimiser() {
    var x = DenseVector([Float](repeating: 1, count: 50))
    let objective: (DenseVector, inout DenseVector) -> Double = { x, gradient in
      var value: Double = 0
      for i in 0..<x.count {
        let scale = Float(i + 1) * Float(i + 1)
        value += Double(scale * x[i] * x[i]) / 2
        gradient[i] = scale * x[i]
      }
      return value
    }
    var free = x
    let unhooked = LBFGS.minimize(
      &free, settings: .init(gradientTolerance: 1e-9, maxIterations: 500), objective: objective)
    #expect(unhooked.iterations > 3)
    let hooked = LBFGS.minimize(
      &x, settings: .init(gradientTolerance: 1e-9, maxIterations: 500), objective: objective,
      afterIteration: { iteration, _ in iteration == 3 })
    #expect(hooked.iterations == 3)
  }

  @Test func macroF1OfParameters() {
    var data = TrainingMatrix(featureCount: 2, classCount: 2)
    for label in [0, 1, 0, 1] {
      [UInt32(label)].withUnsafeBufferPointer { i in
        [Float(1)].withUnsafeBufferPointer { v in data.append(indices: i, values: v, label: label) }
      }
    }
    // Feature f votes for class f: perfect. The opposite: every prediction wrong.
    #expect(data.macroF1(of: DenseVector([1, 0, 0, 1, 0, 0])) == 1)
    #expect(data.macroF1(of: DenseVector([0, 1, 1, 0, 0, 0])) == 0)
  }

  @Test func neverTrainsLongerThanWithoutValidation() {
    let configuration = LogisticRegression.Configuration(
      l2: 1e-4, maxIterations: 200, tolerance: 1e-9)
    let data = LogisticRegressionTests.matrix()
    let (_, checked) = LogisticRegression.fit(
      data, validation: data, configuration: configuration, threads: 1)
    let (_, unchecked) = LogisticRegression.fit(data, configuration: configuration, threads: 1)
    #expect(checked.iterations <= unchecked.iterations)
  }
}
