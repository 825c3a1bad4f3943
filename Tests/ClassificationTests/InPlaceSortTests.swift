import Testing
import _TestSupport

@testable import Classification

@Suite struct InPlaceSortTests {
  /// Sizes around the insertion-sort cut-off, sorted, reversed, with repeats, and random.
  @Test(arguments: [0, 1, 2, 15, 16, 17, 33, 100, 1000, 5000])
  func sortsLikeTheStandardLibrary(count: Int) {
    var generator = SeededGenerator(seed: UInt64(count))
    let inputs: [[UInt32]] = [
      (0..<count).map { _ in UInt32(truncatingIfNeeded: generator.next() % 1000) },
      (0..<count).map { UInt32($0) },
      (0..<count).map { UInt32(count - $0) },
      [UInt32](repeating: 7, count: count),
      (0..<count).map { UInt32($0 % 3) },
    ]
    for input in inputs {
      var values = input
      values.withUnsafeMutableBufferPointer { InPlaceSort.sort($0) }
      #expect(values == input.sorted())
    }
  }
}
