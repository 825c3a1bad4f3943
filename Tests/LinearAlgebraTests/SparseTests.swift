import LinearAlgebra
import Testing

@Suite struct SparseTests {
  static func randomSparse(dimension: Int, density: Double, seed: UInt64) -> SparseVector {
    var rng = SeededGenerator(seed: seed)
    var indices: [Int32] = []
    var values: [Float] = []
    for i in 0..<dimension where Double.random(in: 0..<1, using: &rng) < density {
      indices.append(Int32(i))
      values.append(Float.random(in: -1...1, using: &rng))
    }
    return SparseVector(dimension: dimension, indices: indices, values: values)
  }

  @Test(arguments: [0, 1, 10, 500])
  func sparseDotAndAxpyMatchDense(dimension: Int) {
    let sparse = Self.randomSparse(dimension: dimension, density: 0.3, seed: UInt64(dimension))
    var rng = SeededGenerator(seed: 7)
    let dense = DenseVector(rng.floats(dimension))
    #expect(close(sparse.dot(dense), sparse.dense.dot(dense)))
    var y = dense
    sparse.add(scaledBy: 2, to: &y)
    var expected = dense
    expected.add(sparse.dense, scaledBy: 2)
    #expect(close(y.elements, expected.elements))
  }

  @Test func summingInitializerAddsRepeatsAndSorts() {
    let v = SparseVector(dimension: 10, summing: [(7, 1), (2, 0.5), (7, 2)])
    #expect(v.indices == [2, 7])
    #expect(v.values == [0.5, 3])
  }

  @Test(arguments: [(0, 5, 3), (1, 1, 1), (6, 20, 4), (9, 3, 1)])
  func csrProductsMatchNaiveLoops(shape: (Int, Int, Int)) {
    let (rows, columns, n) = shape
    let sparseRows = (0..<rows).map {
      Self.randomSparse(dimension: columns, density: 0.4, seed: UInt64($0 + 100))
    }
    let batch = CSRMatrix(columns: columns, rows: sparseRows)
    #expect(batch.rows == rows)
    var rng = SeededGenerator(seed: 11)
    let b = DenseMatrix(rows: columns, columns: n, elements: rng.floats(columns * n))
    let x = DenseVector(rng.floats(columns))
    let c = batch.multiply(b)
    let y = batch.multiply(x)
    for i in 0..<rows {
      let row = sparseRows[i].dense
      #expect(close(y[i], row.dot(x)))
      for j in 0..<n {
        var sum: Float = 0
        for p in 0..<columns { sum += row[p] * b[p, j] }
        #expect(close(c[i, j], sum))
      }
    }
    // Transposed product: batchᵀ · g, the shape of a gradient.
    let g = DenseMatrix(rows: rows, columns: n, elements: rng.floats(rows * n))
    let t = batch.transposedMultiply(g)
    #expect(t.rows == columns && t.columns == n)
    for p in 0..<columns {
      for j in 0..<n {
        var sum: Float = 0
        for i in 0..<rows { sum += sparseRows[i].dense[p] * g[i, j] }
        #expect(close(t[p, j], sum))
      }
    }
    #expect(rows == 0 || batch.row(rows - 1) == sparseRows[rows - 1])
  }
}
