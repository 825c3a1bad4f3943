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
/// one bit per bucket (512 KB for 2^22 buckets) in 64-byte blocks of 512 buckets, with the rank
/// of every block in a small array that stays in cache, so a lookup reads one cache line of
/// the bitmap and, for a kept feature, one row: a feature the model pruned costs a single bit
/// test. With a ``Vocabulary`` and separate arrays, scoring a feature would cost four random
/// accesses over several megabytes (the vocabulary's hash table, a de-duplication table, the
/// IDF, the weights); repeated features are merged here in a small table that stays in L1.
struct ScoringTable: Sendable {
  /// Pairs of words: the bits of 64 buckets (set when the model kept the bucket), then the
  /// number of kept buckets before them.
  private let words: [UInt64]
  /// Row `r` is `rows[r * stride ..< (r + 1) * stride]`: the IDF when ``hasIDF``, then
  /// `classCount` weights.
  private let rows: [Float]
  private let stride: Int
  /// Where the class weights start in a row.
  private let weightOffset: Int
  /// Whether rows carry the feature's inverse document frequency.
  let hasIDF: Bool
  /// The number of hash buckets: no message has more distinct features.
  private let bucketLimit: Int
  let classCount: Int

  /// Lays out `model`'s weights (and `idf`, one per vocabulary feature, when given).
  init(vocabulary: Vocabulary, model: LinearModel, bucketCount: Int, idf: [Float]? = nil) {
    precondition(
      vocabulary.count == model.featureCount, "ScoringTable: vocabulary and model differ")
    precondition(idf == nil || idf?.count == vocabulary.count, "ScoringTable: one IDF per feature")
    classCount = model.classCount
    hasIDF = idf != nil
    weightOffset = hasIDF ? 1 : 0
    bucketLimit = bucketCount
    stride = weightOffset + model.classCount
    // Word 2i holds the bits of buckets 64i..<64(i+1); word 2i+1 the rank of bucket 64i.
    let wordCount = (bucketCount + 63) / 64
    var words = [UInt64](repeating: 0, count: wordCount * 2)
    for bucket in vocabulary.buckets {
      precondition(Int(bucket) < bucketCount, "ScoringTable: bucket \(bucket) out of range")
      words[(Int(bucket) >> 6) * 2] |= 1 << UInt64(bucket & 63)
    }
    var rank: UInt64 = 0
    for word in 0..<wordCount {
      words[2 * word + 1] = rank
      rank += UInt64(words[2 * word].nonzeroBitCount)
    }
    // Vocabulary indices follow increasing bucket order, so a bucket's rank is its index.
    var rows = [Float](repeating: 0, count: vocabulary.count * stride)
    for index in 0..<vocabulary.count {
      if let idf { rows[index * stride] = idf[index] }
      for c in 0..<model.classCount {
        rows[index * stride + weightOffset + c] = model.weights[index * model.classCount + c]
      }
    }
    self.words = words
    self.rows = rows
  }

  /// The first element of the row of `bucket`, or `nil` when the model pruned it.
  @inline(__always)
  private func base(of bucket: UInt32, words: UnsafeBufferPointer<UInt64>) -> Int? {
    let pair = Int(truncatingIfNeeded: bucket &>> 6) &<< 1
    guard pair < words.count else { return nil }
    let word = words[pair]
    let bit = UInt64(bucket & 63)
    guard word & (1 &<< bit) != 0 else { return nil }
    let rank =
      Int(truncatingIfNeeded: words[pair &+ 1])
      &+ (word & ((1 &<< bit) &- 1)).nonzeroBitCount
    return rank &* stride
  }

  /// Calls `body` with a lookup from bucket to row start.
  @inline(__always)
  private func withLookup<R>(
    _ body: ((UInt32) -> Int?, UnsafeBufferPointer<Float>) -> R
  ) -> R {
    words.withUnsafeBufferPointer { words in
      rows.withUnsafeBufferPointer { rows in
        body({ base(of: $0, words: words) }, rows)
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
    withLookup { lookup, rows in
      if classCount == 2 {
        var s0: Double = 0
        var s1: Double = 0
        for bucket in features {
          guard let base = lookup(bucket) else { continue }
          s0 += Double(rows[base &+ offset])
          s1 += Double(rows[base &+ offset &+ 1])
        }
        scores[0] += s0
        scores[1] += s1
      } else {
        for bucket in features {
          guard let base = lookup(bucket) else { continue }
          for c in 0..<classCount { scores[c] += Double(rows[base &+ offset &+ c]) }
        }
      }
    }
  }

  /// Adds the scores of a message under `weighting` to `scores`, which already hold the biases.
  ///
  /// Occurrences of one feature are merged first (in `scratch`, a table the size of the
  /// message), then each distinct feature's value is its term frequency times its IDF, and the
  /// values are scaled to unit length when `weighting.l2Normalize`: exactly the vector
  /// ``FeatureSpace/vectorize(_:into:ordered:)`` builds, scored in one pass over the table.
  @inline(__always)
  func addWeightedScores(
    features: UnsafeBufferPointer<UInt32>, weighting: FeatureWeighting,
    to scores: UnsafeMutableBufferPointer<Double>, scratch: inout DistinctScratch
  ) {
    let offset = weightOffset
    let useIDF = hasIDF && weighting.inverseDocumentFrequency
    withLookup { lookup, rows in
      let merged = scratch.merge(features, distinctLimit: bucketLimit)
      scratch.withBuffers { bases, counts in
        // Rows of the distinct buckets the model kept: independent lookups, which the processor
        // overlaps.
        // Ask for every bitmap word first, so that the lookups below find them close.
        words.withUnsafeBufferPointer { words in
          guard let start = words.baseAddress else { return }
          for i in 0..<merged {
            let pair = Int(truncatingIfNeeded: bases[i] &>> 6) &<< 1
            if pair < words.count { crible_prefetch(start + pair) }
          }
        }
        var distinct = 0
        for i in 0..<merged {
          guard let base = lookup(bases[i]) else { continue }
          // The row is read twice below: ask for it now, while the other lookups proceed.
          rows.baseAddress.map { crible_prefetch($0 + base) }
          bases[distinct] = UInt32(truncatingIfNeeded: base)
          counts[distinct] = counts[i]
          distinct &+= 1
        }
        // Values, and their squared length.
        var sum: Float = 0
        for i in 0..<distinct {
          var value: Float
          switch weighting.termFrequency {
          case .counts: value = Float(counts[i])
          case .binary: value = 1
          case .sublinear: value = counts[i] == 1 ? 1 : 1 + logf(Float(counts[i]))
          }
          if useIDF { value *= rows[Int(bases[i])] }
          counts[i] = value.bitPattern
          sum += value * value
        }
        let scale: Double =
          weighting.l2Normalize && distinct > 0 ? Double(1 / sum.squareRoot()) : 1
        if classCount == 2 {
          var s0: Double = 0
          var s1: Double = 0
          for i in 0..<distinct {
            let base = Int(bases[i])
            let value = Double(Float(bitPattern: counts[i]) * Float(scale))
            s0 += value * Double(rows[base &+ offset])
            s1 += value * Double(rows[base &+ offset &+ 1])
          }
          scores[0] += s0
          scores[1] += s1
        } else {
          for i in 0..<distinct {
            let base = Int(bases[i])
            let value = Double(Float(bitPattern: counts[i]) * Float(scale))
            for c in 0..<classCount {
              scores[c] += value * Double(rows[base &+ offset &+ c])
            }
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

  /// Merges the repeats among `features`; returns how many distinct ones there are.
  @inline(__always)
  ///
  /// - Parameters:
  ///   - features: Feature occurrences, each less than `distinctLimit`.
  ///   - distinctLimit: How many distinct features there can be at most (the number of hash
  ///     buckets), which bounds the scratch space for huge messages.
  mutating func merge(_ features: UnsafeBufferPointer<UInt32>, distinctLimit: Int) -> Int {
    let most = min(features.count, distinctLimit)
    var capacity = 16
    while capacity < 2 * most { capacity &*= 2 }
    if table.count < capacity {
      table = [UInt64](repeating: 0, count: capacity)
    }
    if keys.count < most {
      keys = [UInt32](repeating: 0, count: most)
      counts = [UInt32](repeating: 0, count: most)
    }
    let mask = capacity - 1
    var distinct = 0
    table.withUnsafeMutableBufferPointer { table in
      keys.withUnsafeMutableBufferPointer { keys in
        counts.withUnsafeMutableBufferPointer { counts in
          for found in features {
            let tag = UInt64(UInt32(truncatingIfNeeded: found) &+ 1) << 32
            var slot =
              Int(truncatingIfNeeded: (UInt64(found) &* 0x9e37_79b9_7f4a_7c15) >> 40) & mask
            while true {
              let entry = table[slot]
              if entry == 0 {
                table[slot] = tag | UInt64(distinct)
                keys[distinct] = UInt32(truncatingIfNeeded: found)
                counts[distinct] = 1
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
          for i in 0..<distinct {
            var slot =
              Int(truncatingIfNeeded: (UInt64(keys[i]) &* 0x9e37_79b9_7f4a_7c15) >> 40) & mask
            while table[slot] >> 32 != UInt64(keys[i]) &+ 1 { slot = (slot &+ 1) & mask }
            table[slot] = 0
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
