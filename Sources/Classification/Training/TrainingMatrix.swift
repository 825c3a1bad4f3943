/// Weighted examples in compressed sparse rows, with their labels: what every solver trains on.
struct TrainingMatrix {
  /// The number of features (columns); every index is below it.
  var featureCount: Int
  /// The number of labels; every label is below it.
  var classCount: Int
  /// Where each example's entries start in `indices` and `values`; one more than examples.
  var offsets: [Int] = [0]
  /// The features' indices, example after example.
  var indices: [UInt32] = []
  /// The features' values, aligned with `indices`.
  var values: [Float] = []
  /// Each example's label.
  var labels: [Int32] = []
  /// How much each example counts.
  var weights: [Float] = []

  /// The number of examples.
  var count: Int { labels.count }

  /// Appends one example: its features' indices and values, its label and its weight.
  mutating func append(
    indices rowIndices: UnsafeBufferPointer<UInt32>, values rowValues: UnsafeBufferPointer<Float>,
    label: Int, weight: Float = 1
  ) {
    weights.append(weight)
    indices.append(contentsOf: rowIndices)
    values.append(contentsOf: rowValues)
    offsets.append(indices.count)
    labels.append(Int32(label))
  }

  /// Appends every example of `other`, which has the same features and classes.
  mutating func append(contentsOf other: TrainingMatrix) {
    precondition(other.featureCount == featureCount && other.classCount == classCount)
    let base = indices.count
    offsets.append(contentsOf: other.offsets.dropFirst().lazy.map { $0 + base })
    indices.append(contentsOf: other.indices)
    values.append(contentsOf: other.values)
    labels.append(contentsOf: other.labels)
    weights.append(contentsOf: other.weights)
  }

  /// Reserves room for `examples` more examples holding `entries` more features in all.
  mutating func reserve(examples: Int, entries: Int) {
    offsets.reserveCapacity(offsets.count + examples)
    labels.reserveCapacity(labels.count + examples)
    weights.reserveCapacity(weights.count + examples)
    indices.reserveCapacity(indices.count + entries)
    values.reserveCapacity(values.count + entries)
  }
}

/// A ``TrainingMatrix``'s arrays as unsafe buffers, for the solvers' inner loops; valid only
/// inside ``TrainingMatrix/withRows(_:)``.
struct TrainingRows {
  /// Where each example's entries start in `indices` and `values`; one more than examples.
  let offsets: UnsafeBufferPointer<Int>
  /// The features' indices, example after example.
  let indices: UnsafeBufferPointer<UInt32>
  /// The features' values, aligned with `indices`.
  let values: UnsafeBufferPointer<Float>
  /// Each example's label.
  let labels: UnsafeBufferPointer<Int32>
  /// How much each example counts.
  let weights: UnsafeBufferPointer<Float>

  /// The positions of `example`'s entries in `indices` and `values`.
  @inline(__always)
  func entries(of example: Int) -> Range<Int> { offsets[example]..<offsets[example + 1] }

  /// `example`'s feature indices.
  @inline(__always)
  func indices(of example: Int) -> UnsafeBufferPointer<UInt32> {
    UnsafeBufferPointer(rebasing: indices[entries(of: example)])
  }

  /// `example`'s feature values.
  @inline(__always)
  func values(of example: Int) -> UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(rebasing: values[entries(of: example)])
  }
}

extension TrainingMatrix {
  /// Calls `body` with the matrix's arrays as unsafe buffers, which must not escape it.
  func withRows<Result>(_ body: (TrainingRows) throws -> Result) rethrows -> Result {
    try offsets.withUnsafeBufferPointer { offsets in
      try indices.withUnsafeBufferPointer { indices in
        try values.withUnsafeBufferPointer { values in
          try labels.withUnsafeBufferPointer { labels in
            try weights.withUnsafeBufferPointer { weights in
              try body(
                TrainingRows(
                  offsets: offsets, indices: indices, values: values, labels: labels,
                  weights: weights))
            }
          }
        }
      }
    }
  }
}
