/// How a logistic-regression or linear-SVM model's weights are stored.
///
/// Quantising shrinks a model file (weights take 4 bytes each at full precision, 2 in `fp16`,
/// 1 in `int8`) at a small cost in accuracy that `crible quantize` measures. The weights are
/// rounded once, when the model is quantised, so a quantised model labels identically before
/// and after it is saved and loaded.
public enum Quantization: String, Sendable, Hashable, Codable, CaseIterable {
  /// Single precision, as trained.
  case none
  /// IEEE half precision: 11 significant bits.
  case fp16
  /// 8-bit integers with one scale per label: each weight is `scale × q`, `q` in −127...127,
  /// and `scale` is the label's largest weight magnitude over 127.
  case int8

  /// `value` rounded to half precision, as bits.
  static func half(_ value: Float) -> UInt16 { Float16(value).bitPattern }

  /// The value of half-precision bits.
  static func float(half bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

  /// Feature-major weights as 8-bit integers and one scale per label (class).
  static func int8Columns(_ weights: [Float], classes: Int) -> (values: [Int8], scales: [Float]) {
    var scales = [Float](repeating: 0, count: classes)
    for (index, weight) in weights.enumerated() {
      scales[index % classes] = max(scales[index % classes], abs(weight) / 127)
    }
    var values = [Int8](repeating: 0, count: weights.count)
    for (index, weight) in weights.enumerated() where scales[index % classes] > 0 {
      let q = (weight / scales[index % classes]).rounded()
      values[index] = Int8(max(-127, min(127, q)))
    }
    return (values, scales)
  }

  /// The weights that 8-bit integers and their label scales stand for.
  static func dequantize(_ values: [Int8], scales: [Float]) -> [Float] {
    let classes = scales.count
    return values.enumerated().map { Float($1) * scales[$0 % classes] }
  }

  /// `weights` as this quantisation stores them.
  func round(_ weights: [Float], classes: Int) -> [Float] {
    switch self {
    case .none: weights
    case .fp16: weights.map { Self.float(half: Self.half($0)) }
    case .int8:
      {
        let (values, scales) = Self.int8Columns(weights, classes: classes)
        return Self.dequantize(values, scales: scales)
      }()
    }
  }
}

extension TextClassifier {
  /// This model with its weights rounded to `quantization`, and, with `pruneBelow`, without
  /// the features whose weights differ across labels by at most that much.
  ///
  /// A feature whose weight is the same for every label does not change which label wins,
  /// only (through L2 normalisation, when the model uses it) the length of the vectors; pruning
  /// such features, and nearly such ones, shrinks the model. Unseen hash buckets of a model
  /// without a vocabulary have weight zero for every label, so `pruneBelow: 0` drops exactly the
  /// empty buckets.
  ///
  /// - Parameters:
  ///   - quantization: How to store the weights.
  ///   - pruneBelow: Drop features whose largest minus smallest weight is at most this; `nil`
  ///     keeps them all.
  /// - Returns: The smaller model.
  /// - Throws: ``CribleError`` of kind ``CribleError/Kind/badConfiguration`` for naive-Bayes
  ///   models, which keep counts (so that they can be merged) rather than weights.
  public func quantized(_ quantization: Quantization, pruneBelow: Double? = nil) throws(CribleError)
    -> TextClassifier
  {
    // The scorer to shrink, and how to wrap its rounded weights back into the estimator.
    let model: LinearModel
    let rebuild: ([Float]) -> TextClassifier.Estimator
    switch estimator {
    case .logisticRegression(let fitted, let configuration):
      model = fitted.linearModel
      rebuild = {
        .logisticRegression(
          LogisticRegression(classCount: fitted.classCount, weights: $0, bias: fitted.bias),
          configuration)
      }
    case .linearSVM(let fitted, let configuration):
      model = fitted
      rebuild = {
        .linearSVM(
          LinearModel(classCount: fitted.classCount, weights: $0, bias: fitted.bias), configuration)
      }
    default:
      throw CribleError(
        .badConfiguration,
        "Only logistic-regression and linear-SVM models can be quantised: naive-Bayes models keep counts, so that models of shards can be merged."
      )
    }
    let classes = model.classCount
    var weights = model.weights
    var vocabulary = self.vocabulary
    var idf = inverseDocumentFrequencies
    if let pruneBelow {
      var keptRows: [Int] = []
      for row in 0..<model.featureCount {
        var low = Float.infinity
        var high = -Float.infinity
        for c in 0..<classes {
          low = min(low, weights[row * classes + c])
          high = max(high, weights[row * classes + c])
        }
        if Double(high - low) > pruneBelow { keptRows.append(row) }
      }
      let buckets = keptRows.map { vocabulary?.buckets[$0] ?? UInt32($0) }
      weights = keptRows.flatMap { weights[($0 * classes)..<(($0 + 1) * classes)] }
      idf = idf.map { idf in keptRows.map { idf[$0] } }
      vocabulary = Vocabulary(buckets: buckets)
    }
    if quantization != .none {
      idf = idf?.map { Quantization.float(half: Quantization.half($0)) }
    }
    return TextClassifier(
      labels: labels, pipeline: pipeline.configuration, lexicon: pipeline.lexicon,
      estimator: rebuild(quantization.round(weights, classes: classes)),
      vocabulary: vocabulary, weighting: weighting, inverseDocumentFrequencies: idf,
      provenance: provenance, quantization: quantization, decisionThresholds: decisionThresholds)
  }
}
