import Testing

@testable import Classification

@Suite struct TrainingMatrixTests {
  /// Appends `rows` (feature index to value, label, weight) to `matrix`.
  static func append(_ rows: [([UInt32: Float], Int, Float)], to matrix: inout TrainingMatrix) {
    for (row, label, weight) in rows {
      let indices = row.keys.sorted()
      let values = indices.map { row[$0, default: 0] }
      indices.withUnsafeBufferPointer { i in
        values.withUnsafeBufferPointer { v in
          matrix.append(indices: i, values: v, label: label, weight: weight)
        }
      }
    }
  }

  static let first: [([UInt32: Float], Int, Float)] = [
    ([0: 1, 3: 2], 0, 1), ([:], 1, 2), ([1: 0.5], 1, 0.25),
  ]
  static let second: [([UInt32: Float], Int, Float)] = [([2: 4, 3: 1, 4: 3], 0, 3)]

  /// What `withRows` hands a solver is each example's own entries, label and weight, including
  /// an example with no features; a matrix appended to another keeps its rows.
  @Test func rowsGiveEachExamplesEntries() {
    var matrix = TrainingMatrix(featureCount: 5, classCount: 2)
    Self.append(Self.first, to: &matrix)
    var other = TrainingMatrix(featureCount: 5, classCount: 2)
    Self.append(Self.second, to: &other)
    matrix.append(contentsOf: other)
    let expected = Self.first + Self.second
    #expect(matrix.count == expected.count)
    #expect(matrix.offsets == [0, 2, 2, 3, 6])
    matrix.withRows { rows in
      for (example, (row, label, weight)) in expected.enumerated() {
        #expect(Array(rows.indices(of: example)) == row.keys.sorted())
        #expect(Array(rows.values(of: example)) == row.keys.sorted().map { row[$0, default: 0] })
        #expect(rows.entries(of: example).count == row.count)
        #expect(Int(rows.labels[example]) == label)
        #expect(rows.weights[example] == weight)
      }
    }
  }
}
