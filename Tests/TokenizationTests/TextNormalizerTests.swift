import Testing
import _TestSupport

@testable import Tokenization

@Suite struct TextNormalizerTests {
  let normalizer = TextNormalizer()

  /// One step on at a time, to test it alone (after decoding).
  static func only(_ step: WritableKeyPath<TextNormalizer.Configuration, Bool>) -> TextNormalizer {
    var configuration = TextNormalizer.Configuration.none
    configuration[keyPath: step] = true
    return TextNormalizer(configuration: configuration)
  }

  /// NFKC_Casefold alone.
  static let compatibilityCases: [(String, String)] = [
    ("Bonjour", "bonjour"),
    ("ÇA VA ÊTRE GÉNIAL", "ça va être génial"),
    ("ＶＸ１２３", "vx123"),  // full-width forms to ASCII
    ("加ｖ：ｗｘ", "加v:wx"),
    ("ﬁnance", "finance"),  // compatibility ligature
    ("①②", "12"),
    ("㎏", "kg"),
    ("Ⅻ", "xii"),
    ("𝐇𝐞𝐥𝐥𝐨", "hello"),  // mathematical alphanumerics
    ("Straße", "strasse"),  // full case folding, not just lowercasing
    ("e\u{301}te\u{301}", "été"),  // canonical composition
    ("E\u{301}", "é"),
    ("微\u{200B}信", "微信"),  // zero-width space
    ("con\u{AD}nard", "connard"),  // soft hyphen
    ("a\u{200D}b\u{FEFF}c\u{FE0F}", "abc"),  // joiner, BOM, variation selector
    ("\u{202E}abc\u{202C}", "abc"),  // bidirectional controls
    ("", ""),
  ]

  @Test(arguments: compatibilityCases)
  func compatibilityCaseFolding(input: String, expected: String) {
    #expect(Self.only(\.compatibilityCaseFolding).normalize(input) == expected)
  }

  @Test(arguments: [
    ("c’est l‘homme", "c'est l'homme"), ("aujourdʼhui", "aujourd'hui"), ("l`eau", "l'eau"),
  ])
  func apostrophes(input: String, expected: String) {
    #expect(Self.only(\.straightenApostrophes).normalize(input) == expected)
  }

  @Test(arguments: [("說話", "说话"), ("這個垃圾", "这个垃圾"), ("發財", "发财"), ("简体不变", "简体不变")])
  func traditionalToSimplified(input: String, expected: String) {
    #expect(Self.only(\.simplifyChinese).normalize(input) == expected)
  }

  @Test(arguments: [
    ("génial", "genial"), ("ça", "ca"), ("cœur", "coeur"), ("où être", "ou etre"),
    ("naïve", "naive"),
  ])
  func accentFolding(input: String, expected: String) {
    #expect(Self.only(\.foldAccents).normalize(input) == expected)
  }

  @Test(arguments: [
    ("  un \t deux\n\ntrois  ", "un deux trois"), ("a\u{3000}b", "a b"), ("\u{A0}x", "x"),
  ])
  func whitespace(input: String, expected: String) {
    var configuration = TextNormalizer.Configuration.none
    configuration.collapseWhitespace = true
    configuration.compatibilityCaseFolding = true  // U+3000 and U+00A0 are spaces after NFKC
    #expect(TextNormalizer(configuration: configuration).normalize(input) == expected)
  }

  @Test(arguments: [
    ("vіаgrа", "viagra"),  // Cyrillic і and а inside a Latin word
    ("cοnnard", "connard"),  // Greek ο
    ("привет", "привет"),  // a Russian word is left alone
    ("ναι", "ναι"),  // and a Greek one
  ])
  func lookAlikes(input: String, expected: String) {
    #expect(Self.only(\.mapLookAlikes).normalize(input) == expected)
  }

  @Test(arguments: [
    ("nuuuul", "nul"), ("looool", "lol"), ("cool", "cool"), ("ahhhh", "ah"), ("1000", "1000"),
    ("!!!", "!!!"),
  ])
  func elongation(input: String, expected: String) {
    #expect(Self.only(\.squeezeElongation).normalize(input) == expected)
  }

  @Test(arguments: [
    ("加 微 信", "加微信"),
    ("加*微*信", "加微信"),
    ("加~微|信", "加微信"),
    ("加.微.信", "加微信"),  // punctuation inside a chain of single characters
    ("你好，世界", "你好，世界"),  // punctuation between clauses stays
    ("你好 世界", "你好世界"),
    ("加微信 abc 好", "加微信 abc 好"),  // a word between Han characters stays
    ("WeChat群聊500人", "WeChat群聊500人"),
  ])
  func joiningHanAcrossSeparators(input: String, expected: String) {
    #expect(Self.only(\.joinHanAcrossSeparators).normalize(input) == expected)
  }

  /// A letter that accent folding rewrites is still a letter between two Han characters: the
  /// gap stays, as it does for the unaccented letter.
  @Test(arguments: [("加é微", "加e微"), ("加 é 微", "加 e 微"), ("加ß微", "加ss微"), ("加 É 微", "加 e 微")])
  func foldedLetterKeepsHanApart(input: String, expected: String) {
    #expect(TextNormalizer().normalize(input) == expected)
  }

  /// Runs of Han characters, simplified and traditional, of every length (so that the
  /// copy of simplified runs meets traditional characters and the text's end at every
  /// offset), normalise as their characters do one by one, whether traditional characters are
  /// simplified or kept.
  @Test(arguments: [true, false])
  func hanRunsNormaliseCharacterByCharacter(simplifying: Bool) {
    let normalizer = TextNormalizer(configuration: .init(simplifyChinese: simplifying))
    let characters = Array("加微信说话這個垃圾發財简体不变的了是人一丂鿿㐀𠀀")
    var generator = SeededGenerator(seed: 11)
    for _ in 0..<2000 {
      let text = String(
        (0..<Int(generator.next() % 24 + 1)).map { _ in
          characters[Int(generator.next() % UInt64(characters.count))]
        })
      let expected = text.map { normalizer.normalize(String($0)) }.joined()
      #expect(normalizer.normalize(text) == expected, "\(text)")
    }
    #expect(normalizer.normalize("說話") == (simplifying ? "说话" : "說話"))
  }

  @Test func defaultPipelineRunsEveryStep() {
    #expect(
      normalizer.normalize("  Ｃ’ÉTAIT  nuuuul ,  加 微 信  說話 vіаgrа ") == "c'etait nul , 加微信说话 viagra"
    )
  }

  @Test func noneKeepsTheTextAsDecoded() {
    #expect(TextNormalizer(configuration: .none).normalize("ＶＸ c’est  說") == "ＶＸ c’est  說")
  }

  /// Ill-formed UTF-8 is repaired with U+FFFD, one per maximal ill-formed subpart, and
  /// nothing after it is lost.
  @Test(arguments: [
    ([0x61, 0xFF, 0x62] as [UInt8], "a\u{FFFD}b"),
    ([0xE4, 0xBD, 0x61] as [UInt8], "\u{FFFD}a"),  // truncated 3-byte sequence
    ([0xC0, 0xAF] as [UInt8], "\u{FFFD}\u{FFFD}"),  // overlong
    ([0xED, 0xA0, 0x80] as [UInt8], "\u{FFFD}\u{FFFD}\u{FFFD}"),  // surrogate
    ([0xF4, 0x90, 0x80, 0x80] as [UInt8], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),  // past U+10FFFF
    ([0xF0, 0x9F, 0x98, 0x80] as [UInt8], "😀"),
    ([0xE4, 0xBD, 0xA0] as [UInt8], "你"),
  ])
  func repairsInvalidUTF8(bytes: [UInt8], expected: String) {
    var scalars: [UInt32] = []
    bytes.withUnsafeBufferPointer { normalizer.normalize($0, into: &scalars) }
    #expect(scalars == expected.unicodeScalars.map(\.value))
  }

  @Test func storedConfigurationsWithoutNewStepsDecodeWithThemOff() throws {
    let old = #"{"compatibilityCaseFolding":true,"straightenApostrophes":true}"#
    let decoded = try JSONDecoderLite.decode(TextNormalizer.Configuration.self, old)
    #expect(decoded.compatibilityCaseFolding && decoded.straightenApostrophes)
    #expect(!decoded.simplifyChinese && !decoded.foldAccents && !decoded.joinHanAcrossSeparators)
  }

  @Test func unicodeVersion() {
    #expect(TextNormalizer.unicodeVersion == "15.0.0")
  }
}
