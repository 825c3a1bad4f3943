#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Numerically stable reductions over log-domain scores.
public enum LogDomain {
  /// Returns `log(Σ exp(xᵢ))` without overflow or underflow.
  ///
  /// ```
  /// m = max(x);  logSumExp(x) = m + log Σ exp(xᵢ − m)
  /// ```
  /// Returns `-infinity` for an empty input or when every element is `-infinity`.
  /// - Complexity: O(n).
  public static func logSumExp<C: Collection>(_ x: C) -> Real where C.Element == Real {
    guard let m = x.max(), m > -Real.infinity else { return -Real.infinity }
    if m == Real.infinity { return Real.infinity }
    var sum: Double = 0
    for value in x { sum += Double(expf(value - m)) }
    return m + Real(log(sum))
  }

  /// Replaces the scores in `x` by their softmax, `exp(xᵢ) / Σ exp(xⱼ)`, computed stably.
  ///
  /// Subtracting the maximum first keeps every exponent at most zero, so nothing overflows,
  /// and the largest term is exactly one, so the sum never underflows to zero.
  /// - Complexity: O(n).
  public static func softmax(_ x: inout UnsafeMutableBufferPointer<Real>) {
    guard !x.isEmpty else { return }
    var m = -Real.infinity
    for value in x where value > m { m = value }
    if m == -Real.infinity {
      // No score at all: the uniform distribution is the only sensible answer.
      for i in x.indices { x[i] = 1 / Real(x.count) }
      return
    }
    var sum: Real = 0
    for i in x.indices {
      let e = expf(x[i] - m)
      x[i] = e
      sum += e
    }
    let inverse = 1 / sum
    for i in x.indices { x[i] *= inverse }
  }

  /// Returns the softmax of `x` as a new array.
  public static func softmax(_ x: [Real]) -> [Real] {
    var result = x
    result.withUnsafeMutableBufferPointer { softmax(&$0) }
    return result
  }
}

extension LogDomain {
  /// Replaces the log-domain scores in `x` by their softmax, in double precision.
  ///
  /// The same computation as ``softmax(_:)-(UnsafeMutableBufferPointer<Real>)``: subtract the
  /// maximum, exponentiate, divide by the sum.
  /// - Complexity: O(n).
  public static func softmax(_ x: inout UnsafeMutableBufferPointer<Double>) {
    guard !x.isEmpty else { return }
    var m = -Double.infinity
    for value in x where value > m { m = value }
    if m == -Double.infinity {
      for i in x.indices { x[i] = 1 / Double(x.count) }
      return
    }
    var sum: Double = 0
    for i in x.indices {
      let e = exp(x[i] - m)
      x[i] = e
      sum += e
    }
    let inverse = 1 / sum
    for i in x.indices { x[i] *= inverse }
  }
}
