import LinearAlgebra

/// Limited-memory BFGS (Nocedal and Wright, *Numerical Optimization*, 2006, algorithms 7.4 and
/// 7.5), minimising a smooth function of a dense vector.
///
/// All the optimiser's vector algebra (two-loop recursion, steps, curvature pairs) goes through
/// ``DenseVector``'s BLAS calls (`dot`, `axpy`, `scal`, `nrm2`). The step length comes from a
/// backtracking line search on the Armijo condition; a curvature pair is kept only when
/// `sᵀy > 0`, which keeps the inverse-Hessian estimate positive definite.
struct LBFGS {
  /// When to stop.
  struct Settings {
    /// Stop when the largest gradient component is at most this.
    var gradientTolerance: Double
    /// Stop when an iteration lowers the objective by at most this fraction.
    var relativeDecreaseTolerance: Double = 1e-10
    /// Stop after this many iterations.
    var maxIterations: Int
    /// How many curvature pairs to remember.
    var memory: Int = 10
  }

  /// How a run ended.
  struct Outcome {
    var iterations: Int
    var evaluations: Int
    var objective: Double
    var gradientNorm: Double
    /// The largest gradient component at the end.
    var largestGradient: Double
    var converged: Bool
  }

  /// Minimises `objective` from `x`, which is updated in place.
  ///
  /// `objective(x, &gradient)` returns the value at `x` and writes the gradient.
  static func minimize(
    _ x: inout DenseVector, settings: Settings,
    objective: (DenseVector, inout DenseVector) -> Double,
    afterIteration: (Int, DenseVector) -> Bool = { _, _ in false }
  ) -> Outcome {
    let n = x.count
    var gradient = DenseVector(repeating: 0, count: n)
    var value = objective(x, &gradient)
    var evaluations = 1
    var steps: [DenseVector] = []
    var changes: [DenseVector] = []
    var rhos: [Real] = []
    var direction = DenseVector(repeating: 0, count: n)
    var candidate = x
    var candidateGradient = gradient
    func outcome(_ iterations: Int, converged: Bool) -> Outcome {
      let largest = gradient.elements.reduce(0) { max($0, abs(Double($1))) }
      return Outcome(
        iterations: iterations, evaluations: evaluations, objective: value,
        gradientNorm: Double(gradient.norm), largestGradient: largest,
        converged: converged || largest <= settings.gradientTolerance)
    }
    for iteration in 0..<settings.maxIterations {
      let largest = gradient.elements.reduce(0) { max($0, abs(Double($1))) }
      if largest <= settings.gradientTolerance {
        return outcome(iteration, converged: true)
      }
      // Two-loop recursion: direction = −H·gradient.
      direction = gradient
      var alphas = [Real](repeating: 0, count: steps.count)
      for i in stride(from: steps.count - 1, through: 0, by: -1) {
        alphas[i] = rhos[i] * steps[i].dot(direction)
        direction.add(changes[i], scaledBy: -alphas[i])
      }
      if let s = steps.last, let y = changes.last {
        direction.scale(by: s.dot(y) / y.dot(y))
      } else {
        direction.scale(by: 1 / max(gradient.norm, 1))
      }
      for i in 0..<steps.count {
        let beta = rhos[i] * changes[i].dot(direction)
        direction.add(steps[i], scaledBy: alphas[i] - beta)
      }
      direction.scale(by: -1)
      var slope = Double(gradient.dot(direction))
      if slope >= 0 {
        // Not a descent direction (numerical trouble): restart from steepest descent.
        steps.removeAll()
        changes.removeAll()
        rhos.removeAll()
        direction = gradient
        direction.scale(by: -1 / max(gradient.norm, 1))
        slope = Double(gradient.dot(direction))
      }
      // Backtracking line search (Armijo).
      var step: Real = 1
      var accepted = false
      var newValue = value
      for _ in 0..<30 {
        candidate = x
        candidate.add(direction, scaledBy: step)
        newValue = objective(candidate, &candidateGradient)
        evaluations += 1
        if newValue <= value + 1e-4 * Double(step) * slope {
          accepted = true
          break
        }
        step *= 0.5
      }
      guard accepted else {
        return outcome(iteration, converged: false)
      }
      var s = candidate
      s.add(x, scaledBy: -1)
      var y = candidateGradient
      y.add(gradient, scaledBy: -1)
      let curvature = s.dot(y)
      if curvature > 1e-10 {
        if steps.count == settings.memory {
          steps.removeFirst()
          changes.removeFirst()
          rhos.removeFirst()
        }
        steps.append(s)
        changes.append(y)
        rhos.append(1 / curvature)
      }
      let decrease = (value - newValue) / max(abs(value), abs(newValue), 1)
      x = candidate
      gradient = candidateGradient
      value = newValue
      if afterIteration(iteration + 1, x) { return outcome(iteration + 1, converged: true) }
      if decrease <= settings.relativeDecreaseTolerance {
        // No relative progress left at single precision: converged, as scipy's L-BFGS-B reports
        // it (REL_REDUCTION_OF_F).
        return outcome(iteration + 1, converged: true)
      }
    }
    return outcome(settings.maxIterations, converged: false)
  }
}
