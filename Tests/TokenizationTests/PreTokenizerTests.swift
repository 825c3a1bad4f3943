import Testing

@testable import Tokenization

@Suite struct PreTokenizerTests {
  func tokens(_ text: String, _ configuration: PreTokenizer.Configuration = .init()) -> [String] {
    let normalizer = TextNormalizer()
    var scalars: [UInt32] = []
    var copy = text
    copy.withUTF8 { normalizer.normalize($0, into: &scalars) }
    var tokens: [Token] = []
    scalars.withUnsafeBufferPointer {
      PreTokenizer(configuration: configuration).tokenize($0, into: &tokens)
    }
    return tokens.map { token in
      let text = String(
        String.UnicodeScalarView(
          scalars[Int(token.start)..<Int(token.end)].compactMap { Unicode.Scalar($0) }))
      return "\(token.kind):\(text)"
    }
  }

  static let cases: [(String, [String])] = [
    ("WeChat群聊500人", ["word:wechat", "han:群聊", "numeral:500", "han:人"]),
    ("加微信，领红包！", ["han:加微信", "symbol:,", "han:领红包", "symbol:!"]),
    ("l'homme qu'il aime", ["word:l'", "word:homme", "word:qu'", "word:il", "word:aime"]),
    ("Jusqu’à demain", ["word:jusqu'", "word:a", "word:demain"]),
    ("aujourd'hui", ["word:aujourd'hui"]),
    ("prud'homme", ["word:prud'homme"]),
    ("peut-être", ["word:peut-etre", "word:peut", "word:etre"]),
    ("c'est-à-dire", ["word:c'", "word:est-a-dire", "word:est", "word:a", "word:dire"]),
    ("va-t-il", ["word:va-t-il", "word:va", "word:t", "word:il"]),
    ("les gars' ok", ["word:les", "word:gars", "word:ok"]),
    ("mp3 covid19 2024", ["word:mp3", "word:covid19", "numeral:2024"]),
    ("😡 nul", ["symbol:😡", "word:nul"]),
    ("   ", []),
    ("Ｑ群１２３４５", ["word:q", "han:群", "numeral:12345"]),
    (
      "voir https://t.cn/AbC1?x=2. ok",
      ["word:voir", "url:https://t.cn/abc1?x=2", "symbol:.", "word:ok"]
    ),
    ("www.exemple.fr/page", ["url:www.exemple.fr/page"]),
    ("bit.ly/xyz 加", ["url:bit.ly/xyz", "han:加"]),
    ("e.g. etc.", ["word:e", "symbol:.", "word:g", "symbol:.", "word:etc", "symbol:."]),
    ("jean.dupont@mail.fr", ["email:jean.dupont@mail.fr"]),
    ("@USER_1 salut", ["mention:@user_1", "word:salut"]),
    ("06 12 34 56 78", ["phone:06 12 34 56 78"]),
    ("+33 6-12-34-56-78", ["phone:+33 6-12-34-56-78"]),
    ("加V13812345678", ["han:加", "word:v13812345678"]),
    ("电话13812345678", ["han:电话", "phone:13812345678"]),
  ]

  @Test(arguments: cases)
  func splitsByScript(text: String, expected: [String]) {
    #expect(tokens(text) == expected)
  }

  static let numbersAsHan = PreTokenizer.Configuration(numbersAsHan: true)

  static let chineseNumberCases: [(String, [String])] = [
    ("WeChat群聊500人", ["word:wechat", "han:群聊500人"]),
    ("Ｑ群１２３４５", ["word:q", "han:群12345"]),
    ("您尾号7544卡11日支出2元", ["han:您尾号7544卡11日支出2元"]),
    ("500 然后 2024", ["han:500", "han:然后", "han:2024"]),
    ("11:03 到账", ["han:11", "symbol::", "han:03", "han:到账"]),
    // Digits of other scripts are numbers too, with or without ASCII ones in the message.
    ("欢乐的๑", ["han:欢乐的๑"]),
    ("欢乐的๑ 3", ["han:欢乐的๑", "han:3"]),
    // Telephone numbers, web addresses and words with digits stay as they are.
    ("电话13812345678", ["han:电话", "phone:13812345678"]),
    ("加V13812345678", ["han:加", "word:v13812345678"]),
    ("mp3 下载 t.cn/8abc", ["word:mp3", "han:下载", "url:t.cn/8abc"]),
    // Without Han characters, nothing changes.
    (
      "rdv à 15h, 500 euros",
      ["word:rdv", "word:a", "word:15h", "symbol:,", "numeral:500", "word:euros"]
    ),
  ]

  @Test(arguments: chineseNumberCases)
  func numbersReadAsHanInChineseMessages(text: String, expected: [String]) {
    #expect(tokens(text, Self.numbersAsHan) == expected)
    // Off (the default), the same message keeps its numbers apart.
    #expect(tokens(text) == tokens(text, .init(numbersAsHan: false)))
  }

  @Test func numbersReadAsHanWithoutPlaceholders() {
    let configuration = PreTokenizer.Configuration(numberPlaceholders: false, numbersAsHan: true)
    #expect(tokens("群聊500人 ok 42", configuration) == ["han:群聊500人", "word:ok", "han:42"])
    #expect(tokens("ok 42", configuration) == ["word:ok", "number:42"])
    let noPlaceholders = PreTokenizer.Configuration(placeholders: false, numbersAsHan: true)
    #expect(tokens("群聊500人 42", noPlaceholders) == ["han:群聊500人", "han:42"])
  }

  @Test func numbersAsHanIsOffInOlderModels() throws {
    let stored = #"{"placeholders":true,"numberPlaceholders":true,"hyphenatedCompounds":true}"#
    let decoded = try JSONDecoderLite.decode(PreTokenizer.Configuration.self, stored)
    #expect(decoded == PreTokenizer.Configuration())
    #expect(decoded.numbersAsHan == false)
  }

  @Test func placeholdersAndCompoundsCanBeTurnedOff() {
    let off = PreTokenizer.Configuration(
      placeholders: false, numberPlaceholders: false, hyphenatedCompounds: false)
    #expect(
      tokens("@bob 500 peut-être", off) == [
        "symbol:@", "word:bob", "number:500", "word:peut", "symbol:-", "word:etre",
      ])
  }
}
