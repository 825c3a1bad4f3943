/// The weights of a pruned model, laid out for labelling: an open-addressing hash table whose
/// slot holds a feature bucket and, right beside it, that feature's weight for every class.
///
/// With a ``Vocabulary``, scoring a feature would otherwise cost two random memory accesses
/// (the vocabulary's slot, then the weight row); here it costs one cache line. Linear probing,
/// load factor at most one half, so a feature outside the model is rejected after about two
/// probes.
struct ScoringTable: Sendable {
  /// Slot `s` is `words[s * stride]` (the bucket, or `empty`) followed by `classCount` weights
  /// stored as `Float` bit patterns.
  private let words: [UInt32]
  private let stride: Int
  private let mask: Int
  let classCount: Int
  private static let empty = UInt32.max

  init(vocabulary: Vocabulary, model: LinearModel) {
    precondition(
      vocabulary.count == model.featureCount, "ScoringTable: vocabulary and model differ")
    classCount = model.classCount
    stride = 1 + model.classCount
    var capacity = 16
    while capacity < 2 * vocabulary.count { capacity *= 2 }
    mask = capacity - 1
    var words = [UInt32](repeating: 0, count: capacity * stride)
    for slot in 0..<capacity { words[slot * stride] = Self.empty }
    for (index, bucket) in vocabulary.buckets.enumerated() {
      var slot = Self.home(bucket, mask)
      while words[slot * stride] != Self.empty { slot = (slot + 1) & mask }
      words[slot * stride] = bucket
      for c in 0..<model.classCount {
        words[slot * stride + 1 + c] = model.weights[index * model.classCount + c].bitPattern
      }
    }
    self.words = words
  }

  @inline(__always)
  private static func home(_ bucket: UInt32, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (UInt64(bucket) &* 0x9e37_79b9_7f4a_7c15) >> 32) & mask
  }

  /// Adds the weights of every feature occurrence in `features` (hash buckets) to `scores`,
  /// which already hold the biases; buckets outside the model add nothing.
  @inline(__always)
  func addScores(
    features: UnsafeBufferPointer<UInt32>, to scores: UnsafeMutableBufferPointer<Double>
  ) {
    let stride = self.stride
    let mask = self.mask
    words.withUnsafeBufferPointer { words in
      if classCount == 2 {
        var s0: Double = 0
        var s1: Double = 0
        for bucket in features {
          var slot = Self.home(bucket, mask)
          while true {
            let base = slot &* stride
            let key = words[base]
            if key == bucket {
              s0 += Double(Float(bitPattern: words[base &+ 1]))
              s1 += Double(Float(bitPattern: words[base &+ 2]))
              break
            }
            if key == Self.empty { break }
            slot = (slot &+ 1) & mask
          }
        }
        scores[0] += s0
        scores[1] += s1
      } else {
        for bucket in features {
          var slot = Self.home(bucket, mask)
          while true {
            let base = slot &* stride
            let key = words[base]
            if key == bucket {
              for c in 0..<classCount {
                scores[c] += Double(Float(bitPattern: words[base &+ 1 &+ c]))
              }
              break
            }
            if key == Self.empty { break }
            slot = (slot &+ 1) & mask
          }
        }
      }
    }
  }
}
