/// A dense vector of ``Real`` with value semantics, backed by BLAS level-1 routines.
///
/// ```swift
/// var y = DenseVector([1, 2, 3])
/// y.add(DenseVector([1, 1, 1]), scaledBy: 2)   // y = [3, 4, 5]
/// y.dot(y)                                     // 50
/// ```
public struct DenseVector: Sendable, Equatable {
  /// The elements, in order.
  public internal(set) var elements: [Real]

  /// Creates a vector holding `elements`.
  public init(_ elements: [Real]) { self.elements = elements }

  /// Creates a vector of `count` copies of `value`.
  public init(repeating value: Real, count: Int) {
    precondition(
      count >= 0, "DenseVector(repeating:count:): count must be non-negative, got \(count)")
    elements = [Real](repeating: value, count: count)
  }

  /// The number of elements.
  public var count: Int { elements.count }

  /// Accesses the element at `index`.
  public subscript(index: Int) -> Real {
    get { elements[index] }
    set { elements[index] = newValue }
  }

  /// Returns the inner product `self · other`.
  ///
  /// Calls `cblas_sdot`.
  /// - Complexity: O(n).
  public func dot(_ other: DenseVector) -> Real {
    precondition(
      count == other.count,
      "DenseVector.dot: vectors have \(count) and \(other.count) elements")
    guard count > 0 else { return 0 }
    return elements.withUnsafeBufferPointer { x in
      other.elements.withUnsafeBufferPointer { y in
        BLAS.dot(count, BLAS.start(x, "x"), 1, BLAS.start(y, "y"), 1)
      }
    }
  }

  /// Adds `alpha · x` to this vector (BLAS `axpy`).
  ///
  /// Calls `cblas_saxpy`.
  /// - Complexity: O(n).
  public mutating func add(_ x: DenseVector, scaledBy alpha: Real = 1) {
    precondition(
      count == x.count,
      "DenseVector.add(_:scaledBy:): vectors have \(count) and \(x.count) elements")
    guard count > 0 else { return }
    let n = count
    x.elements.withUnsafeBufferPointer { xs in
      elements.withUnsafeMutableBufferPointer { ys in
        BLAS.axpy(n, alpha, BLAS.start(xs, "xs"), 1, BLAS.start(ys, "ys"), 1)
      }
    }
  }

  /// Multiplies every element by `alpha` (BLAS `scal`).
  ///
  /// Calls `cblas_sscal`.
  /// - Complexity: O(n).
  public mutating func scale(by alpha: Real) {
    guard count > 0 else { return }
    let n = count
    elements.withUnsafeMutableBufferPointer { BLAS.scal(n, alpha, BLAS.start($0, "buffer"), 1) }
  }

  /// The Euclidean norm `‖x‖₂`, computed without overflow for large elements.
  ///
  /// Calls `cblas_snrm2`.
  /// - Complexity: O(n).
  public var norm: Real {
    guard count > 0 else { return 0 }
    return elements.withUnsafeBufferPointer { BLAS.nrm2(count, BLAS.start($0, "buffer"), 1) }
  }

  /// Calls `body` with a pointer to the contiguous elements.
  public func withUnsafeBufferPointer<R, E: Error>(
    _ body: (UnsafeBufferPointer<Real>) throws(E) -> R
  ) throws(E) -> R {
    try elements.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer) }
  }

  /// Calls `body` with a mutable pointer to the contiguous elements.
  public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
    _ body: (inout UnsafeMutableBufferPointer<Real>) throws(E) -> R
  ) throws(E) -> R {
    try elements.withUnsafeMutableBufferPointer { (buffer) throws(E) -> R in try body(&buffer) }
  }

  /// Adds `alpha · x[0..<count]` to `self[0..<count]` (BLAS `axpy` on a prefix).
  ///
  /// Calls `cblas_saxpy`.
  /// - Complexity: O(count).
  public mutating func add(_ x: DenseVector, scaledBy alpha: Real, prefix count: Int) {
    precondition(
      count >= 0 && count <= self.count && count <= x.count,
      "DenseVector.add(_:scaledBy:prefix:): prefix \(count) of vectors with \(self.count) and \(x.count) elements"
    )
    guard count > 0 else { return }
    x.elements.withUnsafeBufferPointer { xs in
      elements.withUnsafeMutableBufferPointer { ys in
        BLAS.axpy(count, alpha, BLAS.start(xs, "xs"), 1, BLAS.start(ys, "ys"), 1)
      }
    }
  }

  /// Returns `self[0..<count] · other[0..<count]` (BLAS `dot` on a prefix).
  ///
  /// Calls `cblas_sdot`.
  /// - Complexity: O(count).
  public func dot(_ other: DenseVector, prefix count: Int) -> Real {
    precondition(
      count >= 0 && count <= self.count && count <= other.count,
      "DenseVector.dot(_:prefix:): prefix \(count) of vectors with \(self.count) and \(other.count) elements"
    )
    guard count > 0 else { return 0 }
    return elements.withUnsafeBufferPointer { x in
      other.elements.withUnsafeBufferPointer { y in
        BLAS.dot(count, BLAS.start(x, "x"), 1, BLAS.start(y, "y"), 1)
      }
    }
  }
}
