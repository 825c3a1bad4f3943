/// The first stage of the pipeline: UTF-8 bytes in, normalised Unicode scalars out.
///
/// Messages are short and noisy, and spam and abuse are disguised on purpose. The normaliser
/// sees through the common disguises so that a message and its rewrites give the same features.
/// Steps, each switchable in ``Configuration`` and on by default:
/// 1. decoding, with every ill-formed UTF-8 sequence replaced by U+FFFD (nothing is dropped);
/// 2. apostrophe straightening: ’ ‘ ʼ ` ´ ′ become `'`;
/// 3. Unicode NFKC_Casefold: NFKC (full-width forms to ASCII, compatibility characters to their
///    ordinary form), full case folding, and removal of default-ignorable code points
///    (zero-width spaces and joiners, bidirectional controls, variation selectors, ...); a
///    combining mark is composed with the character before it;
/// 4. traditional to simplified Chinese, character by character (Unihan);
/// 5. accent folding for Latin letters (é → e, œ → oe), since users often type French without
///    accents;
/// 6. whitespace collapsed: every run of spaces and control characters becomes one space, none
///    at either end;
/// 7. look-alike letters (Cyrillic, Greek) mapped to Latin inside words that contain Latin
///    letters (see ``LookAlikes``);
/// 8. elongation squeezed: a letter repeated three or more times is kept once (nuuuul → nul),
///    except `www`;
/// 9. spaces, punctuation and symbols between two Han characters removed (加 微 信 and 加*微*信
///    become 加微信).
///
/// The normaliser works on bytes and scalars only: no `String`, no `Character`, and no
/// allocation once the output buffer has grown to the longest message.
public struct TextNormalizer: Sendable {
  /// Which normalisation steps run.
  ///
  /// Stored in every model file. A key missing from a stored configuration means the step is
  /// off, which is how models saved before the step existed behave.
  public struct Configuration: Sendable, Hashable, Codable {
    /// Unicode NFKC_Casefold (NFKC, case folding, removal of default-ignorable code points).
    public var compatibilityCaseFolding: Bool
    /// Curly and other look-alike apostrophes become `'`.
    public var straightenApostrophes: Bool
    /// Traditional Chinese characters become simplified ones.
    public var simplifyChinese: Bool
    /// Latin letters lose their accents.
    public var foldAccents: Bool
    /// Runs of whitespace become one space, trimmed at both ends.
    public var collapseWhitespace: Bool
    /// Cyrillic and Greek look-alikes become Latin letters inside Latin-script words.
    public var mapLookAlikes: Bool
    /// A letter repeated three or more times is kept once.
    public var squeezeElongation: Bool
    /// Spaces, punctuation and symbols between two Han characters are removed.
    public var joinHanAcrossSeparators: Bool

    /// Creates a configuration; the defaults are the recommended settings.
    public init(
      compatibilityCaseFolding: Bool = true, straightenApostrophes: Bool = true,
      simplifyChinese: Bool = true, foldAccents: Bool = true, collapseWhitespace: Bool = true,
      mapLookAlikes: Bool = true, squeezeElongation: Bool = true,
      joinHanAcrossSeparators: Bool = true
    ) {
      self.compatibilityCaseFolding = compatibilityCaseFolding
      self.straightenApostrophes = straightenApostrophes
      self.simplifyChinese = simplifyChinese
      self.foldAccents = foldAccents
      self.collapseWhitespace = collapseWhitespace
      self.mapLookAlikes = mapLookAlikes
      self.squeezeElongation = squeezeElongation
      self.joinHanAcrossSeparators = joinHanAcrossSeparators
    }

    /// Every step off: the text is only decoded.
    public static let none = Configuration(
      compatibilityCaseFolding: false, straightenApostrophes: false, simplifyChinese: false,
      foldAccents: false, collapseWhitespace: false, mapLookAlikes: false,
      squeezeElongation: false, joinHanAcrossSeparators: false)

    /// Decodes a stored configuration; a missing step is off.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      func flag(_ key: CodingKeys) throws -> Bool {
        try c.decodeIfPresent(Bool.self, forKey: key) ?? false
      }
      self.init(
        compatibilityCaseFolding: try flag(.compatibilityCaseFolding),
        straightenApostrophes: try flag(.straightenApostrophes),
        simplifyChinese: try flag(.simplifyChinese), foldAccents: try flag(.foldAccents),
        collapseWhitespace: try flag(.collapseWhitespace), mapLookAlikes: try flag(.mapLookAlikes),
        squeezeElongation: try flag(.squeezeElongation),
        joinHanAcrossSeparators: try flag(.joinHanAcrossSeparators))
    }
  }

  /// The steps this normaliser runs.
  public let configuration: Configuration
  let tables: UnicodeTables
  /// What this normaliser makes of each letter of U+00C0...U+017F (accented Latin letters,
  /// most of the non-ASCII characters of French text) on its own, worked out once by the
  /// general path (every entry sends its character to the general path while it is being
  /// worked out).
  private let latinLetters: [LatinLetter]

  /// Creates a normaliser.
  public init(configuration: Configuration = Configuration()) {
    let general = TextNormalizer(generalPathOnly: configuration)
    self.configuration = configuration
    self.tables = UnicodeTables.shared
    self.latinLetters = Self.latinRange.map { LatinLetter(code: $0, normalizer: general) }
  }

  /// A normaliser that takes every character of ``latinRange`` through the general path
  /// (which the fast path is worked out from, and checked against in tests).
  init(generalPathOnly configuration: Configuration) {
    self.configuration = configuration
    self.tables = UnicodeTables.shared
    self.latinLetters = Array(repeating: LatinLetter(), count: Self.latinRange.count)
  }

  /// The code points that ``latinLetters`` covers: two-byte UTF-8 sequences led by C3, C4, C5.
  static let latinRange: ClosedRange<UInt32> = 0xC0...0x17F

  /// The one or two scalars a character of ``latinRange`` normalises to, when it does so
  /// whatever comes before it, with how each counts (a letter, a word character).
  struct LatinLetter {
    var first: UInt32 = 0
    var second: UInt32 = 0
    var firstIsLetter = false
    var firstIsWordCharacter = false
    var secondIsLetter = false
    var secondIsWordCharacter = false
    /// How many scalars: 0 when the character must take the general path.
    var count = 0

    /// An entry that sends its character to the general path.
    init() {}

    /// What `normalizer`'s general path makes of `code` on its own.
    init(code: UInt32, normalizer: TextNormalizer) {
      let tables = normalizer.tables
      // A character that composes with the one before it depends on it.
      guard !UnicodeTables.composesWithPrevious(tables.entry(code)),
        let scalar = Unicode.Scalar(code)
      else { return }
      let scalars = Array(normalizer.normalize(String(Character(scalar))).unicodeScalars)
      guard (1...2).contains(scalars.count) else { return }
      func counts(_ scalar: Unicode.Scalar) -> (letter: Bool, word: Bool)? {
        switch tables.characterClass(scalar.value) {
        case .letter: return (true, true)
        case .digit, .mark: return (false, true)
        case .other: return (false, false)
        case .space, .han: return nil
        }
      }
      guard let firstCounts = counts(scalars[0]) else { return }
      first = scalars[0].value
      (firstIsLetter, firstIsWordCharacter) = firstCounts
      if scalars.count == 2 {
        guard let secondCounts = counts(scalars[1]) else { return }
        second = scalars[1].value
        (secondIsLetter, secondIsWordCharacter) = secondCounts
      }
      count = scalars.count
    }
  }

  /// The Unicode version of the normalisation and character-class data.
  public static var unicodeVersion: String { UnicodeTables.unicodeVersion }

  /// Normalises UTF-8 `bytes`, replacing the contents of `output` with the resulting scalars.
  ///
  /// - Complexity: O(n) in the number of bytes.
  public func normalize(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt32]) {
    var workspace = TextPipeline.Workspace()
    let count = normalize(bytes) { workspace.reserveScalars($0) }
    output = Array(workspace.scalarBuffer[0..<count])
  }

  /// Normalises `bytes` into a buffer that `reserve` hands out with room for at least the
  /// number of scalars it is asked for; returns how many scalars were written.
  ///
  /// Most messages need no more scalars than bytes; a few expand (NFKC_Casefold maps U+FDFA
  /// to 18 scalars). So a tight size is asked for first, and twice as much again, from the
  /// start, only when a message needs it.
  @inline(__always)
  func normalize(
    _ bytes: UnsafeBufferPointer<UInt8>,
    reserving reserve: (Int) -> UnsafeMutableBufferPointer<UInt32>
  ) -> Int {
    var capacity = bytes.count &+ Self.headroom
    while true {
      if let written = normalize(bytes, into: reserve(capacity)) { return written }
      capacity &*= 2
    }
  }

  /// The most scalars one input scalar can add: an 18-scalar NFKC_Casefold mapping, each of
  /// whose scalars accent folding may double.
  static let headroom = 40

  /// Normalises into `buffer`; returns `nil` when it is too small (it needs at least
  /// ``headroom`` more scalars than bytes to be sure of room).
  func normalize(
    _ bytes: UnsafeBufferPointer<UInt8>, into buffer: UnsafeMutableBufferPointer<UInt32>
  )
    -> Int?
  {
    var output = BufferWriter(buffer)
    let c = configuration
    var context = Context()
    var position = 0
    let count = bytes.count
    while position < count {
      guard output.room >= Self.headroom else { return nil }
      let byte = bytes[position]
      if byte < 0x80 {
        // ASCII: case folding is the only NFKC_Casefold change, and ` is the only apostrophe.
        if Self.isASCIILetterOrDigit(byte) {
          // A run of letters and digits, most of Latin-script text, in a loop of its own.
          context.onlySeparators = false
          let fold: UInt8 = c.compatibilityCaseFolding ? 0x20 : 0
          // The elongation state, in registers for the run.
          var elongation = context.elongation
          // Eight bytes at a time while they are letters and single spaces (most of French
          // prose); the letters and spaces that start the first block holding anything else
          // at once too, then byte by byte to the end of the run.
          var blocks = c.collapseWhitespace
          while true {
            if blocks && position &+ 8 <= count && output.room >= Self.headroom &+ 8 {
              let word = UInt64(
                littleEndian: UnsafeRawBufferPointer(bytes).loadUnaligned(
                  fromByteOffset: position, as: UInt64.self))
              let block = Self.letterBlock(
                word, fold: fold != 0, spaceFirstAllowed: output.last != 0x20 && !output.isEmpty)
              if block.lanes > 0 {
                elongation.note(block)
                // All eight lanes are widened and stored at once (there is room); only the
                // block's count.
                let bytes = unsafeBitCast(block.lowered.littleEndian, to: SIMD8<UInt8>.self)
                UnsafeMutableRawPointer(output.base.baseAddress.unsafelyUnwrapped + output.count)
                  .storeBytes(of: SIMD8<UInt32>(truncatingIfNeeded: bytes), as: SIMD8<UInt32>.self)
                output.count &+= block.lanes
                position &+= block.lanes
                if block.lanes == 8 { continue }
              }
              blocks = false
            }
            guard position < count && output.room >= Self.headroom else { break }
            let next = bytes[position]
            guard Self.isASCIILetterOrDigit(next) else { break }
            let isDigit = next &- 0x30 < 10
            let code = UInt32(isDigit ? next : next | fold)
            elongation.note(code, isLetter: !isDigit)
            output.append(code)
            position &+= 1
          }
          context.elongation = elongation
          continue
        }
        var code = UInt32(byte)
        if c.compatibilityCaseFolding && byte >= 0x41 && byte <= 0x5A { code |= 0x20 }
        if c.straightenApostrophes && byte == 0x60 { code = 0x27 }
        if c.collapseWhitespace && (byte <= 0x20 || byte == 0x7F) {
          if output.last != 0x20 && !output.isEmpty { output.append(0x20) }
        } else {
          let isLetter = code >= 0x61 && code <= 0x7A || code >= 0x41 && code <= 0x5A
          appendVisible(
            code, isLetter: isLetter, isWordCharacter: isLetter || code >= 0x30 && code <= 0x39,
            to: &output, &context)
        }
        position += 1
        continue
      }
      if byte &- 0xE4 <= 0xE9 - 0xE4, let source = bytes.baseAddress,
        let target = output.base.baseAddress
      {
        // The common case of Chinese text: a run of CJK unified ideographs that are not
        // traditional, copied at once to where the first of them goes. A character that is
        // something else stops the copy, and the general path below takes it.
        let join = hanJoin(output.count, context)
        let (end, written) = Self.copyIdeographs(
          from: source, position, count, to: target + join.at,
          room: output.base.count &- join.at &- Self.headroom,
          stoppingAt: tables.traditionalIdeographs(simplifying: c.simplifyChinese))
        if written > 0 {
          commitHan(written, join, to: &output, &context)
          position = end
          continue
        }
      }
      if byte &- 0xC3 <= 0xC5 - 0xC3, position &+ 1 < count {
        // An accented Latin letter, as the general path would make it on its own.
        let next = bytes[position &+ 1]
        let code = UInt32(byte & 0x1F) &<< 6 | UInt32(next & 0x3F)
        let letter = latinLetters[Int(code &- Self.latinRange.lowerBound)]
        if next & 0xC0 == 0x80 && letter.count > 0 {
          appendVisible(
            letter.first, isLetter: letter.firstIsLetter,
            isWordCharacter: letter.firstIsWordCharacter, to: &output, &context)
          if letter.count > 1 {
            appendVisible(
              letter.second, isLetter: letter.secondIsLetter,
              isWordCharacter: letter.secondIsWordCharacter, to: &output, &context)
          }
          position &+= 2
          continue
        }
      }
      var code: UInt32
      // The common case of Chinese text, decoded here: a well-formed three-byte sequence.
      if byte >= 0xE1 && byte <= 0xEF && byte != 0xED && position + 2 < count
        && bytes[position + 1] & 0xC0 == 0x80
        && bytes[position + 2] & 0xC0 == 0x80
      {
        code = Self.threeByteScalar(byte, bytes[position + 1], bytes[position + 2])
        position += 3
      } else {
        let (decoded, length) = Self.decode(bytes, at: position)
        position += length
        code = decoded
      }
      if UnicodeTables.isUnifiedIdeograph(code) {
        // Han, unchanged by NFKC_Casefold, and traditional (or the copy above would have taken
        // it): its simplified form, without the general table. The rest of its run goes
        // through the copy above.
        let han = c.simplifyChinese ? tables.simplifiedIdeograph(code) : code
        if UnicodeTables.isUnifiedIdeograph(han) {
          appendHan(han, to: &output, &context)
          continue
        }
        code = han
      }
      if c.compatibilityCaseFolding && code &- 0xFF01 <= 0xFF5E - 0xFF01 {
        // Full-width ASCII (ＶＸ１２３，！？), common in Chinese text: NFKC_Casefold makes it
        // ASCII, lowercased, which then counts as an ASCII character does (emit's steps change
        // nothing else in ASCII). ＇ becomes ' either way.
        var ascii = code &- 0xFEE0
        if ascii &- 0x41 < 26 { ascii |= 0x20 }
        let isLetter = ascii &- 0x61 < 26
        appendVisible(
          ascii, isLetter: isLetter, isWordCharacter: isLetter || ascii &- 0x30 < 10,
          to: &output, &context)
        continue
      }
      if code == 0x3001 || code == 0x3002 || code &- 0x3008 <= 0x3011 - 0x3008 {
        // 、。〈〉《》「」『』【】: CJK punctuation, unchanged by every step.
        appendVisible(code, isLetter: false, isWordCharacter: false, to: &output, &context)
        continue
      }
      if c.straightenApostrophes && Self.isApostrophe(code) { code = 0x27 }
      guard c.compatibilityCaseFolding else {
        emit(code, entry: tables.entry(code), into: &output, &context)
        continue
      }
      let entry = tables.entry(code)
      if UnicodeTables.composesWithPrevious(entry), let previous = output.last,
        let composite = tables.composite(previous, code)
      {
        output.removeLast()
        emit(composite, entry: tables.entry(composite), into: &output, &context)
        continue
      }
      if let mapping = tables.mapping(entry) {
        for index in mapping {
          let mapped = tables.mappedScalar(at: index)
          let mappedEntry = tables.entry(mapped)
          // A mapping may end in a combining mark that composes with what came before
          // (such as U+1E9B), so compose here too.
          if let previous = output.last, index != mapping.lowerBound,
            UnicodeTables.composesWithPrevious(mappedEntry),
            let composite = tables.composite(previous, mapped)
          {
            output.removeLast()
            emit(composite, entry: tables.entry(composite), into: &output, &context)
          } else {
            emit(mapped, entry: mappedEntry, into: &output, &context)
          }
        }
      } else {
        emit(code, entry: entry, into: &output, &context)
      }
    }
    if c.collapseWhitespace && output.last == 0x20 { output.removeLast() }
    // The context steps rewrite the output in place and report its new length; each runs only
    // when the per-scalar pass saw something it may change.
    let written = output.written
    var length = written.count
    if c.mapLookAlikes && context.sawLookAlike { mapLookAlikes(written) }
    if c.squeezeElongation && context.elongation.seen {
      length = squeezeElongation(written, length)
    }
    return length
  }

  /// What the per-scalar pass saw, which decides whether the context steps need to run.
  struct Context {
    var sawHan = false
    // Joining Han characters across separators, as the output is written:
    /// The output position just after the last Han character kept, or -1.
    var afterLastHan = -1
    /// Nothing but spaces, punctuation and symbols since that character.
    var onlySeparators = true
    /// The gap since then holds sentence punctuation.
    var punctuated = false
    /// Han characters in the current run, joins included.
    var runLength = 0
    /// The current run was made by joining across a gap.
    var runJoined = false
    var sawLookAlike = false
    var elongation = Elongation()
  }

  /// Whether the output may hold an elongation (a letter three times in a row).
  ///
  /// It decides whether the squeeze pass runs. The pass finds the runs itself, so this may fire
  /// for nothing but must never miss one.
  struct Elongation {
    /// The last scalar noted, and how many times in a row.
    var last: UInt32 = 0
    var repeats = 0
    /// Whether a letter has been noted three times in a row.
    var seen = false

    /// Records one scalar appended to the output.
    @inline(__always)
    mutating func note(_ code: UInt32, isLetter: Bool) {
      if code == last {
        repeats &+= 1
        if repeats >= 3 && isLetter { seen = true }
      } else {
        last = code
        repeats = 1
      }
    }

    /// Records a block of letters and single spaces appended to the output: three equal bytes
    /// in it, or a run from before it that its first bytes continue.
    @inline(__always)
    mutating func note(_ block: LetterBlock) {
      let first = UInt32(truncatingIfNeeded: block.lowered & 0xFF)
      let continues = first == last
      if block.hasTriple
        || continues
          && (repeats >= 2 || block.lanes >= 2 && (block.lowered >> 8) & 0xFF == UInt64(first))
      {
        seen = true
      }
      last = block.last
      // A block of one or two equal bytes may only lengthen the run before it.
      repeats =
        continues && block.trailingRun == block.lanes
        ? min(3, repeats &+ block.lanes) : block.trailingRun
    }
  }

  /// Appends one NFKC_Casefold-ed scalar, after the per-scalar steps (simplification, accent
  /// folding, whitespace collapsing).
  @inline(__always)
  private func emit(
    _ scalar: UInt32, entry scalarEntry: UInt32, into output: inout BufferWriter<UInt32>,
    _ context: inout Context
  ) {
    let c = configuration
    var code = scalar
    var entry = scalarEntry
    if c.simplifyChinese, let simple = tables.simplifiedForm(code, entry: entry) {
      code = simple
      entry = tables.entry(code)
    }
    let characterClass = UnicodeTables.characterClass(ofEntry: entry)
    if c.foldAccents {
      if let folded = tables.foldedForm(code, entry: entry) {
        // A letter, which also keeps the gap between two Han characters (加é微 is not 加微).
        let first = UInt32(truncatingIfNeeded: folded)
        appendVisible(first, isLetter: true, isWordCharacter: true, to: &output, &context)
        if folded >> 32 != 0 {
          let second = UInt32(truncatingIfNeeded: folded >> 32)
          appendVisible(second, isLetter: true, isWordCharacter: true, to: &output, &context)
        }
        return
      }
      // A combining mark left after a Latin letter is an accent: fold it away too.
      if characterClass == .mark, let previous = output.last, previous < 0x80 { return }
    }
    if c.collapseWhitespace && characterClass == .space {
      if output.last != 0x20 && !output.isEmpty { output.append(0x20) }
      return
    }
    switch characterClass {
    case .han:
      appendHan(code, to: &output, &context)
    case .letter, .digit, .mark:
      if code >= 0x0250 && code < 0x0530 && LookAlikes.table[code] != nil {
        context.sawLookAlike = true
      }
      appendVisible(
        code, isLetter: characterClass == .letter, isWordCharacter: true, to: &output, &context)
    case .space, .other:
      appendVisible(code, isLetter: false, isWordCharacter: false, to: &output, &context)
    }
  }

  /// Appends a scalar that is not Han, after the per-scalar steps: a letter, digit or mark
  /// ends the separators since the last Han character; sentence punctuation marks the gap.
  @inline(__always)
  private func appendVisible(
    _ code: UInt32, isLetter: Bool, isWordCharacter: Bool, to output: inout BufferWriter<UInt32>,
    _ context: inout Context
  ) {
    if isWordCharacter {
      context.onlySeparators = false
    } else if Self.isSentencePunctuation(code) {
      context.punctuated = true
    }
    context.elongation.note(code, isLetter: isLetter)
    output.append(code)
  }

  /// Appends a Han character, first removing the separators since the previous one when the
  /// configuration joins Han characters across separators.
  ///
  /// Separators that hold no sentence punctuation (spaces, `*`, `~`, `|`, emoji, ...) are
  /// always removed: 加 微 信 and 加*微*信 become 加微信. A gap with sentence punctuation (`，`,
  /// `。`, `.`, `!`, ...) is removed only inside a chain of single characters, as in 加.微.信,
  /// so that ordinary punctuation between clauses (你好，世界) stays. A letter or digit between
  /// two Han characters keeps the gap.
  @inline(__always)
  private func appendHan(
    _ code: UInt32, to output: inout BufferWriter<UInt32>, _ context: inout Context
  ) {
    let join = hanJoin(output.count, context)
    output.base[join.at] = code
    commitHan(1, join, to: &output, &context)
  }

  /// How the next Han character joins the text before it.
  enum HanJoin {
    /// It directly follows the last Han character.
    case follows
    /// It follows the last Han character once the separators since are removed.
    case acrossSeparators
    /// It starts a new run.
    case starts
  }

  /// Where the next Han character goes in an output of `count` scalars, and how it joins the
  /// text before it (see ``appendHan(_:to:_:)``).
  @inline(__always)
  private func hanJoin(_ count: Int, _ context: Context) -> (at: Int, how: HanJoin) {
    if context.afterLastHan >= 0 && count == context.afterLastHan { return (count, .follows) }
    if configuration.joinHanAcrossSeparators && context.afterLastHan >= 0
      && context.onlySeparators
      && (!context.punctuated || context.runLength == 1 || context.runJoined)
    {
      return (context.afterLastHan, .acrossSeparators)
    }
    return (count, .starts)
  }

  /// Records `length` Han characters written at `join.at`, the first joined as `join.how` says.
  @inline(__always)
  private func commitHan(
    _ length: Int, _ join: (at: Int, how: HanJoin), to output: inout BufferWriter<UInt32>,
    _ context: inout Context
  ) {
    context.sawHan = true
    switch join.how {
    case .follows:
      context.runLength &+= length
    case .acrossSeparators:
      context.runLength &+= length
      context.runJoined = true
    case .starts:
      context.runLength = length
      context.runJoined = false
    }
    output.count = join.at &+ length
    // Han characters are no letters: only the last one matters to the elongation state.
    context.elongation.note(output.base[output.count &- 1], isLetter: false)
    context.afterLastHan = output.count
    context.onlySeparators = true
    context.punctuated = false
  }

  @inline(__always)
  private func characterClass(_ code: UInt32) -> UnicodeTables.CharacterClass {
    tables.characterClass(code)
  }

  /// Maps look-alike letters inside words that also hold an ASCII letter.
  private func mapLookAlikes(_ buffer: UnsafeMutableBufferPointer<UInt32>) {
    var start = 0
    while start < buffer.count {
      guard characterClass(buffer[start]) == .letter else {
        start += 1
        continue
      }
      var end = start
      var hasASCII = false
      var hasLookAlike = false
      while end < buffer.count,
        characterClass(buffer[end]) == .letter || characterClass(buffer[end]) == .mark
      {
        let code = buffer[end]
        if code < 0x80 {
          hasASCII = true
        } else if LookAlikes.table[code] != nil {
          hasLookAlike = true
        }
        end += 1
      }
      if hasASCII && hasLookAlike {
        for i in start..<end { if let latin = LookAlikes.table[buffer[i]] { buffer[i] = latin } }
      }
      start = end
    }
  }

  /// Keeps one copy of a letter repeated three or more times; returns the new length.
  private func squeezeElongation(_ buffer: UnsafeMutableBufferPointer<UInt32>, _ length: Int) -> Int
  {
    var write = 0
    var read = 0
    while read < length {
      let code = buffer[read]
      var run = 1
      while read + run < length && buffer[read + run] == code { run += 1 }
      // `www` is the one common triple letter in messages that is not an elongation.
      let isWWW = code == 0x77 && run == 3
      let keep = run >= 3 && !isWWW && characterClass(code) == .letter ? 1 : run
      for _ in 0..<keep {
        buffer[write] = code
        write += 1
      }
      read += run
    }
    return write
  }

  /// Punctuation that ends or splits sentences and clauses in Chinese or Latin text, after
  /// NFKC (which turns full-width ，！？：； into their ASCII forms).
  @inline(__always)
  static func isSentencePunctuation(_ code: UInt32) -> Bool {
    switch code {
    case 0x21, 0x22, 0x27, 0x28, 0x29, 0x2C, 0x2E, 0x3A, 0x3B, 0x3F,  // ! " ' ( ) , . : ; ?
      0x3001, 0x3002, 0x3008...0x3011,  // 、 。 〈 〉 《 》 「 」 『 』 【 】
      0x2018, 0x2019, 0x201C, 0x201D,  // ‘ ’ “ ”
      0xFF01, 0xFF08, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F:  // ！（），．：；？ without NFKC
      return true
    default:
      return false
    }
  }

  /// Normalises a string, returning the result as a string (a convenience for tests and tools;
  /// the hot path is ``normalize(_:into:)``).
  public func normalize(_ text: String) -> String {
    var scalars: [UInt32] = []
    var copy = text
    copy.withUTF8 { normalize($0, into: &scalars) }
    return String(String.UnicodeScalarView(scalars.compactMap { Unicode.Scalar($0) }))
  }

  /// The first bytes of eight bytes of text that are ASCII letters or single spaces, and what
  /// the normaliser needs to know about them.
  struct LetterBlock {
    /// The eight bytes, lowercased when case folding; only the first ``lanes`` count.
    var lowered: UInt64
    /// How many of the first bytes are letters and single spaces (0 to 8).
    var lanes: Int
    /// Whether three consecutive bytes among them are equal.
    var hasTriple: Bool
    /// How many of the last of them equal the last one (1 to 3; 3 means three or more).
    var trailingRun: Int
    /// The last of them.
    var last: UInt32
  }

  /// The lanes (high bit of each byte) where `word`'s byte is zero.
  @inline(__always)
  static func zeroLanes(_ word: UInt64) -> UInt64 {
    let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    return ~(((word & low) &+ low) | word | low)
  }

  /// Reads the longest start of eight bytes of text (the first in the low byte) that holds
  /// only ASCII letters and single spaces.
  ///
  /// - Parameters:
  ///   - word: The bytes.
  ///   - fold: Whether letters are lowercased.
  ///   - spaceFirstAllowed: Whether the first byte may be a space (not when the output is empty
  ///     or already ends with one, where whitespace collapsing would drop it).
  /// - Returns: The block, whose ``LetterBlock/lanes`` is 0 when the first byte is neither.
  @inline(__always)
  static func letterBlock(_ word: UInt64, fold: Bool, spaceFirstAllowed: Bool) -> LetterBlock {
    let high: UInt64 = 0x8080_8080_8080_8080
    let folded = word | 0x2020_2020_2020_2020
    // A byte below 0x80 never carries into the next when added to: one is at least 0x61 when
    // adding 0x1F sets its high bit, at least 0x7B when adding 0x05 does. A byte from 0x80 may
    // carry, but only into later bytes, which it already excludes.
    let letters = (folded &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(folded &+ 0x0505_0505_0505_0505)
    let spaces = zeroLanes(word ^ 0x2020_2020_2020_2020)
    // Bytes from 0x80, other bytes than letters and spaces, and a space after a space.
    var excluded = (word | ~(letters | spaces) | spaces &<< 8 & spaces) & high
    if !spaceFirstAllowed { excluded |= spaces & 0x80 }
    let lanes = excluded == 0 ? 8 : excluded.trailingZeroBitCount &>> 3
    let lowered = fold ? folded : word
    let next = lowered ^ (lowered &>> 8)
    let afterNext = lowered ^ (lowered &>> 16)
    // Triples start at lanes 0 to lanes - 3.
    let starts: UInt64 = lanes >= 3 ? ((1 &<< UInt64(8 &* (lanes &- 2))) &- 1) & high : 0
    let triples = zeroLanes(next) & zeroLanes(afterNext) & starts
    // The last lane in the top byte, zeros (never a letter or space) shifted in below.
    let top = lowered &<< UInt64(8 &* (8 &- lanes))
    let last = top &>> 56
    let beforeLast = (top &>> 48) & 0xFF
    let trailingRun = last != beforeLast ? 1 : beforeLast != (top &>> 40) & 0xFF ? 2 : 3
    return LetterBlock(
      lowered: lowered, lanes: lanes, hasTriple: triples != 0, trailingRun: trailingRun,
      last: UInt32(truncatingIfNeeded: last))
  }

  /// Copies the CJK unified ideographs that start at `position` in `bytes` (well-formed
  /// three-byte UTF-8 sequences in U+4E00...U+9FFF), at most `room` of them, and stops before
  /// the first that is something else or, when `traditional` is given (one bit per ideograph),
  /// a traditional character.
  ///
  /// A leaf function with everything in registers: the pipeline's hottest loop on Chinese text.
  ///
  /// - Returns: Where the copy stopped in `bytes`, and how many scalars it wrote.
  @inline(never)
  static func copyIdeographs(
    from bytes: UnsafePointer<UInt8>, _ position: Int, _ count: Int,
    to output: UnsafeMutablePointer<UInt32>, room: Int,
    stoppingAt traditional: UnsafePointer<UInt64>
  ) -> (end: Int, written: Int) {
    var position = position
    var written = 0
    /// The ideograph to copy that the three bytes in the low bytes of `word` (lead byte
    /// lowest) encode: a well-formed sequence (any other lead byte than E4...E9 decodes outside
    /// the block, which the range test rejects), not traditional.
    @inline(__always) func ideograph(_ word: UInt32) -> UInt32? {
      guard word & 0x00C0_C0F0 == 0x0080_80E0 else { return nil }
      let code = threeByteScalar(word)
      let offset = code &- 0x4E00
      guard offset <= 0x9FFF - 0x4E00 else { return nil }
      if traditional[Int(offset &>> 6)] & (1 &<< UInt64(offset & 63)) != 0 { return nil }
      return code
    }
    // Four bytes read at once while they are there (the fourth unused), then the text's last
    // character from its three bytes.
    let raw = UnsafeRawPointer(bytes)
    // While four bytes are there and there is room: one test per character.
    let limit = min((count &- position &- 1) / 3, room)
    while written < limit {
      guard
        let code = ideograph(
          UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
      else { return (position, written) }
      output[written] = code
      written &+= 1
      position &+= 3
    }
    if position &+ 3 == count && written < room,
      let code = ideograph(
        UInt32(bytes[position]) | UInt32(bytes[position &+ 1]) &<< 8
          | UInt32(bytes[position &+ 2]) &<< 16)
    {
      output[written] = code
      written &+= 1
      position &+= 3
    }
    return (position, written)
  }

  /// The scalar of a three-byte UTF-8 sequence whose form was checked.
  @inline(__always)
  static func threeByteScalar(_ lead: UInt8, _ second: UInt8, _ third: UInt8) -> UInt32 {
    threeByteScalar(UInt32(lead) | UInt32(second) &<< 8 | UInt32(third) &<< 16)
  }

  /// The scalar of the three-byte UTF-8 sequence in the low bytes of `word` (lead byte lowest),
  /// whose form was checked.
  @inline(__always)
  static func threeByteScalar(_ word: UInt32) -> UInt32 {
    (word & 0x0F) &<< 12 | (word &>> 2) & 0x0FC0 | (word &>> 16) & 0x3F
  }

  /// Whether an ASCII byte is a letter or a digit.
  @inline(__always)
  static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
    (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10
  }

  @inline(__always)
  static func isApostrophe(_ code: UInt32) -> Bool {
    switch code {
    case 0x2019, 0x2018, 0x02BC, 0x00B4, 0x2032, 0xFF07: return true
    default: return false
    }
  }

  /// Decodes one scalar at `position`, which holds a non-ASCII byte.
  ///
  /// An ill-formed sequence yields U+FFFD and consumes its maximal ill-formed prefix (at least
  /// one byte), as the Unicode standard recommends.
  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32, Int) {
    let lead = bytes[position]
    let remaining = bytes.count - position
    @inline(__always) func continuation(_ offset: Int) -> UInt32? {
      guard offset < remaining else { return nil }
      let byte = bytes[position + offset]
      return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
    }
    switch lead {
    case 0xC2...0xDF:
      guard let b1 = continuation(1) else { return (0xFFFD, 1) }
      return (UInt32(lead & 0x1F) << 6 | b1, 2)
    case 0xE0...0xEF:
      guard let b1 = continuation(1) else { return (0xFFFD, 1) }
      // Reject overlong forms (E0 80..9F) and surrogates (ED A0..BF).
      if lead == 0xE0 && b1 < 0x20 || lead == 0xED && b1 >= 0x20 { return (0xFFFD, 1) }
      guard let b2 = continuation(2) else { return (0xFFFD, 2) }
      return (UInt32(lead & 0x0F) << 12 | b1 << 6 | b2, 3)
    case 0xF0...0xF4:
      guard let b1 = continuation(1) else { return (0xFFFD, 1) }
      // Reject overlong forms (F0 80..8F) and code points past U+10FFFF (F4 90..BF).
      if lead == 0xF0 && b1 < 0x10 || lead == 0xF4 && b1 >= 0x10 { return (0xFFFD, 1) }
      guard let b2 = continuation(2) else { return (0xFFFD, 2) }
      guard let b3 = continuation(3) else { return (0xFFFD, 3) }
      return (UInt32(lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3, 4)
    default:
      return (0xFFFD, 1)
    }
  }
}
