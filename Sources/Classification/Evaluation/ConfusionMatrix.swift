/// Counts of (true label, predicted label) pairs.
public struct ConfusionMatrix: Sendable, Equatable {
  /// The labels, in the order of the rows and columns.
  public let labels: [String]
  /// `counts[actual][predicted]`.
  public private(set) var counts: [[Int]]

  /// Creates an all-zero matrix.
  public init(labels: [String]) {
    self.labels = labels
    counts = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
  }

  /// Records one prediction.
  public mutating func record(actual: Int, predicted: Int) {
    counts[actual][predicted] += 1
  }

  /// Adds the counts of another matrix over the same labels.
  public mutating func merge(_ other: ConfusionMatrix) {
    precondition(other.labels == labels, "ConfusionMatrix.merge: label sets differ")
    for i in counts.indices { for j in counts[i].indices { counts[i][j] += other.counts[i][j] } }
  }

  /// The number of predictions recorded.
  public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
}
