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
    /// The three buffers, in one object.
    ///
    /// Opening them for a message costs one uniqueness check (a copied workspace gets buffers
    /// of its own before it writes), rather than one per array, and no array bookkeeping. The
    /// object itself never changes (growing replaces it), so reading its buffers needs no
    /// exclusivity check.
    final class Buffers: @unchecked Sendable {
      // Safety: a workspace writes its buffers only after making sure it holds the only
      // reference to them (``Workspace/makeBuffersUnique()``), so no two workspaces, and no two
      // threads, ever write the same buffer.
      let scalars: UnsafeMutableBufferPointer<UInt32>
      let tokens: UnsafeMutableBufferPointer<Token>
      let features: UnsafeMutableBufferPointer<UInt32>

      /// Buffers of the given sizes, holding a copy of `old`'s contents when given.
      init(scalars: Int, tokens: Int, features: Int, copying old: Buffers? = nil) {
        func buffer<Element>(
          _ count: Int, _ filler: Element, _ old: UnsafeMutableBufferPointer<Element>?
        ) -> UnsafeMutableBufferPointer<Element> {
          let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
          buffer.initialize(repeating: filler)
          if let old { _ = buffer.update(fromContentsOf: old[0..<min(old.count, count)]) }
          return buffer
        }
        self.scalars = buffer(scalars, 0, old?.scalars)
        self.tokens = buffer(tokens, Token(kind: .symbol, start: 0, end: 0), old?.tokens)
        self.features = buffer(features, 0, old?.features)
      }

      deinit {
        scalars.deallocate()
        tokens.deallocate()
        features.deallocate()
      }
    }

    /// The owner of the buffers below (which are its buffers, copied here so that the hot path
    /// reads plain fields, with no reference counting).
    var buffers = Buffers(scalars: 0, tokens: 0, features: 0)
    // Safety: `buffers`' own buffers, written only once this workspace holds the only
    // reference to them (see `Buffers`).
    nonisolated(unsafe) var scalarBuffer = UnsafeMutableBufferPointer<UInt32>(start: nil, count: 0)
    nonisolated(unsafe) var tokenBuffer = UnsafeMutableBufferPointer<Token>(start: nil, count: 0)
    nonisolated(unsafe) var featureBuffer = UnsafeMutableBufferPointer<UInt32>(
      start: nil, count: 0)
    var scalarCount = 0
    var tokenCount = 0
    var featureCount = 0

    /// Creates an empty workspace.
    public init() {}

    /// Makes the buffers this workspace's own: copies them first if another workspace shares
    /// them.
    @inline(__always)
    mutating func makeBuffersUnique() {
      if !isKnownUniquelyReferenced(&buffers) {
        adopt(
          Buffers(
            scalars: buffers.scalars.count, tokens: buffers.tokens.count,
            features: buffers.features.count, copying: buffers))
      }
    }

    private mutating func adopt(_ new: Buffers) {
      buffers = new
      scalarBuffer = new.scalars
      tokenBuffer = new.tokens
      featureBuffer = new.features
    }

    /// The scalar buffer, with room for at least `count` scalars.
    @inline(__always)
    mutating func reserveScalars(_ count: Int) -> UnsafeMutableBufferPointer<UInt32> {
      if scalarBuffer.count < count { grow(scalars: count) }
      return scalarBuffer
    }

    /// The token buffer, with room for at least `count` tokens.
    @inline(__always)
    mutating func reserveTokens(_ count: Int) -> UnsafeMutableBufferPointer<Token> {
      if tokenBuffer.count < count { grow(tokens: count) }
      return tokenBuffer
    }

    /// The feature buffer, with room for at least `count` features.
    @inline(__always)
    mutating func reserveFeatures(_ count: Int) -> UnsafeMutableBufferPointer<UInt32> {
      if featureBuffer.count < count { grow(features: count) }
      return featureBuffer
    }

    /// Replaces the buffers with ones that have room for at least `scalars`, `tokens` and
    /// `features` elements and hold what the current ones hold; each that grows at least
    /// doubles, so that after warm-up no message allocates.
    private mutating func grow(scalars: Int = 0, tokens: Int = 0, features: Int = 0) {
      func size(_ current: Int, _ needed: Int) -> Int {
        needed <= current ? current : max(needed, current * 2)
      }
      adopt(
        Buffers(
          scalars: size(scalarBuffer.count, scalars), tokens: size(tokenBuffer.count, tokens),
          features: size(featureBuffer.count, features), copying: buffers))
    }

    /// The normalised scalars of the last message (a copy, for inspection).
    public var scalars: [UInt32] { Array(scalarBuffer[0..<scalarCount]) }
    /// The tokens of the last message (a copy, for inspection).
    public var tokens: [Token] { Array(tokenBuffer[0..<tokenCount]) }
    /// The bucket index of every feature of the last message, in order, with repeats (a copy,
    /// for inspection; hot paths use ``withFeatures(_:)``).
    public var features: [UInt32] { Array(featureBuffer[0..<featureCount]) }

    /// Rewrites the features of the last message in place; `body` returns how many of the
    /// first ones to keep (a vocabulary drops the features it does not know, for example).
    public mutating func rewriteFeatures(_ body: (UnsafeMutableBufferPointer<UInt32>) -> Int) {
      makeBuffersUnique()
      featureCount = body(UnsafeMutableBufferPointer(rebasing: featureBuffer[0..<featureCount]))
    }

    /// Calls `body` with the features of the last message, without copying them.
    @inline(__always)
    public func withFeatures<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
      // The workspace, borrowed for the call, keeps its buffers alive.
      try body(UnsafeBufferPointer(rebasing: featureBuffer[0..<featureCount]))
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
  /// The workspace's buffers are opened once (one uniqueness check), each sized from what the
  /// stage before it wrote.
  public func extractFeatures(
    utf8 bytes: UnsafeBufferPointer<UInt8>, into workspace: inout Workspace
  ) {
    workspace.makeBuffersUnique()
    let scalarCount = normalizer.normalize(bytes) { workspace.reserveScalars($0) }
    var tokens = BufferWriter(workspace.reserveTokens(PreTokenizer.tokenBound(scalarCount)))
    preTokenizer.tokenize(
      UnsafeBufferPointer(rebasing: workspace.scalarBuffer[0..<scalarCount]), into: &tokens)
    let tokenCount = tokens.count
    // Reserving may move the scalars and tokens to new buffers (with their contents), so they
    // are read from the workspace after it.
    let features = workspace.reserveFeatures(
      extractor.featureBound(tokenCount: tokenCount, scalarCount: scalarCount))
    workspace.featureCount = extractor.extract(
      UnsafeBufferPointer(rebasing: workspace.tokenBuffer[0..<tokenCount]),
      of: UnsafeBufferPointer(rebasing: workspace.scalarBuffer[0..<scalarCount]),
      into: features)
    workspace.scalarCount = scalarCount
    workspace.tokenCount = tokenCount
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
          case .endOfMessage:
            readable = "</s>"
          case .phonePrefix:
            let kept = string(span.start..<span.end).unicodeScalars.filter {
              FeatureExtractor.countsInPhonePrefix($0.value)
            }
            readable = "<phone " + String(String.UnicodeScalarView(kept)) + ">"
          case .urlDomain:
            readable = "<url " + string(span.start..<span.end) + ">"
          }
          result.append((family, readable, StableHash.bucket(state, bits: bits)))
        }
      }
    }
    return result
  }
}
