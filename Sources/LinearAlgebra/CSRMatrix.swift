/// A batch of sparse rows in compressed sparse row (CSR) form.
///
/// Row `i` holds the elements at positions `rowOffsets[i]..<rowOffsets[i + 1]` of ``indices``
/// and ``values``. This is the layout of scikit-learn's and SciPy's `csr_matrix`, and the
/// natural shape of a batch of feature vectors.
public struct CSRMatrix: Sendable, Equatable {
  /// The number of rows.
  public var rows: Int { rowOffsets.count - 1 }
  /// The number of columns (the dimension of each row).
  public let columns: Int
  /// Where each row starts in ``indices`` and ``values``, followed by the total count.
  public private(set) var rowOffsets: [Int]
  /// Column indices of the stored elements, strictly increasing within each row.
  public private(set) var indices: [Int32]
  /// The stored elements.
  public private(set) var values: [Real]

  /// Creates an empty batch (no rows) of the given width.
  public init(columns: Int) {
    precondition(columns >= 0, "CSRMatrix(columns:): columns must be non-negative, got \(columns)")
    self.columns = columns
    rowOffsets = [0]
    indices = []
    values = []
  }

  /// Creates a batch from sparse rows of the same dimension.
  public init(columns: Int, rows: [SparseVector]) {
    self.init(columns: columns)
    for row in rows { append(row) }
  }

  /// Appends one row.
  public mutating func append(_ row: SparseVector) {
    precondition(
      row.dimension == columns,
      "CSRMatrix.append: row has dimension \(row.dimension), batch has \(columns) columns")
    indices.append(contentsOf: row.indices)
    values.append(contentsOf: row.values)
    rowOffsets.append(indices.count)
  }

  /// Row `i` as a sparse vector.
  public func row(_ i: Int) -> SparseVector {
    precondition(i >= 0 && i < rows, "CSRMatrix.row: row \(i) is outside 0..<\(rows)")
    let range = rowOffsets[i]..<rowOffsets[i + 1]
    return SparseVector(
      dimension: columns, indices: Array(indices[range]), values: Array(values[range]))
  }

  /// Returns `self · x` for a dense vector `x` with ``columns`` elements.
  ///
  /// - Complexity: O(number of stored elements).
  public func multiply(_ x: DenseVector) -> DenseVector {
    precondition(
      x.count == columns,
      "sparse matrix-vector product: matrix has \(columns) columns, vector has \(x.count) elements")
    var y = DenseVector(repeating: 0, count: rows)
    x.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer { ys in
        for i in 0..<rows {
          var sum: Real = 0
          for p in rowOffsets[i]..<rowOffsets[i + 1] { sum += values[p] * xs[Int(indices[p])] }
          ys[i] = sum
        }
      }
    }
    return y
  }

  /// Returns `self · b` for a dense `columns × n` matrix `b`: a dense `rows × n` matrix.
  ///
  /// Each stored element `(i, j, v)` adds `v` times row `j` of `b` to row `i` of the result,
  /// so `b`'s rows are read contiguously.
  /// - Complexity: O(number of stored elements · n).
  public func multiply(_ b: DenseMatrix) -> DenseMatrix {
    precondition(
      b.rows == columns,
      "sparse matrix-matrix product: sparse matrix has \(columns) columns, dense matrix has \(b.rows) rows"
    )
    let n = b.columns
    var c = DenseMatrix(rows: rows, columns: n)
    b.withUnsafeBufferPointer { pb in
      c.withUnsafeMutableBufferPointer { pc in
        for i in 0..<rows {
          for p in rowOffsets[i]..<rowOffsets[i + 1] {
            let v = values[p]
            let source = Int(indices[p]) * n
            for j in 0..<n { pc[i * n + j] += v * pb[source + j] }
          }
        }
      }
    }
    return c
  }

  /// Returns `selfᵀ · b` for a dense `rows × n` matrix `b`: a dense `columns × n` matrix.
  ///
  /// This is the shape of a gradient: features × classes from examples × classes.
  /// - Complexity: O(number of stored elements · n).
  public func transposedMultiply(_ b: DenseMatrix) -> DenseMatrix {
    precondition(
      b.rows == rows,
      "transposed sparse matrix-matrix product: sparse matrix has \(rows) rows, dense matrix has \(b.rows) rows"
    )
    let n = b.columns
    var c = DenseMatrix(rows: columns, columns: n)
    b.withUnsafeBufferPointer { pb in
      c.withUnsafeMutableBufferPointer { pc in
        for i in 0..<rows {
          for p in rowOffsets[i]..<rowOffsets[i + 1] {
            let v = values[p]
            let target = Int(indices[p]) * n
            for j in 0..<n { pc[target + j] += v * pb[i * n + j] }
          }
        }
      }
    }
    return c
  }
}
