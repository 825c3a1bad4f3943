/// The third stage of the pipeline: tokens in, hashed feature indices out.
///
/// Each feature is a short sequence of scalars in one *family*, and its index is its
/// ``StableHash`` bucket among `2^bucketBits`:
///
/// | family | from | readable form |
/// |---|---|---|
/// | ``Family/hanNGram`` | Han runs: character n-grams, n in ``Configuration/hanNGrams`` | `微信` |
/// | ``Family/word`` | words, numbers and elisions | `bonjour`, `l'`, `500` |
/// | ``Family/wordNGram`` | runs of adjacent words, n in `2...wordNGrams`, joined by spaces | `ta gueule` |
/// | ``Family/subword`` | character n-grams of `<word>` (and of `<number>`), n in ``Configuration/subwordNGrams`` | `<con` |
/// | ``Family/symbol`` | punctuation, symbols, emoji | `!` |
/// | ``Family/endOfMessage`` | every message, once, after its other features (optional) | `</s>` |
/// | ``Family/phonePrefix`` | telephone numbers: their first 2, 3 and 4 characters | `<phone 0800>` |
/// | ``Family/urlDomain`` | web addresses: the domain of their host | `<url taobao.com>` |
///
/// The family is the first unit hashed, so `<con` as a subword and as a word never collide by
/// construction. Repeated features are emitted repeatedly: the classifiers count them.
///
/// Features come out token by token. With the default settings a word gives its subwords (by
/// end position), then itself, then the bigram it ends, all from one pass over its scalars;
/// other settings give the word first. The order is only for display: models count features.
public struct FeatureExtractor: Sendable {
  /// The feature families, whose raw value is the first unit of every feature's hash.
  public enum Family: UInt32, Sendable, CaseIterable {
    /// Character n-grams inside runs of Han characters.
    case hanNGram = 1
    /// Whole words, numbers and elisions.
    case word = 2
    /// Sequences of adjacent words.
    case wordNGram = 3
    /// Character n-grams inside words, with `<` and `>` marking the word's ends.
    case subword = 4
    /// Single symbols, punctuation marks and emoji.
    case symbol = 5
    /// Chinese words found by dictionary segmentation (with a ``Lexicon``).
    case hanWord = 6
    /// The end of the message: one feature every message has (fastText's `</s>`).
    case endOfMessage = 7
    /// The first characters of a telephone number (digits and a leading `+`), besides its
    /// `<phone>` placeholder.
    case phonePrefix = 8
    /// The domain of a web address's host (`taobao.com` in `http://m.taobao.com/x?y`), besides
    /// its `<url>` placeholder.
    case urlDomain = 9
  }

  /// What features are extracted, and into how many buckets.
  ///
  /// Stored in every model file.
  public struct Configuration: Sendable, Hashable, Codable {
    /// The lengths of the character n-grams taken inside Han runs.
    public var hanNGrams: ClosedRange<Int>
    /// The longest word n-gram; 1 means words alone.
    public var wordNGrams: Int
    /// The lengths of the character n-grams taken inside `<word>`, or `nil` for none.
    public var subwordNGrams: ClosedRange<Int>?
    /// Whether symbols, punctuation and emoji are features.
    public var symbols: Bool
    /// Whether runs of Han characters are also cut into dictionary words (needs a ``Lexicon``).
    public var hanWords: Bool
    /// Whether words of six letters or more are cut to a light stem (French plural and
    /// feminine endings; see ``FeatureExtractor/lightStemEnd(_:_:_:)``).
    public var lightStemming: Bool
    /// Features are hashed into `2^bucketBits` buckets.
    public var bucketBits: Int
    /// Whether numbers also give the subwords of their digits, as words do.
    ///
    /// `4006` then gives `<40`, `400`, `4006>`, ... besides `<num>` (or besides `4006` itself
    /// with placeholders off): digits carry signal on spam corpora (hotlines, short codes,
    /// prices). Telephone numbers keep their placeholder alone, so that one message with
    /// different numbers gives the same features. Off by default and in models stored before it
    /// existed.
    public var numberSubwords: Bool
    /// Whether every message ends with one more feature, `</s>`, the same for all messages.
    ///
    /// fastText's end-of-line token. Where the feature values are scaled to their mean (the
    /// supervised embeddings), it weighs `1 / (n + 1)` in a message of `n` other features: a
    /// learned bias that counts most in the shortest messages, and the whole evidence in an
    /// empty one. Off by default (the supervised embeddings turn it on) and in models stored
    /// before it existed.
    public var endOfMessage: Bool
    /// Whether a telephone number also gives its first 2, 3 and 4 characters (digits, and a
    /// leading `+`), besides its `<phone>` placeholder: `0800 505060` gives `<phone 08>`,
    /// `<phone 080>` and `<phone 0800>`.
    ///
    /// The start of a number says what kind of line it is (premium-rate, toll-free, mobile, a
    /// country), which is what spam gives away; the rest of it only tells messages apart. Off
    /// in models stored before it existed.
    public var phonePrefixes: Bool
    /// Whether a web address also gives the domain of its host, besides its `<url>`
    /// placeholder: `http://m.taobao.com/x?y=1` and `taobao.com/z` give `<url taobao.com>`,
    /// `mall.icbc.com.cn` gives `<url icbc.com.cn>`.
    ///
    /// The domain says whose address it is (a shop, a bank, a carrier, a link shortener), which
    /// spam gives away; the scheme, subdomains, port, path and query change from message to
    /// message and are dropped. An address whose host is a number (`192.168.0.1`) gives its
    /// placeholder alone. Off in models stored before it existed.
    public var urlDomains: Bool

    /// Creates a configuration; the defaults are the recommended settings.
    public init(
      hanNGrams: ClosedRange<Int> = 1...2, wordNGrams: Int = 2,
      subwordNGrams: ClosedRange<Int>? = 3...5, symbols: Bool = true, bucketBits: Int = 22,
      lightStemming: Bool = false, hanWords: Bool = false, numberSubwords: Bool = false,
      endOfMessage: Bool = false, phonePrefixes: Bool = true, urlDomains: Bool = true
    ) {
      self.urlDomains = urlDomains
      self.phonePrefixes = phonePrefixes
      self.endOfMessage = endOfMessage
      self.numberSubwords = numberSubwords
      self.lightStemming = lightStemming
      self.hanWords = hanWords
      self.hanNGrams = hanNGrams
      self.wordNGrams = wordNGrams
      self.subwordNGrams = subwordNGrams
      self.symbols = symbols
      self.bucketBits = bucketBits
    }

    /// Decodes a stored configuration; `lightStemming`, `hanWords`, `numberSubwords`,
    /// `endOfMessage`, `phonePrefixes` and `urlDomains`, added later, are off when missing.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      self.init(
        hanNGrams: try c.decode(ClosedRange<Int>.self, forKey: .hanNGrams),
        wordNGrams: try c.decode(Int.self, forKey: .wordNGrams),
        subwordNGrams: try c.decodeIfPresent(ClosedRange<Int>.self, forKey: .subwordNGrams),
        symbols: try c.decode(Bool.self, forKey: .symbols),
        bucketBits: try c.decode(Int.self, forKey: .bucketBits),
        lightStemming: try c.decodeIfPresent(Bool.self, forKey: .lightStemming) ?? false,
        hanWords: try c.decodeIfPresent(Bool.self, forKey: .hanWords) ?? false,
        numberSubwords: try c.decodeIfPresent(Bool.self, forKey: .numberSubwords) ?? false,
        endOfMessage: try c.decodeIfPresent(Bool.self, forKey: .endOfMessage) ?? false,
        phonePrefixes: try c.decodeIfPresent(Bool.self, forKey: .phonePrefixes) ?? false,
        urlDomains: try c.decodeIfPresent(Bool.self, forKey: .urlDomains) ?? false)
    }

    /// The number of hash buckets, `2^bucketBits`.
    public var bucketCount: Int { 1 << bucketBits }

    /// Checks the settings, returning a sentence that says what is wrong, or `nil`.
    public func validationError() -> String? {
      if hanNGrams.lowerBound < 1 || hanNGrams.upperBound > 8 {
        return "Han n-gram lengths must lie within 1...8, not \(hanNGrams)."
      }
      if wordNGrams < 1 || wordNGrams > 5 {
        return "The longest word n-gram must be between 1 and 5, not \(wordNGrams)."
      }
      if let subwordNGrams, subwordNGrams.lowerBound < 1 || subwordNGrams.upperBound > 8 {
        return "Subword n-gram lengths must lie within 1...8, not \(subwordNGrams)."
      }
      if bucketBits < 4 || bucketBits > 28 {
        return
          "The bucket bits must be between 4 and 28 (16 to 268 million buckets), not \(bucketBits)."
      }
      return nil
    }
  }

  /// The hash state of each placeholder's text (`<url>`, ...) in the word family, by token kind.
  static let placeholderStates: [UInt64] = (0...UInt8.max).map { raw in
    guard let text = Token.Kind(rawValue: raw)?.placeholder else { return 0 }
    return text.unicodeScalars.reduce(
      StableHash.combine(StableHash.basis, Family.word.rawValue)
    ) { StableHash.combine($0, $1.value) }
  }

  /// The lengths of a telephone number's prefixes, in characters.
  static let phonePrefixLengths = 2...4

  /// Whether `scalar` counts in a telephone number's prefix: a digit or `+`, not a separator.
  @inline(__always)
  static func countsInPhonePrefix(_ scalar: UInt32) -> Bool {
    scalar &- 0x30 < 10 || scalar == 0x2B
  }

  /// The hash state of the end-of-message feature.
  static let endOfMessageState = StableHash.combine(StableHash.basis, Family.endOfMessage.rawValue)

  /// The settings of this extractor.
  public let configuration: Configuration
  /// The word list for ``Configuration/hanWords``.
  public let lexicon: Lexicon?
  /// ``featureBound(tokenCount:scalarCount:)``'s factors, worked out once.
  private let boundPerScalar: Int
  private let boundPerToken: Int
  /// Whether a word's own hash can come from its subwords' pass: subwords 3-5, no stemming.
  private let fusedSubwords: Bool

  /// Creates an extractor.
  ///
  /// - Precondition: `configuration.validationError()` is `nil`, and there is a lexicon when
  ///   `configuration.hanWords` is on.
  public init(configuration: Configuration = Configuration(), lexicon: Lexicon? = nil) {
    if let problem = configuration.validationError() {
      preconditionFailure("FeatureExtractor: \(problem)")
    }
    precondition(
      !configuration.hanWords || lexicon != nil, "FeatureExtractor: hanWords needs a lexicon")
    self.configuration = configuration
    self.lexicon = configuration.hanWords ? lexicon : nil
    let han = configuration.hanNGrams.count + (configuration.hanWords ? 1 : 0)
    let subwords = configuration.subwordNGrams?.count ?? 0
    boundPerScalar = 2 * max(han, subwords)
    boundPerToken =
      configuration.wordNGrams + 2 * subwords + 1
      + (configuration.phonePrefixes ? Self.phonePrefixLengths.count : 0)
      + (configuration.urlDomains ? 1 : 0)
    fusedSubwords = configuration.subwordNGrams == 3...5 && !configuration.lightStemming
  }

  /// Replaces the contents of `features` with the bucket index of every feature of `tokens`.
  ///
  /// - Complexity: O(total length of the features).
  public func extract(
    _ tokens: UnsafeBufferPointer<Token>, of scalars: UnsafeBufferPointer<UInt32>,
    into features: inout [UInt32]
  ) {
    let count = extract(tokens, of: scalars, storage: &features)
    features.removeSubrange(count...)
  }

  /// A bound on the features that `tokens` of `scalarCount` scalars can give, in constant time.
  ///
  /// A Han run of `L` characters gives at most `L` n-grams per length (and `L` dictionary
  /// words); a word of `L` scalars gives itself, at most `L + 2` subwords per length and
  /// `wordNGrams - 1` word n-grams ending at it; anything else gives one feature. Tokens cover
  /// each scalar at most twice (a hyphenated compound, then its parts), so twice
  /// `scalarCount` times the larger per-scalar count, plus a constant per token, is enough;
  /// and one for the end of the message.
  @inline(__always)
  func featureBound(tokenCount: Int, scalarCount: Int) -> Int {
    scalarCount &* boundPerScalar &+ tokenCount &* boundPerToken &+ 1
  }

  /// Extracts into the first elements of `storage`, growing it when needed and never shrinking
  /// it; returns how many features were written.
  @inline(__always)
  func extract(
    _ tokens: UnsafeBufferPointer<Token>, of scalars: UnsafeBufferPointer<UInt32>,
    storage: inout [UInt32]
  ) -> Int {
    Storage.ensureCount(
      &storage, featureBound(tokenCount: tokens.count, scalarCount: scalars.count), 0)
    return storage.withUnsafeMutableBufferPointer { extract(tokens, of: scalars, into: $0) }
  }

  /// Writes the bucket of every feature of `tokens` into `buffer`, which has room for
  /// ``featureBound(tokenCount:scalarCount:)`` of them; returns how many were written.
  @inline(__always)
  func extract(
    _ tokens: UnsafeBufferPointer<Token>, of scalars: UnsafeBufferPointer<UInt32>,
    into buffer: UnsafeMutableBufferPointer<UInt32>
  ) -> Int {
    var writer = BufferWriter(buffer)
    if configuration.bucketBits == 22 {
      // The default size, with the shift a constant: one register fewer in the hot loops.
      // (Written out twice on purpose: a nested function taking the shift measured 1 % slower.)
      extract(tokens, of: scalars) { state, _, _ in
        writer.append(UInt32(truncatingIfNeeded: StableHash.finalize(state) &>> 42))
      }
      return writer.count
    }
    let shift = UInt64(64 - configuration.bucketBits)
    extract(tokens, of: scalars) { state, _, _ in
      writer.append(UInt32(truncatingIfNeeded: StableHash.finalize(state) &>> shift))
    }
    return writer.count
  }

  /// Calls `emit` with the hash state, family and scalar spans of every feature.
  ///
  /// `emit(state, family, spans)` receives the unfinalised hash state, the family, and, for
  /// display, the token spans the feature covers (`Int32` start and end pairs). Both
  /// ``extract(_:of:into:)`` and the readable forms go through here, so they cannot disagree.
  ///
  /// This is the pipeline's hottest loop: indices stay within the message (tokens lie inside
  /// `scalars`, which is far shorter than `Int.max`), so it uses wrapping arithmetic, which
  /// spares an overflow check per feature.
  @inline(__always)
  func extract(
    _ tokens: UnsafeBufferPointer<Token>, of scalars: UnsafeBufferPointer<UInt32>,
    emit: (UInt64, Family, FeatureSpan) -> Void
  ) {
    let han = configuration.hanNGrams
    let maxWordN = configuration.wordNGrams
    var runStart = -1  // first token of the current run of adjacent words, for word n-grams
    // With bigrams only: the state of the bigram family, the previous word and a space.
    var bigramPrefix: UInt64 = 0
    for tokenIndex in 0..<tokens.count {
      let token = tokens[tokenIndex]
      let start = Int(token.start)
      let end = Int(token.end)
      switch token.kind {
      case .han:
        runStart = -1
        let familyState = StableHash.combine(StableHash.basis, Family.hanNGram.rawValue)
        if han == 1...2 {
          // The default, unrolled: each character, then it and the next.
          var i = start
          var unigram = StableHash.combine(familyState, scalars[i])
          while true {
            emit(unigram, .hanNGram, FeatureSpan(i, i &+ 1))
            let next = i &+ 1
            guard next < end else { break }
            let scalar = scalars[next]
            emit(StableHash.combine(unigram, scalar), .hanNGram, FeatureSpan(i, i &+ 2))
            unigram = StableHash.combine(familyState, scalar)
            i = next
          }
        } else {
          let lower = han.lowerBound
          var i = start
          while i < end {
            var state = familyState
            let limit = min(end, i &+ han.upperBound)
            var j = i
            while j < limit {
              state = StableHash.combine(state, scalars[j])
              j &+= 1
              if j &- i >= lower { emit(state, .hanNGram, FeatureSpan(i, j)) }
            }
            i &+= 1
          }
        }
        if let lexicon {
          let familyState = StableHash.combine(StableHash.basis, Family.hanWord.rawValue)
          withUnsafeTemporaryAllocation(of: Int.self, capacity: end &- start) { wordEnds in
            guard let wordEnds = wordEnds.baseAddress else { return }
            let words = lexicon.segment(scalars, start, end, wordEnds: wordEnds)
            var wordStart = start
            for word in 0..<words {
              let wordEnd = wordEnds[word]
              var state = familyState
              for i in wordStart..<wordEnd { state = StableHash.combine(state, scalars[i]) }
              emit(state, .hanWord, FeatureSpan(wordStart, wordEnd))
              wordStart = wordEnd
            }
          }
        }
      case .word, .number:
        let hasSubwords = token.kind == .word || configuration.numberSubwords
        var state = StableHash.combine(StableHash.basis, Family.word.rawValue)
        let stemEnd =
          configuration.lightStemming && token.kind == .word
          ? Self.lightStemEnd(scalars, start, end) : end
        if maxWordN == 2 {
          // With bigrams only (the default), one pass over the word gives its own state, the
          // bigram it ends (from the previous word's prefix) and the prefix of the bigram it
          // starts: three independent multiplication chains instead of hashing the previous
          // word a second time. With the default subwords too, that pass is the subwords'
          // pass over `<word>` (one loop exit, a mispredicted branch, per word instead of two),
          // and the word comes after its subwords.
          var bigram = bigramPrefix
          var prefix = StableHash.combine(StableHash.basis, Family.wordNGram.rawValue)
          if fusedSubwords && hasSubwords {
            emitDefaultSubwords(scalars, start, end, emit) { scalar in
              state = StableHash.combine(state, scalar)
              bigram = StableHash.combine(bigram, scalar)
              prefix = StableHash.combine(prefix, scalar)
            }
            emit(state, .word, FeatureSpan(start, end))
          } else {
            var i = start
            while i < end {
              let scalar = scalars[i]
              if i < stemEnd { state = StableHash.combine(state, scalar) }
              bigram = StableHash.combine(bigram, scalar)
              prefix = StableHash.combine(prefix, scalar)
              i &+= 1
            }
            emit(state, .word, FeatureSpan(start, stemEnd))
            if let subwords = configuration.subwordNGrams, hasSubwords {
              emitSubwords(scalars, start, end, subwords, emit)
            }
          }
          if runStart >= 0 {
            emit(bigram, .wordNGram, FeatureSpan(tokenIndex &- 1, tokenIndex &+ 1))
          }
          runStart = tokenIndex
          bigramPrefix = StableHash.combine(prefix, 0x20)
          continue
        }
        var i = start
        while i < stemEnd {
          state = StableHash.combine(state, scalars[i])
          i &+= 1
        }
        emit(state, .word, FeatureSpan(start, stemEnd))
        if let subwords = configuration.subwordNGrams, hasSubwords {
          emitSubwords(scalars, start, end, subwords, emit)
        }
        if maxWordN > 1 {
          if runStart < 0 { runStart = tokenIndex }
          var from = max(runStart, tokenIndex &- maxWordN &+ 1)
          while from < tokenIndex {
            var state = StableHash.combine(StableHash.basis, Family.wordNGram.rawValue)
            var t = from
            while t <= tokenIndex {
              if t != from { state = StableHash.combine(state, 0x20) }
              var i = Int(tokens[t].start)
              let tokenEnd = Int(tokens[t].end)
              while i < tokenEnd {
                state = StableHash.combine(state, scalars[i])
                i &+= 1
              }
              t &+= 1
            }
            emit(state, .wordNGram, FeatureSpan(from, tokenIndex &+ 1))
            from &+= 1
          }
        }
      case .url, .email, .phone, .mention, .numeral:
        runStart = -1
        emit(Self.placeholderStates[Int(token.kind.rawValue)], .word, FeatureSpan(start, end))
        if token.kind == .numeral && configuration.numberSubwords,
          let subwords = configuration.subwordNGrams
        {
          emitSubwords(scalars, start, end, subwords, emit)
        }
        if token.kind == .phone && configuration.phonePrefixes {
          emitPhonePrefixes(scalars, start, end, emit)
        }
        if token.kind == .url && configuration.urlDomains,
          let domain = Self.urlDomain(scalars, start, end)
        {
          var state = StableHash.combine(StableHash.basis, Family.urlDomain.rawValue)
          for i in domain { state = StableHash.combine(state, scalars[i]) }
          emit(state, .urlDomain, FeatureSpan(domain.lowerBound, domain.upperBound))
        }
      case .symbol:
        runStart = -1
        if configuration.symbols {
          var state = StableHash.combine(StableHash.basis, Family.symbol.rawValue)
          state = StableHash.combine(state, scalars[start])
          emit(state, .symbol, FeatureSpan(start, end))
        }
      }
    }
    if configuration.endOfMessage {
      emit(Self.endOfMessageState, .endOfMessage, FeatureSpan(0, 0))
    }
  }

  /// The first 2, 3 and 4 characters of the telephone number `scalars[start..<end]`, skipping
  /// its separators (spaces, hyphens, dots, brackets): the span of each ends after its last
  /// character.
  @inline(__always)
  private func emitPhonePrefixes(
    _ scalars: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int,
    _ emit: (UInt64, Family, FeatureSpan) -> Void
  ) {
    var state = StableHash.combine(StableHash.basis, Family.phonePrefix.rawValue)
    var length = 0
    var i = start
    while i < end && length < Self.phonePrefixLengths.upperBound {
      let scalar = scalars[i]
      i &+= 1
      guard Self.countsInPhonePrefix(scalar) else { continue }
      state = StableHash.combine(state, scalar)
      length &+= 1
      if length >= Self.phonePrefixLengths.lowerBound {
        emit(state, .phonePrefix, FeatureSpan(start, i))
      }
    }
  }

  /// The second-level labels under which a country's domains are registered (`co.uk`,
  /// `com.cn`, `ac.jp`, ...): a domain that ends in one of them keeps one label more.
  static let secondLevelLabels: [[UInt32]] = ["ac", "co", "com", "edu", "gov", "net", "org"].map {
    $0.unicodeScalars.map(\.value)
  }

  /// Where the domain of the web address `scalars[start..<end]` lies: its host's last two
  /// labels (three when the second-to-last is a second-level label such as `com` in
  /// `icbc.com.cn`), after any scheme and user and before any port, path, query or fragment;
  /// `nil` when the host has one label or ends in a number.
  @inline(__always)
  static func urlDomain(_ scalars: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int)
    -> Range<Int>?
  {
    var host = start
    var i = start
    // After "scheme://" when there is one.
    while i &+ 2 < end {
      if scalars[i] == 0x3A && scalars[i &+ 1] == 0x2F && scalars[i &+ 2] == 0x2F {  // ://
        host = i &+ 3
        break
      }
      let scalar = scalars[i]
      guard
        scalar &- 0x61 < 26 || scalar &- 0x30 < 10 || scalar == 0x2B || scalar == 0x2D
          || scalar == 0x2E
      else { break }
      i &+= 1
    }
    // The authority ends at a path, query or fragment; a user comes before `@`, a port after `:`.
    var hostEnd = host
    while hostEnd < end {
      let scalar = scalars[hostEnd]
      if scalar == 0x2F || scalar == 0x3F || scalar == 0x23 { break }  // / ? #
      if scalar == 0x40 { host = hostEnd &+ 1 }  // @
      hostEnd &+= 1
    }
    var colon = host
    while colon < hostEnd && scalars[colon] != 0x3A { colon &+= 1 }
    hostEnd = colon
    while hostEnd > host && scalars[hostEnd &- 1] == 0x2E { hostEnd &-= 1 }  // a final dot
    // The last three dots of the host, from the end: before the last, the second-to-last and
    // the third-to-last label.
    var dots = (-1, -1, -1)
    var j = hostEnd
    while j > host {
      j &-= 1
      guard scalars[j] == 0x2E else { continue }
      if dots.0 < 0 {
        dots.0 = j
      } else if dots.1 < 0 {
        dots.1 = j
      } else {
        dots.2 = j
        break
      }
    }
    guard dots.0 > host, scalars[hostEnd &- 1] &- 0x30 >= 10 else { return nil }
    let lastTwo = dots.1 < 0 ? host : dots.1 &+ 1
    guard dots.1 >= 0 else { return lastTwo..<hostEnd }
    let secondLevel = UnsafeBufferPointer(rebasing: scalars[lastTwo..<dots.0])
    guard Self.secondLevelLabels.contains(where: { $0.elementsEqual(secondLevel) }) else {
      return lastTwo..<hostEnd
    }
    return (dots.2 < 0 ? host : dots.2 &+ 1)..<hostEnd
  }

  /// Where the light stem of the word `scalars[start..<end]` ends.
  ///
  /// Savoy's minimal French stemmer (J. Savoy, "A stemming procedure and stopword list for
  /// general French corpora", JASIS 1999), as Lucene's `FrenchMinimalStemmer` has it, without its
  /// -aux → -al rewrite: words shorter than six letters are kept; a final `x` goes; otherwise a
  /// final `s`, then `r`, then `e` (or `é`) go, then one of a doubled final letter. So
  /// `connards` → `connard`, `idiote` and `idiotes` → `idiot`, `parler` → `parl`.
  static func lightStemEnd(_ scalars: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Int
  {
    guard end - start >= 6 else { return end }
    var end = end
    if scalars[end - 1] == 0x78 { return end - 1 }  // x
    if scalars[end - 1] == 0x73 { end -= 1 }  // s
    if scalars[end - 1] == 0x72 { end -= 1 }  // r
    if scalars[end - 1] == 0x65 || scalars[end - 1] == 0xE9 { end -= 1 }  // e, é
    if scalars[end - 1] == scalars[end - 2], scalars[end - 1] >= 0x61 && scalars[end - 1] <= 0x7A {
      end -= 1
    }
    return end
  }

  /// Character n-grams of `<word>`, skipping the n-gram that is the whole padded word.
  @inline(__always)
  private func emitSubwords(
    _ scalars: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, _ lengths: ClosedRange<Int>,
    _ emit: (UInt64, Family, FeatureSpan) -> Void
  ) {
    // Padded positions run from 0 ('<') to `paddedLength - 1` ('>').
    let paddedLength = end &- start &+ 2
    let last = paddedLength &- 1
    let lower = lengths.lowerBound
    let upper = lengths.upperBound
    @inline(__always) func unit(_ p: Int) -> UInt32 {
      p == 0 ? 0x3C : p == last ? 0x3E : scalars[start &+ p &- 1]
    }
    let familyState = StableHash.combine(StableHash.basis, Family.subword.rawValue)
    if lower == 3 && upper == 5 {
      emitDefaultSubwords(scalars, start, end, emit) { _ in }
      return
    }
    var i = 0
    while i < paddedLength {
      var state = familyState
      let limit = min(paddedLength, i &+ upper)
      var j = i
      while j < limit {
        state = StableHash.combine(state, unit(j))
        j &+= 1
        let n = j &- i
        if n >= lower && n < paddedLength {
          emit(state, .subword, FeatureSpan(i, j, wordStart: start, wordEnd: end))
        }
      }
      i &+= 1
    }
  }

  /// Subwords 3-5 of `<word>` (the default), calling `alongside` with each of the word's
  /// scalars in order, so that callers can hash the word in the same loop.
  @inline(__always)
  private func emitDefaultSubwords(
    _ scalars: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int,
    _ emit: (UInt64, Family, FeatureSpan) -> Void, alongside: (UInt32) -> Void
  ) {
    let paddedLength = end &- start &+ 2
    let last = paddedLength &- 1
    let familyState = StableHash.combine(StableHash.basis, Family.subword.rawValue)
    // The default, in one pass over the padded word: the states of the n-grams of lengths
    // 1 to 4 that end at the previous position each take the next unit, which gives those of
    // lengths 2 to 5 ending here. One combine per length and position, and each unit read
    // once, instead of re-hashing from every start. N-grams come out by end position.
    var s1: UInt64 = 0
    var s2: UInt64 = 0
    var s3: UInt64 = 0
    var s4: UInt64 = 0
    @inline(__always) func step(_ unit: UInt32, _ j: Int) {
      let n3 = StableHash.combine(s2, unit)
      let n4 = StableHash.combine(s3, unit)
      let n5 = StableHash.combine(s4, unit)
      let stop = j &+ 1
      if j >= 2 && paddedLength > 3 {
        emit(n3, .subword, FeatureSpan(j &- 2, stop, wordStart: start, wordEnd: end))
      }
      if j >= 3 && paddedLength > 4 {
        emit(n4, .subword, FeatureSpan(j &- 3, stop, wordStart: start, wordEnd: end))
      }
      if j >= 4 && paddedLength > 5 {
        emit(n5, .subword, FeatureSpan(j &- 4, stop, wordStart: start, wordEnd: end))
      }
      s4 = n4
      s3 = n3
      s2 = StableHash.combine(s1, unit)
      s1 = StableHash.combine(familyState, unit)
    }
    step(0x3C, 0)
    var j = 1
    while j < last {
      let unit = scalars[start &+ j &- 1]
      alongside(unit)
      step(unit, j)
      j &+= 1
    }
    step(0x3E, last)
  }
}

/// Where a feature comes from, for its readable form.
struct FeatureSpan {
  /// Where the feature starts.
  ///
  /// Han n-grams, words, symbols: the first scalar. Word n-grams: the first token. Subwords:
  /// the first position in `<word>`, where 0 is `<`.
  var start: Int
  /// One past the last scalar, token, or position in `<word>`.
  var end: Int
  /// Subwords only: the word's first scalar.
  var wordStart: Int
  /// Subwords only: one past the word's last scalar.
  var wordEnd: Int

  /// Subwords only: the word's scalars.
  var word: Range<Int> { wordStart..<wordEnd }

  // Plain stores, with no range check: the hot path builds one per feature and drops it.
  @inline(__always)
  init(_ start: Int, _ end: Int, wordStart: Int = 0, wordEnd: Int = 0) {
    self.start = start
    self.end = end
    self.wordStart = wordStart
    self.wordEnd = wordEnd
  }
}
