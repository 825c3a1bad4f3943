import LinearAlgebra
import Testing

@Suite struct DenseMatrixTests {
  /// Shapes including empty, one-element, square and non-square matrices.
  static let shapes: [(Int, Int)] = [
    (0, 0), (0, 3), (3, 0), (1, 1), (1, 5), (5, 1), (4, 4), (3, 7), (17, 9),
  ]

  static func random(_ rows: Int, _ columns: Int, seed: UInt64) -> DenseMatrix {
    var rng = SeededGenerator(seed: seed)
    return DenseMatrix(rows: rows, columns: columns, elements: rng.floats(rows * columns))
  }

  @Test(arguments: shapes, [false, true])
  func gemvMatchesNaiveLoop(shape: (Int, Int), transposed: Bool) {
    let (rows, columns) = shape
    let a = Self.random(rows, columns, seed: UInt64(rows * 31 + columns))
    let (m, n) = transposed ? (columns, rows) : (rows, columns)
    var rng = SeededGenerator(seed: 99)
    let x = rng.floats(n)
    let y0 = rng.floats(m)
    var expected = [Float](repeating: 0, count: m)
    for i in 0..<m {
      var sum: Float = 0
      for j in 0..<n { sum += element(a, i, j, transposed: transposed) * x[j] }
      expected[i] = 2 * sum + 0.5 * y0[i]
    }
    var y = DenseVector(y0)
    a.multiply(DenseVector(x), transposed: transposed, into: &y, alpha: 2, beta: 0.5)
    #expect(close(y.elements, expected))
    // The allocating form: alpha 1, beta 0.
    let plain = a.multiply(DenseVector(x), transposed: transposed)
    #expect(close(plain.elements, (0..<m).map { (expected[$0] - 0.5 * y0[$0]) / 2 }))
  }

  @Test(
    arguments: [(0, 0, 0), (1, 1, 1), (2, 3, 4), (5, 1, 3), (3, 5, 0), (7, 6, 9), (1, 8, 2)],
    [
      (false, false), (true, false), (false, true), (true, true),
    ])
  func gemmMatchesNaiveLoop(size: (Int, Int, Int), transposes: (Bool, Bool)) {
    let (m, n, k) = size
    let (ta, tb) = transposes
    let a = ta ? Self.random(k, m, seed: 1) : Self.random(m, k, seed: 1)
    let b = tb ? Self.random(n, k, seed: 2) : Self.random(k, n, seed: 2)
    let c0 = Self.random(m, n, seed: 3)
    var expected = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var sum: Float = 0
        for p in 0..<k {
          sum += element(a, i, p, transposed: ta) * element(b, p, j, transposed: tb)
        }
        expected[i * n + j] = 1.5 * sum - 2 * c0[i, j]
      }
    }
    var c = c0
    DenseMatrix.multiply(a, b, transposeA: ta, transposeB: tb, into: &c, alpha: 1.5, beta: -2)
    #expect(c.rows == m && c.columns == n)
    #expect(close(c.elements, expected))
  }

  @Test func productOfKnownMatrices() {
    let a = DenseMatrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
    let b = DenseMatrix(rows: 3, columns: 2, elements: [7, 8, 9, 10, 11, 12])
    #expect(DenseMatrix.product(a, b).elements == [58, 64, 139, 154])
    #expect(DenseMatrix.product(a, a, transposeB: true).elements == [14, 32, 32, 77])
    #expect(a.transposed.elements == [1, 4, 2, 5, 3, 6])
  }

  @Test func subscriptReadsRowMajor() {
    var a = DenseMatrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
    #expect(a[1, 0] == 4)
    a[0, 2] = 9
    #expect(a.elements == [1, 2, 9, 4, 5, 6])
  }
}
