import Testing
import _TestSupport

@testable import Tokenization

/// The normaliser's and the pre-tokeniser's fast paths for ASCII text (blocks of eight letters
/// and spaces, plain words) against what the steps say, on random text built to hit their
/// edges: runs of equal letters across block boundaries, double spaces, capitals, digits,
/// apostrophes, hyphens and address characters.
@Suite struct ASCIIFastPathTests {
  /// What the default normaliser does to ASCII letters, digits, spaces and `.'-@`: lowercase,
  /// collapse and trim spaces, keep one of three or more equal letters (but `www`).
  static func reference(_ text: String) -> String {
    var collapsed: [Character] = []
    // Accent folding: à and é, which end the eight-byte blocks, fold to letters around them.
    let folded = text.lowercased().map { $0 == "à" ? "a" : $0 == "é" ? "e" : $0 }
    for character in folded {
      if character == " " {
        if let last = collapsed.last, last != " " { collapsed.append(" ") }
      } else {
        collapsed.append(character)
      }
    }
    if collapsed.last == " " { collapsed.removeLast() }
    var result = ""
    var index = 0
    while index < collapsed.count {
      var run = 1
      while index + run < collapsed.count && collapsed[index + run] == collapsed[index] { run += 1 }
      let character = collapsed[index]
      let squeeze = run >= 3 && character.isLetter && !(character == "w" && run == 3)
      result += String(repeating: character, count: squeeze ? 1 : run)
      index += run
    }
    return result
  }

  static let alphabet = Array("aaaabbbcdeeeelllmnnooprssstuwwwxyzAEKLSW  0123.'-@àéÀ")

  static func randomText(_ generator: inout SeededGenerator) -> String {
    let length = Int(generator.next() % 48)
    var text = ""
    for _ in 0..<length {
      let character = alphabet[Int(generator.next() % UInt64(alphabet.count))]
      // Runs of one letter, so that elongations straddle the eight-byte blocks.
      let repeats = generator.next() % 8 == 0 ? Int(generator.next() % 4) + 1 : 1
      text += String(repeating: character, count: repeats)
    }
    return text
  }

  @Test func normaliserMatchesTheSteps() {
    var generator = SeededGenerator(seed: 31)
    let normalizer = TextNormalizer()
    for _ in 0..<5000 {
      let text = Self.randomText(&generator)
      #expect(normalizer.normalize(text) == Self.reference(text), "\(text.debugDescription)")
    }
  }

  @Test(arguments: [
    ("aaaaaaaa", "a"), ("abcdefgaa a", "abcdefgaa a"), ("abcdefgaaa", "abcdefga"),
    ("abcdefg  aaa", "abcdefg a"), ("  abcdefghij", "abcdefghij"), ("wwwwwwww", "w"),
    ("abcdefgwww.x", "abcdefgwww.x"), ("ABCDEFGH ijklmno", "abcdefgh ijklmno"),
    // Blocks cut short by a byte that is no letter or space, then runs that go on after it.
    ("xyzaaàbcdefgh", "xyzabcdefgh"), ("xyaaaaaé", "xyae"), ("abcdefgaà", "abcdefgaa"),
    ("xaaà12345", "xa12345"), ("xaà123456", "xaa123456"), ("abcdefgaaà123456", "abcdefga123456"),
    ("abcdefa1aa", "abcdefa1aa"), ("ab  cdefghijk", "ab cdefghijk"),
    ("ab cd, ef gh", "ab cd, ef gh"),
  ])
  func normaliserBlockEdges(text: String, expected: String) {
    #expect(TextNormalizer().normalize(text) == expected)
  }

  /// Full-width forms (ＶＸ１２３，！？) normalise exactly as the ASCII characters they stand for,
  /// between Han characters too (where punctuation decides whether the gap is joined); only the
  /// full-width grave accent stays a grave accent, since apostrophe straightening comes first.
  @Test func fullWidthFormsNormaliseAsASCII() {
    let normalizer = TextNormalizer()
    for ascii in UInt32(0x21)...0x7E where ascii != 0x60 {
      let plain = String(Character(Unicode.Scalar(ascii)!))
      let wide = String(Character(Unicode.Scalar(ascii + 0xFEE0)!))
      for (before, after) in [("", ""), ("加", "信"), ("加", " 信"), ("ab", "c"), ("加", "加")] {
        let name = "U+" + String(ascii + 0xFEE0, radix: 16, uppercase: true)
        #expect(
          normalizer.normalize(before + wide + after)
            == normalizer.normalize(before + plain + after), "\(name)")
      }
    }
  }

  /// CJK punctuation is sentence punctuation: it keeps the gap between clauses (and is removed
  /// only inside a chain of single characters, as in 加。微。信).
  @Test(arguments: ["你好、世界", "你好。世界", "你好【世界】", "他说「你好」再见", "《书名》作者"])
  func cjkPunctuationKeepsClauses(text: String) {
    #expect(TextNormalizer().normalize(text) == text)
    #expect(TextNormalizer().normalize("加。微。信") == "加微信")
  }

  /// Accented Latin letters (U+00C0...U+017F) take a table worked out from the general path;
  /// in every context, and with every step on or off, the result is the general path's.
  @Test func latinLettersMatchTheGeneralPath() {
    let contexts = [
      ("", ""), ("a", "b"), ("加", "信"), ("加 ", " 信"), ("aa", ""), ("1", "."), ("e", "\u{301}"),
    ]
    for configuration in [TextNormalizer.Configuration(), .none, .init(foldAccents: false)] {
      let fast = TextNormalizer(configuration: configuration)
      let general = TextNormalizer(generalPathOnly: configuration)
      for code in TextNormalizer.latinRange {
        let character = String(Character(Unicode.Scalar(code)!))
        for (before, after) in contexts {
          let text = before + character + character + character + after
          #expect(fast.normalize(text) == general.normalize(text), "\(text.debugDescription)")
        }
      }
    }
  }

  /// The eight-at-a-time scan for plain words ends exactly where a scalar-by-scalar scan does,
  /// on scalars near every edge of the letter and digit ranges and far beyond ASCII.
  @Test func plainRunEndMatchesScalarScan() {
    let edges: [UInt32] = [
      0x2F, 0x30, 0x39, 0x3A, 0x40, 0x41, 0x5A, 0x60, 0x61, 0x7A, 0x7B, 0xE9, 0x4E2D, 0x10FFFF,
    ]
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<3000 {
      let length = Int(generator.next() % 40)
      let scalars = (0..<length).map { _ -> UInt32 in
        generator.next() % 6 == 0
          ? edges[Int(generator.next() % UInt64(edges.count))]
          : 0x61 + UInt32(generator.next() % 26)
      }
      let start = length == 0 ? 0 : Int(generator.next() % UInt64(length))
      var expected = start
      while expected < length
        && (scalars[expected] &- 0x61 < 26 || scalars[expected] &- 0x30 < 10)
      {
        expected += 1
      }
      scalars.withUnsafeBufferPointer {
        #expect(PreTokenizer.plainRunEnd($0, from: start) == expected, "\(scalars) from \(start)")
      }
    }
  }

  /// The pre-tokeniser's tokens for a text, as `kind:text` strings.
  static func tokens(_ text: String, _ preTokenizer: PreTokenizer) -> [String] {
    let scalars = Array(text.unicodeScalars.map(\.value))
    var tokens: [Token] = []
    scalars.withUnsafeBufferPointer { preTokenizer.tokenize($0, into: &tokens) }
    return tokens.map { token in
      let characters = scalars[Int(token.start)..<Int(token.end)].compactMap(Unicode.Scalar.init)
      return "\(token.kind):\(String(String.UnicodeScalarView(characters)))"
    }
  }

  @Test(arguments: [
    ("bonjour toi", ["word:bonjour", "word:toi"]),
    ("voir x.fr", ["word:voir", "url:x.fr"]),
    // An address that ends a sentence, before its full stop.
    ("voir x.fr.", ["word:voir", "url:x.fr", "symbol:."]),
    ("abc@d.fr.", ["email:abc@d.fr", "symbol:."]),
    ("aujourd'hui l'ami", ["word:aujourd'hui", "word:l'", "word:ami"]),
    ("peut-etre", ["word:peut-etre", "word:peut", "word:etre"]),
    ("mp3 4k 500", ["word:mp3", "word:4k", "numeral:500"]),
    ("www.x.com hello", ["url:www.x.com", "word:hello"]),
    ("abc, def!", ["word:abc", "symbol:,", "word:def", "symbol:!"]),
    ("café", ["word:café"]),
    // Words before full stops, unless an address character follows them.
    ("fin. ok", ["word:fin", "symbol:.", "word:ok"]),
    ("fin...", ["word:fin", "symbol:.", "symbol:.", "symbol:."]),
    ("voir.fr", ["url:voir.fr"]), ("a..b", ["word:a", "symbol:.", "symbol:.", "word:b"]),
    ("fin.-x", ["word:fin", "symbol:.", "symbol:-", "word:x"]),
    // Words starting with h or w, and the addresses they may start.
    (
      "hier www.x.fr http://y.cn wow", ["word:hier", "url:www.x.fr", "url:http://y.cn", "word:wow"]
    ),
    // Elisions, then the word after them, however it ends.
    (
      "l'ami. c'est qu'il",
      ["word:l'", "word:ami", "symbol:.", "word:c'", "word:est", "word:qu'", "word:il"]
    ),
    ("l'exemple.com", ["word:l'", "word:exemple", "symbol:.", "word:com"]),
    ("l'arc-en-ciel", ["word:l'", "word:arc-en-ciel", "word:arc", "word:en", "word:ciel"]),
    ("d'12 aujourd'hui", ["word:d'", "number:12", "word:aujourd'hui"]),
  ])
  func preTokenizerPlainWords(text: String, expected: [String]) {
    #expect(Self.tokens(text, PreTokenizer()) == expected)
  }
}
