import LinearAlgebra
import Testing

@Suite struct DenseVectorTests {
  static let sizes = [0, 1, 2, 7, 64, 1000]

  @Test(arguments: sizes)
  func dotMatchesNaiveLoop(count: Int) {
    var rng = SeededGenerator(seed: UInt64(count) + 1)
    let x = rng.floats(count)
    let y = rng.floats(count)
    var expected: Float = 0
    for i in 0..<count { expected += x[i] * y[i] }
    #expect(close(DenseVector(x).dot(DenseVector(y)), expected))
  }

  @Test(arguments: sizes)
  func axpyMatchesNaiveLoop(count: Int) {
    var rng = SeededGenerator(seed: UInt64(count) + 2)
    let x = rng.floats(count)
    let y = rng.floats(count)
    var vector = DenseVector(y)
    vector.add(DenseVector(x), scaledBy: -0.75)
    #expect(close(vector.elements, (0..<count).map { y[$0] - 0.75 * x[$0] }))
  }

  @Test(arguments: sizes)
  func scaleMatchesNaiveLoop(count: Int) {
    var rng = SeededGenerator(seed: UInt64(count) + 3)
    let x = rng.floats(count)
    var vector = DenseVector(x)
    vector.scale(by: 3.5)
    #expect(close(vector.elements, x.map { $0 * 3.5 }))
  }

  @Test(arguments: sizes)
  func normMatchesNaiveLoop(count: Int) {
    var rng = SeededGenerator(seed: UInt64(count) + 4)
    let x = rng.floats(count)
    let expected = Float(x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    #expect(close(DenseVector(x).norm, expected))
  }

  @Test func normDoesNotOverflowOnLargeElements() {
    // Squaring 1e30 overflows Float; BLAS nrm2 scales first.
    #expect(close(DenseVector([3e30, 4e30]).norm, 5e30))
  }

  @Test func addDefaultsToPlainSum() {
    var vector = DenseVector([1, 2, 3])
    vector.add(DenseVector([10, 20, 30]))
    #expect(vector == DenseVector([11, 22, 33]))
  }
}
