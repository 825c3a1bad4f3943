import SystemPackage
import Tokenization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Settings of the online solver for logistic regression.
public struct OnlineSettings: Sendable, Hashable {
  /// Passes over the training file.
  public var epochs: Int
  /// Examples per update.
  public var batchSize: Int
  /// AdaGrad's base step size.
  public var learningRate: Double
  /// Seeds the order of examples inside each buffered block; equal seeds give equal models.
  public var seed: UInt64

  /// Creates settings; the defaults are the recommended ones.
  public init(epochs: Int = 5, batchSize: Int = 32, learningRate: Double = 0.5, seed: UInt64 = 1) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.seed = seed
  }

  /// A sentence saying what is wrong with the settings, or `nil` when they are valid.
  public func validationError() -> String? {
    if epochs < 1 { return "The number of epochs must be at least 1, not \(epochs)." }
    if batchSize < 1 { return "The batch size must be at least 1, not \(batchSize)." }
    if !(learningRate > 0 && learningRate.isFinite) {
      return "The learning rate must be a positive number, not \(learningRate)."
    }
    return nil
  }
}

extension Trainer {
  /// Trains logistic regression by AdaGrad over mini-batches, streaming `path` from disk.
  ///
  /// Memory does not grow with the file: a first pass counts labels and document frequencies
  /// (for the vocabulary and the IDF), then each epoch reads the file again in blocks of a few
  /// megabytes, shuffles the examples of each block with a generator seeded by `online.seed`
  /// and the epoch, and updates the weights after every mini-batch:
  ///
  /// ```
  /// g = mean gradient of the batch's loss + λ·w   (for the features the batch touched)
  /// G ← G + g²;   w ← w − η · g / (√G + 10⁻⁸)
  /// ```
  ///
  /// Updates run on one thread, so the model depends only on the data, the options, the seed and
  /// `blockSize` (the bytes read per block, which bounds the shuffling).
  /// - Throws: ``CribleError`` when the file cannot be read, has a malformed line, or the
  ///   options are invalid.
  public static func trainOnline(
    path: String, format: LabeledCorpus.Format, options: TrainingOptions, online: OnlineSettings,
    blockSize: Int = 4 << 20
  ) throws(CribleError) -> TextClassifier {
    try options.validate()
    if let problem = online.validationError() { throw CribleError(.badConfiguration, problem) }
    let started = monotonicSeconds()
    let pipeline = TextPipeline(configuration: options.pipeline, lexicon: options.lexicon)
    var workspace = TextPipeline.Workspace()
    var scratch = WeightedFeatures()

    // Pass 1: labels, document frequencies, the number of examples.
    var documentFrequency = [Int](repeating: 0, count: pipeline.bucketCount)
    var labelCounts: [String: Int] = [:]
    var resolvedFormat = format
    try forEachBlock(path: path, format: &resolvedFormat, blockSize: blockSize) { corpus in
      for example in 0..<corpus.count {
        let name = corpus.labels[corpus.label(at: example)]
        labelCounts[options.labelMapping[name] ?? name, default: 0] += 1
        corpus.withText(at: example) { pipeline.extractFeatures(utf8: $0, into: &workspace) }
        FeatureSpace.countDocument(workspace, into: &documentFrequency, scratch: &scratch)
      }
    }
    let labels = labelCounts.keys.sorted()
    guard labels.count >= 2 else {
      throw CribleError(
        .badData,
        "\(path) has only the label \(labels.first ?? "(none)"); a classifier needs at least two labels."
      )
    }
    let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    let documents = labelCounts.values.reduce(0, +)
    let space = FeatureSpace(
      documentFrequency: documentFrequency, documents: documents,
      bucketCount: pipeline.bucketCount, options: options)
    documentFrequency = []
    let classWeights = try options.classWeights.weights(
      labels: labels, examples: labels.map { labelCounts[$0] ?? 0 })

    // Epochs: AdaGrad over shuffled mini-batches of each block.
    let classes = labels.count
    let features = space.featureCount(bucketCount: pipeline.bucketCount)
    var weights = [Float](repeating: 0, count: features * classes)
    var bias = [Float](repeating: 0, count: classes)
    var squared = [Float](repeating: 0, count: features * classes)
    var biasSquared = [Float](repeating: 0, count: classes)
    var gradient = [Float](repeating: 0, count: features * classes)
    var biasGradient = [Float](repeating: 0, count: classes)
    var touched = [Bool](repeating: false, count: features)
    var touchedList: [Int] = []
    var scores = [Double](repeating: 0, count: classes)
    var vector = WeightedFeatures()
    let l2 = Float(options.logisticRegression.l2)
    let rate = Float(online.learningRate)
    for epoch in 0..<online.epochs {
      var random = SplitMix64(seed: online.seed &+ UInt64(epoch) &* 0x9E37_79B9)
      var format = resolvedFormat
      try forEachBlock(path: path, format: &format, blockSize: blockSize) { corpus in
        // The block's examples as weighted vectors, in a seeded random order.
        var block = TrainingMatrix(featureCount: features, classCount: classes)
        for example in 0..<corpus.count {
          let name = corpus.labels[corpus.label(at: example)]
          let label = labelIndex[options.labelMapping[name] ?? name] ?? 0
          corpus.withText(at: example) { pipeline.extractFeatures(utf8: $0, into: &workspace) }
          space.vectorize(&workspace, into: &vector)
          vector.withVector {
            block.append(indices: $0, values: $1, label: label, weight: classWeights[label])
          }
        }
        var order = Array(0..<block.count)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
          order.swapAt(i, Int(random.next() % UInt64(i + 1)))
        }
        var start = 0
        while start < order.count {
          let batch = order[start..<min(order.count, start + online.batchSize)]
          start += online.batchSize
          for example in batch {
            let row = block.offsets[example]..<block.offsets[example + 1]
            for c in 0..<classes { scores[c] = Double(bias[c]) }
            for p in row {
              let base = Int(block.indices[p]) * classes
              for c in 0..<classes {
                scores[c] += Double(block.values[p]) * Double(weights[base + c])
              }
            }
            let maximum = scores.max() ?? 0
            var sum: Double = 0
            for c in 0..<classes {
              scores[c] = exp(scores[c] - maximum)
              sum += scores[c]
            }
            let label = Int(block.labels[example])
            let weight = block.weights[example]
            for c in 0..<classes {
              let d = weight * Float(scores[c] / sum - (c == label ? 1 : 0))
              biasGradient[c] += d
              for p in row {
                let feature = Int(block.indices[p])
                if !touched[feature] {
                  touched[feature] = true
                  touchedList.append(feature)
                }
                gradient[feature * classes + c] += block.values[p] * d
              }
            }
          }
          let scale = 1 / Float(batch.count)
          for feature in touchedList {
            for c in 0..<classes {
              let i = feature * classes + c
              let g = gradient[i] * scale + l2 * weights[i]
              squared[i] += g * g
              weights[i] -= rate * g / (squared[i].squareRoot() + 1e-8)
              gradient[i] = 0
            }
            touched[feature] = false
          }
          touchedList.removeAll(keepingCapacity: true)
          for c in 0..<classes {
            let g = biasGradient[c] * scale
            biasSquared[c] += g * g
            bias[c] -= rate * g / (biasSquared[c].squareRoot() + 1e-8)
            biasGradient[c] = 0
          }
        }
      }
    }
    var provenance = Provenance(
      files: [path], format: resolvedFormat.rawValue, examples: documents, labelCounts: labelCounts,
      seconds: monotonicSeconds() - started, cribleVersion: CribleVersion.current)
    provenance.iterations = online.epochs
    provenance.record(classWeights: classWeights, labels: labels)
    return TextClassifier(
      labels: labels, pipeline: options.pipeline, lexicon: options.lexicon,
      estimator: .logisticRegression(
        LogisticRegression(classCount: classes, weights: weights, bias: bias),
        options.logisticRegression),
      vocabulary: space.vocabulary, weighting: space.weighting,
      inverseDocumentFrequencies: space.inverseDocumentFrequencies, provenance: provenance)
  }

  /// Calls `body` with each block of `path`, parsed as a corpus.
  ///
  /// An automatic `format` is resolved from the first block; line numbers in errors count from
  /// the start of the file.
  static func forEachBlock(
    path: String, format: inout LabeledCorpus.Format, blockSize: Int,
    _ body: (LabeledCorpus) throws(CribleError) -> Void
  ) throws(CribleError) {
    let descriptor = try FileIO.openForReading(path)
    defer { if path != "-" { try? descriptor.close() } }
    var reader = LineChunkReader(descriptor: descriptor, path: path, chunkSize: blockSize)
    var chunk: [UInt8] = []
    var firstLine = 1
    var sawExample = false
    while try reader.next(into: &chunk) {
      let corpus = try LabeledCorpus(
        bytes: chunk, source: path, format: format, labels: nil, firstLine: firstLine,
        allowEmpty: true)
      format = corpus.format
      if corpus.count > 0 {
        sawExample = true
        try body(corpus)
      }
      firstLine += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
    if !sawExample {
      throw CribleError(.badData, "\(path) has no examples: it is empty or has only blank lines.")
    }
  }
}

/// SplitMix64: a small seeded generator for shuffling, identical on every machine.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
