import Testing

@testable import Tokenization

@Suite struct LexiconTests {
  /// A small dictionary in jieba's format, written for this test.
  static let dictionary = """
    我 1000 r
    来到 500 v
    北京 800 ns
    清华 300 nz
    清华大学 400 nt
    大学 600 n
    加微信 50
    微信 700 n
    红包 300 n

    """

  static let pipeline: TextPipeline = {
    let normalizer = TextNormalizer()
    let lexicon =
      (try? Lexicon.parse(
        dictionary, normalize: { normalizer.normalize($0).unicodeScalars.map(\.value) }
      ).get())
      ?? Lexicon(words: [], frequencies: [])
    return TextPipeline(
      configuration: .init(
        features: .init(hanNGrams: 1...1, subwordNGrams: nil, symbols: false, hanWords: true)),
      lexicon: lexicon)
  }()

  func words(_ text: String) -> [String] {
    Self.pipeline.featureDetails(text).filter { $0.family == .hanWord }.map(\.text)
  }

  /// jieba's own example: the whole word 清华大学 (ln 400/T) beats 清华 + 大学 (ln 300/T + ln 600/T).
  @Test func mostProbablePath() {
    #expect(words("我来到北京清华大学") == ["我", "来到", "北京", "清华大学"])
  }

  @Test func unknownCharactersAreSingleWords() {
    #expect(words("领红包了") == ["领", "红包", "了"])
  }

  @Test func overlappingWordsPickTheBetterPath() {
    // 加微信 (50) against 加 (unknown, 1) + 微信 (700): ln(50/T) > ln(1/T) + ln(700/T).
    #expect(words("加微信") == ["加微信"])
  }

  @Test func dictionaryWordsAreNormalised() {
    // Traditional forms in the dictionary meet simplified text, and the reverse.
    let normalizer = TextNormalizer()
    let lexicon = try? Lexicon.parse(
      "微信 10\n紅包 10\n", normalize: { normalizer.normalize($0).unicodeScalars.map(\.value) }
    ).get()
    #expect(lexicon?.words.last == "红包".unicodeScalars.map(\.value))
  }

  @Test func malformedLinesAreReported() {
    let result = Lexicon.parse("微信 10\n红包\n", normalize: { $0.unicodeScalars.map(\.value) })
    #expect(
      result == .failure(Lexicon.ParseError(line: 2, reason: "expected `word frequency [tag]`")))
  }

  @Test func hanNGramsAreStillThere() {
    let all = Self.pipeline.featureStrings("北京")
    #expect(all == ["北", "京", "北京"])
  }
}
