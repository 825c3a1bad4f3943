/// An explicit vocabulary: the feature buckets kept after pruning, numbered densely.
///
/// Features are hashed into a large space (`2^bucketBits` buckets, 2^22 for example, where
/// collisions are rare); the vocabulary keeps the buckets seen in at least `minCount` training
/// examples, at most `maxFeatures` of them (the most frequent), and numbers them `0..<count`.
/// Features outside it are dropped when a message is classified. Models then hold weights for
/// kept features only: smaller files, and hot weights that fit in the cache.
///
/// Lookups use an open-addressing hash table (linear probing, load factor at most one half).
public struct Vocabulary: Sendable, Equatable {
  /// The kept buckets, in increasing order; bucket `buckets[i]` has index `i`.
  public let buckets: [UInt32]
  private let slots: [UInt64]  // bucket << 32 | index, or `empty`
  private let mask: Int
  private static let empty = UInt64.max

  /// Creates a vocabulary of the given buckets (sorted and made distinct here).
  public init(buckets: [UInt32]) {
    // Model files store the buckets sorted and distinct already; only other callers pay for
    // sorting.
    let sorted =
      zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }
      ? buckets : Array(Set(buckets)).sorted()
    self.buckets = sorted
    var capacity = 16
    while capacity < 2 * sorted.count { capacity *= 2 }
    var slots = [UInt64](repeating: Self.empty, count: capacity)
    for (index, bucket) in sorted.enumerated() {
      var slot = Self.home(bucket, capacity - 1)
      while slots[slot] != Self.empty { slot = (slot + 1) & (capacity - 1) }
      slots[slot] = UInt64(bucket) << 32 | UInt64(index)
    }
    self.slots = slots
    mask = capacity - 1
  }

  /// Builds the vocabulary from per-bucket document frequencies.
  ///
  /// - Parameters:
  ///   - documentFrequency: In how many training examples each bucket occurs.
  ///   - minCount: The fewest examples a kept bucket occurs in.
  ///   - maxFeatures: The most buckets kept (the most frequent; ties go to the lower bucket).
  public init(documentFrequency: [Int], minCount: Int, maxFeatures: Int?) {
    // Without sorting: a histogram of the frequencies gives the lowest frequency kept, and one
    // pass in bucket order keeps every bucket above it and the lowest buckets at it.
    var threshold = max(1, minCount)
    var roomAtThreshold = Int.max
    if let maxFeatures {
      var buckets = [Int](repeating: 0, count: (documentFrequency.max() ?? 0) + 1)
      for frequency in documentFrequency where frequency >= threshold { buckets[frequency] += 1 }
      var above = 0
      for frequency in stride(from: buckets.count - 1, through: threshold, by: -1) {
        if above + buckets[frequency] > maxFeatures {
          threshold = frequency
          roomAtThreshold = maxFeatures - above
          break
        }
        above += buckets[frequency]
      }
    }
    var kept: [UInt32] = []
    for (bucket, frequency) in documentFrequency.enumerated() where frequency >= threshold {
      if frequency == threshold {
        guard roomAtThreshold > 0 else { continue }
        roomAtThreshold -= 1
      }
      kept.append(UInt32(bucket))
    }
    self.init(buckets: kept)
  }

  /// The number of features kept.
  public var count: Int { buckets.count }

  @inline(__always)
  private static func home(_ bucket: UInt32, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (UInt64(bucket) &* 0x9e37_79b9_7f4a_7c15) >> 32) & mask
  }

  /// The index of `bucket`, or `nil` when it was pruned.
  @inline(__always)
  public func index(of bucket: UInt32) -> UInt32? {
    slots.withUnsafeBufferPointer { slots in
      var slot = Self.home(bucket, mask)
      while true {
        let entry = slots[slot]
        if entry == Self.empty { return nil }
        if UInt32(truncatingIfNeeded: entry >> 32) == bucket {
          return UInt32(truncatingIfNeeded: entry)
        }
        slot = (slot + 1) & mask
      }
    }
  }

  /// Replaces each bucket in `features[0..<count]` by its index, dropping pruned ones; returns
  /// how many remain.
  @inline(__always)
  func map(_ features: UnsafeMutableBufferPointer<UInt32>) -> Int {
    var kept = 0
    for position in features.indices {
      if let index = index(of: features[position]) {
        features[kept] = index
        kept += 1
      }
    }
    return kept
  }
}
