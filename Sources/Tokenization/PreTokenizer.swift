/// The second stage of the pipeline: normalised scalars in, tokens out, in one pass by script.
///
/// - Han characters form runs (``Token/Kind/han``); the feature extractor cuts them into
///   character n-grams.
/// - Letters, combining marks and digits form words. An apostrophe inside a word ends a French
///   elision (`l'`, `d'`, `qu'`, `jusqu'`, ...) as a token of its own, and stays inside other
///   words (`aujourd'hui`, `prud'homme`). A hyphen between letters joins a compound, which gives
///   the whole compound and each of its parts (`peut-être`, `peut`, `être`). A word of digits
///   only is a ``Token/Kind/number``.
/// - With placeholders on, web addresses, e-mail addresses, telephone numbers, numbers and
///   `@mentions` become placeholder tokens: that a message holds a URL is a signal, which URL it
///   is, is noise.
/// - Every other visible character (punctuation, symbols, emoji) is a one-scalar
///   ``Token/Kind/symbol``; spaces and control characters separate tokens.
///
/// One message may mix scripts freely: "WeChat群聊500人" gives `wechat`, `群聊`, `<num>`, `人`
/// (or `wechat`, `群聊500人` when numbers are read as Han, ``Configuration/numbersAsHan``).
public struct PreTokenizer: Sendable {
  /// What the pre-tokeniser recognises.
  ///
  /// Stored in every model file; a key missing from a stored configuration means off.
  public struct Configuration: Sendable, Hashable, Codable {
    /// URLs, e-mail addresses, telephone numbers and @mentions become placeholders.
    public var placeholders: Bool
    /// Numbers (digits alone) become the `<num>` placeholder.
    public var numberPlaceholders: Bool
    /// Hyphenated compounds give the compound and its parts, rather than parts alone.
    public var hyphenatedCompounds: Bool
    /// In a message with Han characters, numbers (digits standing alone, placeholders or not)
    /// are read as Han characters: a number joins the Han runs it touches (`尾号7544卡`, `3天`),
    /// or forms a run of its own, so its digits give character n-grams as Chinese does.
    ///
    /// Chinese writes numbers inside words, without spaces, and which digits they hold
    /// (`10086`, `95555`, a year) says more there than that there is a number. Messages
    /// without Han characters are unchanged. Off by default: it measured better for logistic
    /// regression and the supervised embeddings only, whose training turns it on
    /// (`TrainingOptions.defaultPipeline(for:)`).
    public var numbersAsHan: Bool

    /// Creates a configuration; the defaults are the recommended settings.
    public init(
      placeholders: Bool = true, numberPlaceholders: Bool = true, hyphenatedCompounds: Bool = true,
      numbersAsHan: Bool = false
    ) {
      self.placeholders = placeholders
      self.numberPlaceholders = numberPlaceholders
      self.hyphenatedCompounds = hyphenatedCompounds
      self.numbersAsHan = numbersAsHan
    }

    /// Decodes a stored configuration; a missing option is off.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      self.init(
        placeholders: try c.decodeIfPresent(Bool.self, forKey: .placeholders) ?? false,
        numberPlaceholders: try c.decodeIfPresent(Bool.self, forKey: .numberPlaceholders) ?? false,
        hyphenatedCompounds: try c.decodeIfPresent(Bool.self, forKey: .hyphenatedCompounds)
          ?? false,
        numbersAsHan: try c.decodeIfPresent(Bool.self, forKey: .numbersAsHan) ?? false)
    }
  }

  /// What this pre-tokeniser recognises.
  public let configuration: Configuration
  let tables: UnicodeTables

  /// Creates a pre-tokeniser.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
    tables = UnicodeTables.shared
  }

  /// French elided forms: the letters before the apostrophe in `l'`, `qu'`, `jusqu'`, ...
  static let elisions: [[UInt32]] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
    "presqu", "quelqu",
  ].map { $0.unicodeScalars.map(\.value) }

  /// Top-level domains that make `word.tld` a web address even without `http://` or `www.`.
  static let topLevelDomains: [[UInt32]] =
    [
      "com", "net", "org", "cn", "fr", "io", "me", "ly", "cc", "co", "info", "xyz", "top", "vip",
      "club", "site", "online", "app", "tk", "ru", "de", "uk", "us", "be", "ch", "ca", "eu", "gl",
      "gd", "tv", "hk", "tw", "jp", "biz", "link", "shop", "html", "php",
    ].map { $0.unicodeScalars.map(\.value) }

  static let http = "http://".unicodeScalars.map(\.value)
  static let https = "https://".unicodeScalars.map(\.value)
  static let www = "www.".unicodeScalars.map(\.value)

  /// Splits normalised `scalars` into tokens, replacing the contents of `tokens`.
  ///
  /// - Complexity: O(n) in the number of scalars.
  public func tokenize(_ scalars: UnsafeBufferPointer<UInt32>, into tokens: inout [Token]) {
    let count = tokenize(scalars, storage: &tokens)
    tokens.removeSubrange(count...)
  }

  /// The most tokens `scalarCount` scalars can give: one per scalar, plus one part per scalar
  /// of a hyphenated compound.
  static func tokenBound(_ scalarCount: Int) -> Int { 2 * scalarCount + 1 }

  /// Tokenizes into the first elements of `storage`, growing it when needed and never shrinking
  /// it; returns how many tokens were written.
  @inline(__always)
  func tokenize(_ scalars: UnsafeBufferPointer<UInt32>, storage: inout [Token]) -> Int {
    Storage.ensureCount(
      &storage, Self.tokenBound(scalars.count), Token(kind: .symbol, start: 0, end: 0))
    return storage.withUnsafeMutableBufferPointer { buffer in
      var writer = BufferWriter(buffer)
      tokenize(scalars, into: &writer)
      return writer.count
    }
  }

  /// Tokenizes into `tokens`, which has room for ``tokenBound(_:)`` tokens.
  func tokenize(
    _ scalars: UnsafeBufferPointer<UInt32>, into tokens: inout BufferWriter<Token>
  ) {
    let count = scalars.count
    let placeholders = configuration.placeholders
    // Whether to read numbers as Han at the end: Han seen, and a number seen.
    var sawHan = false
    var sawNumber = false
    var position = 0
    while position < count {
      let characterClass = classify(scalars[position])
      switch characterClass {
      case .space:
        position += 1
      case .han:
        let start = position
        position += 1
        while position < count && classify(scalars[position]) == .han { position += 1 }
        tokens.append(Token(kind: .han, start: start, end: position))
        sawHan = true
      case .letter, .digit, .mark:
        // Most words: lowercase ASCII letters and digits, not starting a web address, ended by
        // something that neither continues a word, an address nor an elision (full stops
        // included, unless an address character follows them). Such a word is a word token
        // whatever the options; so is an elision (l', qu', ...) followed by such a word, ended
        // by anything the word scan stops at. Anything else takes the general path below.
        let first = scalars[position]
        if first &- 0x61 < 26
          && (first != 0x68 && first != 0x77 || !Self.startsAddress(scalars, at: position))
        {
          let end = Self.plainRunEnd(scalars, from: position &+ 1)
          if end == count || endsPlainWord(scalars[end])
            || scalars[end] == 0x2E && fullStopsEndPlainWord(scalars, from: end)
          {
            tokens.append(Token(kind: .word, start: position, end: end))
            position = end
            continue
          }
          if scalars[end] == 0x27, end &+ 1 < count, scalars[end &+ 1] &- 0x61 < 26,
            isElision(scalars, position..<end)
          {
            let restEnd = Self.plainRunEnd(scalars, from: end &+ 2)
            if restEnd == count || endsScannedWord(scalars[restEnd]) {
              tokens.append(Token(kind: .word, start: position, end: end &+ 1))
              tokens.append(Token(kind: .word, start: end &+ 1, end: restEnd))
              position = restEnd
              continue
            }
          }
        }
        var plain = Plain(end: position, digitsOnly: true)
        if placeholders, let (kind, end) = placeholder(scalars, at: position, plain: &plain) {
          tokens.append(Token(kind: kind, start: position, end: end))
          if kind == .numeral { sawNumber = true }
          position = end
        } else {
          position = scanWord(scalars, from: position, plain: plain, into: &tokens)
          // Digits other than ASCII (๑, ٣) stay numbers even with placeholders on.
          if tokens.last?.kind == .number { sawNumber = true }
        }
      case .other:
        let code = scalars[position]
        if placeholders && code == 0x40, position + 1 < count, isHandleScalar(scalars[position + 1])
        {
          var end = position + 1
          while end < count && isHandleScalar(scalars[end]) { end += 1 }
          tokens.append(Token(kind: .mention, start: position, end: end))
          position = end
          continue
        }
        if placeholders && code == 0x2B, position + 1 < count,
          classify(scalars[position + 1]) == .digit,
          let end = phoneEnd(scalars, from: position + 1)
        {
          tokens.append(Token(kind: .phone, start: position, end: end))
          position = end
          continue
        }
        if code != 0x27 {  // a stray apostrophe carries nothing
          tokens.append(Token(kind: .symbol, start: position, end: position + 1))
        }
        position += 1
      }
    }
    if sawHan && sawNumber && configuration.numbersAsHan { readNumbersAsHan(&tokens) }
  }

  /// Turns the numbers among `tokens` into Han runs, joining each to the Han runs it touches.
  ///
  /// Runs once per message that has Han characters, over its tokens (not its scalars).
  private func readNumbersAsHan(_ tokens: inout BufferWriter<Token>) {
    let written = tokens.written
    var kept = 0
    for index in 0..<written.count {
      var token = written[index]
      if token.kind == .number || token.kind == .numeral { token.kind = .han }
      // Han runs are maximal, so two touching Han tokens are a number and its neighbour.
      if token.kind == .han, kept > 0, written[kept &- 1].kind == .han,
        written[kept &- 1].end == token.start
      {
        written[kept &- 1].end = token.end
      } else {
        written[kept] = token
        kept &+= 1
      }
    }
    tokens.count = kept
  }

  /// The end of the run of lowercase ASCII letters and digits that starts at `start`.
  ///
  /// Letters eight scalars at a time, two per 64-bit word, so that most words end within the
  /// first block: one well-predicted branch per word rather than a loop whose exit, at a
  /// different length every time, the processor mispredicts. Digits, and the last scalars of
  /// the text, go one at a time.
  @inline(__always)
  static func plainRunEnd(_ scalars: UnsafeBufferPointer<UInt32>, from start: Int) -> Int {
    let count = scalars.count
    var end = start
    if let base = scalars.baseAddress {
      let raw = UnsafeRawPointer(base)
      while end &+ 8 <= count {
        // Lowercase letters only, the common case; a digit ends the block and the scalar loop
        // below goes on from it.
        @inline(__always) func letters(_ pair: Int) -> UInt64 {
          letterLanes(
            UInt64(
              littleEndian: raw.loadUnaligned(
                fromByteOffset: (end &+ 2 &* pair) &* 4, as: UInt64.self)))
        }
        let (first, second, third, fourth) = (letters(0), letters(1), letters(2), letters(3))
        if first & second & third & fourth == 0x8000_0000_8000_0000 {
          end &+= 8
          continue
        }
        // Bit i (of 8) set when scalar i is a lowercase letter: the first clear bit ends them.
        @inline(__always) func bits(_ lanes: UInt64) -> UInt64 {
          lanes &>> 31 & 1 | lanes &>> 62 & 2
        }
        let mask = bits(first) | bits(second) &<< 2 | bits(third) &<< 4 | bits(fourth) &<< 6
        end &+= (~mask).trailingZeroBitCount
        break
      }
    }
    while end < count {
      let code = scalars[end]
      guard code &- 0x61 < 26 || code &- 0x30 < 10 else { break }
      end &+= 1
    }
    return end
  }

  /// For two scalars in one 64-bit word (the first in the low half), bits 31 and 63 set when
  /// each is a lowercase ASCII letter.
  ///
  /// Scalars are below 2^21, so adding less than 2^31 to a half never carries into the other:
  /// a half reaches bit 31 when adding `2^31 - k` to it exactly when it is at least `k`.
  @inline(__always)
  static func letterLanes(_ word: UInt64) -> UInt64 {
    @inline(__always) func atLeast(_ k: UInt64) -> UInt64 {
      word &+ ((0x8000_0000 &- k) &* 0x1_0000_0001)
    }
    return atLeast(0x61) & ~atLeast(0x7B) & 0x8000_0000_8000_0000
  }

  @inline(__always)
  func classify(_ code: UInt32) -> UnicodeTables.CharacterClass {
    tables.characterClass(code)
  }

  @inline(__always)
  func isWordScalar(_ code: UInt32) -> Bool {
    switch classify(code) {
    case .letter, .digit, .mark: return true
    default: return false
    }
  }

  @inline(__always)
  private func isHandleScalar(_ code: UInt32) -> Bool {
    code == 0x5F || (code < 0x80 && isWordScalar(code))
  }

  // MARK: - Placeholders

  /// The start of a word already scanned: ASCII letters and digits up to `end`, and whether
  /// they were all digits.
  struct Plain {
    var end: Int
    var digitsOnly: Bool
  }

  /// The placeholder starting at `start` (a letter or digit), with its end, if there is one.
  ///
  /// When there is none, `plain` says how far the word is already known to be plain letters and
  /// digits, so that ``scanWord(_:from:plain:into:)`` need not read them again.
  private func placeholder(_ s: UnsafeBufferPointer<UInt32>, at start: Int, plain: inout Plain)
    -> (Token.Kind, Int)?
  {
    let count = s.count
    // Scheme or www.: everything up to the next space, Han character or bracket.
    if s[start] == 0x68 || s[start] == 0x77, Self.startsAddress(s, at: start) {  // h, w
      return (.url, urlEnd(s, from: start))
    }
    let startsWithDigit = classify(s[start]) == .digit
    if startsWithDigit, let end = phoneEnd(s, from: start) { return (.phone, end) }
    // Most words are plain: a run of letters and digits followed by something that cannot
    // continue an address. Tell those apart before the slower address scan.
    var plainEnd = start
    var digitsOnly = true
    while plainEnd < count, s[plainEnd] < 0x80 && isWordScalar(s[plainEnd]) {
      if s[plainEnd] > 0x39 { digitsOnly = false }
      plainEnd += 1
    }
    if plainEnd == count || !Self.continuesAddress(s[plainEnd]) {
      plain = Plain(end: plainEnd, digitsOnly: digitsOnly)
      if startsWithDigit && configuration.numberPlaceholders {
        var digitsEnd = start
        while digitsEnd < count && classify(s[digitsEnd]) == .digit { digitsEnd += 1 }
        if digitsEnd == plainEnd
          && (plainEnd == count || !isWordScalar(s[plainEnd]) && s[plainEnd] != 0x27)
        {
          return (.numeral, digitsEnd)
        }
      }
      return nil
    }
    // Scan the longest run of address characters: letters, digits and . _ % + -
    var end = start
    var atSign = -1
    var lastDot = -1
    while end < count {
      let code = s[end]
      if code < 0x80 && isWordScalar(code) || code == 0x2E || code == 0x5F || code == 0x25
        || code == 0x2B
        || code == 0x2D
      {
        if code == 0x2E { lastDot = end }
        end += 1
      } else if code == 0x40 && atSign < 0 && end + 1 < count && isWordScalar(s[end + 1]) {
        atSign = end
        end += 1
      } else {
        break
      }
    }
    while end > start && (s[end - 1] == 0x2E || s[end - 1] == 0x2D) { end -= 1 }  // trailing . or -
    // A sentence's full stop after an address is not part of it: the last dot is then the
    // one before.
    if lastDot >= end {
      lastDot = -1
      var i = end - 1
      while i > start {
        if s[i] == 0x2E {
          lastDot = i
          break
        }
        i -= 1
      }
    }
    if atSign > start, lastDot > atSign, lastDot < end - 2 { return (.email, end) }
    if atSign < 0, lastDot > start, lastDot < end - 1 {
      let tld = UnsafeBufferPointer(rebasing: s[(lastDot + 1)..<end])
      if Self.topLevelDomains.contains(where: { $0.elementsEqual(tld) }) {
        return (.url, end < count && s[end] == 0x2F ? urlEnd(s, from: end) : end)
      }
    }
    // A number on its own (not the start of a word such as mp3 or 4k).
    var digitsEnd = start
    while digitsEnd < count && classify(s[digitsEnd]) == .digit { digitsEnd += 1 }
    if configuration.numberPlaceholders, digitsEnd > start,
      digitsEnd == count || !isWordScalar(s[digitsEnd]) && s[digitsEnd] != 0x27
    {
      return (.numeral, digitsEnd)
    }
    return nil
  }

  /// Whether `code`, after a run of lowercase ASCII letters and digits, ends it as a plain
  /// word: an ASCII character that is no letter, digit, apostrophe or address character
  /// (`. @ _ % + -`), such as a space or most punctuation.
  @inline(__always)
  func endsPlainWord(_ code: UInt32) -> Bool {
    code < 0x80 && code != 0x27 && !isWordScalar(code) && !Self.continuesAddress(code)
  }

  /// Whether the full stops from `start` end the plain word before them: no address character
  /// (a letter, digit, `. _ % + - @`) follows them, so the address scan would strip them.
  @inline(__always)
  func fullStopsEndPlainWord(_ scalars: UnsafeBufferPointer<UInt32>, from start: Int) -> Bool {
    var next = start
    while next < scalars.count && scalars[next] == 0x2E { next &+= 1 }
    guard next < scalars.count else { return true }
    let code = scalars[next]
    return !(code < 0x80 && (isWordScalar(code) || Self.continuesAddress(code)))
  }

  /// Whether `code` stops the word scan of ``scanWord(_:from:plain:into:)`` after letters and
  /// digits: an ASCII character that is no letter, digit, apostrophe or hyphen.
  @inline(__always)
  func endsScannedWord(_ code: UInt32) -> Bool {
    code < 0x80 && code != 0x27 && code != 0x2D && !isWordScalar(code)
  }

  /// Whether a web address starts at `start`: `http://`, `https://` or `www.`.
  @inline(__always)
  static func startsAddress(_ s: UnsafeBufferPointer<UInt32>, at start: Int) -> Bool {
    func matches(_ pattern: [UInt32]) -> Bool {
      guard s.count - start >= pattern.count else { return false }
      for (offset, unit) in pattern.enumerated() where s[start + offset] != unit { return false }
      return true
    }
    return matches(http) || matches(https) || matches(www)
  }

  /// Whether `code` may continue an e-mail address or a domain after letters and digits.
  @inline(__always)
  static func continuesAddress(_ code: UInt32) -> Bool {
    code == 0x2E || code == 0x40 || code == 0x5F || code == 0x25 || code == 0x2B || code == 0x2D
  }

  private func urlEnd(_ s: UnsafeBufferPointer<UInt32>, from start: Int) -> Int {
    var end = start
    while end < s.count {
      let code = s[end]
      let characterClass = classify(code)
      if characterClass == .space || characterClass == .han || code == 0x22 || code == 0x3C
        || code == 0x3E
        || code == 0x28 || code == 0x29 || code == 0x5B || code == 0x5D
        || code >= 0x3000 && code < 0x3040
        || code >= 0xFF00 && code < 0xFF10
      {
        break
      }
      end += 1
    }
    while end > start,
      s[end - 1] == 0x2E || s[end - 1] == 0x2C || s[end - 1] == 0x21 || s[end - 1] == 0x3F
    {
      end -= 1
    }
    return end
  }

  /// The end of a telephone number starting at digit `start`: at least seven digits, with
  /// single spaces, hyphens, dots or brackets between digit groups.
  private func phoneEnd(_ s: UnsafeBufferPointer<UInt32>, from start: Int) -> Int? {
    var digits = 0
    var end = start
    var position = start
    while position < s.count {
      let code = s[position]
      if classify(code) == .digit {
        digits += 1
        position += 1
        end = position
      } else if code == 0x20 || code == 0x2D || code == 0x2E || code == 0x28 || code == 0x29,
        position + 1 < s.count, classify(s[position + 1]) == .digit
      {
        position += 1
      } else {
        break
      }
    }
    guard digits >= 7 && digits <= 15 else { return nil }
    // A phone number ends the word: 12345678abc is not one.
    if end < s.count && (classify(s[end]) == .letter || classify(s[end]) == .mark) { return nil }
    return end
  }

  // MARK: - Words

  /// Scans one word starting at `start`, emitting elision tokens and compound parts.
  private func scanWord(
    _ scalars: UnsafeBufferPointer<UInt32>, from start: Int, plain: Plain,
    into tokens: inout BufferWriter<Token>
  ) -> Int {
    let count = scalars.count
    var wordStart = start
    // Letters and digits already read by the placeholder check hold no apostrophe or hyphen.
    var position = plain.end
    var digitsOnly = plain.digitsOnly
    var hyphens = 0
    while position < count {
      let code = scalars[position]
      if code == 0x27 || code == 0x2D && configuration.hyphenatedCompounds {
        // An apostrophe or hyphen continues the word only when a word character follows it.
        guard position > wordStart, position + 1 < count, isWordScalar(scalars[position + 1]) else {
          break
        }
        if code == 0x27 && hyphens == 0 && isElision(scalars, wordStart..<position) {
          tokens.append(Token(kind: .word, start: wordStart, end: position + 1))
          wordStart = position + 1
          digitsOnly = true
        } else if code == 0x2D {
          hyphens += 1
        }
        position += 1
        continue
      }
      let characterClass = classify(code)
      guard characterClass == .letter || characterClass == .digit || characterClass == .mark
      else { break }
      if characterClass != .digit { digitsOnly = false }
      position += 1
    }
    if hyphens == 0 {
      tokens.append(Token(kind: digitsOnly ? .number : .word, start: wordStart, end: position))
      return position
    }
    // A compound: the whole, then each part.
    tokens.append(Token(kind: .word, start: wordStart, end: position))
    var partStart = wordStart
    for i in wordStart...position where i == position || scalars[i] == 0x2D {
      if i > partStart { tokens.append(Token(kind: .word, start: partStart, end: i)) }
      partStart = i + 1
    }
    return position
  }

  private func isElision(_ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Bool {
    guard range.count <= 7 else { return false }
    for elision in Self.elisions where elision.count == range.count {
      var same = true
      for offset in 0..<elision.count where scalars[range.lowerBound + offset] != elision[offset] {
        same = false
        break
      }
      if same { return true }
    }
    return false
  }
}
