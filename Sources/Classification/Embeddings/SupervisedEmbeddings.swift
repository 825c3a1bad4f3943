import LinearAlgebra

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Supervised embeddings: fastText's classifier (Joulin et al., "Bag of Tricks for Efficient
/// Text Classification", EACL 2017) over Crible's features.
///
/// Each feature has a dense embedding of ``Configuration/dimension`` values; a message is the
/// weighted sum of its features' embeddings (with the default weighting, counts scaled to sum to
/// one: their mean, as in fastText), and a softmax layer over that sum gives the labels'
/// probabilities. Embeddings and output layer are trained together by stochastic gradient
/// descent on the log-loss, one example at a time, with a learning rate that falls linearly to
/// zero, as fastText does. The low rank shares evidence between features that occur in similar
/// messages, which helps most when the test messages are phrased unlike the training ones.
///
/// At inference the model is linear: the score of label `c` is `Σ value(f) · (E W^T)[f, c]`, so
/// training ends by multiplying the embeddings `E` (features × dimension) by the transposed
/// output layer `W` (labels × dimension) once, with OpenBLAS, and the classifier labels with
/// the same scorer, at the same speed, as logistic regression.
///
/// Training is sequential, hence deterministic for a given seed (fastText's lock-free parallel
/// updates are not).
public enum SupervisedEmbeddings {
  /// The model's size and training schedule.
  public struct Configuration: Sendable, Hashable, Codable {
    /// The length of each feature's embedding.
    public var dimension: Int
    /// Passes over the training data.
    public var epochs: Int
    /// The learning rate at the start; it falls linearly to zero over the epochs.
    public var learningRate: Double
    /// Seeds the initial embeddings and the order of examples in each epoch.
    public var seed: UInt64

    /// The default number of epochs for `examples` training examples, chosen on held-out data:
    /// about 50,000 updates, within 5 to 100 passes.
    ///
    /// Large corpora do best with few passes (zh-cold-offensive's 20,000 held-out training
    /// examples: 5 epochs .893 macro-F1, 25 epochs .885), tiny ones need many (the 701
    /// examples of SIB-200's seven topics: 5 epochs .06, 100 epochs .52); see
    /// Benchmarks/README.md.
    public static func defaultEpochs(examples: Int) -> Int {
      min(100, max(5, Int((50_000 / Double(max(examples, 1))).rounded())))
    }

    /// Creates settings; the defaults are fastText's supervised settings as peers.md runs it
    /// (dimension 50, 25 epochs, learning rate 0.5); `train` sets the epochs from the corpus
    /// size (``defaultEpochs(examples:)``) unless told.
    public init(dimension: Int = 50, epochs: Int = 25, learningRate: Double = 0.5, seed: UInt64 = 1)
    {
      self.dimension = dimension
      self.epochs = epochs
      self.learningRate = learningRate
      self.seed = seed
    }

    /// Checks the settings, returning a sentence that says what is wrong, or `nil`.
    public func validationError() -> String? {
      if dimension < 1 || dimension > 1024 {
        return "The embedding dimension must be between 1 and 1024, not \(dimension)."
      }
      if epochs < 1 || epochs > 10_000 {
        return "The number of epochs must be between 1 and 10,000, not \(epochs)."
      }
      if !(learningRate > 0 && learningRate <= 100) {
        return "The learning rate must be positive and at most 100, not \(learningRate)."
      }
      if seed > 1 << 53 {
        return "The seed must be at most 2^53 (model files store it exactly), not \(seed)."
      }
      return nil
    }
  }

  /// Trains on `data` (weighted feature vectors with labels and example weights) and returns
  /// the equivalent linear scorer (no bias).
  ///
  /// Example weights, scaled to average one, say how many times per epoch an example is
  /// visited on average (importance resampling): class weights do not change the step size.
  ///
  /// - Throws: ``CribleError`` of kind ``CribleError/Kind/badConfiguration`` when the
  ///   embeddings would not fit in memory (more than 2^30 values, 4 GiB), or when training
  ///   diverged (a weight is not finite): too high a learning rate for the feature values, as
  ///   happens when they are not scaled to their mean.
  /// - Complexity: O(epochs · (nonzeros + examples · labels) · dimension), then one
  ///   features × labels × dimension matrix product.
  static func fit(_ data: TrainingMatrix, configuration: Configuration) throws(CribleError)
    -> LinearModel
  {
    let dimension = configuration.dimension
    let classes = data.classCount
    let features = data.featureCount
    guard features <= (1 << 30) / max(dimension, 1) else {
      throw CribleError(
        .badConfiguration,
        "\(features) features of \(dimension) dimensions would take more than 4 GiB: keep fewer features (--max-features, the default 100,000) or lower --dimension."
      )
    }
    var seen = [Bool](repeating: false, count: features)
    for feature in data.indices { seen[Int(feature)] = true }
    var generator = SplitMix64(seed: configuration.seed)
    // Embeddings start uniform in ±1/dimension, as fastText's; the output layer at zero. A
    // feature no training example has would keep its random start, which is no evidence: it
    // starts (and stays) at zero.
    let bound = 1 / Float(dimension)
    let embeddings = UnsafeMutableBufferPointer<Float>.allocate(capacity: features * dimension)
    defer { embeddings.deallocate() }
    for index in embeddings.indices {
      let start = Float.random(in: -bound...bound, using: &generator)
      embeddings.initializeElement(at: index, to: seen[index / dimension] ? start : 0)
    }
    let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: classes * dimension)
    defer { output.deallocate() }
    output.initialize(repeating: 0)
    // One message's sum of embeddings, its gradient and the labels' scores.
    let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: 2 * dimension + classes)
    defer { scratch.deallocate() }
    scratch.initialize(repeating: 0)

    // With every weight one, each example is visited once per epoch; otherwise each epoch
    // draws its visits (see `resample`).
    var perUnitWeight: Double?
    if data.weights.contains(where: { $0 != 1 }) {
      let sum = data.weights.reduce(0) { $0 + Double($1) }
      perUnitWeight = sum > 0 ? Double(data.count) / sum : 0
    }
    var order = Array(0..<data.count)
    let total = Double(configuration.epochs * max(data.count, 1))
    var step = 0.0
    data.withRows { rows in
      for _ in 0..<configuration.epochs {
        if let perUnitWeight {
          resample(data.weights, perUnitWeight: perUnitWeight, into: &order, using: &generator)
        }
        order.shuffle(using: &generator)
        for example in order {
          // Resampling may visit a few more examples than expected: the rate stops at zero.
          let rate = Float(configuration.learningRate * max(0, 1 - step / total))
          step += 1
          guard !rows.entries(of: example).isEmpty else { continue }
          update(
            indices: rows.indices(of: example), values: rows.values(of: example),
            label: Int(rows.labels[example]), scale: rate,
            dimension: dimension, embeddings: embeddings, output: output,
            hidden: UnsafeMutableBufferPointer(rebasing: scratch[0..<dimension]),
            hiddenGradient: UnsafeMutableBufferPointer(
              rebasing: scratch[dimension..<(2 * dimension)]),
            scores: UnsafeMutableBufferPointer(rebasing: scratch[(2 * dimension)...]))
        }
      }
    }
    // Weights (features × labels) = E (features × dimension) · W^T (dimension × labels), with
    // OpenBLAS held to one thread: its kernels round differently by thread count on some
    // processors (AVX-512's), so the model would otherwise depend on OPENBLAS_NUM_THREADS and
    // on whether the caller's workers already hold it (cross-validation's folds do).
    let product = BLASThreading.withOneThread {
      DenseMatrix.product(
        DenseMatrix(rows: features, columns: dimension, elements: Array(embeddings)),
        DenseMatrix(rows: classes, columns: dimension, elements: Array(output)), transposeB: true)
    }
    guard product.elements.allSatisfy(\.isFinite) else {
      throw CribleError(
        .badConfiguration,
        "Supervised embeddings diverged at learning rate \(configuration.learningRate): lower --learning-rate, or keep the default weighting (counts scaled to their mean), whose values sum to one."
      )
    }
    return LinearModel(
      classCount: classes, weights: product.elements,
      bias: [Double](repeating: 0, count: classes))
  }

  /// Refills `order` with one epoch's visits: example weights (class weights) count by how
  /// often an example is visited, not by how far it steps.
  ///
  /// Scaled by `perUnitWeight` to average one, so that an epoch still visits about as many
  /// examples as there are, a weight w gives ⌊w⌋ visits and one more with probability
  /// w − ⌊w⌋, so the expected gradient is w times the example's own. Scaling the step instead
  /// multiplied the learning rate by a rare label's weight (52 for the rarest of
  /// zh-video-queries' 26 labels with `balanced`) and blew the embeddings up.
  private static func resample(
    _ weights: [Float], perUnitWeight: Double, into order: inout [Int],
    using generator: inout SplitMix64
  ) {
    order.removeAll(keepingCapacity: true)
    for (example, weight) in weights.enumerated() {
      let expected = Double(weight) * perUnitWeight
      let whole = expected.rounded(.down)
      var count = Int(whole)
      if expected > whole && Double.random(in: 0..<1, using: &generator) < expected - whole {
        count += 1
      }
      for _ in 0..<count { order.append(example) }
    }
  }

  /// One stochastic-gradient step on one example: `scale` is the learning rate (an example's
  /// weight counts by how often it is visited; see ``fit(_:configuration:)``).
  @inline(__always)
  private static func update(
    indices: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Float>, label: Int,
    scale: Float, dimension: Int,
    embeddings: UnsafeMutableBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
    hidden: UnsafeMutableBufferPointer<Float>, hiddenGradient: UnsafeMutableBufferPointer<Float>,
    scores: UnsafeMutableBufferPointer<Float>
  ) {
    let classes = scores.count
    // The message: the weighted sum of its features' embeddings.
    for d in 0..<dimension { hidden[d] = 0 }
    for (position, feature) in indices.enumerated() {
      let value = values[position]
      let row = Int(feature) &* dimension
      for d in 0..<dimension { hidden[d] += value * embeddings[row &+ d] }
    }
    // Softmax over the output layer's scores.
    var largest = -Float.infinity
    for c in 0..<classes {
      var score: Float = 0
      let row = c &* dimension
      for d in 0..<dimension { score += output[row &+ d] * hidden[d] }
      scores[c] = score
      largest = max(largest, score)
    }
    var sum: Float = 0
    for c in 0..<classes {
      scores[c] = expf(scores[c] - largest)
      sum += scores[c]
    }
    // The log-loss's gradient with respect to the scores is p − onehot(label); the hidden
    // gradient uses the output layer before its own update.
    for d in 0..<dimension { hiddenGradient[d] = 0 }
    for c in 0..<classes {
      let gradient = (scores[c] / sum - (c == label ? 1 : 0)) * scale
      guard gradient != 0 else { continue }
      let row = c &* dimension
      for d in 0..<dimension {
        hiddenGradient[d] += gradient * output[row &+ d]
        output[row &+ d] -= gradient * hidden[d]
      }
    }
    for (position, feature) in indices.enumerated() {
      let value = values[position]
      let row = Int(feature) &* dimension
      for d in 0..<dimension { embeddings[row &+ d] -= value * hiddenGradient[d] }
    }
  }
}
