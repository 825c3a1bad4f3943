import Testing

@testable import Tokenization

@Suite struct TextNormalizerTests {
  let normalizer = TextNormalizer()

  /// (input, expected output) under the default configuration.
  static let cases: [(String, String)] = [
    ("Bonjour", "bonjour"),
    ("ÇA VA ÊTRE GÉNIAL", "ça va être génial"),
    // NFKC: full-width forms to ASCII, compatibility characters to their plain form.
    ("ＶＸ１２３", "vx123"),
    ("加ｖ：ｗｘ", "加v:wx"),
    ("ﬁnance", "finance"),
    ("①②", "12"),
    ("㎏", "kg"),
    ("Ⅻ", "xii"),
    // Full case folding (not just lowercasing): ß folds to ss.
    ("Straße", "strasse"),
    // Canonical composition: e + combining acute is é.
    ("e\u{301}te\u{301}", "été"),
    ("E\u{301}", "é"),
    // Default-ignorable code points disappear: zero-width space, joiner, soft hyphen, BOM.
    ("微\u{200B}信", "微信"),
    ("con\u{AD}nard", "connard"),
    ("a\u{200D}b\u{FEFF}c", "abc"),
    // Apostrophes straightened.
    ("c’est l‘homme", "c'est l'homme"),
    ("aujourdʼhui", "aujourd'hui"),
    // Chinese is untouched (simplified and traditional alike in this stage).
    ("你好，世界", "你好,世界"),
    ("", ""),
  ]

  @Test(arguments: cases)
  func normalizes(input: String, expected: String) {
    #expect(normalizer.normalize(input) == expected)
  }

  @Test func eachStepCanBeTurnedOff() {
    let none = TextNormalizer(
      configuration: .init(compatibilityCaseFolding: false, straightenApostrophes: false))
    #expect(none.normalize("ＶＸ c’est") == "ＶＸ c’est")
    let foldOnly = TextNormalizer(configuration: .init(straightenApostrophes: false))
    #expect(foldOnly.normalize("C’EST") == "c’est")
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

  @Test func agreesWithTheUnicodeVersionItWasBuiltFrom() {
    #expect(TextNormalizer.unicodeVersion == "15.0.0")
  }
}
