/// A dense row-major matrix of ``Real`` with value semantics.
///
/// Element `(i, j)` lives at `elements[i * columns + j]`. Products go through BLAS
/// (``DenseMatrix/multiply(_:transposed:)`` for `gemv`, ``DenseMatrix/product(_:_:transposeA:transposeB:)``
/// for `gemm`); shapes are checked with a precondition that names the sizes, because a wrong
/// shape is a programmer error, not bad input.
public struct DenseMatrix: Sendable, Equatable {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// The elements, row after row.
  public internal(set) var elements: [Real]

  /// Creates a `rows × columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Real = 0) {
    precondition(
      rows >= 0 && columns >= 0,
      "DenseMatrix(rows:columns:): sizes must be non-negative, got \(rows) × \(columns)")
    self.rows = rows
    self.columns = columns
    elements = [Real](repeating: value, count: rows * columns)
  }

  /// Creates a `rows × columns` matrix from row-major `elements`.
  public init(rows: Int, columns: Int, elements: [Real]) {
    precondition(
      rows >= 0 && columns >= 0 && elements.count == rows * columns,
      "DenseMatrix(rows:columns:elements:): \(elements.count) elements for a \(rows) × \(columns) matrix"
    )
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// Accesses element `(row, column)`.
  public subscript(row: Int, column: Int) -> Real {
    get {
      precondition(
        row >= 0 && row < rows && column >= 0 && column < columns,
        "DenseMatrix subscript: (\(row), \(column)) is outside a \(rows) × \(columns) matrix")
      return elements[row * columns + column]
    }
    set {
      precondition(
        row >= 0 && row < rows && column >= 0 && column < columns,
        "DenseMatrix subscript: (\(row), \(column)) is outside a \(rows) × \(columns) matrix")
      elements[row * columns + column] = newValue
    }
  }

  /// The transpose, as a new matrix.
  public var transposed: DenseMatrix {
    var result = DenseMatrix(rows: columns, columns: rows)
    for i in 0..<rows {
      for j in 0..<columns { result.elements[j * rows + i] = elements[i * columns + j] }
    }
    return result
  }

  /// Returns `op(self) · x`, where `op` is the transpose when `transposed` is true (BLAS `gemv`).
  ///
  /// Calls `cblas_sgemv`.
  /// - Complexity: O(rows · columns).
  public func multiply(_ x: DenseVector, transposed: Bool = false) -> DenseVector {
    var y = DenseVector(repeating: 0, count: transposed ? columns : rows)
    multiply(x, transposed: transposed, into: &y, alpha: 1, beta: 0)
    return y
  }

  /// Computes `y ← alpha · op(self) · x + beta · y` in place (BLAS `gemv`).
  ///
  /// Calls `cblas_sgemv`.
  /// - Parameters:
  ///   - x: A vector with as many elements as `op(self)` has columns.
  ///   - transposed: Whether `op` is the transpose.
  ///   - y: A vector with as many elements as `op(self)` has rows.
  ///   - alpha: The scale of the product.
  ///   - beta: The scale of the previous `y`.
  /// - Complexity: O(rows · columns).
  public func multiply(
    _ x: DenseVector, transposed: Bool = false, into y: inout DenseVector,
    alpha: Real = 1, beta: Real = 0
  ) {
    let (opRows, opColumns) = transposed ? (columns, rows) : (rows, columns)
    precondition(
      x.count == opColumns,
      "matrix-vector product: \(transposed ? "transposed " : "")matrix has \(opColumns) columns, vector has \(x.count) elements"
    )
    precondition(
      y.count == opRows,
      "matrix-vector product: \(transposed ? "transposed " : "")matrix has \(opRows) rows, result has \(y.count) elements"
    )
    guard opRows > 0 else { return }
    guard opColumns > 0 else {
      // An empty sum: y ← beta · y, with beta = 0 meaning "overwrite" as in BLAS.
      if beta == 0 { y = DenseVector(repeating: 0, count: opRows) } else { y.scale(by: beta) }
      return
    }
    elements.withUnsafeBufferPointer { a in
      x.elements.withUnsafeBufferPointer { xs in
        y.elements.withUnsafeMutableBufferPointer { ys in
          BLAS.gemv(
            transpose: transposed, rows: rows, columns: columns, alpha: alpha,
            BLAS.start(a, "a"), lda: max(1, columns), BLAS.start(xs, "xs"), beta: beta,
            BLAS.start(ys, "ys"))
        }
      }
    }
  }

  /// Returns `op(a) · op(b)`, where `op` transposes its argument when asked (BLAS `gemm`).
  ///
  /// Calls `cblas_sgemm`.
  /// - Complexity: O(m · n · k).
  public static func product(
    _ a: DenseMatrix, _ b: DenseMatrix, transposeA: Bool = false, transposeB: Bool = false
  ) -> DenseMatrix {
    let m = transposeA ? a.columns : a.rows
    let n = transposeB ? b.rows : b.columns
    var c = DenseMatrix(rows: m, columns: n)
    multiply(a, b, transposeA: transposeA, transposeB: transposeB, into: &c, alpha: 1, beta: 0)
    return c
  }

  /// Computes `C ← alpha · op(a) · op(b) + beta · C` in place (BLAS `gemm`).
  ///
  /// Calls `cblas_sgemm`.
  /// - Complexity: O(m · n · k).
  public static func multiply(
    _ a: DenseMatrix, _ b: DenseMatrix, transposeA: Bool = false, transposeB: Bool = false,
    into c: inout DenseMatrix, alpha: Real = 1, beta: Real = 0
  ) {
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
    precondition(
      k == kb,
      "matrix-matrix product: op(A) is \(m) × \(k), op(B) is \(kb) × \(n); inner sizes differ")
    precondition(
      c.rows == m && c.columns == n,
      "matrix-matrix product: result is \(c.rows) × \(c.columns), expected \(m) × \(n)")
    guard m > 0 && n > 0 else { return }
    guard k > 0 else {
      if beta == 0 {
        c = DenseMatrix(rows: m, columns: n)
      } else {
        c.withUnsafeMutableBufferPointer { BLAS.scal($0.count, beta, BLAS.start($0, "buffer"), 1) }
      }
      return
    }
    a.elements.withUnsafeBufferPointer { pa in
      b.elements.withUnsafeBufferPointer { pb in
        c.elements.withUnsafeMutableBufferPointer { pc in
          BLAS.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
            BLAS.start(pa, "pa"), lda: max(1, a.columns), BLAS.start(pb, "pb"),
            ldb: max(1, b.columns),
            beta: beta, BLAS.start(pc, "pc"), ldc: max(1, n))
        }
      }
    }
  }

  /// Calls `body` with a pointer to the contiguous row-major elements.
  public func withUnsafeBufferPointer<R, E: Error>(
    _ body: (UnsafeBufferPointer<Real>) throws(E) -> R
  ) throws(E) -> R {
    try elements.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer) }
  }

  /// Calls `body` with a mutable pointer to the contiguous row-major elements.
  public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
    _ body: (inout UnsafeMutableBufferPointer<Real>) throws(E) -> R
  ) throws(E) -> R {
    try elements.withUnsafeMutableBufferPointer { (buffer) throws(E) -> R in try body(&buffer) }
  }
}
