import Testing

@testable import Tokenization

@Suite struct PreTokenizerTests {
  func tokens(_ text: String) -> [String] {
    let normalizer = TextNormalizer()
    var scalars: [UInt32] = []
    var copy = text
    copy.withUTF8 { normalizer.normalize($0, into: &scalars) }
    var tokens: [Token] = []
    scalars.withUnsafeBufferPointer { PreTokenizer().tokenize($0, into: &tokens) }
    return tokens.map { token in
      let text = String(
        String.UnicodeScalarView(
          scalars[Int(token.start)..<Int(token.end)].compactMap { Unicode.Scalar($0) }))
      return "\(token.kind):\(text)"
    }
  }

  static let cases: [(String, [String])] = [
    ("WeChat群聊500人", ["word:wechat", "han:群聊", "number:500", "han:人"]),
    ("加微信，领红包！", ["han:加微信", "symbol:,", "han:领红包", "symbol:!"]),
    ("l'homme qu'il aime", ["word:l'", "word:homme", "word:qu'", "word:il", "word:aime"]),
    ("Jusqu’à demain", ["word:jusqu'", "word:à", "word:demain"]),
    ("aujourd'hui", ["word:aujourd'hui"]),
    ("c'est-à-dire", ["word:c'", "word:est", "symbol:-", "word:à", "symbol:-", "word:dire"]),
    ("les gars' ok", ["word:les", "word:gars", "word:ok"]),
    ("mp3 covid19 2024", ["word:mp3", "word:covid19", "number:2024"]),
    ("😡 nul", ["symbol:😡", "word:nul"]),
    ("   ", []),
    ("Ｑ群１２３４５", ["word:q", "han:群", "number:12345"]),
  ]

  @Test(arguments: cases)
  func splitsByScript(text: String, expected: [String]) {
    #expect(tokens(text) == expected)
  }
}
