import LinearAlgebra

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Multinomial (softmax) logistic regression with L2 regularisation, trained by L-BFGS.
///
/// Crible minimises the mean negative log-likelihood plus an L2 penalty on the weights (not on
/// the intercepts):
///
/// ```
/// f(W, b) = (1/n) Σᵢ −log softmax(xᵢ·W + b)[yᵢ] + (λ/2)·‖W‖²
/// ```
///
/// scikit-learn's `LogisticRegression(C=C)` minimises `C·Σᵢ lossᵢ + ½‖W‖²`, which has the
/// same minimiser when `λ = 1 / (C·n)`: divide it by `C·n`. Its objective value is Crible's
/// times `C·n`.
///
/// The loss and gradient are computed in parallel over shards of the examples, each worker with
/// its own gradient buffer; the buffers are then summed, and the optimiser works on the whole
/// parameter vector, with BLAS (see ``LBFGS``). For a given thread count the result is
/// deterministic.
public struct LogisticRegression: Sendable, Equatable {
  /// Regularisation and stopping.
  public struct Configuration: Sendable, Hashable, Codable {
    /// The default L2 strength, chosen on held-out data.
    public static let defaultL2 = 1e-5

    /// The default L2 strength for `examples` training examples, chosen on held-out data.
    ///
    /// ``defaultL2``, or `1 / (10 · examples)` when that is weaker (above 10,000 examples),
    /// which is scikit-learn's `C = 10` in per-example form. Large corpora need less
    /// regularisation (zh-video-queries' 105,000 examples: +0.034 macro-F1 held out).
    public static func defaultL2(examples: Int) -> Double {
      min(defaultL2, 1 / (10 * Double(max(examples, 1))))
    }

    /// The L2 strength λ; must be positive.
    public var l2: Double
    /// Stop after this many L-BFGS iterations.
    public var maxIterations: Int
    /// Stop when the largest gradient component is at most this.
    public var tolerance: Double

    /// Creates settings; the defaults are the recommended ones.
    public init(
      l2: Double = Configuration.defaultL2, maxIterations: Int = 500, tolerance: Double = 1e-4
    ) {
      self.l2 = l2
      self.maxIterations = maxIterations
      self.tolerance = tolerance
    }

    /// A sentence saying what is wrong with the settings, or `nil` when they are valid.
    public func validationError() -> String? {
      if !(l2 > 0 && l2.isFinite) { return "The L2 strength must be a positive number, not \(l2)." }
      if maxIterations < 1 {
        return "The iteration limit must be at least 1, not \(maxIterations)."
      }
      if !(tolerance > 0 && tolerance.isFinite) {
        return "The tolerance must be a positive number, not \(tolerance)."
      }
      return nil
    }
  }

  /// How training ended.
  public struct Report: Sendable, Equatable {
    /// L-BFGS iterations.
    public var iterations: Int
    /// The final objective value (Crible's scaling, see ``LogisticRegression``).
    public var objective: Double
    /// The largest gradient component at the end.
    public var largestGradient: Double
    /// Whether the gradient tolerance was reached before the iteration limit.
    public var converged: Bool
  }

  /// The number of classes.
  public let classCount: Int
  /// The number of features.
  public let featureCount: Int
  /// Feature-major weights: `weights[feature * classCount + class]`.
  public let weights: [Float]
  /// One intercept per class.
  public let bias: [Float]

  /// Creates a model from fitted parameters.
  public init(classCount: Int, weights: [Float], bias: [Float]) {
    precondition(
      classCount > 0 && bias.count == classCount && weights.count % classCount == 0,
      "LogisticRegression: \(weights.count) weights and \(bias.count) intercepts for \(classCount) classes"
    )
    self.classCount = classCount
    featureCount = weights.count / classCount
    self.weights = weights
    self.bias = bias
  }

  /// The scorer: the weights and intercepts, whose softmax is the model's probabilities.
  public var linearModel: LinearModel {
    LinearModel(classCount: classCount, weights: weights, bias: bias.map(Double.init))
  }

  /// Fits a model to weighted examples.
  ///
  /// OpenBLAS, which does the optimiser's vector algebra between gradient evaluations, is held
  /// to one thread, as the `crible` command always runs it (Crible's own workers are the
  /// parallelism): OpenBLAS splits its sums by its thread count, so the model then depends on
  /// `threads` alone, not on the machine's cores or `OPENBLAS_NUM_THREADS`.
  static func fit(
    _ data: TrainingMatrix, validation: TrainingMatrix? = nil, configuration: Configuration,
    threads: Int?
  ) -> (LogisticRegression, Report) {
    BLASThreading.withOneThread {
      fitHoldingBLAS(data, validation: validation, configuration: configuration, threads: threads)
    }
  }

  private static func fitHoldingBLAS(
    _ data: TrainingMatrix, validation: TrainingMatrix?, configuration: Configuration,
    threads: Int?
  ) -> (LogisticRegression, Report) {
    let objective = SoftmaxObjective(data: data, l2: configuration.l2, threads: threads)
    var theta = DenseVector(
      repeating: 0, count: data.featureCount * data.classCount + data.classCount)
    // Early stopping: every `checkEvery` iterations, the validation macro-F1; keep the best
    // parameters and stop after `patience` checks without improvement.
    let checkEvery = 10
    let patience = 3
    var best: (score: Double, theta: DenseVector)?
    var checksWithoutImprovement = 0
    var outcome = LBFGS.minimize(
      &theta,
      settings: .init(
        gradientTolerance: configuration.tolerance, maxIterations: configuration.maxIterations),
      objective: { x, gradient in objective.evaluate(x, gradient: &gradient) },
      afterIteration: { iteration, x in
        guard let validation, iteration % checkEvery == 0 else { return false }
        let score = validation.macroF1(of: x)
        if score > (best?.score ?? -1) {
          best = (score, x)
          checksWithoutImprovement = 0
          return false
        }
        checksWithoutImprovement += 1
        return checksWithoutImprovement >= patience
      })
    if let validation, let best {
      let final = validation.macroF1(of: theta)
      if best.score > final {
        theta = best.theta
        outcome.objective = objective.value(at: theta)
      }
    }
    let split = data.featureCount * data.classCount
    let model = LogisticRegression(
      classCount: data.classCount, weights: Array(theta.elements[0..<split]),
      bias: Array(theta.elements[split...]))
    return (
      model,
      Report(
        iterations: outcome.iterations, objective: outcome.objective,
        largestGradient: outcome.largestGradient, converged: outcome.converged)
    )
  }
}

extension TrainingMatrix {
  /// The macro-F1 of the parameters `theta` (weights then intercepts) on these examples.
  func macroF1(of theta: DenseVector) -> Double {
    let split = featureCount * classCount
    var matrix = ConfusionMatrix(labels: (0..<classCount).map(String.init))
    var scores = [Double](repeating: 0, count: classCount)
    theta.withUnsafeBufferPointer { w in
      for example in 0..<count {
        for c in 0..<classCount { scores[c] = Double(w[split + c]) }
        for p in offsets[example]..<offsets[example + 1] {
          let base = Int(indices[p]) * classCount
          for c in 0..<classCount { scores[c] += Double(values[p]) * Double(w[base + c]) }
        }
        var predicted = 0
        for c in 1..<classCount where scores[c] > scores[predicted] { predicted = c }
        matrix.record(actual: Int(labels[example]), predicted: predicted)
      }
    }
    return ClassificationReport(matrix).macroF1
  }
}

/// The regularised mean negative log-likelihood of softmax regression, and its gradient.
final class SoftmaxObjective: @unchecked Sendable {
  let data: TrainingMatrix
  let l2: Double
  let workers: Int
  /// One gradient buffer per worker, reused across evaluations.
  ///
  /// Each worker writes only its own (see ``Parallelism/forEach(_:_:)``), hence
  /// `@unchecked Sendable`.
  private var partials: [DenseVector]
  private var losses: [Double]

  init(data: TrainingMatrix, l2: Double, threads: Int?) {
    self.data = data
    self.l2 = l2
    workers = min(Parallelism.workerCount(requested: threads), max(1, data.count / 512))
    let size = data.featureCount * data.classCount + data.classCount
    partials = [DenseVector](repeating: DenseVector(repeating: 0, count: size), count: workers)
    losses = [Double](repeating: 0, count: workers)
  }

  /// The objective at `theta`.
  func value(at theta: DenseVector) -> Double {
    var gradient = DenseVector(repeating: 0, count: theta.count)
    return evaluate(theta, gradient: &gradient)
  }

  /// Returns the objective at `theta` and writes its gradient.
  func evaluate(_ theta: DenseVector, gradient: inout DenseVector) -> Double {
    let data = self.data
    let classes = data.classCount
    let split = data.featureCount * classes
    let bounds = (0...workers).map { data.count * $0 / workers }
    partials.withUnsafeMutableBufferPointer { partials in
      losses.withUnsafeMutableBufferPointer { losses in
        Parallelism.forEach(workers) { worker in
          var loss: Double = 0
          withUnsafeTemporaryAllocation(of: Double.self, capacity: classes) { scores in
            partials[worker].withUnsafeMutableBufferPointer { g in
              g.update(repeating: 0)
              theta.withUnsafeBufferPointer { w in
                data.withRows { rows in
                  for example in bounds[worker]..<bounds[worker + 1] {
                    let row = rows.entries(of: example)
                    let label = Int(rows.labels[example])
                    let weight = rows.weights[example]
                    if classes == 2 {
                      // Two classes: the softmax is a logistic function of the margin.
                      var z0 = Double(w[split])
                      var z1 = Double(w[split + 1])
                      for p in row {
                        let base = Int(rows.indices[p]) &* 2
                        let v = Double(rows.values[p])
                        z0 += v * Double(w[base])
                        z1 += v * Double(w[base &+ 1])
                      }
                      let margin = (label == 0 ? z1 - z0 : z0 - z1)
                      // −log σ(−margin) = log(1 + e^margin), computed stably.
                      loss +=
                        Double(weight)
                        * (margin > 0 ? margin + log1p(exp(-margin)) : log1p(exp(margin)))
                      let p1 = 1 / (1 + exp(z0 - z1))
                      let d1 = weight * Float(p1 - (label == 1 ? 1 : 0))
                      let d0 = -d1
                      for p in row {
                        let base = Int(rows.indices[p]) &* 2
                        let v = rows.values[p]
                        g[base] += v * d0
                        g[base &+ 1] += v * d1
                      }
                      g[split] += d0
                      g[split + 1] += d1
                      continue
                    }
                    for c in 0..<classes { scores[c] = Double(w[split + c]) }
                    for p in row {
                      let base = Int(rows.indices[p]) &* classes
                      let v = Double(rows.values[p])
                      for c in 0..<classes { scores[c] += v * Double(w[base &+ c]) }
                    }
                    var maximum = -Double.infinity
                    for c in 0..<classes { maximum = max(maximum, scores[c]) }
                    var sum: Double = 0
                    for c in 0..<classes {
                      scores[c] = exp(scores[c] - maximum)
                      sum += scores[c]
                    }
                    loss -= Double(weight) * log(scores[label] / sum)
                    for c in 0..<classes {
                      scores[c] = Double(weight) * (scores[c] / sum - (c == label ? 1 : 0))
                    }
                    for p in row {
                      let base = Int(rows.indices[p]) &* classes
                      let v = rows.values[p]
                      for c in 0..<classes { g[base &+ c] += v * Float(scores[c]) }
                    }
                    for c in 0..<classes { g[split + c] += Float(scores[c]) }
                  }
                }
              }
            }
          }
          losses[worker] = loss
        }
      }
    }
    // Sum the workers' gradients in a fixed order, then average and regularise, with BLAS.
    gradient = partials[0]
    for worker in 1..<workers { gradient.add(partials[worker]) }
    let totalWeight = self.data.weights.reduce(0, +)
    let n = Real(max(totalWeight, Float.leastNormalMagnitude))
    gradient.scale(by: 1 / n)
    gradient.add(theta, scaledBy: Real(l2), prefix: split)
    let meanLoss = losses.reduce(0, +) / Double(max(totalWeight, Float.leastNormalMagnitude))
    return meanLoss + l2 / 2 * Double(theta.dot(theta, prefix: split))
  }
}
