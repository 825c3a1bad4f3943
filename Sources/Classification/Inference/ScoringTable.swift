import CribleSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The weights of a pruned model, laid out for labelling.
///
/// A bitmap over the hash buckets says which buckets the model kept; its rank (how many kept
/// buckets come before) is the feature's row, and the row holds the feature's inverse document
/// frequency (when the model weighs by it) beside its weight for every class. The bitmap takes
/// one bit per bucket (512 KB for 2^22 buckets); a directory word per 256 buckets (128 KB)
/// holds the rank of its first bucket and the counts of its first one, two and three 64-bit
/// words, so a rank costs one bitmap word, one directory word and one population count. A
/// feature the model pruned costs a single bit test.
///
/// When only the difference between two scores matters (two classes under a softmax), a row
/// holds the difference of the two weights rather than both, as LIBLINEAR stores a binary
/// model: the rows are then 8 bytes with an IDF, 4 without, and the whole table of a
/// 100,000-feature model stays near the size of the L2 cache.
///
/// With a ``Vocabulary`` and separate arrays, scoring a feature would cost four random
/// accesses over several megabytes (the vocabulary's hash table, a de-duplication table, the
/// IDF, the weights); repeated features are merged here in a small table that stays in L1.
struct ScoringTable: Sendable {
  /// The bits of the buckets, 64 per word, set when the model kept the bucket.
  private let bits: [UInt64]
  /// One word per 256 buckets: the rank of its first bucket in the low 32 bits, then in bytes
  /// 5, 6 and 7 the number of kept buckets in its first one, two and three bitmap words (byte
  /// 4 is zero, the count before the first word).
  private let directory: [UInt64]
  /// Row `r` is `rows[r * stride ..< (r + 1) * stride]`: the IDF when ``hasIDF``, then the
  /// class weights (one per class, or the second class's weight minus the first's when
  /// ``scoresDifference``).
  private let rows: [Float]
  private let stride: Int
  /// Where the class weights start in a row.
  private let weightOffset: Int
  /// Whether rows carry the feature's inverse document frequency.
  let hasIDF: Bool
  /// Whether the rows hold one weight, the difference between the two classes' weights, added
  /// to the second class's score: what a softmax over two classes sees.
  let scoresDifference: Bool
  /// The number of rows: no message has more distinct features the model kept.
  private let rowCount: Int
  let classCount: Int

  /// Lays out `model`'s weights (and `idf`, one per vocabulary feature, when given).
  ///
  /// - Parameters:
  ///   - vocabulary: The buckets the model kept, in increasing order.
  ///   - model: The weights, one row per vocabulary feature.
  ///   - bucketCount: The number of hash buckets.
  ///   - idf: The inverse document frequency of each vocabulary feature, if the model uses it.
  ///   - softmax: Whether the scores go through a softmax, which only their differences
  ///     change: a two-class model then stores one weight per feature.
  init(
    vocabulary: Vocabulary, model: LinearModel, bucketCount: Int, idf: [Float]? = nil,
    softmax: Bool
  ) {
    precondition(
      vocabulary.count == model.featureCount, "ScoringTable: vocabulary and model differ")
    precondition(idf == nil || idf?.count == vocabulary.count, "ScoringTable: one IDF per feature")
    precondition(vocabulary.count < 1 << 32, "ScoringTable: too many features")
    classCount = model.classCount
    hasIDF = idf != nil
    scoresDifference = softmax && model.classCount == 2
    weightOffset = hasIDF ? 1 : 0
    rowCount = vocabulary.count
    let weightsPerRow = scoresDifference ? 1 : model.classCount
    stride = weightOffset + weightsPerRow
    var bits = [UInt64](repeating: 0, count: (bucketCount + 63) / 64)
    for bucket in vocabulary.buckets {
      precondition(Int(bucket) < bucketCount, "ScoringTable: bucket \(bucket) out of range")
      bits[Int(bucket) >> 6] |= 1 << UInt64(bucket & 63)
    }
    var directory = [UInt64](repeating: 0, count: (bits.count + 3) / 4)
    var rank: UInt64 = 0
    for block in 0..<directory.count {
      var entry = rank
      var within: UInt64 = 0
      for word in 0..<4 where block * 4 + word < bits.count {
        entry |= within << (32 + 8 * UInt64(word))
        within += UInt64(bits[block * 4 + word].nonzeroBitCount)
      }
      directory[block] = entry
      rank += within
    }
    // Vocabulary indices follow increasing bucket order, so a bucket's rank is its index.
    var rows = [Float](repeating: 0, count: vocabulary.count * stride)
    for index in 0..<vocabulary.count {
      if let idf { rows[index * stride] = idf[index] }
      let weights = model.weights[(index * model.classCount)...]
      if scoresDifference {
        rows[index * stride + weightOffset] =
          weights[weights.startIndex + 1] - weights[weights.startIndex]
      } else {
        for c in 0..<model.classCount {
          rows[index * stride + weightOffset + c] = weights[weights.startIndex + c]
        }
      }
    }
    self.bits = bits
    self.directory = directory
    self.rows = rows
  }

  /// The table's buffers, opened for one message.
  private struct Lookup {
    let bits: UnsafeBufferPointer<UInt64>
    let directory: UnsafeBufferPointer<UInt64>
    let rows: UnsafeBufferPointer<Float>
    let stride: Int

    /// The row of `bucket`, or `nil` when the model pruned it.
    @inline(__always)
    func row(of bucket: UInt32) -> Int? {
      let index = Int(truncatingIfNeeded: bucket &>> 6)
      guard index < bits.count else { return nil }
      let word = bits[index]
      let bit = UInt64(bucket & 63)
      guard word & (1 &<< bit) != 0 else { return nil }
      let entry = directory[index &>> 2]
      let before = (entry &>> (32 &+ 8 &* UInt64(index & 3))) & 0xFF
      return Int(truncatingIfNeeded: (entry & 0xFFFF_FFFF) &+ before)
        &+ Int(crible_popcount(word & ((1 &<< bit) &- 1)))
    }

    /// Asks for the bitmap and directory words of `bucket`, without waiting for them.
    @inline(__always)
    func prefetchBitmap(of bucket: UInt32) {
      let index = Int(truncatingIfNeeded: bucket &>> 6)
      guard index < bits.count, let bitsStart = bits.baseAddress,
        let directoryStart = directory.baseAddress
      else { return }
      crible_prefetch(bitsStart + index)
      crible_prefetch(directoryStart + (index &>> 2))
    }

    /// Asks for `row`, without waiting for it.
    @inline(__always)
    func prefetch(row: Int) {
      rows.baseAddress.map { crible_prefetch($0 + row &* stride) }
    }

    /// Element `offset` of `row`.
    @inline(__always)
    subscript(row: Int, offset: Int) -> Float { rows[row &* stride &+ offset] }
  }

  /// Calls `body` with the table's buffers.
  @inline(__always)
  private func withLookup<R>(_ body: (Lookup) -> R) -> R {
    bits.withUnsafeBufferPointer { bits in
      directory.withUnsafeBufferPointer { directory in
        rows.withUnsafeBufferPointer { rows in
          body(Lookup(bits: bits, directory: directory, rows: rows, stride: stride))
        }
      }
    }
  }

  /// Adds the weights of every feature occurrence in `features` (hash buckets) to `scores`,
  /// which already hold the biases; buckets outside the model add nothing.
  @inline(__always)
  func addScores(
    features: UnsafeBufferPointer<UInt32>, to scores: UnsafeMutableBufferPointer<Double>
  ) {
    let offset = weightOffset
    withLookup { table in
      if scoresDifference {
        var sum: Double = 0
        for bucket in features {
          guard let row = table.row(of: bucket) else { continue }
          sum += Double(table[row, offset])
        }
        scores[1] += sum
      } else {
        for bucket in features {
          guard let row = table.row(of: bucket) else { continue }
          for c in 0..<classCount { scores[c] += Double(table[row, offset &+ c]) }
        }
      }
    }
  }

  /// Adds the scores of a message under `weighting` to `scores`, which already hold the biases.
  ///
  /// Occurrences of one feature are merged first (in `scratch`, a table the size of the
  /// message), then each distinct feature's value is its term frequency times its IDF, and the
  /// values are scaled to unit length (or unit sum) as `weighting` says: exactly the vector
  /// ``FeatureSpace/vectorize(_:into:ordered:)`` builds, scored in one pass over the table.
  @inline(__always)
  func addWeightedScores(
    features: UnsafeBufferPointer<UInt32>, weighting: FeatureWeighting,
    to scores: UnsafeMutableBufferPointer<Double>, scratch: inout DistinctScratch
  ) {
    let offset = weightOffset
    let useIDF = hasIDF && weighting.inverseDocumentFrequency
    withLookup { table in
      // Ask for every bitmap and directory word first, so that the lookups below, which are
      // independent, find them close.
      for bucket in features { table.prefetchBitmap(of: bucket) }
      // The rows of the features the model kept (a pruned feature costs one bit test and
      // never reaches the merge), each asked for at once, while the other lookups proceed;
      // then their repeats merged.
      let distinct = scratch.mergeRows(features, rowLimit: rowCount) { bucket in
        guard let row = table.row(of: bucket) else { return nil }
        table.prefetch(row: row)
        return UInt32(truncatingIfNeeded: row)
      }
      scratch.withBuffers { keptRows, counts in
        // Values, their squared length and their sum.
        var sumOfSquares: Float = 0
        var sum: Float = 0
        for i in 0..<distinct {
          var value: Float
          switch weighting.termFrequency {
          case .counts: value = Float(counts[i])
          case .binary: value = 1
          case .sublinear: value = counts[i] == 1 ? 1 : 1 + logf(Float(counts[i]))
          }
          if useIDF { value *= table[Int(keptRows[i]), 0] }
          counts[i] = value.bitPattern
          sumOfSquares += value * value
          sum += value
        }
        let scale = Double(weighting.scale(sumOfSquares: sumOfSquares, sum: sum))
        if scoresDifference {
          var difference: Double = 0
          for i in 0..<distinct {
            let value = Double(Float(bitPattern: counts[i]) * Float(scale))
            difference += value * Double(table[Int(keptRows[i]), offset])
          }
          scores[1] += difference
        } else {
          for i in 0..<distinct {
            let row = Int(keptRows[i])
            let value = Double(Float(bitPattern: counts[i]) * Float(scale))
            for c in 0..<classCount { scores[c] += value * Double(table[row, offset &+ c]) }
          }
        }
      }
    }
  }
}

/// Scratch space that merges the repeated features of one message: a small open-addressing
/// table, sized to the message and emptied after it, so that it stays in the L1 cache.
struct DistinctScratch: Sendable {
  /// `key + 1` in the high half and the position in the low half, or 0 when empty.
  private var table: [UInt64] = []
  /// The distinct keys, in order of first occurrence.
  private var keys: [UInt32] = []
  /// Each distinct key's occurrences (then reused for its value's bit pattern).
  private var counts: [UInt32] = []
  /// The table slot of each distinct key, to empty the table after the message.
  private var slots: [UInt32] = []

  /// Maps each of `features` to a row through `row`, dropping those it maps to `nil`, and
  /// merges the repeated rows.
  ///
  /// - Parameters:
  ///   - features: Feature occurrences.
  ///   - rowLimit: How many distinct rows there can be at most, which bounds the scratch space
  ///     for huge messages.
  ///   - row: The row of a feature, less than `rowLimit`, or `nil` to drop it.
  /// - Returns: The number of distinct rows, whose keys and counts ``withBuffers(_:)`` then
  ///   gives, in order of first occurrence.
  @inline(__always)
  mutating func mergeRows(
    _ features: UnsafeBufferPointer<UInt32>, rowLimit: Int, row: (UInt32) -> UInt32?
  ) -> Int {
    let most = min(features.count, rowLimit)
    var capacity = 16
    while capacity < 2 * most { capacity &*= 2 }
    if table.count < capacity {
      table = [UInt64](repeating: 0, count: capacity)
    }
    if keys.count < most {
      keys = [UInt32](repeating: 0, count: most)
      counts = [UInt32](repeating: 0, count: most)
      slots = [UInt32](repeating: 0, count: most)
    }
    let mask = capacity - 1
    var distinct = 0
    table.withUnsafeMutableBufferPointer { table in
      keys.withUnsafeMutableBufferPointer { keys in
        counts.withUnsafeMutableBufferPointer { counts in
          slots.withUnsafeMutableBufferPointer { slots in
            for feature in features {
              guard let found = row(feature) else { continue }
              let tag = UInt64(found &+ 1) << 32
              var slot =
                Int(truncatingIfNeeded: (UInt64(found) &* 0x9e37_79b9_7f4a_7c15) >> 40) & mask
              while true {
                let entry = table[slot]
                if entry == 0 {
                  table[slot] = tag | UInt64(distinct)
                  keys[distinct] = found
                  counts[distinct] = 1
                  slots[distinct] = UInt32(truncatingIfNeeded: slot)
                  distinct &+= 1
                  break
                }
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                  counts[Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)] &+= 1
                  break
                }
                slot = (slot &+ 1) & mask
              }
            }
            // Empty the table for the next message: only the slots this one used.
            for i in 0..<distinct { table[Int(slots[i])] = 0 }
          }
        }
      }
    }
    self.distinct = distinct
    return distinct
  }

  private var distinct = 0

  /// Calls `body` with the distinct features and their counts from the last ``merge(_:)``, to
  /// read or rewrite in place.
  @inline(__always)
  mutating func withBuffers<R>(
    _ body: (UnsafeMutableBufferPointer<UInt32>, UnsafeMutableBufferPointer<UInt32>) -> R
  ) -> R {
    let distinct = self.distinct
    return keys.withUnsafeMutableBufferPointer { keys in
      counts.withUnsafeMutableBufferPointer { counts in
        body(
          UnsafeMutableBufferPointer(rebasing: keys[0..<distinct]),
          UnsafeMutableBufferPointer(rebasing: counts[0..<distinct]))
      }
    }
  }
}
