import Foundation
import LinearAlgebra
import Testing

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
    let loaded = try ModelFile.decode(ModelFile.encode(classifier), source: "m.crible")
    #expect(loaded.estimator == classifier.estimator)
    for text in Fixtures.examples.map(\.1) {
      #expect(loaded.predict(text) == classifier.predict(text))
    }
    #expect(classifier.predict("你这个垃圾蠢货").label == "offensive")
    #expect(classifier.predict("merci pour ton aide").label == "safe")
  }

  @Test func refusesBadSettings() {
    #expect(LogisticRegression.Configuration(l2: 0).validationError() != nil)
    #expect(LogisticRegression.Configuration(maxIterations: 0).validationError() != nil)
    #expect(LogisticRegression.Configuration(tolerance: -1).validationError() != nil)
  }
}
