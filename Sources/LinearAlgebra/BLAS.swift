internal import COpenBLAS

/// One thin function per CBLAS call; the only place in Crible that touches OpenBLAS.
///
/// Shapes are checked one layer up, in the public methods of ``DenseVector`` and
/// ``DenseMatrix``. Here each function only converts `Int` sizes to the C types (trapping if a
/// size does not fit) and forwards the call.
enum BLAS {
  /// Converts a size or stride for BLAS, trapping when it does not fit in 32 bits.
  ///
  /// BLAS takes 32-bit sizes; a larger one is a programmer error.
  @inline(__always)
  static func int32(_ value: Int, _ what: StaticString) -> Int32 {
    guard let converted = Int32(exactly: value) else {
      preconditionFailure("BLAS: \(what) = \(value) does not fit in a 32-bit BLAS integer")
    }
    return converted
  }

  /// The start of a non-empty buffer; an empty one here is a programmer error.
  @inline(__always)
  static func start<T>(_ buffer: UnsafeBufferPointer<T>, _ what: StaticString) -> UnsafePointer<T> {
    guard let base = buffer.baseAddress else { preconditionFailure("BLAS: \(what) is empty") }
    return base
  }

  /// The start of a non-empty mutable buffer; an empty one here is a programmer error.
  @inline(__always)
  static func start<T>(_ buffer: UnsafeMutableBufferPointer<T>, _ what: StaticString)
    -> UnsafeMutablePointer<T>
  {
    guard let base = buffer.baseAddress else { preconditionFailure("BLAS: \(what) is empty") }
    return base
  }

  /// Returns `x · y` over `count` elements.
  ///
  /// Calls `cblas_sdot`.
  static func dot(
    _ count: Int, _ x: UnsafePointer<Float>, _ incX: Int, _ y: UnsafePointer<Float>, _ incY: Int
  ) -> Float {
    cblas_sdot(int32(count, "n"), x, int32(incX, "incx"), y, int32(incY, "incy"))
  }

  /// Computes `y ← alpha·x + y`.
  ///
  /// Calls `cblas_saxpy`.
  static func axpy(
    _ count: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ incX: Int,
    _ y: UnsafeMutablePointer<Float>, _ incY: Int
  ) {
    cblas_saxpy(int32(count, "n"), alpha, x, int32(incX, "incx"), y, int32(incY, "incy"))
  }

  /// Computes `x ← alpha·x`.
  ///
  /// Calls `cblas_sscal`.
  static func scal(_ count: Int, _ alpha: Float, _ x: UnsafeMutablePointer<Float>, _ incX: Int) {
    cblas_sscal(int32(count, "n"), alpha, x, int32(incX, "incx"))
  }

  /// Returns the Euclidean norm of `x`.
  ///
  /// Calls `cblas_snrm2`.
  static func nrm2(_ count: Int, _ x: UnsafePointer<Float>, _ incX: Int) -> Float {
    cblas_snrm2(int32(count, "n"), x, int32(incX, "incx"))
  }

  /// Computes `y ← alpha·op(A)·x + beta·y` for a row-major `A` of `rows × columns`.
  ///
  /// Calls `cblas_sgemv`.
  static func gemv(
    transpose: Bool, rows: Int, columns: Int, alpha: Float,
    _ a: UnsafePointer<Float>, lda: Int, _ x: UnsafePointer<Float>,
    beta: Float, _ y: UnsafeMutablePointer<Float>
  ) {
    cblas_sgemv(
      CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
      int32(rows, "m"), int32(columns, "n"), alpha, a, int32(lda, "lda"), x, 1, beta, y, 1)
  }

  /// Computes `C ← alpha·op(A)·op(B) + beta·C` for row-major matrices, where `op(A)` is
  /// `m × k` and `op(B)` is `k × n`.
  ///
  /// Calls `cblas_sgemm`.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      int32(m, "m"), int32(n, "n"), int32(k, "k"), alpha, a, int32(lda, "lda"), b,
      int32(ldb, "ldb"), beta, c, int32(ldc, "ldc"))
  }

  /// The number of threads OpenBLAS uses for one call.
  ///
  /// Calls `openblas_get_num_threads`.
  static var threadCount: Int { Int(openblas_get_num_threads()) }

  /// Sets the number of threads OpenBLAS uses for one call.
  ///
  /// Calls `openblas_set_num_threads`.
  static func setThreadCount(_ count: Int) {
    openblas_set_num_threads(int32(count, "threads"))
  }

  /// The OpenBLAS build description and the CPU kernel it selected.
  ///
  /// For example `"OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell (core Haswell)"`. Calls
  /// `openblas_get_config` and `openblas_get_corename`.
  static var configuration: String {
    let config = openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
    let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    return "\(config) (core \(core))"
  }
}
