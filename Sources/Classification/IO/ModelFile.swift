import Foundation
import Tokenization

/// Reading and writing Crible model files (`.crible`).
///
/// The format, version 1, all integers little-endian (specified in Models/README.md):
///
/// | offset | size | contents |
/// |---|---|---|
/// | 0 | 8 | magic `89 43 52 49 42 4C 45 0A` (`\x89CRIBLE\n`) |
/// | 8 | 4 | format version, `UInt32` (1) |
/// | 12 | 4 | header length `H`, `UInt32` |
/// | 16 | H | header: UTF-8 JSON (algorithm, labels, hyper-parameters, pipeline, provenance, sections) |
/// | … | | zero padding to a multiple of 64 |
/// | … | | sections: raw little-endian arrays, each at a multiple of 64; the header gives each
///   one's offset from the first |
/// | end − 4 | 4 | CRC-32 (as zlib) of every byte before it |
///
/// Files are written atomically (a temporary file, flushed, then renamed), and loading refuses a
/// wrong magic, an unknown version, a bad checksum or an inconsistent header with a message that
/// names the file.
public enum ModelFile {
  /// The first eight bytes of every model file.
  public static let magic: [UInt8] = [0x89, 0x43, 0x52, 0x49, 0x42, 0x4C, 0x45, 0x0A]
  /// The format version this Crible writes and reads.
  public static let version: UInt32 = 1

  /// One array in the file.
  struct Section: Codable, Equatable {
    var name: String
    /// `f64`, `f32`, `f16`, `i8` or `u32`.
    var type: String
    var offset: Int
    var count: Int
  }

  /// The contents of one section.
  enum Payload {
    case f64([Double])
    case f32([Float])
    case f16([UInt16])
    case i8([Int8])
    case u32([UInt32])

    var type: String {
      switch self {
      case .f64: "f64"
      case .f32: "f32"
      case .f16: "f16"
      case .i8: "i8"
      case .u32: "u32"
      }
    }
    var count: Int {
      switch self {
      case .f64(let values): values.count
      case .f32(let values): values.count
      case .f16(let values): values.count
      case .i8(let values): values.count
      case .u32(let values): values.count
      }
    }
    var byteCount: Int {
      switch self {
      case .f64(let values): values.count * 8
      case .f32(let values): values.count * 4
      case .f16(let values): values.count * 2
      case .i8(let values): values.count
      case .u32(let values): values.count * 4
      }
    }
  }

  /// The JSON header.
  struct Header: Codable {
    var algorithm: String
    /// True for a one-vs-rest multi-label model; missing otherwise.
    var multiLabel: Bool?
    /// A single-label model's decision thresholds, by label; missing when it has none.
    var thresholds: [String: Double]?
    /// How the weights were rounded; missing for full precision.
    var quantization: Quantization?
    var labels: [String]
    var hyperparameters: [String: Double]
    var pipeline: TextPipeline.Configuration
    /// Missing in files written before weighting existed, which used raw counts.
    var weighting: FeatureWeighting?
    var unicodeVersion: String
    var featureHash: String
    var provenance: Provenance?
    var sections: [Section]

    enum CodingKeys: String, CodingKey {
      case algorithm, labels, hyperparameters, pipeline, provenance, sections, weighting
      case quantization
      case multiLabel = "multi_label"
      case thresholds
      case unicodeVersion = "unicode_version"
      case featureHash = "feature_hash"
    }
  }

  static let featureHashName = "fnv1a64-scalars+fibonacci"

  /// The bytes of a model file for `classifier`.
  public static func encode(_ classifier: TextClassifier) -> [UInt8] {
    var arrays: [(String, Payload)] = []
    switch classifier.estimator {
    case .multinomialNaiveBayes(let counts, _), .complementNaiveBayes(let counts, _):
      arrays = [
        ("class_counts", .f64(counts.classCounts)), ("feature_counts", .f64(counts.featureCounts)),
      ]
    case .logisticRegression(let model, _):
      arrays = quantizedWeights(model.weights, classes: model.classCount, classifier.quantization)
      arrays.append(("bias", .f64(model.bias.map(Double.init))))
    case .linearSVM(let model, _):
      arrays = quantizedWeights(model.weights, classes: model.classCount, classifier.quantization)
      arrays.append(("bias", .f64(model.bias)))
    case .embeddings(let model, _):
      arrays = [("weights", .f32(model.weights)), ("bias", .f64(model.bias))]
    case .oneVsRest(let model, let settings):
      arrays = [
        ("weights", .f32(model.weights)), ("bias", .f64(model.bias)),
        ("thresholds", .f64(settings.thresholds)),
      ]
    }
    if let idf = classifier.inverseDocumentFrequencies {
      // A quantised model stores its IDF in half precision too (it was rounded with the
      // weights); values of 1 to about 12 keep three significant digits.
      arrays.append(
        (
          "idf",
          classifier.quantization == .none ? .f32(idf) : .f16(idf.map { Quantization.half($0) })
        ))
    }
    if let vocabulary = classifier.vocabulary {
      arrays.append(("vocabulary", .u32(vocabulary.buckets)))
    }
    if let lexicon = classifier.pipeline.lexicon {
      // Each word as its length, its scalars, then its frequency.
      var packed: [UInt32] = []
      for (word, frequency) in zip(lexicon.words, lexicon.frequencies) {
        packed.append(UInt32(word.count))
        packed.append(contentsOf: word)
        packed.append(frequency)
      }
      arrays.append(("lexicon", .u32(packed)))
    }
    var offset = 0
    let header = Header(
      algorithm: classifier.estimator.algorithmName,
      multiLabel: classifier.isMultiLabel ? true : nil,
      thresholds: classifier.isMultiLabel || classifier.decisionThresholds.isEmpty
        ? nil : classifier.decisionThresholds,
      quantization: classifier.quantization == .none ? nil : classifier.quantization,
      labels: classifier.labels,
      hyperparameters: classifier.estimator.hyperparameters,
      pipeline: classifier.pipeline.configuration, weighting: classifier.weighting,
      unicodeVersion: TextNormalizer.unicodeVersion,
      featureHash: featureHashName, provenance: classifier.provenance,
      sections: arrays.map { name, payload in
        defer { offset = align(offset + payload.byteCount) }
        return Section(name: name, type: payload.type, offset: offset, count: payload.count)
      })
    let json = encodeJSON(header)
    let dataStart = align(16 + json.count)
    var bytes: [UInt8] = magic
    appendLittleEndian(version, to: &bytes)
    appendLittleEndian(UInt32(json.count), to: &bytes)
    bytes.append(contentsOf: json)
    for (section, (_, payload)) in zip(header.sections, arrays) {
      bytes.append(contentsOf: repeatElement(0, count: dataStart + section.offset - bytes.count))
      switch payload {
      case .f64(let values):
        for value in values { appendLittleEndian(value.bitPattern, to: &bytes) }
      case .f32(let values):
        for value in values { appendLittleEndian(value.bitPattern, to: &bytes) }
      case .f16(let values): for value in values { appendLittleEndian(value, to: &bytes) }
      case .i8(let values): for value in values { bytes.append(UInt8(bitPattern: value)) }
      case .u32(let values): for value in values { appendLittleEndian(value, to: &bytes) }
      }
    }
    let crc = bytes.withUnsafeBytes { CRC32.checksum($0) }
    appendLittleEndian(crc, to: &bytes)
    return bytes
  }

  /// The sections that store `weights` as `quantization` says: weights are single precision in
  /// memory, so f32 stores them exactly; a quantised model stores what it was rounded to.
  private static func quantizedWeights(
    _ weights: [Float], classes: Int, _ quantization: Quantization
  ) -> [(String, Payload)] {
    switch quantization {
    case .none: return [("weights", .f32(weights))]
    case .fp16: return [("weights", .f16(weights.map { Quantization.half($0) }))]
    case .int8:
      let (values, scales) = Quantization.int8Columns(weights, classes: classes)
      return [("weights", .i8(values)), ("weight_scales", .f32(scales))]
    }
  }

  /// Writes `classifier` to `path` atomically.
  public static func save(_ classifier: TextClassifier, to path: String) throws(CribleError) {
    try FileIO.writeAtomically(encode(classifier), to: path)
  }

  /// Loads the model at `path`.
  ///
  /// - Throws: ``CribleError`` of kind ``CribleError/Kind/cannotOpen`` when the file cannot be
  ///   read, or ``CribleError/Kind/badModel`` when it is not a valid model.
  public static func load(path: String) throws(CribleError) -> TextClassifier {
    let file = try MappedFile(path: path)
    return try decode(file.bytes, source: path)
  }

  /// Decodes the bytes of a model file; `source` names it in messages.
  public static func decode(_ bytes: [UInt8], source: String) throws(CribleError) -> TextClassifier
  {
    try bytes.withUnsafeBufferPointer { buffer throws(CribleError) in
      try decode(buffer, source: source)
    }
  }

  /// Decodes a model file held in memory (a mapped file, for example).
  ///
  /// `source` names the file in messages. Every array is copied out, so `bytes` may go away
  /// afterwards.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws(CribleError)
    -> TextClassifier
  {
    func bad(_ reason: String) -> CribleError {
      CribleError(.badModel, "\(source) is not a usable Crible model: \(reason)")
    }
    guard bytes.count >= 20, Array(bytes[0..<8]) == magic else {
      throw bad(
        "it does not start with the Crible magic bytes. Give the path of a .crible file written by `crible train`."
      )
    }
    let version = readLittleEndian(UInt32.self, bytes, at: 8)
    guard version == Self.version else {
      throw bad(
        "it has format version \(version) and this Crible reads version \(Self.version). \(version > Self.version ? "Upgrade Crible" : "Retrain the model") to use it."
      )
    }
    let stored = readLittleEndian(UInt32.self, bytes, at: bytes.count - 4)
    let computed = CRC32.checksum(
      UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[0..<(bytes.count - 4)])))
    guard stored == computed else {
      throw bad(
        "its checksum does not match, so it is truncated or damaged. Copy it again or retrain it.")
    }
    let headerLength = Int(readLittleEndian(UInt32.self, bytes, at: 12))
    guard 16 + headerLength <= bytes.count - 4 else {
      throw bad("its header runs past the end of the file.")
    }
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)]))
    } catch {
      throw bad("its header cannot be read (\(error)).")
    }
    if let problem = unknownOption(inHeader: Data(bytes[16..<(16 + headerLength)])) {
      throw bad(problem)
    }
    guard header.featureHash == featureHashName else {
      throw bad(
        "it uses the feature hash \(header.featureHash), which this Crible does not implement.")
    }
    if let problem = header.pipeline.features.validationError() { throw bad(problem) }
    guard header.labels.count >= 2, Set(header.labels).count == header.labels.count else {
      throw bad("it needs at least two distinct labels, and has \(header.labels).")
    }
    let dataStart = align(16 + headerLength)
    func section<T: FixedWidthInteger>(_ name: String, type: String, count: Int?, as _: T.Type)
      throws(CribleError) -> [T]
    {
      guard let section = header.sections.first(where: { $0.name == name }) else {
        throw bad("it has no \(name) section.")
      }
      let size = MemoryLayout<T>.size
      // Bounds first, so that no arithmetic on the header's numbers can overflow.
      guard section.type == type, count == nil || section.count == count,
        (0...bytes.count).contains(section.offset), (0...bytes.count).contains(section.count),
        dataStart + section.offset + section.count * size <= bytes.count - 4
      else {
        throw bad("its \(name) section does not have the expected type, size or place.")
      }
      let start = dataStart + section.offset
      var values = [T](repeating: 0, count: section.count)
      values.withUnsafeMutableBytes { destination in
        destination.copyMemory(
          from: UnsafeRawBufferPointer(
            UnsafeBufferPointer(rebasing: bytes[start..<(start + section.count * size)])))
      }
      return values.map { T(littleEndian: $0) }
    }
    func section(_ name: String, count: Int) throws(CribleError) -> [Double] {
      try section(name, type: "f64", count: count, as: UInt64.self).map(Double.init(bitPattern:))
    }
    func sectionType(_ name: String) -> String? {
      header.sections.first { $0.name == name }?.type
    }
    /// A section of reals, in whichever precision it was written.
    func reals(_ name: String, count: Int) throws(CribleError) -> [Float] {
      switch sectionType(name) {
      case "f32":
        return try section(name, type: "f32", count: count, as: UInt32.self).map(
          Float.init(bitPattern:))
      case "f16":
        return try section(name, type: "f16", count: count, as: UInt16.self).map(
          Quantization.float(half:))
      default:
        return try section(name, count: count).map(Float.init)
      }
    }
    let classes = header.labels.count
    let vocabulary: Vocabulary?
    if header.sections.contains(where: { $0.name == "vocabulary" }) {
      let buckets = try section("vocabulary", type: "u32", count: nil, as: UInt32.self)
      let bucketCount = header.pipeline.features.bucketCount
      guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0 < $1 }),
        buckets.allSatisfy({ Int($0) < bucketCount })
      else { throw bad("its vocabulary is not a sorted list of distinct buckets.") }
      vocabulary = Vocabulary(buckets: buckets)
    } else {
      vocabulary = nil
    }
    var lexicon: Lexicon?
    if header.pipeline.features.hanWords {
      let packed = try section("lexicon", type: "u32", count: nil, as: UInt32.self)
      var words: [[UInt32]] = []
      var frequencies: [UInt32] = []
      var position = 0
      while position < packed.count {
        let length = Int(packed[position])
        guard position + length + 2 <= packed.count else {
          throw bad("its lexicon section is truncated.")
        }
        words.append(Array(packed[(position + 1)..<(position + 1 + length)]))
        frequencies.append(packed[position + 1 + length])
        position += length + 2
      }
      lexicon = Lexicon(words: words, frequencies: frequencies)
    }
    let featureCount = vocabulary?.count ?? header.pipeline.features.bucketCount
    /// The weights of a linear model, whether stored as reals or as int8 with column scales.
    func storedWeights() throws(CribleError) -> [Float] {
      guard sectionType("weights") == "i8" else {
        return try reals("weights", count: classes * featureCount)
      }
      let values = try section("weights", type: "i8", count: classes * featureCount, as: Int8.self)
      return Quantization.dequantize(values, scales: try reals("weight_scales", count: classes))
    }
    let weighting = header.weighting ?? FeatureWeighting()
    let idf: [Float]? =
      weighting.inverseDocumentFrequency
      ? try reals("idf", count: featureCount) : nil
    let thresholds = header.thresholds ?? [:]
    guard
      thresholds.allSatisfy({ header.labels.contains($0.key) && $0.value >= 0 && $0.value <= 1 })
    else {
      throw bad("its thresholds name unknown labels or are not probabilities.")
    }
    if header.multiLabel == true {
      guard let algorithm = Algorithm(rawValue: header.algorithm) else {
        throw bad(
          "its algorithm, \(header.algorithm), is not one this Crible knows. Upgrade Crible.")
      }
      let weights = try reals("weights", count: classes * featureCount)
      let bias = try section("bias", count: classes)
      let thresholds = try section("thresholds", count: classes)
      guard thresholds.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
        throw bad("its thresholds are not probabilities.")
      }
      return TextClassifier(
        labels: header.labels, pipeline: header.pipeline, lexicon: lexicon,
        estimator: .oneVsRest(
          LinearModel(classCount: classes, weights: weights, bias: bias),
          .init(
            algorithm: algorithm, hyperparameters: header.hyperparameters, thresholds: thresholds)),
        vocabulary: vocabulary, weighting: weighting, inverseDocumentFrequencies: idf,
        provenance: header.provenance)
    }
    /// The classifier of `estimator`, with everything else the header and sections give.
    func classifier(_ estimator: TextClassifier.Estimator, quantization: Quantization = .none)
      -> TextClassifier
    {
      TextClassifier(
        labels: header.labels, pipeline: header.pipeline, lexicon: lexicon, estimator: estimator,
        vocabulary: vocabulary, weighting: weighting, inverseDocumentFrequencies: idf,
        provenance: header.provenance, quantization: quantization,
        decisionThresholds: thresholds)
    }
    switch header.algorithm {
    case Algorithm.naiveBayes.rawValue, Algorithm.complementNaiveBayes.rawValue:
      guard let alpha = header.hyperparameters["alpha"], alpha > 0 else {
        throw bad("its naive-Bayes smoothing alpha is missing or not positive.")
      }
      let classCounts = try section("class_counts", count: classes)
      let featureCounts = try section("feature_counts", count: classes * featureCount)
      let counts = MultinomialNaiveBayes(classCounts: classCounts, featureCounts: featureCounts)
      let priorShift = header.hyperparameters["prior_shift"] ?? 0
      guard priorShift.isFinite else { throw bad("its naive-Bayes prior shift is not finite.") }
      let estimator: TextClassifier.Estimator =
        header.algorithm == Algorithm.naiveBayes.rawValue
        ? .multinomialNaiveBayes(
          counts, MultinomialNaiveBayes.Configuration(alpha: alpha, priorShift: priorShift))
        : .complementNaiveBayes(
          counts,
          .init(
            alpha: alpha, normalize: (header.hyperparameters["norm"] ?? 0) != 0,
            priorShift: priorShift))
      // Naive Bayes derives its scores from counts and these hyper-parameters when loaded, so
      // one this Crible does not write (a newer one's) would change them: refused, as unknown
      // pipeline options are.
      let known = estimator.hyperparameters.keys
      if let unknown = header.hyperparameters.keys.sorted().first(where: { !known.contains($0) }) {
        throw bad(
          "its hyper-parameters have \(unknown), which this Crible does not know: a newer Crible wrote it, and this one would score otherwise than the model was meant to. Upgrade Crible to use it."
        )
      }
      return classifier(estimator)
    case Algorithm.logisticRegression.rawValue:
      guard let l2 = header.hyperparameters["l2"], l2 > 0 else {
        throw bad("its L2 strength is missing or not positive.")
      }
      let configuration = LogisticRegression.Configuration(
        l2: l2, maxIterations: Int(header.hyperparameters["max_iterations"] ?? 500),
        tolerance: header.hyperparameters["tolerance"] ?? 1e-4)
      let weights = try storedWeights()
      let bias = try section("bias", count: classes).map(Float.init)
      return classifier(
        .logisticRegression(
          LogisticRegression(classCount: classes, weights: weights, bias: bias), configuration),
        quantization: header.quantization ?? .none)
    case Algorithm.embeddings.rawValue:
      let settings = header.hyperparameters
      guard let dimension = settings["dimension"].flatMap(Int.init(exactly:)),
        let epochs = settings["epochs"].flatMap(Int.init(exactly:)),
        let learningRate = settings["learning_rate"],
        let seed = settings["seed"].flatMap(UInt64.init(exactly:))
      else {
        throw bad("its embedding settings (dimension, epochs, learning_rate, seed) are missing.")
      }
      let configuration = SupervisedEmbeddings.Configuration(
        dimension: dimension, epochs: epochs, learningRate: learningRate, seed: seed)
      let weights = try reals("weights", count: classes * featureCount)
      let bias = try section("bias", count: classes)
      return classifier(
        .embeddings(LinearModel(classCount: classes, weights: weights, bias: bias), configuration))
    case Algorithm.linearSVM.rawValue:
      let settings = header.hyperparameters
      guard let cost = settings["C"], cost > 0, let tolerance = settings["tolerance"],
        let maxIterations = settings["max_iterations"].flatMap(Int.init(exactly:)),
        let seed = settings["seed"].flatMap(UInt64.init(exactly:)), let scale = settings["scale"]
      else {
        throw bad(
          "its support-vector settings (C, tolerance, max_iterations, seed, scale) are missing.")
      }
      let configuration = LinearSVM.Configuration(
        cost: cost, tolerance: tolerance, maxIterations: maxIterations, seed: seed, scale: scale)
      let weights = try storedWeights()
      let bias = try section("bias", count: classes)
      return classifier(
        .linearSVM(LinearModel(classCount: classes, weights: weights, bias: bias), configuration),
        quantization: header.quantization ?? .none)
    default:
      throw bad("its algorithm, \(header.algorithm), is not one this Crible knows. Upgrade Crible.")
    }
  }

  private static func align(_ offset: Int) -> Int { (offset + 63) & ~63 }

  /// The options this Crible writes in a header's pipeline and weighting, by where they sit:
  /// the keys of the default configurations, encoded as a model file encodes them.
  static let knownOptions: [(path: [String], keys: Set<String>)] = {
    func keys(_ value: some Encodable) -> Set<String> {
      guard let data = try? JSONEncoder().encode(value),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
      else { return [] }
      return Set(object.keys)
    }
    let pipeline = TextPipeline.Configuration()
    return [
      (["pipeline"], keys(pipeline)),
      (["pipeline", "normalization"], keys(pipeline.normalization)),
      (["pipeline", "tokenization"], keys(pipeline.tokenization)),
      (["pipeline", "features"], keys(pipeline.features)),
      (["weighting"], keys(FeatureWeighting())),
    ]
  }()

  /// A sentence naming the first pipeline or weighting option in `header` (JSON) that this
  /// Crible does not know, or `nil`.
  ///
  /// A newer Crible adds such options, off when missing, so that it reads older files; an
  /// older Crible that skipped one would compute other features than the model was trained on,
  /// and label wrongly without a word. So it refuses the file instead.
  static func unknownOption(inHeader header: Data) -> String? {
    guard let root = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
      return nil  // the typed decoding reports it
    }
    for (path, known) in knownOptions {
      var object: Any? = root
      for key in path { object = (object as? [String: Any])?[key] }
      guard let options = object as? [String: Any] else { continue }
      if let unknown = options.keys.sorted().first(where: { !known.contains($0) }) {
        return
          "its \(path.joined(separator: ".")) has the option \(unknown), which this Crible does not know: a newer Crible wrote it, and this one would compute other features than the model was trained on. Upgrade Crible to use it."
      }
    }
    return nil
  }

  private static func encodeJSON(_ header: Header) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Encoding plain Codable values with finite numbers cannot fail.
    return (try? Array(encoder.encode(header))) ?? []
  }

  private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8])
  {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  private static func readLittleEndian<T: FixedWidthInteger>(
    _: T.Type, _ bytes: UnsafeBufferPointer<UInt8>, at offset: Int
  ) -> T {
    var value = T.zero
    withUnsafeMutableBytes(of: &value) { destination in
      for i in 0..<MemoryLayout<T>.size { destination[i] = bytes[offset + i] }
    }
    return T(littleEndian: value)
  }
}
