/// The whole text pipeline: ``TextNormalizer``, then ``PreTokenizer``, then ``FeatureExtractor``.
///
/// A pipeline is an immutable value that any number of threads share; each thread brings its
/// own ``Workspace``, whose buffers grow to the longest message and are then reused, so that
/// extracting features allocates nothing per message.
///
/// ```swift
/// let pipeline = TextPipeline()
/// var workspace = TextPipeline.Workspace()
/// pipeline.extractFeatures("加微信领红包", into: &workspace)
/// workspace.features  // bucket indices of 加, 加微, 微, 微信, ...
/// ```
public struct TextPipeline: Sendable {
  /// The complete configuration of the pipeline, stored in every model file so that labelling
  /// always tokenises exactly as training did.
  public struct Configuration: Sendable, Hashable, Codable {
    /// The normaliser's steps.
    public var normalization: TextNormalizer.Configuration
    /// What the pre-tokeniser recognises.
    public var tokenization: PreTokenizer.Configuration
    /// The features and their hashing.
    public var features: FeatureExtractor.Configuration

    /// Creates a configuration; the defaults are the recommended settings.
    public init(
      normalization: TextNormalizer.Configuration = .init(),
      tokenization: PreTokenizer.Configuration = .init(),
      features: FeatureExtractor.Configuration = .init()
    ) {
      self.normalization = normalization
      self.tokenization = tokenization
      self.features = features
    }

    /// Decodes a stored configuration; a missing part has every step off.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      self.init(
        normalization: try c.decodeIfPresent(
          TextNormalizer.Configuration.self, forKey: .normalization)
          ?? .none,
        tokenization: try c.decodeIfPresent(PreTokenizer.Configuration.self, forKey: .tokenization)
          ?? .init(placeholders: false, numberPlaceholders: false, hyphenatedCompounds: false),
        features: try c.decode(FeatureExtractor.Configuration.self, forKey: .features))
    }
  }

  /// Reusable scratch buffers for one thread.
  ///
  /// Each buffer grows to the longest message seen and is then reused; only its first elements
  /// belong to the last message.
  public struct Workspace: Sendable {
    var scalarStorage: [UInt32] = []
    var scalarCount = 0
    var tokenStorage: [Token] = []
    var tokenCount = 0
    var featureStorage: [UInt32] = []
    var featureCount = 0

    /// Creates an empty workspace.
    public init() {}

    /// The normalised scalars of the last message (a copy, for inspection).
    public var scalars: [UInt32] { Array(scalarStorage[0..<scalarCount]) }
    /// The tokens of the last message (a copy, for inspection).
    public var tokens: [Token] { Array(tokenStorage[0..<tokenCount]) }
    /// The bucket index of every feature of the last message, in order, with repeats (a copy,
    /// for inspection; hot paths use ``withFeatures(_:)``).
    public var features: [UInt32] { Array(featureStorage[0..<featureCount]) }

    /// Rewrites the features of the last message in place; `body` returns how many of the
    /// first ones to keep (a vocabulary drops the features it does not know, for example).
    public mutating func rewriteFeatures(_ body: (UnsafeMutableBufferPointer<UInt32>) -> Int) {
      let count = featureCount
      featureCount = featureStorage.withUnsafeMutableBufferPointer {
        body(UnsafeMutableBufferPointer(rebasing: $0[0..<count]))
      }
    }

    /// Calls `body` with the features of the last message, without copying them.
    @inline(__always)
    public func withFeatures<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
      try featureStorage.withUnsafeBufferPointer {
        try body(UnsafeBufferPointer(rebasing: $0[0..<featureCount]))
      }
    }
  }

  /// The pipeline's configuration.
  public let configuration: Configuration
  /// The normalisation stage.
  public let normalizer: TextNormalizer
  /// The pre-tokenisation stage.
  public let preTokenizer: PreTokenizer
  /// The feature-extraction stage.
  public let extractor: FeatureExtractor

  /// Creates a pipeline.
  ///
  /// - Parameters:
  ///   - configuration: The stages' settings.
  ///   - lexicon: The word list for dictionary segmentation of Chinese, used when
  ///     `configuration.features.hanWords` is on.
  /// - Precondition: `configuration.features.validationError()` is `nil`, and there is a lexicon
  ///   when `configuration.features.hanWords` is on.
  public init(configuration: Configuration = Configuration(), lexicon: Lexicon? = nil) {
    self.configuration = configuration
    normalizer = TextNormalizer(configuration: configuration.normalization)
    preTokenizer = PreTokenizer(configuration: configuration.tokenization)
    extractor = FeatureExtractor(configuration: configuration.features, lexicon: lexicon)
  }

  /// The word list for dictionary segmentation, if the pipeline uses one.
  public var lexicon: Lexicon? { extractor.lexicon }

  /// The number of feature buckets.
  public var bucketCount: Int { configuration.features.bucketCount }

  /// Runs the pipeline on one message of UTF-8 bytes; the features are then in `workspace`.
  ///
  /// Each buffer is opened once (one uniqueness check), the next one sized from what the
  /// stage before it wrote.
  public func extractFeatures(
    utf8 bytes: UnsafeBufferPointer<UInt8>, into workspace: inout Workspace
  ) {
    let counts = normalizer.normalize(bytes, storage: &workspace.scalarStorage) {
      storage, scalarCount in
      let scalars = UnsafeBufferPointer(rebasing: storage[0..<scalarCount])
      Storage.ensureCount(
        &workspace.tokenStorage, PreTokenizer.tokenBound(scalarCount),
        Token(kind: .symbol, start: 0, end: 0))
      return workspace.tokenStorage.withUnsafeMutableBufferPointer { tokenBuffer in
        var tokens = BufferWriter(tokenBuffer)
        preTokenizer.tokenize(scalars, into: &tokens)
        let written = UnsafeBufferPointer(tokens.written)
        Storage.ensureCount(
          &workspace.featureStorage,
          extractor.featureBound(tokenCount: written.count, scalarCount: scalarCount), 0)
        let featureCount = workspace.featureStorage.withUnsafeMutableBufferPointer {
          extractor.extract(written, of: scalars, into: $0)
        }
        return (scalars: scalarCount, tokens: written.count, features: featureCount)
      }
    }
    workspace.scalarCount = counts.scalars
    workspace.tokenCount = counts.tokens
    workspace.featureCount = counts.features
  }

  /// Runs the pipeline on one message; the features are in `workspace.features` afterwards.
  public func extractFeatures(_ text: String, into workspace: inout Workspace) {
    var text = text
    text.withUTF8 { extractFeatures(utf8: $0, into: &workspace) }
  }

  /// The features of `text` in readable form, in order, with repeats: what the classifier sees
  /// before hashing.
  public func featureStrings(_ text: String) -> [String] {
    featureDetails(text).map(\.text)
  }

  /// The features of `text` with their family, readable form and bucket.
  public func featureDetails(_ text: String) -> [(
    family: FeatureExtractor.Family, text: String, bucket: UInt32
  )] {
    var scalarArray: [UInt32] = []
    var tokenArray: [Token] = []
    var text = text
    text.withUTF8 { normalizer.normalize($0, into: &scalarArray) }
    var result: [(FeatureExtractor.Family, String, UInt32)] = []
    let bits = configuration.features.bucketBits
    scalarArray.withUnsafeBufferPointer { scalars in
      preTokenizer.tokenize(scalars, into: &tokenArray)
      tokenArray.withUnsafeBufferPointer { tokens in
        func string(_ range: Range<Int>) -> String {
          String(String.UnicodeScalarView(range.map { Unicode.Scalar(scalars[$0]) ?? "\u{FFFD}" }))
        }
        extractor.extract(tokens, of: scalars) { state, family, span in
          let readable: String
          switch family {
          case .hanNGram, .word, .symbol, .hanWord:
            let token = tokens.first { Int($0.start) == span.start && Int($0.end) == span.end }
            readable = token?.kind.placeholder ?? string(span.start..<span.end)
          case .wordNGram:
            readable = (span.start..<span.end).map {
              string(Int(tokens[$0].start)..<Int(tokens[$0].end))
            }.joined(separator: " ")
          case .subword:
            let padded = "<" + string(span.word) + ">"
            let characters = Array(padded.unicodeScalars)
            readable = String(String.UnicodeScalarView(characters[span.start..<span.end]))
          }
          result.append((family, readable, StableHash.bucket(state, bits: bits)))
        }
      }
    }
    return result
  }
}
