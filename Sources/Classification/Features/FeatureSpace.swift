import Tokenization

/// What a model does to a message's hashed features before scoring them: keep those of its
/// vocabulary (when it prunes) and weigh them.
///
/// Training fits it from document frequencies; the trainers, the online trainer and the
/// classifier all go through ``vectorize(_:into:ordered:)`` (or, for features the trainers keep
/// per shard, ``vectorize(_:scratch:into:)``, which maps and weighs the same way), so a message
/// always becomes the same vector at training and at labelling time.
struct FeatureSpace: Sendable {
  /// The kept features, or `nil` when every hash bucket is a feature.
  let vocabulary: Vocabulary?
  /// How occurrences become values.
  let weighting: FeatureWeighting
  /// The inverse document frequency of every feature, when ``weighting`` uses it.
  let inverseDocumentFrequencies: [Float]?

  init(vocabulary: Vocabulary?, weighting: FeatureWeighting, inverseDocumentFrequencies: [Float]?) {
    self.vocabulary = vocabulary
    self.weighting = weighting
    self.inverseDocumentFrequencies =
      weighting.inverseDocumentFrequency ? inverseDocumentFrequencies : nil
  }

  /// Fits the space to training data: the vocabulary the options ask for, and the IDF when the
  /// weighting uses it.
  ///
  /// - Parameters:
  ///   - documentFrequency: In how many training examples each hash bucket occurs (may be
  ///     empty when neither a vocabulary nor IDF is needed).
  ///   - documents: The number of training examples.
  ///   - bucketCount: The number of hash buckets.
  ///   - options: The vocabulary's pruning and the weighting.
  init(documentFrequency: [Int], documents: Int, bucketCount: Int, options: TrainingOptions) {
    let vocabulary =
      options.usesVocabulary
      ? Vocabulary(
        documentFrequency: documentFrequency, minCount: options.minCount,
        maxFeatures: options.maxFeatures)
      : nil
    let idf: [Float]? =
      options.weighting.inverseDocumentFrequency
      ? (vocabulary.map { $0.buckets.map { Int($0) } } ?? Array(0..<bucketCount)).map {
        Float(
          FeatureWeighting.inverseDocumentFrequency(
            documentFrequency: Double(documentFrequency[$0]), documents: Double(documents)))
      } : nil
    self.init(vocabulary: vocabulary, weighting: options.weighting, inverseDocumentFrequencies: idf)
  }

  /// Whether the space needs document frequencies to be fitted.
  static func needsDocumentFrequencies(_ options: TrainingOptions) -> Bool {
    options.usesVocabulary || options.weighting.inverseDocumentFrequency
  }

  /// The number of features: the vocabulary's, or every bucket.
  func featureCount(bucketCount: Int) -> Int { vocabulary?.count ?? bucketCount }

  /// Maps the features of the message last extracted into `workspace` into this space (dropping
  /// those outside the vocabulary) and weighs them into `vector`.
  ///
  /// - Parameters:
  ///   - workspace: Holds the message's features; they are rewritten in place.
  ///   - vector: Receives the weighted features.
  ///   - ordered: Whether `vector` must list features in increasing order; scoring and
  ///     training do not need it (see ``WeightedFeatures/assign(_:weighting:idf:ordered:)``).
  @inline(__always)
  func vectorize(
    _ workspace: inout TextPipeline.Workspace, into vector: inout WeightedFeatures,
    ordered: Bool = true
  ) {
    if let vocabulary { workspace.rewriteFeatures { vocabulary.map($0) } }
    workspace.withFeatures {
      vector.assign($0, weighting: weighting, idf: inverseDocumentFrequencies, ordered: ordered)
    }
  }

  /// Calls `body` with the features among `occurrences` (stored hashed features, as
  /// ``Trainer`` keeps them per shard) that this space keeps, mapped to its feature indices:
  /// `occurrences` itself when every bucket is a feature, else a copy in `scratch`, mapped
  /// through the vocabulary.
  @inline(__always)
  func withKept<R>(
    _ occurrences: UnsafeBufferPointer<UInt32>, scratch: inout [UInt32],
    _ body: (UnsafeBufferPointer<UInt32>) -> R
  ) -> R {
    guard let vocabulary else { return body(occurrences) }
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: occurrences)
    let known = scratch.withUnsafeMutableBufferPointer { vocabulary.map($0) }
    return scratch.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<known])) }
  }

  /// Maps stored occurrences into this space, as ``withKept(_:scratch:_:)`` does, and weighs
  /// them into `vector`: the form of ``vectorize(_:into:ordered:)`` for features kept apart
  /// from their workspace.
  @inline(__always)
  func vectorize(
    _ occurrences: UnsafeBufferPointer<UInt32>, scratch: inout [UInt32],
    into vector: inout WeightedFeatures
  ) {
    withKept(occurrences, scratch: &scratch) {
      vector.assign($0, weighting: weighting, idf: inverseDocumentFrequencies)
    }
  }

  /// Adds one example to per-bucket document frequencies: each distinct bucket of the features
  /// last extracted into `workspace` counts once.
  static func countDocument(
    _ workspace: TextPipeline.Workspace, into documentFrequency: inout [Int],
    scratch: inout WeightedFeatures
  ) {
    workspace.withFeatures { countDocument($0, into: &documentFrequency, scratch: &scratch) }
  }

  /// Adds one example, given by its feature occurrences, to per-bucket document frequencies.
  static func countDocument<Count: FixedWidthInteger>(
    _ features: UnsafeBufferPointer<UInt32>, into documentFrequency: inout [Count],
    scratch: inout WeightedFeatures
  ) {
    scratch.assign(
      features, weighting: FeatureWeighting(termFrequency: .binary), idf: nil, ordered: false)
    scratch.withVector { indices, _ in for index in indices { documentFrequency[Int(index)] += 1 } }
  }
}
