import LinearAlgebra
@_exported import _TestSupport

/// Whether two values agree to a relative-plus-absolute tolerance suited to Float sums.
func close(_ a: Float, _ b: Float, tolerance: Float = 1e-4) -> Bool {
  abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance: tolerance) }
}

/// Naive reference: element (i, j) of op(m).
func element(_ m: DenseMatrix, _ i: Int, _ j: Int, transposed: Bool) -> Float {
  transposed ? m[j, i] : m[i, j]
}
