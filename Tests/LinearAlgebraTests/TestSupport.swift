import LinearAlgebra

/// A small deterministic generator (SplitMix64), so every random test input is the same on
/// every run and machine.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension SeededGenerator {
  mutating func floats(_ count: Int) -> [Float] {
    (0..<count).map { _ in Float.random(in: -1...1, using: &self) }
  }
}

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
