import Testing
import _TestSupport

@testable import Tokenization

@Suite struct FeatureExtractorTests {
  @Test func hanRunsGiveUnigramsAndBigrams() {
    let pipeline = TextPipeline()
    #expect(pipeline.featureStrings("加微信") == ["加", "加微", "微", "微信", "信"])
  }

  /// The default features without subwords, to keep expectations short.
  static let wordsOnly = TextPipeline(
    configuration: .init(features: .init(wordNGrams: 1, subwordNGrams: nil)))

  @Test func frenchWordsWithElisionsAndSymbols() {
    #expect(
      Self.wordsOnly.featureStrings("L'homme est NUL !") == ["l'", "homme", "est", "nul", "!"])
  }

  @Test func mixedScriptMessage() {
    #expect(
      Self.wordsOnly.featureStrings("WeChat群聊500人") == ["wechat", "群", "群聊", "聊", "<num>", "人"])
  }

  @Test func placeholdersAreFeatures() {
    #expect(
      Self.wordsOnly.featureStrings("@bob voir http://x.fr 0612345678 a@b.fr")
        == [
          "<mention>", "voir", "<url>", "<url x.fr>", "<phone>", "<phone 06>", "<phone 061>",
          "<phone 0612>", "<email>",
        ])
  }

  @Test func defaultPipelineAddsSubwordsOfThreeToFive() {
    // The default lengths come out by end position (<nu, then nul and <nul, then ul> and
    // nul>), then the word itself, hashed in the same pass, then the bigram a word ends.
    #expect(
      TextPipeline().featureStrings("nul")
        == ["<nu", "nul", "<nul", "ul>", "nul>", "nul"])
    #expect(
      TextPipeline().featureStrings("ta gueule").suffix(3) == ["eule>", "gueule", "ta gueule"])
  }

  /// The one-pass subwords of the default lengths are exactly the n-grams of `<word>`, each
  /// hashed from its own scalars.
  @Test(arguments: [
    "a", "ab", "abc", "abcd", "connard", "é", "peut-être", "aujourd'hui", "xyzzyxyzzy",
  ])
  func defaultSubwordsAreThePaddedNGrams(word: String) {
    let pipeline = TextPipeline()
    let details = pipeline.featureDetails(word).filter { $0.family == .subword }
    var expected: [String] = []
    for token in pipeline.featureDetails(word).filter({ $0.family == .word }) {
      let padded = Array(("<" + token.text + ">").unicodeScalars)
      for n in 3...5 where n < padded.count {
        for i in 0...(padded.count - n) {
          expected.append(String(String.UnicodeScalarView(padded[i..<(i + n)])))
        }
      }
    }
    #expect(details.map(\.text).sorted() == expected.sorted())
    for detail in details {
      let units =
        [FeatureExtractor.Family.subword.rawValue] + detail.text.unicodeScalars.map(\.value)
      let state = units.reduce(StableHash.basis, StableHash.combine)
      #expect(
        detail.bucket == StableHash.bucket(state, bits: pipeline.configuration.features.bucketBits))
    }
  }

  /// The hashing path gives exactly the buckets of the readable
  /// path, in the same order, on random mixed-script text, for the default pipeline and for
  /// other n-gram settings.
  @Test(arguments: [
    FeatureExtractor.Configuration(),
    FeatureExtractor.Configuration(hanNGrams: 1...3, wordNGrams: 3, subwordNGrams: 2...4),
    FeatureExtractor.Configuration(hanNGrams: 2...2, subwordNGrams: nil, bucketBits: 12),
  ])
  func hashingPathAgreesWithTheReadableForms(features: FeatureExtractor.Configuration) {
    let pipeline = TextPipeline(configuration: .init(features: features))
    let pieces = [
      "加", "微信", "群聊", "說話", "，", "。", " ", "WeChat", "bonjour", "l'ami", "peut-être",
      "500", "x.fr", "!", "😀", "aaa", "nuuul", "c’est", "ＶＸ", "好", "的",
    ]
    var generator = SeededGenerator(seed: 5)
    var workspace = TextPipeline.Workspace()
    for _ in 0..<500 {
      let text = (0..<Int(generator.next() % 12)).map { _ in
        pieces[Int(generator.next() % UInt64(pieces.count))]
      }.joined()
      pipeline.extractFeatures(text, into: &workspace)
      #expect(
        workspace.features == pipeline.featureDetails(text).map(\.bucket), "\(text)")
    }
  }

  /// A hyphenated compound gives features for the whole and for each part, from the same
  /// scalars: the bound on the feature count must allow for it (debug builds check every
  /// write).
  @Test func longCompoundsFitTheFeatureBound() {
    let text = Array(repeating: "peut-être", count: 40).joined(separator: "-")
    var workspace = TextPipeline.Workspace()
    TextPipeline().extractFeatures(text, into: &workspace)
    #expect(workspace.features.count == TextPipeline().featureDetails(text).count)
    #expect(workspace.features.count > 2 * text.unicodeScalars.count)
  }

  /// A message whose scalars expand past the first buffer (U+FDFA becomes 18 scalars) is
  /// normalised again into a larger one, after a short message has sized the workspace.
  @Test func expandingMessagesGrowTheWorkspace() {
    let pipeline = TextPipeline()
    var workspace = TextPipeline.Workspace()
    pipeline.extractFeatures("ok", into: &workspace)
    for text in ["\u{FDFA}", String(repeating: "\u{FDFA}", count: 50), "a\u{FDFA}b"] {
      pipeline.extractFeatures(text, into: &workspace)
      #expect(workspace.features == pipeline.featureDetails(text).map(\.bucket))
    }
    // The long one needs more than the first try's room: its bytes and the headroom.
    #expect(
      pipeline.normalizer.normalize(String(repeating: "\u{FDFA}", count: 50)).unicodeScalars.count
        > 150 + TextNormalizer.headroom)
  }

  @Test func wordNGramsJoinAdjacentWords() {
    let pipeline = TextPipeline(
      configuration: .init(features: .init(wordNGrams: 2, subwordNGrams: nil)))
    #expect(
      pipeline.featureStrings("ta gueule, toi") == ["ta", "gueule", "ta gueule", ",", "toi"])
  }

  @Test func subwordsArePaddedCharacterNGrams() {
    let pipeline = TextPipeline(
      configuration: .init(features: .init(hanNGrams: 1...1, subwordNGrams: 2...3, symbols: false)))
    #expect(
      pipeline.featureStrings("con") == ["con", "<c", "<co", "co", "con", "on", "on>", "n>"])
  }

  @Test func wideHanNGramRange() {
    let pipeline = TextPipeline(configuration: .init(features: .init(hanNGrams: 2...3)))
    #expect(pipeline.featureStrings("领红包") == ["领红", "领红包", "红包"])
  }

  @Test func bucketsMatchTheReadableForms() {
    let pipeline = TextPipeline(configuration: .init(features: .init(bucketBits: 18)))
    var workspace = TextPipeline.Workspace()
    let text = "加微信 l'homme 😡 500 http://x.cn"
    pipeline.extractFeatures(text, into: &workspace)
    let details = pipeline.featureDetails(text)
    #expect(workspace.features == details.map(\.bucket))
    // The documented hash of the Han bigram 微信 (family 1) at 18 bits.
    #expect(details.first { $0.text == "微信" }?.bucket == 131_099)
    #expect(details.first { $0.text == "l'" }?.bucket == 83_223)
    #expect(workspace.features.allSatisfy { $0 < 1 << 18 })
  }

  @Test func workspaceIsReusedAcrossMessages() {
    let pipeline = TextPipeline()
    var workspace = TextPipeline.Workspace()
    pipeline.extractFeatures("一二三四五六七八九十", into: &workspace)
    pipeline.extractFeatures("好", into: &workspace)
    #expect(workspace.features.count == 1)
    #expect(workspace.tokens.count == 1)
  }

  /// A workspace is a value: a copy that runs a message leaves the original's features alone,
  /// and either can keep going, through growth of its buffers too.
  @Test func copiedWorkspacesAreIndependent() {
    let pipeline = TextPipeline()
    func fresh(_ text: String) -> [UInt32] {
      var workspace = TextPipeline.Workspace()
      pipeline.extractFeatures(text, into: &workspace)
      return workspace.features
    }
    // Checked as Booleans: a failure would otherwise print thousands of bucket numbers.
    let long = String(repeating: "bonjour tout le monde ", count: 50)
    // The copy writes a short message into buffers big enough already: without copy-on-write
    // it would overwrite the original's.
    var first = TextPipeline.Workspace()
    pipeline.extractFeatures(long, into: &first)
    var second = first
    let copied = second.features == fresh(long)
    pipeline.extractFeatures("加微信", into: &second)
    let originalKept = first.features == fresh(long)
    let copyWritten = second.features == fresh("加微信")
    #expect(copied && originalKept && copyWritten)
    // The other way round, through growth of the copy's buffers.
    var small = TextPipeline.Workspace()
    pipeline.extractFeatures("好", into: &small)
    var grown = small
    pipeline.extractFeatures(long, into: &grown)
    let grownApart = small.features == fresh("好") && grown.features == fresh(long)
    #expect(grownApart)
    var rewritten = first
    rewritten.rewriteFeatures { features in
      features[0] = 7
      return 1
    }
    let rewrittenApart = rewritten.features == [7] && first.features == fresh(long)
    #expect(rewrittenApart)
  }

  @Test func validationRejectsBadSettings() {
    #expect(FeatureExtractor.Configuration(bucketBits: 40).validationError() != nil)
    #expect(FeatureExtractor.Configuration(hanNGrams: 0...2).validationError() != nil)
    #expect(FeatureExtractor.Configuration(wordNGrams: 0).validationError() != nil)
    #expect(FeatureExtractor.Configuration().validationError() == nil)
  }
}

@Suite struct LightStemmingTests {
  static let stemming = TextPipeline(
    configuration: .init(features: .init(subwordNGrams: nil, symbols: false, lightStemming: true)))

  @Test(arguments: [
    ("connards", "connard"), ("idiotes", "idiot"), ("idiote", "idiot"), ("parler", "parl"),
    ("chevaux", "chevau"), ("nul", "nul"), ("grosse", "gros"), ("débile", "debil"),
  ])
  func stems(word: String, stem: String) {
    #expect(Self.stemming.featureStrings(word) == [stem])
  }

  @Test func offByDefault() {
    #expect(TextPipeline().configuration.features.lightStemming == false)
  }
}

@Suite struct NumberSubwordsTests {
  static func pipeline(numberSubwords: Bool) -> TextPipeline {
    TextPipeline(
      configuration: .init(
        tokenization: .init(placeholders: false),
        features: .init(wordNGrams: 1, numberSubwords: numberSubwords)))
  }

  @Test func numbersGiveSubwordsWhenAsked() {
    #expect(
      Self.pipeline(numberSubwords: true).featureStrings("4006")
        == ["4006", "<40", "400", "<400", "006", "4006", "<4006", "06>", "006>", "4006>"])
    #expect(Self.pipeline(numberSubwords: false).featureStrings("4006") == ["4006"])
    // Placeholders on: <num>, then the digits' subwords; a telephone number stays a placeholder.
    let placeholders = TextPipeline(
      configuration: .init(features: .init(numberSubwords: true, phonePrefixes: false)))
    #expect(
      placeholders.featureStrings("4006")
        == ["<num>", "<40", "400", "<400", "006", "4006", "<4006", "06>", "006>", "4006>"])
    #expect(placeholders.featureStrings("0612345678") == ["<phone>"])
    #expect(TextPipeline().featureStrings("4006") == ["<num>"])
  }

  @Test func offByDefaultAndInOlderModels() throws {
    #expect(FeatureExtractor.Configuration().numberSubwords == false)
    let stored = """
      {"hanNGrams":[1,2],"wordNGrams":2,"subwordNGrams":[3,5],"symbols":true,"bucketBits":22}
      """
    let decoded = try JSONDecoderLite.decode(FeatureExtractor.Configuration.self, stored)
    #expect(decoded.numberSubwords == false)
    #expect(decoded == FeatureExtractor.Configuration(phonePrefixes: false, urlDomains: false))
  }
}

/// Extracts each message with `features` into a workspace, whose buffer is sized by the
/// extractor's bound on features per message, and checks it holds the buckets the readable
/// forms name, `perItem` features for each of the message's `items` (telephone numbers, web
/// addresses): a family that adds features per token must be counted in that bound.
func expectFeatureCounts(
  _ features: FeatureExtractor.Configuration, _ cases: [(text: String, items: Int)], perItem: Int
) {
  let pipeline = TextPipeline(configuration: .init(features: features))
  var workspace = TextPipeline.Workspace()
  for (text, items) in cases {
    pipeline.extractFeatures(text, into: &workspace)
    #expect(Array(workspace.features) == pipeline.featureDetails(text).map(\.bucket), "\(text)")
    #expect(workspace.features.count == perItem * items, "\(text)")
  }
}

@Suite struct PhonePrefixTests {
  @Test func telephoneNumbersGiveTheirFirstCharacters() {
    let features = TextPipeline().featureStrings("appelez le 0800 505060")
    #expect(
      Array(features.suffix(4)) == ["<phone>", "<phone 08>", "<phone 080>", "<phone 0800>"])
    #expect(
      TextPipeline().featureStrings("+33 6-12-34-56-78")
        == ["<phone>", "<phone +3>", "<phone +33>", "<phone +336>"])
    #expect(
      TextPipeline().featureStrings("电话13812345678").suffix(4)
        == ["<phone>", "<phone 13>", "<phone 138>", "<phone 1381>"])
    // Other numbers, and telephone numbers when turned off, give their placeholder alone.
    #expect(TextPipeline().featureStrings("4006") == ["<num>"])
    let off = TextPipeline(configuration: .init(features: .init(phonePrefixes: false)))
    #expect(off.featureStrings("电话13812345678").suffix(1) == ["<phone>"])
    #expect(!off.featureStrings("电话13812345678").contains("<phone 13>"))
  }

  /// The prefixes are counted in the bound on features per message, even when a message holds
  /// nothing but telephone numbers and no other option adds features per token.
  @Test func theBoundCoversMessagesOfTelephoneNumbers() {
    expectFeatureCounts(
      .init(wordNGrams: 1, subwordNGrams: nil, symbols: false),
      [("0612345678", 1), ("0612345678/0612345678/+33612345678", 3)], perItem: 4)
  }

  @Test func onByDefaultAndOffInOlderModels() throws {
    #expect(FeatureExtractor.Configuration().phonePrefixes)
    let stored = """
      {"hanNGrams":[1,2],"wordNGrams":2,"subwordNGrams":[3,5],"symbols":true,"bucketBits":22}
      """
    let decoded = try JSONDecoderLite.decode(FeatureExtractor.Configuration.self, stored)
    #expect(decoded.phonePrefixes == false)
    let older = TextPipeline(configuration: .init(features: decoded))
    #expect(older.featureStrings("0800 505060") == ["<phone>"])
  }
}

@Suite struct URLDomainTests {
  @Test(arguments: [
    ("点击领券http://tb.cn/v6llday", "tb.cn"),
    ("登录m.taobao.com，谢谢", "taobao.com"),
    ("mall.icbc.com.cn 【工商银行】", "icbc.com.cn"),
    ("voir www.e-tlp.co.uk/x?y=1", "e-tlp.co.uk"),
    ("voir https://user@Promo.Example.COM:8080/a#b", "example.com"),
    ("voir bit.ly/3abc", "bit.ly"),
    ("voir com.cn/x", "com.cn"),
  ])
  func webAddressesGiveTheirDomain(text: String, domain: String) throws {
    let features = TextPipeline().featureStrings(text)
    let at = try #require(features.firstIndex(of: "<url>"))
    #expect(features[at + 1] == "<url \(domain)>", "\(features)")
    #expect(features.filter { $0.hasPrefix("<url") }.count == 2)
  }

  /// A host that is a number, or has one label, gives the placeholder alone; so does every
  /// address when the option is off.
  @Test func numericHostsAndTheOptionOffGiveThePlaceholderAlone() {
    #expect(TextPipeline().featureStrings("http://192.168.0.1/a").suffix(1) == ["<url>"])
    #expect(
      !TextPipeline().featureStrings("http://192.168.0.1/a").contains { $0.hasPrefix("<url ") })
    let off = TextPipeline(configuration: .init(features: .init(urlDomains: false)))
    #expect(!off.featureStrings("voir m.taobao.com").contains { $0.hasPrefix("<url ") })
    #expect(off.featureStrings("voir m.taobao.com").contains("<url>"))
    // Without case folding, the domain keeps its case.
    let cased = TextPipeline(
      configuration: .init(normalization: .init(compatibilityCaseFolding: false)))
    #expect(cased.featureStrings("voir http://Shop.Example.COM/A").contains("<url Example.COM>"))
  }

  /// The domain is counted in the bound on features per message, even when a message holds
  /// nothing but web addresses and no other option adds features per token.
  @Test func theBoundCoversMessagesOfWebAddresses() {
    expectFeatureCounts(
      .init(wordNGrams: 1, subwordNGrams: nil, symbols: false, phonePrefixes: false),
      [("t.cn/a", 1), ("t.cn/a m.taobao.com/b http://x.fr", 3)], perItem: 2)
  }

  @Test func onByDefaultAndOffInOlderModels() throws {
    #expect(FeatureExtractor.Configuration().urlDomains)
    let stored = """
      {"hanNGrams":[1,2],"wordNGrams":2,"subwordNGrams":[3,5],"symbols":true,"bucketBits":22,
      "phonePrefixes":true}
      """
    let decoded = try JSONDecoderLite.decode(FeatureExtractor.Configuration.self, stored)
    #expect(decoded.urlDomains == false && decoded.phonePrefixes)
    let older = TextPipeline(configuration: .init(features: decoded))
    #expect(
      older.featureStrings("http://m.taobao.com/x").contains { $0.hasPrefix("<url ") } == false)
  }
}

@Suite struct EndOfMessageTests {
  static let pipeline = TextPipeline(configuration: .init(features: .init(endOfMessage: true)))

  @Test func everyMessageEndsWithOneEndOfMessageFeature() {
    #expect(Self.pipeline.featureStrings("哈哈") == ["哈", "哈哈", "哈", "</s>"])
    #expect(Self.pipeline.featureStrings("加 微 信!") == ["加", "加微", "微", "微信", "信", "!", "</s>"])
    // A message with no other feature still has it, and it is the same bucket everywhere.
    #expect(Self.pipeline.featureStrings("") == ["</s>"])
    let buckets = ["", "bonjour", "哈哈"].map { Self.pipeline.featureDetails($0).last?.bucket }
    #expect(Set(buckets).count == 1)
    let details = Self.pipeline.featureDetails("bonjour")
    #expect(details.filter { $0.family == .endOfMessage }.count == 1)
    // It cannot collide by construction with a word written `</s>`.
    let word = Self.pipeline.featureDetails("</s>").dropLast().map(\.bucket)
    #expect(!word.contains(buckets[0]!))
  }

  @Test func theWorkspacePathAgreesWithTheReadableForms() {
    var workspace = TextPipeline.Workspace()
    for text in ["", "加微信 bonjour", "!!!", String(repeating: "好", count: 300)] {
      Self.pipeline.extractFeatures(text, into: &workspace)
      #expect(Array(workspace.features) == Self.pipeline.featureDetails(text).map(\.bucket))
    }
  }

  @Test func offByDefaultAndInOlderModels() throws {
    #expect(TextPipeline().featureStrings("哈哈") == ["哈", "哈哈", "哈"])
    let stored = """
      {"hanNGrams":[1,2],"wordNGrams":2,"subwordNGrams":[3,5],"symbols":true,"bucketBits":22}
      """
    let decoded = try JSONDecoderLite.decode(FeatureExtractor.Configuration.self, stored)
    #expect(decoded.endOfMessage == false)
  }
}
