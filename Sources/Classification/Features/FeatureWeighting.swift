#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How the feature occurrences of a message become the values a classifier sees.
///
/// With scikit-learn's definitions (`TfidfVectorizer`): the term frequency `tf` of a feature is
/// its number of occurrences in the message, then
///
/// ```
/// binary:     tf ← 1
/// sublinear:  tf ← 1 + ln tf
/// idf:        value ← tf · (ln((1 + n) / (1 + df)) + 1)     (n examples, df containing the feature)
/// l2:         values ← values / ‖values‖₂
/// l1:         values ← values / ‖values‖₁                (counts: each occurrence 1 / n)
/// ```
///
/// Naive Bayes models counts (the default); logistic regression does better on sublinear TF-IDF
/// with L2 normalisation; supervised embeddings average their features, as fastText does
/// (counts with L1 normalisation). The weighting and the fitted IDF are stored in the model.
public struct FeatureWeighting: Sendable, Hashable, Codable {
  /// How occurrences count.
  public enum TermFrequency: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each occurrence counts one.
    case counts
    /// A feature counts one however often it occurs.
    case binary
    /// `1 + ln(occurrences)`.
    case sublinear
  }

  /// How occurrences count.
  public var termFrequency: TermFrequency
  /// Whether values are multiplied by the feature's smoothed inverse document frequency.
  public var inverseDocumentFrequency: Bool
  /// Whether each message's values are scaled to unit Euclidean length.
  public var l2Normalize: Bool
  /// Whether each message's values are scaled to sum to one (after any L2 scaling, which this
  /// then overrides: use one or the other).
  public var l1Normalize: Bool

  /// Creates a weighting; the default is raw counts.
  public init(
    termFrequency: TermFrequency = .counts, inverseDocumentFrequency: Bool = false,
    l2Normalize: Bool = false, l1Normalize: Bool = false
  ) {
    self.termFrequency = termFrequency
    self.inverseDocumentFrequency = inverseDocumentFrequency
    self.l2Normalize = l2Normalize
    self.l1Normalize = l1Normalize
  }

  /// Decodes a stored weighting; `l1Normalize`, added later, is off when missing.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      termFrequency: try c.decode(TermFrequency.self, forKey: .termFrequency),
      inverseDocumentFrequency: try c.decode(Bool.self, forKey: .inverseDocumentFrequency),
      l2Normalize: try c.decode(Bool.self, forKey: .l2Normalize),
      l1Normalize: try c.decodeIfPresent(Bool.self, forKey: .l1Normalize) ?? false)
  }

  /// Raw counts: every occurrence adds one, which the scorer can do without building vectors.
  public var isRawCounts: Bool {
    termFrequency == .counts && !inverseDocumentFrequency && !l2Normalize && !l1Normalize
  }

  /// The factor that scales a message's values, given their sum of squares and their sum.
  @inline(__always)
  func scale(sumOfSquares: Float, sum: Float) -> Float {
    if l1Normalize { return sum > 0 ? 1 / sum : 1 }
    if l2Normalize { return sumOfSquares > 0 ? 1 / sumOfSquares.squareRoot() : 1 }
    return 1
  }

  /// The smoothed inverse document frequency of a feature seen in `documentFrequency` of
  /// `documents` examples, as scikit-learn computes it (`smooth_idf=True`).
  public static func inverseDocumentFrequency(documentFrequency: Double, documents: Double)
    -> Double
  {
    log((1 + documents) / (1 + documentFrequency)) + 1
  }
}

/// The weighted features of one message: distinct indices (in increasing order unless assigned
/// unordered), with values.
///
/// Backed by storage that grows to the largest message and is then reused.
public struct WeightedFeatures: Sendable {
  var indices: [UInt32] = []
  var values: [Float] = []
  /// Where each feature sits among the distinct ones, or `absent`, for unordered assignment.
  ///
  /// Grows to the largest feature index seen; entries are reset after each message.
  private var positions: [UInt32] = []
  private static let absent = UInt32.max
  /// The number of distinct features.
  public internal(set) var count = 0

  /// Creates an empty vector.
  public init() {}

  /// Fills this vector from feature occurrences (with repeats, in any order).
  ///
  /// - Parameters:
  ///   - features: Feature indices, one per occurrence.
  ///   - weighting: How occurrences become values.
  ///   - idf: The inverse document frequency of every feature, when `weighting` uses it.
  ///   - ordered: Whether the distinct features must come in increasing order. Scoring and
  ///     training do not need it, and then the features are merged in linear time, in order of
  ///     first occurrence, without sorting.
  public mutating func assign(
    _ features: UnsafeBufferPointer<UInt32>, weighting: FeatureWeighting, idf: [Float]?,
    ordered: Bool = true
  ) {
    if !ordered {
      assignUnordered(features, weighting: weighting, idf: idf)
      return
    }
    if indices.count < features.count {
      indices.append(contentsOf: repeatElement(0, count: features.count - indices.count))
      values.append(contentsOf: repeatElement(0, count: features.count - values.count))
    }
    var distinct = 0
    indices.withUnsafeMutableBufferPointer { indices in
      values.withUnsafeMutableBufferPointer { values in
        let sorted = UnsafeMutableBufferPointer(rebasing: indices[0..<features.count])
        _ = sorted.initialize(from: features)
        InPlaceSort.sort(sorted)
        var position = 0
        while position < features.count {
          let index = sorted[position]
          var run = 1
          while position + run < features.count && sorted[position + run] == index { run += 1 }
          var value: Float
          switch weighting.termFrequency {
          case .counts: value = Float(run)
          case .binary: value = 1
          case .sublinear: value = 1 + logf(Float(run))
          }
          if weighting.inverseDocumentFrequency, let idf { value *= idf[Int(index)] }
          indices[distinct] = index
          values[distinct] = value
          distinct += 1
          position += run
        }
        if (weighting.l2Normalize || weighting.l1Normalize) && distinct > 0 {
          var sumOfSquares: Float = 0
          var sum: Float = 0
          for i in 0..<distinct {
            sumOfSquares += values[i] * values[i]
            sum += values[i]
          }
          let scale = weighting.scale(sumOfSquares: sumOfSquares, sum: sum)
          for i in 0..<distinct { values[i] *= scale }
        }
      }
    }
    count = distinct
  }

  private mutating func assignUnordered(
    _ features: UnsafeBufferPointer<UInt32>, weighting: FeatureWeighting, idf: [Float]?
  ) {
    if indices.count < features.count {
      indices.append(contentsOf: repeatElement(0, count: features.count - indices.count))
      values.append(contentsOf: repeatElement(0, count: features.count - values.count))
    }
    var largest: UInt32 = 0
    for feature in features where feature > largest { largest = feature }
    if !features.isEmpty && positions.count <= Int(largest) {
      positions.append(
        contentsOf: repeatElement(Self.absent, count: Int(largest) + 1 - positions.count))
    }
    var distinct = 0
    indices.withUnsafeMutableBufferPointer { indices in
      values.withUnsafeMutableBufferPointer { values in
        positions.withUnsafeMutableBufferPointer { positions in
          // Occurrence counts, in order of first occurrence.
          for feature in features {
            let position = positions[Int(feature)]
            if position == Self.absent {
              positions[Int(feature)] = UInt32(distinct)
              indices[distinct] = feature
              values[distinct] = 1
              distinct += 1
            } else {
              values[Int(position)] += 1
            }
          }
          var sumOfSquares: Float = 0
          var sum: Float = 0
          for i in 0..<distinct {
            positions[Int(indices[i])] = Self.absent
            var value: Float
            switch weighting.termFrequency {
            case .counts: value = values[i]
            case .binary: value = 1
            case .sublinear: value = 1 + logf(values[i])
            }
            if weighting.inverseDocumentFrequency, let idf { value *= idf[Int(indices[i])] }
            values[i] = value
            sumOfSquares += value * value
            sum += value
          }
          if (weighting.l2Normalize || weighting.l1Normalize) && distinct > 0 {
            let scale = weighting.scale(sumOfSquares: sumOfSquares, sum: sum)
            for i in 0..<distinct { values[i] *= scale }
          }
        }
      }
    }
    count = distinct
  }

  /// Calls `body` with the indices and values.
  public func withVector<R>(
    _ body: (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    try indices.withUnsafeBufferPointer { indices in
      try values.withUnsafeBufferPointer { values in
        try body(
          UnsafeBufferPointer(rebasing: indices[0..<count]),
          UnsafeBufferPointer(rebasing: values[0..<count]))
      }
    }
  }
}
