import Foundation
import Testing
import _TestSupport

@testable import Classification

@Suite struct LinearSVMTests {
  /// The six examples of ``LogisticRegressionTests``, with two or three labels.
  static let rows: [[Float]] = LogisticRegressionTests.rows

  static func matrix(labels: [Int], classes: Int, weights: [Float]? = nil) -> TrainingMatrix {
    var matrix = TrainingMatrix(featureCount: 3, classCount: classes)
    for (example, (row, label)) in zip(rows, labels).enumerated() {
      let indices = row.indices.filter { row[$0] != 0 }.map { UInt32($0) }
      let values = indices.map { row[Int($0)] }
      indices.withUnsafeBufferPointer { i in
        values.withUnsafeBufferPointer { v in
          matrix.append(indices: i, values: v, label: label, weight: weights?[example] ?? 1)
        }
      }
    }
    return matrix
  }

  /// The primal objective `½‖w‖² + ½b² + Σᵢ Cᵢ·max(0, 1 − yᵢ(w·xᵢ + b))²`, computed directly.
  static func objective(
    _ solution: LinearSVM.Solution, data: TrainingMatrix, positive: Int, cost: Double
  ) -> Double {
    var value = 0.5 * solution.bias * solution.bias
    for w in solution.weights { value += 0.5 * w * w }
    for (example, row) in rows.enumerated() {
      var margin = solution.bias
      for (feature, x) in row.enumerated() { margin += solution.weights[feature] * Double(x) }
      let y: Double = Int(data.labels[example]) == positive ? 1 : -1
      let loss = max(0, 1 - y * margin)
      value += cost * Double(data.weights[example]) * loss * loss
    }
    return value
  }

  static let tight = LinearSVM.Configuration(tolerance: 1e-9, maxIterations: 100_000)

  /// Reference solutions computed beforehand with scikit-learn 1.9,
  /// `LinearSVC(C=2, loss="squared_hinge", intercept_scaling=1, tol=1e-12)`, and checked by
  /// minimising the primal directly with SciPy's L-BFGS-B: the second label against the first.
  @Test func reachesScikitLearnsBinarySolution() {
    let data = Self.matrix(labels: [0, 1, 0, 1, 1, 0], classes: 2)
    let solution = LinearSVM.Problem(data).solve(
      machine: 0, members: nil, candidate: .init(cost: 2), configuration: Self.tight)
    #expect(solution.converged)
    let expected = [-0.5515719801432576, -0.2787277072992917, 0.10222467365340165]
    for (value, reference) in zip(solution.weights, expected) {
      #expect(abs(value - reference) < 1e-6)
    }
    #expect(abs(solution.bias - 0.4942084942082283) < 1e-6)
    let objective = Self.objective(solution, data: data, positive: 1, cost: 2)
    #expect(abs(objective - 9.031807317521602) / 9.031807317521602 < 1e-8)
  }

  /// Three labels: one machine per label (one-vs-rest), as scikit-learn's `LinearSVC`.
  @Test func reachesScikitLearnsOneVsRestSolutions() {
    let data = Self.matrix(labels: LogisticRegressionTests.labels, classes: 3)
    let problem = LinearSVM.Problem(data)
    #expect(problem.machineCount == 3)
    let expected: [(weights: [Double], bias: Double, objective: Double)] = [
      (
        [1.3064790099491397, -1.1104100946366413, 0.007765105557226565], -0.7143897112357397,
        2.7740839602038343
      ),
      (
        [-0.14561500275753048, 0.4567015995586611, 0.456701599558861], -0.9575289575292426,
        9.414230557087702
      ),
      (
        [-0.8402645784232645, -0.24967687979964512, -0.8092450391547036], 0.9898882384249286,
        4.820345168402646
      ),
    ]
    for (label, reference) in expected.enumerated() {
      let solution = problem.solve(
        machine: label, members: nil, candidate: .init(cost: 2), configuration: Self.tight)
      for (value, weight) in zip(solution.weights, reference.weights) {
        #expect(abs(value - weight) < 1e-6)
      }
      #expect(abs(solution.bias - reference.bias) < 1e-6)
      let objective = Self.objective(solution, data: data, positive: label, cost: 2)
      #expect(abs(objective - reference.objective) / reference.objective < 1e-8)
    }
  }

  /// An example of weight two counts as two copies of it: the same primal minimiser.
  @Test func weightTwoEqualsTwoCopies() {
    let labels = [0, 1, 0, 1, 1, 0]
    let weighted = Self.matrix(
      labels: labels, classes: 2, weights: [2, 1, 1, 1, 1, 1])
    var copied = Self.matrix(labels: labels, classes: 2)
    [UInt32(0), 2].withUnsafeBufferPointer { i in
      [Float(1), 2].withUnsafeBufferPointer { v in copied.append(indices: i, values: v, label: 0) }
    }
    let a = LinearSVM.Problem(weighted).solve(
      machine: 0, members: nil, candidate: .init(cost: 1), configuration: Self.tight)
    let b = LinearSVM.Problem(copied).solve(
      machine: 0, members: nil, candidate: .init(cost: 1), configuration: Self.tight)
    for (x, y) in zip(a.weights, b.weights) { #expect(abs(x - y) < 1e-6) }
    #expect(abs(a.bias - b.bias) < 1e-6)
  }

  /// A solve that starts from a smaller cost's solution (cross-validation's warm start) ends
  /// at the same minimiser as one that starts from zero, on every example or on a subset (a
  /// fold's training part), for one machine and for one-vs-rest.
  @Test func aWarmStartReachesTheColdSolution() {
    for (labels, classes) in [
      ([0, 1, 0, 1, 1, 0], 2), (LogisticRegressionTests.labels, 3),
    ] {
      let problem = LinearSVM.Problem(Self.matrix(labels: labels, classes: classes))
      for members in [nil, [0, 1, 3, 4, 5]] {
        for machine in 0..<problem.machineCount {
          let small = problem.solve(
            machine: machine, members: members, candidate: .init(cost: 0.5),
            configuration: Self.tight)
          let warm = problem.solve(
            machine: machine, members: members, candidate: .init(cost: 2),
            configuration: Self.tight, start: (small, 0.5))
          let cold = problem.solve(
            machine: machine, members: members, candidate: .init(cost: 2),
            configuration: Self.tight)
          #expect(warm.converged && cold.converged)
          for (x, y) in zip(warm.weights, cold.weights) { #expect(abs(x - y) < 1e-6) }
          #expect(abs(warm.bias - cold.bias) < 1e-6)
          // Examples outside the members never enter the dual.
          if let members {
            for example in 0..<labels.count where !members.contains(example) {
              #expect(warm.alpha[example] == 0)
            }
          }
        }
      }
    }
  }

  /// Seeded random data, more examples than folds: the chosen cost is the candidate with the
  /// best reported macro-F1, the scale is positive and minimises the held-out log-loss, and
  /// the model is the same whatever the number of workers.
  @Test func choosesItsCostAndScaleAndIgnoresTheWorkers() {
    var generator = SeededGenerator(seed: 7)
    var data = TrainingMatrix(featureCount: 20, classCount: 3)
    for example in 0..<90 {
      let label = example % 3
      var indices: [UInt32] = [UInt32(label)]
      var values: [Float] = [Float(0.5 + generator.unit())]
      for feature in 3..<20 where generator.unit() < 0.3 {
        indices.append(UInt32(feature))
        values.append(Float(generator.unit()))
      }
      indices.withUnsafeBufferPointer { i in
        values.withUnsafeBufferPointer { v in data.append(indices: i, values: v, label: label) }
      }
    }
    let candidates = [0.01, 0.1, 1, 10]
    let (one, settings, report) = LinearSVM.fit(
      data, configuration: .init(), candidates: candidates, threads: 1)
    let (two, twoSettings, _) = LinearSVM.fit(
      data, configuration: .init(), candidates: candidates, threads: 2)
    #expect(one == two)
    #expect(settings == twoSettings)
    let selection = try! #require(report.selection)
    #expect(selection.candidates == candidates)
    #expect(selection.macroF1.count == candidates.count)
    #expect(selection.cost == settings.cost)
    let best = selection.macroF1.max()!
    #expect(selection.macroF1[candidates.firstIndex(of: settings.cost)!] == best)
    #expect(settings.scale > 0)
    // The scale is the held-out log-loss's minimum: both neighbours do worse.
    let problem = LinearSVM.Problem(data)
    let margins = problem.heldOutMargins(
      costs: [.init(cost: settings.cost)], folds: 5, configuration: .init(), threads: 1)[0]
    func logLoss(_ s: Double) -> Double {
      var total = 0.0
      for example in 0..<data.count {
        let z = (0..<3).map { s * margins[example * 3 + $0] }
        let top = z.max()!
        let sum = z.reduce(0) { $0 + exp($1 - top) }
        total -= z[Int(data.labels[example])] - top - log(sum)
      }
      return total
    }
    #expect(logLoss(settings.scale) <= logLoss(settings.scale * 0.9))
    #expect(logLoss(settings.scale) <= logLoss(settings.scale * 1.1))
  }

  /// Choosing the class weights too: every cost is tried with the data's weights and with
  /// uniform ones, the best pooled macro-F1 wins, and the report says which weights the model
  /// was trained with; data whose weights are all one has nothing to choose.
  @Test func choosesBetweenItsClassWeightsAndUniformOnes() {
    var generator = SeededGenerator(seed: 11)
    var weighted = TrainingMatrix(featureCount: 12, classCount: 2)
    var plain = TrainingMatrix(featureCount: 12, classCount: 2)
    for example in 0..<60 {
      let label = example % 4 == 0 ? 1 : 0
      var indices: [UInt32] = []
      var values: [Float] = []
      for feature in 0..<12 where generator.unit() < 0.4 || feature == label {
        indices.append(UInt32(feature))
        values.append(Float(generator.unit()))
      }
      indices.withUnsafeBufferPointer { i in
        values.withUnsafeBufferPointer { v in
          weighted.append(indices: i, values: v, label: label, weight: label == 1 ? 2 : 2.0 / 3)
          plain.append(indices: i, values: v, label: label)
        }
      }
    }
    let costs = [0.1, 1]
    let (_, settings, report) = LinearSVM.fit(
      weighted, configuration: .init(), candidates: costs, choosingWeights: true, threads: 2)
    let selection = try! #require(report.selection)
    #expect(selection.candidates == [0.1, 0.1, 1, 1])
    #expect(selection.classWeights == ["balanced", "uniform", "balanced", "uniform"])
    let best = selection.macroF1.indices.max { selection.macroF1[$0] < selection.macroF1[$1] }!
    #expect(selection.macroF1[best] == selection.macroF1.max())
    #expect(settings.cost == selection.candidates[best])
    #expect(selection.chosenClassWeights == selection.classWeights?[best])
    #expect(report.uniformWeights == (selection.chosenClassWeights == "uniform"))
    let (_, _, unweighted) = LinearSVM.fit(
      plain, configuration: .init(), candidates: costs, choosingWeights: true, threads: 2)
    #expect(unweighted.selection?.candidates == costs)
    #expect(unweighted.selection?.classWeights == nil)
    #expect(!unweighted.uniformWeights)
  }

  /// With two labels the model's log-odds are the scaled margin, so the label given is the
  /// margin's sign.
  @Test func twoLabelsGiveTheScaledMargin() {
    let data = Self.matrix(labels: [0, 1, 0, 1, 1, 0], classes: 2)
    let configuration = LinearSVM.Configuration(cost: 2, scale: 3)
    let problem = LinearSVM.Problem(data)
    let solution = problem.solve(
      machine: 0, members: nil, candidate: .init(cost: 2), configuration: configuration)
    let model = problem.linearModel([solution], scale: 3)
    for example in 0..<data.count {
      var scores = [Double](repeating: 0, count: 2)
      let range = data.offsets[example]..<data.offsets[example + 1]
      Array(data.indices[range]).withUnsafeBufferPointer { i in
        Array(data.values[range]).withUnsafeBufferPointer { v in
          scores.withUnsafeMutableBufferPointer { model.scores(indices: i, values: v, into: $0) }
        }
      }
      let margin = problem.margin(solution, example: example)
      #expect(abs((scores[1] - scores[0]) - 3 * margin) < 1e-5)
    }
  }

  @Test func reportsWhenItStopsEarly() {
    let data = Self.matrix(labels: LogisticRegressionTests.labels, classes: 3)
    let (_, _, report) = LinearSVM.fit(
      data, configuration: .init(cost: 100, tolerance: 1e-12, maxIterations: 1), candidates: nil,
      threads: 1)
    #expect(!report.converged)
    #expect(report.iterations == 1)
    #expect(report.selection == nil)
  }

  @Test func trainsSavesAndLoads() throws {
    let classifier = try Trainer.train(
      [try Fixtures.corpus()], options: TrainingOptions(algorithm: .linearSVM, threads: 2))
    #expect(classifier.estimator.algorithmName == "linear-svm")
    let hyperparameters = classifier.estimator.hyperparameters
    #expect(LinearSVM.Configuration.defaultCandidates.contains(hyperparameters["C"] ?? 0))
    #expect((hyperparameters["scale"] ?? 0) > 0)
    #expect(
      classifier.provenance?.costSelection?.candidates == LinearSVM.Configuration.defaultCandidates)
    #expect(classifier.provenance?.classWeights == nil)  // the fixture is balanced
    try Fixtures.expectRoundTripAndSense(classifier)
    let probabilities = classifier.predict("你真是个垃圾").probabilities
    #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
  }

  /// By default the trainer lets cross-validation choose the class weights and records the
  /// ones the model has; given weights are kept as they are.
  @Test func theTrainerRecordsTheChosenWeights() throws {
    let corpus = try LabeledCorpus(
      texts: (0..<20).map { "message \($0 % 5) \($0 < 14 ? "common" : "rare")" },
      labels: (0..<20).map { $0 < 14 ? "a" : "b" })
    var options = TrainingOptions(algorithm: .linearSVM, threads: 1)
    options.pipeline.features.bucketBits = 10
    #expect(options.choosesClassWeights)
    let chosen = try Trainer.train([corpus], options: options)
    let selection = try #require(chosen.provenance?.costSelection)
    let weights = try #require(selection.chosenClassWeights)
    #expect(
      chosen.provenance?.classWeights
        == (weights == "uniform"
          ? nil : ["a": Double(Float(20.0 / 28)), "b": Double(Float(20.0 / 12))]))
    var given = TrainingOptions(algorithm: .linearSVM, classWeights: .balanced, threads: 1)
    given.pipeline.features.bucketBits = 10
    #expect(!given.choosesClassWeights)
    let kept = try Trainer.train([corpus], options: given)
    #expect(kept.provenance?.costSelection?.classWeights == nil)
    #expect(kept.provenance?.classWeights?["b"] == Double(Float(20.0 / 12)))
  }

  @Test func refusesBadSettings() {
    #expect(LinearSVM.Configuration(cost: 0).validationError() != nil)
    #expect(LinearSVM.Configuration(tolerance: 0).validationError() != nil)
    #expect(LinearSVM.Configuration(maxIterations: 0).validationError() != nil)
    var options = TrainingOptions(algorithm: .linearSVM)
    options.costCandidates = [1, -1]
    #expect(throws: CribleError.self) { try options.validate() }
  }
}
