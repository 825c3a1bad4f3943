#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A linear support vector machine: the squared hinge loss with L2 regularisation.
///
/// It is trained by dual coordinate descent (Hsieh et al. 2008; LIBLINEAR's `-s 1`,
/// scikit-learn's `LinearSVC`), with one binary machine per label (one-vs-rest) when there
/// are more than two.
///
/// Each binary machine minimises
///
/// ```
/// ½‖w‖² + ½b² + Σᵢ Cᵢ · max(0, 1 − yᵢ(w·xᵢ + b))²
/// ```
///
/// where `Cᵢ` is the cost `C` times example `i`'s weight (its class weight), and the intercept
/// `b` is regularised like a weight on a constant feature of value 1, as in LIBLINEAR with
/// `-B 1` and `LinearSVC(intercept_scaling=1)`. With more than two labels, every label's
/// machine sees every example with its own weight (scikit-learn's `sample_weight`).
///
/// The cost is chosen by stratified k-fold cross-validation on the training data among
/// ``Configuration/defaultCandidates`` (the pooled held-out macro-F1 decides), unless one is
/// given; when asked (``TrainingOptions/choosesClassWeights``), each cost is tried with the
/// examples' class weights and with uniform ones. A support vector machine gives margins, not probabilities: the same held-out margins
/// fit one scale `s` by maximum likelihood (temperature scaling, Guo et al. 2017), and the
/// model's probabilities are the softmax of `s` times the margins (with two labels, the
/// sigmoid of `s` times the margin). The scale moves no decision: the label with the largest
/// margin is the label given.
///
/// Every binary machine runs on one thread with its own seeded order, so the model depends on
/// the seed alone, not on the number of workers.
public enum LinearSVM {
  /// Cost, stopping and seed.
  public struct Configuration: Sendable, Hashable, Codable {
    /// The costs among which cross-validation chooses when none is given: measured on the
    /// fourteen training sets (see Benchmarks/README.md, "Session 12").
    public static let defaultCandidates: [Double] = [0.1, 0.3, 1, 3]
    /// The number of folds of the cost's cross-validation.
    public static let defaultFolds = 5

    /// The cost `C` (scikit-learn's `LinearSVC(C=)`, LIBLINEAR's `-c`); must be positive.
    public var cost: Double
    /// Stop when the projected gradients of the dual span at most this (LIBLINEAR's `-e`;
    /// scikit-learn's `tol`).
    public var tolerance: Double
    /// Stop after this many passes over the examples.
    public var maxIterations: Int
    /// Seeds the order in which the examples are visited.
    public var seed: UInt64
    /// The fitted scale of the margins that gives the probabilities (1 until fitted).
    public var scale: Double

    /// Creates settings; the defaults are the recommended ones.
    public init(
      cost: Double = 1, tolerance: Double = 0.01, maxIterations: Int = 1000, seed: UInt64 = 1,
      scale: Double = 1
    ) {
      self.cost = cost
      self.tolerance = tolerance
      self.maxIterations = maxIterations
      self.seed = seed
      self.scale = scale
    }

    /// A sentence saying what is wrong with the settings, or `nil` when they are valid.
    public func validationError() -> String? {
      if !(cost > 0 && cost.isFinite) {
        return "The cost C must be a positive number, not \(cost)."
      }
      if maxIterations < 1 {
        return "The iteration limit must be at least 1, not \(maxIterations)."
      }
      if !(tolerance > 0 && tolerance.isFinite) {
        return "The tolerance must be a positive number, not \(tolerance)."
      }
      return nil
    }
  }

  /// How the cost (and, when asked, the class weights) was chosen: every candidate's pooled
  /// held-out macro-F1.
  public struct CostSelection: Sendable, Equatable, Codable {
    /// The candidates' costs, in the order tried.
    public var candidates: [Double]
    /// When the class weights were chosen too: each candidate's, `balanced` (the training
    /// data's own weights) or `uniform`.
    public var classWeights: [String]?
    /// The pooled held-out macro-F1 of each candidate.
    public var macroF1: [Double]
    /// The chosen cost.
    public var cost: Double
    /// The chosen class weights, when they were chosen.
    public var chosenClassWeights: String?

    enum CodingKeys: String, CodingKey {
      case candidates, cost
      case classWeights = "class_weights"
      case macroF1 = "macro_f1"
      case chosenClassWeights = "chosen_class_weights"
    }
  }

  /// One setting that cross-validation scores: a cost, with the training data's class weights
  /// or with uniform ones.
  struct Candidate: Equatable {
    var cost: Double
    var uniform = false
  }

  /// How training ended.
  public struct Report: Sendable, Equatable {
    /// The most passes any binary machine of the final model took.
    public var iterations: Int
    /// Whether every binary machine reached the tolerance.
    public var converged: Bool
    /// The cost's cross-validation, when it was chosen.
    public var selection: CostSelection?
    /// Whether the model was trained with uniform class weights rather than the data's (chosen
    /// by cross-validation).
    public var uniformWeights = false
  }

  /// Fits a model to weighted examples.
  ///
  /// - Parameters:
  ///   - data: The examples, their labels and weights.
  ///   - configuration: The settings (its cost is used when `candidates` is `nil`).
  ///   - candidates: Costs among which cross-validation chooses; `nil` for the configured cost
  ///     (cross-validation then only fits the scale).
  ///   - choosingWeights: Whether cross-validation also chooses between the examples' weights
  ///     (`data.weights`, the class weights) and uniform ones, with every cost.
  ///   - folds: The folds of that cross-validation; with fewer examples than folds (or fewer
  ///     than 2 folds), the configured cost and scale are kept.
  ///   - threads: Workers; `nil` for the default. The model does not depend on it.
  /// - Returns: The scorer (softmax of its scores: the probabilities), the settings with the
  ///   cost and scale used, and how training went.
  static func fit(
    _ data: TrainingMatrix, configuration: Configuration, candidates: [Double]?,
    choosingWeights: Bool = false, folds: Int = Configuration.defaultFolds, threads: Int?
  ) -> (LinearModel, Configuration, Report) {
    let problem = Problem(data)
    var configuration = configuration
    var selection: CostSelection?
    var chosen = Candidate(cost: configuration.cost)
    // When every weight is one already, the two weightings are the same candidate.
    let choosingWeights = choosingWeights && data.weights.contains { $0 != 1 }
    let costs = (candidates ?? [configuration.cost]).flatMap { cost in
      choosingWeights
        ? [Candidate(cost: cost), Candidate(cost: cost, uniform: true)] : [Candidate(cost: cost)]
    }
    // Held-out margins of every candidate (cross-validation), when there is anything to choose
    // or a scale to fit; a single cost still fits its scale on held-out margins.
    let folding = folds >= 2 && data.count >= folds
    if folding {
      let margins = problem.heldOutMargins(
        costs: costs, folds: folds, configuration: configuration, threads: threads)
      let scores = margins.map { problem.macroF1(margins: $0) }
      var best = 0
      for candidate in costs.indices where scores[candidate] > scores[best] + 1e-12 {
        best = candidate
      }
      chosen = costs[best]
      configuration.cost = chosen.cost
      if costs.count > 1 {
        let names = costs.map { $0.uniform ? "uniform" : "balanced" }
        selection = CostSelection(
          candidates: costs.map(\.cost), classWeights: choosingWeights ? names : nil,
          macroF1: scores, cost: chosen.cost,
          chosenClassWeights: choosingWeights ? names[best] : nil)
      }
      configuration.scale = problem.fitScale(margins: margins[best])
    }
    let machines = problem.machineCount
    var solutions = [Solution](repeating: Solution(), count: machines)
    solutions.withUnsafeMutableBufferPointer { solutions in
      Parallelism.forEachJob(machines, threads: threads) { machine in
        var solution = problem.solve(
          machine: machine, members: nil, candidate: chosen, configuration: configuration)
        solution.alpha = []  // only a warm start needs them
        solutions[machine] = solution
      }
    }
    let model = problem.linearModel(solutions, scale: configuration.scale)
    let report = Report(
      iterations: solutions.map(\.iterations).max() ?? 0,
      converged: solutions.allSatisfy(\.converged), selection: selection,
      uniformWeights: chosen.uniform)
    return (model, configuration, report)
  }

  /// One binary machine's weights, intercept and how its solver ended.
  struct Solution {
    var weights: [Double] = []
    var bias: Double = 0
    /// The dual variables, one per example (zero for examples left out), kept so that the next
    /// cost's solve can start from them.
    var alpha: [Double] = []
    var iterations = 0
    var converged = true
  }

  /// The training examples as the solver reads them.
  struct Problem {
    let data: TrainingMatrix
    /// `‖xᵢ‖² + 1` (the constant feature of the intercept).
    let squaredNorms: [Double]

    init(_ data: TrainingMatrix) {
      self.data = data
      var norms = [Double](repeating: 1, count: data.count)
      for example in 0..<data.count {
        for p in data.offsets[example]..<data.offsets[example + 1] {
          norms[example] += Double(data.values[p]) * Double(data.values[p])
        }
      }
      squaredNorms = norms
    }

    /// One machine with two labels (the second against the first), else one per label.
    var machineCount: Int { data.classCount == 2 ? 1 : data.classCount }

    /// The label machine `machine` says yes to.
    func positiveLabel(of machine: Int) -> Int32 {
      data.classCount == 2 ? 1 : Int32(machine)
    }

    /// Trains machine `machine` on `members` (every example when `nil`) by dual coordinate
    /// descent with shrinking, as LIBLINEAR's `solve_l2r_l1l2_svc` does for the squared hinge.
    ///
    /// `start`, the same machine's solution on the same members at a smaller cost, is where
    /// the solve begins (a warm start); its dual variables stay feasible, since the squared
    /// hinge's dual only asks `αᵢ ≥ 0`, and are scaled by the ratio of the costs, as the dual
    /// solutions grow roughly in proportion to it (Chu et al. 2015). Without it, every `αᵢ`
    /// starts at 0.
    func solve(
      machine: Int, members: [Int]?, candidate: Candidate, configuration: Configuration,
      start: (solution: Solution, cost: Double)? = nil
    ) -> Solution {
      let positive = positiveLabel(of: machine)
      var order = members ?? Array(0..<data.count)
      let count = order.count
      var w: [Double]
      var b: Double
      var alpha: [Double]
      if let start {
        let ratio = candidate.cost / start.cost
        w = start.solution.weights.map { $0 * ratio }
        b = start.solution.bias * ratio
        alpha = start.solution.alpha.map { $0 * ratio }
      } else {
        w = [Double](repeating: 0, count: data.featureCount)
        b = 0
        alpha = [Double](repeating: 0, count: data.count)
      }
      // D_ii = 1 / (2 Cᵢ): the squared hinge's term of the dual's diagonal, once per example
      // rather than once per visit.
      let diagonals = data.weights.map {
        0.5 / (candidate.cost * (candidate.uniform ? 1 : Double($0)))
      }
      var generator = SplitMix64(
        seed: configuration.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(machine))
      var active = count
      // LIBLINEAR's shrinking: an example at α = 0 whose gradient exceeds the last pass's
      // largest projected gradient leaves the active set until the next check.
      var largestOld = Double.infinity
      var iterations = 0
      var converged = false
      data.withRows { rows in
        diagonals.withUnsafeBufferPointer { diagonals in
          squaredNorms.withUnsafeBufferPointer { norms in
            w.withUnsafeMutableBufferPointer { w in
              alpha.withUnsafeMutableBufferPointer { alpha in
                order.withUnsafeMutableBufferPointer { order in
                  while iterations < configuration.maxIterations {
                    var largest = -Double.infinity
                    var smallest = Double.infinity
                    for s in 0..<active {
                      let j = s + Int(generator.next() % UInt64(active - s))
                      order.swapAt(s, j)
                    }
                    var s = 0
                    while s < active {
                      let i = order[s]
                      let y: Double = rows.labels[i] == positive ? 1 : -1
                      let diagonal = diagonals[i]
                      var margin = b
                      for p in rows.entries(of: i) {
                        margin += w[Int(rows.indices[p])] * Double(rows.values[p])
                      }
                      let gradient = y * margin - 1 + alpha[i] * diagonal
                      var projected = gradient
                      if alpha[i] == 0 {
                        if gradient > largestOld {
                          active -= 1
                          order.swapAt(s, active)
                          continue
                        }
                        projected = min(gradient, 0)
                      }
                      largest = max(largest, projected)
                      smallest = min(smallest, projected)
                      if abs(projected) > 1e-12 {
                        let old = alpha[i]
                        alpha[i] = max(old - gradient / (norms[i] + diagonal), 0)
                        let step = (alpha[i] - old) * y
                        for p in rows.entries(of: i) {
                          w[Int(rows.indices[p])] += step * Double(rows.values[p])
                        }
                        b += step
                      }
                      s += 1
                    }
                    iterations += 1
                    if largest - smallest <= configuration.tolerance {
                      if active == count {
                        converged = true
                        break
                      }
                      // Check the shrunk examples once more before stopping.
                      active = count
                      largestOld = .infinity
                      continue
                    }
                    largestOld = largest > 0 ? largest : .infinity
                  }
                }
              }
            }
          }
        }
      }
      return Solution(
        weights: w, bias: b, alpha: alpha, iterations: iterations, converged: converged)
    }

    /// The margins `w·x + b` of `machine`'s solution for `example`.
    func margin(_ solution: Solution, example: Int) -> Double {
      var margin = solution.bias
      for p in data.offsets[example]..<data.offsets[example + 1] {
        margin += solution.weights[Int(data.indices[p])] * Double(data.values[p])
      }
      return margin
    }

    /// For each cost, every example's held-out scores (`classCount` per example) as the model
    /// gives them before the scale: each label's margin, or with two labels `(−m/2, m/2)` for
    /// the margin `m`.
    ///
    /// Stratified folds (the j-th example of each label in fold j mod k). One job per fold and
    /// weighting, each on one thread, solves its costs in increasing order, each solve starting
    /// from the one before (a warm start). A job keeps one machine's solution at a time and
    /// only its fold's scores, so memory holds the scores, not every fold's models.
    func heldOutMargins(
      costs: [Candidate], folds: Int, configuration: Configuration, threads: Int?
    ) -> [[Double]] {
      let classes = data.classCount
      let fold = CrossValidation.stratifiedFolds(
        labels: data.labels, classes: classes, folds: folds)
      let members = (0..<folds).map { k in (0..<data.count).filter { fold[$0] != k } }
      let held = (0..<folds).map { k in (0..<data.count).filter { fold[$0] == k } }
      // Chains: the candidates of one weighting, by increasing cost.
      let chains = [false, true].map { uniform in
        costs.indices.filter { costs[$0].uniform == uniform }.sorted {
          (costs[$0].cost, $0) < (costs[$1].cost, $1)
        }
      }.filter { !$0.isEmpty }
      let jobs = folds * chains.count
      // parts[k * costs.count + candidate]: the scores of fold k's examples, in the order of
      // held[k].
      var parts = [[Double]](repeating: [], count: folds * costs.count)
      parts.withUnsafeMutableBufferPointer { parts in
        Parallelism.forEachJob(jobs, threads: threads) { job in
          let (k, chain) = job.quotientAndRemainder(dividingBy: chains.count)
          var scores = chains[chain].map { _ in
            [Double](repeating: 0, count: held[k].count * classes)
          }
          for machine in 0..<machineCount {
            var previous: (solution: Solution, cost: Double)?
            for (link, candidate) in chains[chain].enumerated() {
              let solution = solve(
                machine: machine, members: members[k], candidate: costs[candidate],
                configuration: configuration, start: previous)
              previous = (solution, costs[candidate].cost)
              for (row, example) in held[k].enumerated() {
                let m = margin(solution, example: example)
                if classes == 2 {
                  scores[link][row * 2] = -m / 2
                  scores[link][row * 2 + 1] = m / 2
                } else {
                  scores[link][row * classes + machine] = m
                }
              }
            }
          }
          for (link, candidate) in chains[chain].enumerated() {
            parts[k * costs.count + candidate] = scores[link]
          }
        }
      }
      return costs.indices.map { candidate in
        var scores = [Double](repeating: 0, count: data.count * classes)
        for k in 0..<folds {
          let part = parts[k * costs.count + candidate]
          for (row, example) in held[k].enumerated() {
            for c in 0..<classes { scores[example * classes + c] = part[row * classes + c] }
          }
        }
        return scores
      }
    }

    /// The macro-F1 of the largest score's label.
    func macroF1(margins: [Double]) -> Double {
      let classes = data.classCount
      var confusion = [Double](repeating: 0, count: classes * classes)
      for example in 0..<data.count {
        var best = 0
        for c in 1..<classes
        where margins[example * classes + c] > margins[example * classes + best] {
          best = c
        }
        confusion[Int(data.labels[example]) * classes + best] += 1
      }
      return SmoothingSelection.macroF1(confusion, classes: classes)
    }

    /// The scale `s` that maximises the likelihood of the true labels under `softmax(s ·
    /// scores)`: the root of the log-loss's derivative, which rises with `s` (the loss is
    /// convex in it), found by safeguarded Newton steps.
    func fitScale(margins: [Double]) -> Double {
      let classes = data.classCount
      // The derivative of the mean log-loss at `s`, and its second derivative.
      func slope(_ s: Double) -> (Double, Double) {
        var first = 0.0
        var second = 0.0
        var p = [Double](repeating: 0, count: classes)
        for example in 0..<data.count {
          let base = example * classes
          var top = -Double.infinity
          for c in 0..<classes { top = max(top, s * margins[base + c]) }
          var sum = 0.0
          for c in 0..<classes {
            p[c] = exp(s * margins[base + c] - top)
            sum += p[c]
          }
          var mean = 0.0
          var square = 0.0
          for c in 0..<classes {
            p[c] /= sum
            mean += p[c] * margins[base + c]
            square += p[c] * margins[base + c] * margins[base + c]
          }
          first += mean - margins[base + Int(data.labels[example])]
          second += square - mean * mean
        }
        let n = Double(max(data.count, 1))
        return (first / n, second / n)
      }
      var low = 1e-3
      var high = 1e3
      if slope(high).0 <= 0 { return high }
      if slope(low).0 >= 0 { return low }
      var s = 1.0
      for _ in 0..<100 {
        let (first, second) = slope(s)
        if abs(first) < 1e-9 { break }
        if first > 0 { high = s } else { low = s }
        let newton = second > 0 ? s - first / second : .nan
        s = newton > low && newton < high ? newton : (low + high) / 2
        if high - low < 1e-9 * s { break }
      }
      return s
    }

    /// The scorer of `solutions` with its margins times `scale`.
    func linearModel(_ solutions: [Solution], scale: Double) -> LinearModel {
      let classes = data.classCount
      var weights = [Float](repeating: 0, count: data.featureCount * classes)
      var bias = [Double](repeating: 0, count: classes)
      if classes == 2 {
        let half = scale / 2
        for feature in 0..<data.featureCount {
          let value = solutions[0].weights[feature] * half
          weights[feature * 2] = Float(-value)
          weights[feature * 2 + 1] = Float(value)
        }
        bias = [-solutions[0].bias * half, solutions[0].bias * half]
      } else {
        for (label, solution) in solutions.enumerated() {
          for feature in 0..<data.featureCount {
            weights[feature * classes + label] = Float(solution.weights[feature] * scale)
          }
          bias[label] = solution.bias * scale
        }
      }
      return LinearModel(classCount: classes, weights: weights, bias: bias)
    }
  }
}
