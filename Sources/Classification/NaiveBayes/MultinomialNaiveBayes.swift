#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Multinomial naive Bayes over hashed feature counts, with Lidstone smoothing.
///
/// The fitted state is the raw counts, as in scikit-learn's `MultinomialNB`: the number of
/// examples of each class and, for every feature bucket, how often it occurred in each class.
/// Counts add, so training can go on with more data, and models trained on shards of a corpus
/// ``merge(_:)`` into exactly the model trained on the whole corpus. The classifier itself is
/// derived from the counts (Manning, Raghavan and Schütze, *Introduction to Information
/// Retrieval*, 2008, §13.2):
///
/// ```
/// log P(c)     = log(Nc / N)
/// log P(f | c) = log((Nfc + α) / (Σf' Nf'c + α·|V|))
/// score(c | x) = log P(c) + Σf xf · log P(f | c)       (xf: occurrences of feature f)
/// ```
///
/// where `|V|` is the number of hash buckets. With α = 1 this is Laplace smoothing; Crible's
/// default, α = ``Configuration/defaultAlpha``, was chosen by measurement (see Models/README.md).
public struct MultinomialNaiveBayes: Sendable, Equatable {
  /// The smoothing of a multinomial naive-Bayes model.
  public struct Configuration: Sendable, Hashable, Codable {
    /// The default smoothing, chosen on held-out data of the corpora in ../shared/datasets.
    public static let defaultAlpha = 0.3

    /// The Lidstone smoothing α, added to every count; must be positive.
    public var alpha: Double
    /// Two labels only: added to the second label's log-prior, to move the decision.
    ///
    /// 0 keeps the prior of the training data. Cross-validation chooses it with α, for the
    /// best macro-F1 (see ``SmoothingSelection``); models with more labels keep 0.
    public var priorShift: Double

    /// Creates a configuration.
    public init(alpha: Double = Configuration.defaultAlpha, priorShift: Double = 0) {
      self.alpha = alpha
      self.priorShift = priorShift
    }

    enum CodingKeys: String, CodingKey {
      case alpha
      case priorShift = "prior_shift"
    }

    /// Decodes a configuration; one written before the prior shift existed has none.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      alpha = try container.decode(Double.self, forKey: .alpha)
      priorShift = try container.decodeIfPresent(Double.self, forKey: .priorShift) ?? 0
    }

    /// A sentence saying what is wrong with the settings, or `nil` when they are valid.
    public func validationError() -> String? {
      guard alpha > 0 && alpha.isFinite else {
        return "The smoothing alpha must be a positive number, not \(alpha)."
      }
      return priorShift.isFinite ? nil : "The prior shift must be a finite number."
    }
  }

  /// The number of classes.
  public let classCount: Int
  /// The number of feature buckets.
  public let featureCount: Int
  /// How many examples of each class were seen.
  public private(set) var classCounts: [Double]
  /// How often each feature occurred in each class, feature-major:
  /// `featureCounts[feature * classCount + class]`.
  public private(set) var featureCounts: [Double]

  /// Creates empty counts.
  public init(classCount: Int, featureCount: Int) {
    precondition(
      classCount > 0 && featureCount > 0, "MultinomialNaiveBayes: need classes and features")
    self.classCount = classCount
    self.featureCount = featureCount
    classCounts = [Double](repeating: 0, count: classCount)
    featureCounts = [Double](repeating: 0, count: classCount * featureCount)
  }

  /// Creates a model from saved counts.
  public init(classCounts: [Double], featureCounts: [Double]) {
    precondition(
      !classCounts.isEmpty && featureCounts.count % classCounts.count == 0,
      "MultinomialNaiveBayes: \(featureCounts.count) feature counts for \(classCounts.count) classes"
    )
    classCount = classCounts.count
    featureCount = featureCounts.count / classCounts.count
    self.classCounts = classCounts
    self.featureCounts = featureCounts
  }

  /// Counts one example: each element of `features` is one occurrence of that bucket.
  public mutating func add(features: UnsafeBufferPointer<UInt32>, label: Int, weight: Double = 1) {
    precondition(
      label >= 0 && label < classCount, "MultinomialNaiveBayes.add: label \(label) out of range")
    classCounts[label] += weight
    let classes = classCount
    featureCounts.withUnsafeMutableBufferPointer { counts in
      for feature in features { counts[Int(feature) &* classes &+ label] += weight }
    }
  }

  /// Counts one weighted example: feature `indices[i]` occurred `values[i]` times (or carries
  /// that weight).
  public mutating func add(
    indices: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Float>, label: Int,
    weight: Double = 1
  ) {
    precondition(
      label >= 0 && label < classCount, "MultinomialNaiveBayes.add: label \(label) out of range")
    classCounts[label] += weight
    let classes = classCount
    featureCounts.withUnsafeMutableBufferPointer { counts in
      for position in 0..<indices.count {
        counts[Int(indices[position]) &* classes &+ label] += weight * Double(values[position])
      }
    }
  }

  /// Adds the counts of `other`, a model of the same shape trained on other data.
  public mutating func merge(_ other: MultinomialNaiveBayes) {
    precondition(other.classCount == classCount, "MultinomialNaiveBayes.merge: shapes differ")
    merge(other, classes: Array(0..<classCount))
  }

  /// Adds the counts of `other`, trained on other data with classes of its own: its class `c`
  /// is class `classes[c]` here.
  ///
  /// - Precondition: `other` has as many features, and `classes` one class here for each of its
  ///   classes.
  public mutating func merge(_ other: MultinomialNaiveBayes, classes: [Int]) {
    precondition(
      other.featureCount == featureCount && classes.count == other.classCount
        && classes.allSatisfy { (0..<classCount).contains($0) },
      "MultinomialNaiveBayes.merge: shapes differ")
    for c in 0..<other.classCount { classCounts[classes[c]] += other.classCounts[c] }
    let mine = classCount
    let theirs = other.classCount
    featureCounts.withUnsafeMutableBufferPointer { destination in
      other.featureCounts.withUnsafeBufferPointer { source in
        for feature in 0..<featureCount {
          for c in 0..<theirs {
            destination[feature &* mine &+ classes[c]] += source[feature &* theirs &+ c]
          }
        }
      }
    }
  }

  /// These counts without `other`'s: the model of the examples counted here but not there.
  ///
  /// - Precondition: `other` has the same shape and counted a subset of these examples.
  func removing(_ other: MultinomialNaiveBayes) -> MultinomialNaiveBayes {
    precondition(
      other.classCount == classCount && other.featureCount == featureCount,
      "MultinomialNaiveBayes.removing: shapes differ")
    var result = self
    for c in 0..<classCount { result.classCounts[c] -= other.classCounts[c] }
    result.featureCounts.withUnsafeMutableBufferPointer { mine in
      other.featureCounts.withUnsafeBufferPointer { theirs in
        // Clamp the rounding of weighted counts, so that no count goes below zero.
        for i in mine.indices { mine[i] = max(0, mine[i] - theirs[i]) }
      }
    }
    return result
  }

  /// The complement naive-Bayes classifier the counts define.
  ///
  /// Rennie, Shih, Teevan and Karger, "Tackling the poor assumptions of naive Bayes text
  /// classifiers", ICML 2003, with scikit-learn's `ComplementNB` definitions:
  ///
  /// ```
  /// θ̃(f | c) = (Σc'≠c Nfc' + α) / Σf' (Σc'≠c Nf'c' + α)        (the class's complement)
  /// w(f, c)  = −log θ̃(f | c)            or, normalised, log θ̃(f | c) / Σf' log θ̃(f' | c)
  /// score(c | x) = Σf xf · w(f, c)      (no prior: the complement estimates are balanced)
  /// ```
  ///
  /// With two classes, `priorShift` is added to the second class's score.
  ///
  /// Estimating each class from all the others' data gives every class about as much data,
  /// which corrects multinomial naive Bayes's bias towards the larger classes.
  ///
  /// - Parameters:
  ///   - alpha: The Lidstone smoothing.
  ///   - normalize: Whether each class's weights are normalised (the second form above).
  ///   - priorShift: Two classes only: the second class's score bias (see
  ///     ``TextClassifier/Estimator/ComplementConfiguration/priorShift``); ignored with more
  ///     classes.
  /// - Returns: The scorer: `w(f, c)` per feature and class, and the shift as a bias.
  public func complementLinearModel(alpha: Double, normalize: Bool, priorShift: Double = 0)
    -> LinearModel
  {
    precondition(alpha > 0, "MultinomialNaiveBayes.complementLinearModel: alpha must be positive")
    var all = [Double](repeating: 0, count: featureCount)
    var perClass = [Double](repeating: 0, count: classCount)
    for f in 0..<featureCount {
      for c in 0..<classCount {
        all[f] += featureCounts[f * classCount + c]
        perClass[c] += featureCounts[f * classCount + c]
      }
    }
    let grandTotal = perClass.reduce(0, +)
    var logDenominators = [Double](repeating: 0, count: classCount)
    for c in 0..<classCount {
      logDenominators[c] = log(grandTotal - perClass[c] + alpha * Double(featureCount))
    }
    var logged = [Double](repeating: 0, count: featureCounts.count)
    var sums = [Double](repeating: 0, count: classCount)
    for f in 0..<featureCount {
      for c in 0..<classCount {
        let i = f * classCount + c
        logged[i] = log(all[f] - featureCounts[i] + alpha) - logDenominators[c]
        sums[c] += logged[i]
      }
    }
    var weights = [Float](repeating: 0, count: featureCounts.count)
    for f in 0..<featureCount {
      for c in 0..<classCount {
        let i = f * classCount + c
        weights[i] = Float(normalize ? logged[i] / sums[c] : -logged[i])
      }
    }
    var bias = [Double](repeating: 0, count: classCount)
    if classCount == 2 { bias[1] = priorShift }
    return LinearModel(classCount: classCount, weights: weights, bias: bias)
  }

  /// The classifier the counts define, as log-priors and per-feature log-likelihoods.
  ///
  /// - Parameters:
  ///   - alpha: The Lidstone smoothing.
  ///   - priorShift: Two classes only: added to the second class's log-prior (see
  ///     ``Configuration/priorShift``); ignored with more classes.
  /// - Returns: The scorer: log-priors as biases, log-likelihoods as weights.
  public func linearModel(alpha: Double, priorShift: Double = 0) -> LinearModel {
    precondition(alpha > 0, "MultinomialNaiveBayes.linearModel: alpha must be positive")
    let total = classCounts.reduce(0, +)
    var bias = [Double](repeating: 0, count: classCount)
    for c in 0..<classCount {
      // A class never seen gets probability zero, as scikit-learn gives it (log 0 = -inf).
      bias[c] = total > 0 ? log(classCounts[c] / total) : -log(Double(classCount))
    }
    if classCount == 2 { bias[1] += priorShift }
    var perClass = [Double](repeating: 0, count: classCount)
    for f in 0..<featureCount {
      for c in 0..<classCount { perClass[c] += featureCounts[f * classCount + c] }
    }
    let denominators = perClass.map { log($0 + alpha * Double(featureCount)) }
    var weights = [Float](repeating: 0, count: featureCounts.count)
    for f in 0..<featureCount {
      for c in 0..<classCount {
        let i = f * classCount + c
        weights[i] = Float(log(featureCounts[i] + alpha) - denominators[c])
      }
    }
    return LinearModel(classCount: classCount, weights: weights, bias: bias)
  }
}
