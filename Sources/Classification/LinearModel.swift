/// A linear scorer over hashed features: `score(c) = bias[c] + Σ weights[f, c]` for every
/// occurrence of a feature `f`.
///
/// Naive Bayes (log-likelihoods) and logistic regression (coefficients) both reduce to this, so
/// one hot loop labels with either. The weights are feature-major (`weights[f * classes + c]`):
/// all class weights of one feature sit together, so each feature costs one cache line.
/// Scores are summed in double precision.
public struct LinearModel: Sendable, Equatable {
  /// The number of classes.
  public let classCount: Int
  /// The number of feature buckets.
  public let featureCount: Int
  /// Feature-major weights: `weights[feature * classCount + class]`.
  public let weights: [Float]
  /// One bias (log-prior or intercept) per class.
  public let bias: [Double]

  /// Creates a scorer.
  public init(classCount: Int, weights: [Float], bias: [Double]) {
    precondition(
      classCount > 0 && bias.count == classCount && weights.count % classCount == 0,
      "LinearModel: \(weights.count) weights and \(bias.count) biases for \(classCount) classes")
    self.classCount = classCount
    self.featureCount = weights.count / classCount
    self.weights = weights
    self.bias = bias
  }

  /// Writes the log-domain score of every class for the feature occurrences in `features`.
  ///
  /// - Precondition: `scores.count == classCount`, every feature `< featureCount`.
  /// - Complexity: O(features · classes).
  @inline(__always)
  public func scores(
    features: UnsafeBufferPointer<UInt32>, into scores: UnsafeMutableBufferPointer<Double>
  ) {
    startFromBias(scores)
    let classes = classCount
    let limit = UInt32(truncatingIfNeeded: featureCount)
    weights.withUnsafeBufferPointer { w in
      if classes == 2 {
        var s0: Double = 0
        var s1: Double = 0
        for feature in features {
          precondition(feature < limit, "LinearModel.scores: feature \(feature) out of range")
          let base = Int(feature) &<< 1
          s0 += Double(w[base])
          s1 += Double(w[base &+ 1])
        }
        scores[0] += s0
        scores[1] += s1
      } else {
        for feature in features {
          precondition(feature < limit, "LinearModel.scores: feature \(feature) out of range")
          let base = Int(feature) &* classes
          for c in 0..<classes { scores[c] += Double(w[base &+ c]) }
        }
      }
    }
  }

  /// Writes the log-domain score of every class for a weighted feature vector.
  ///
  /// - Precondition: `scores.count == classCount`, every index `< featureCount`.
  /// - Complexity: O(features · classes).
  @inline(__always)
  public func scores(
    indices: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Float>,
    into scores: UnsafeMutableBufferPointer<Double>
  ) {
    startFromBias(scores)
    let classes = classCount
    let limit = UInt32(truncatingIfNeeded: featureCount)
    weights.withUnsafeBufferPointer { w in
      for position in 0..<indices.count {
        let feature = indices[position]
        precondition(feature < limit, "LinearModel.scores: feature \(feature) out of range")
        let value = Double(values[position])
        let base = Int(feature) &* classes
        for c in 0..<classes { scores[c] += value * Double(w[base &+ c]) }
      }
    }
  }

  /// Sets every class's score to its bias: where every scoring path starts.
  ///
  /// - Precondition: `scores.count == classCount`.
  @inline(__always)
  func startFromBias(_ scores: UnsafeMutableBufferPointer<Double>) {
    precondition(
      scores.count == classCount,
      "LinearModel.scores: \(scores.count) slots for \(classCount) classes")
    for c in 0..<classCount { scores[c] = bias[c] }
  }
}
