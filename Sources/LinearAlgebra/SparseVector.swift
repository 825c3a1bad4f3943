/// A sparse vector: parallel arrays of strictly increasing indices and their values.
///
/// Features are sparse and weights dense, so products between the two are plain Swift loops
/// over `(index, value)` pairs, as LIBLINEAR's `sparse_operator` does; BLAS has nothing to add
/// there.
public struct SparseVector: Sendable, Equatable {
  /// The dimension of the space the vector lives in.
  public let dimension: Int
  /// The positions of the stored elements, strictly increasing.
  public let indices: [Int32]
  /// The stored elements, parallel to ``indices``.
  public let values: [Real]

  /// Creates a sparse vector from sorted, distinct indices and their values.
  ///
  /// - Precondition: `indices` is strictly increasing and inside `0..<dimension`.
  public init(dimension: Int, indices: [Int32], values: [Real]) {
    precondition(
      indices.count == values.count,
      "SparseVector: \(indices.count) indices but \(values.count) values")
    for position in indices.indices {
      let index = indices[position]
      precondition(
        index >= 0 && Int(index) < dimension,
        "SparseVector: index \(index) is outside 0..<\(dimension)")
      precondition(
        position == 0 || indices[position - 1] < index,
        "SparseVector: indices must be strictly increasing (\(indices[position - 1]) then \(index))"
      )
    }
    self.dimension = dimension
    self.indices = indices
    self.values = values
  }

  /// Creates a sparse vector by adding up `(index, value)` pairs in any order; repeated indices
  /// are summed.
  public init<S: Sequence>(dimension: Int, summing pairs: S) where S.Element == (Int, Real) {
    var sums: [Int: Real] = [:]
    for (index, value) in pairs {
      precondition(
        index >= 0 && index < dimension, "SparseVector: index \(index) is outside 0..<\(dimension)")
      sums[index, default: 0] += value
    }
    let sorted = sums.sorted { $0.key < $1.key }
    self.init(
      dimension: dimension, indices: sorted.map { Int32($0.key) }, values: sorted.map(\.value))
  }

  /// The number of stored elements.
  public var nonzeroCount: Int { indices.count }

  /// Returns `self · x` for a dense `x`.
  ///
  /// - Complexity: O(number of stored elements).
  public func dot(_ x: DenseVector) -> Real {
    precondition(
      x.count == dimension,
      "sparse-dense dot: sparse vector has dimension \(dimension), dense vector has \(x.count) elements"
    )
    var sum: Real = 0
    x.withUnsafeBufferPointer { xs in
      for position in indices.indices { sum += values[position] * xs[Int(indices[position])] }
    }
    return sum
  }

  /// Adds `alpha · self` to the dense vector `y`.
  ///
  /// - Complexity: O(number of stored elements).
  public func add(scaledBy alpha: Real = 1, to y: inout DenseVector) {
    precondition(
      y.count == dimension,
      "sparse axpy: sparse vector has dimension \(dimension), dense vector has \(y.count) elements")
    y.withUnsafeMutableBufferPointer { ys in
      for position in indices.indices { ys[Int(indices[position])] += alpha * values[position] }
    }
  }

  /// The dense form of this vector.
  public var dense: DenseVector {
    var result = DenseVector(repeating: 0, count: dimension)
    add(to: &result)
    return result
  }
}
