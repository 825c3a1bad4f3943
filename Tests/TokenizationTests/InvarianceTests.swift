import Testing

@testable import Tokenization

/// A message and its disguised variants give identical features under the default pipeline.
///
/// These are the rewrites that senders of spam and abuse use to dodge filters; peers change
/// their decision on 10 to 40 percent of messages under them.
@Suite struct InvarianceTests {
  let pipeline = TextPipeline()

  static let families: [(String, [String])] = [
    (
      "加微信领红包",
      [
        "加 微 信 领 红 包",  // spaces between characters
        "加*微*信*领*红*包",  // symbols between characters
        "加.微.信.领.红.包",  // dots
        "加\u{200B}微\u{200B}信领\u{200D}红包",  // zero-width characters
        "加微信領紅包",  // traditional characters
        "加　微　信领红包",  // ideographic spaces
        "加~微|信 领红包",
      ]
    ),
    (
      "vx123 加我",
      ["ＶＸ１２３ 加我", "VX123 加我", "Vx123  加 我", "ｖｘ１２３加我"]
    ),
    (
      "c'est nul",
      [
        "C'EST NUL",  // shouting
        "c’est nul",  // curly apostrophe
        "c‘est  nul",
        "c'est nuuuuul",  // elongation
        "C’EST NUUUL !!".replacingOccurrences(of: " !!", with: ""),
        "c'est\u{200B} nul",
      ]
    ),
    (
      "t'es une idiote, degage",
      [
        "t'es une idiote, dégage",  // accents
        "T’ES UNE IDIOTE, DÉGAGE",
        "t'es une idiοte, dégage",  // Greek omicron
        "t'es une іdіote, degage",  // Cyrillic і
        "t'es une 𝐢𝐝𝐢𝐨𝐭𝐞, degage",  // mathematical bold
        "t'es une ｉｄｉｏｔｅ, degage",  // full-width
        "t'es une ide\u{301}iote, degage".replacingOccurrences(of: "e\u{301}i", with: "i"),
      ]
    ),
    (
      // Web addresses give their domain (example.com) besides <url>: any address of the same
      // domain, whatever its scheme, subdomain, port, path or query, gives the same features.
      "gagnez un iphone sur http://promo.example.com/a1",
      [
        "gagnez un iphone sur https://www.example.com/XyZ9",
        "gagnez un iphone sur example.com/b?c=d",
        "gagnez un iphone sur http://promo2.example.com:8080/3abc#x",
        "GAGNEZ un iPhone sur HTTP://PROMO.EXAMPLE.COM/A1",
      ]
    ),
    (
      // Telephone numbers give their first four characters (0612) besides <phone>: any number
      // that starts alike, however written, gives the same features; the international form,
      // +33 6..., starts otherwise.
      "ecris a jean@mail.fr ou appelle le 0612345678",
      [
        "écris à marie.durand@exemple.com ou appelle le 06 12 34 56 78",
        "ecris a x_y@z.fr ou appelle le 06 12 99 88 77",
        "écris à jean@mail.fr ou appelle le 06-12-34-56-78",
      ]
    ),
    (
      "ecris a jean@mail.fr ou appelle le +33 6 12 34 56 78",
      [
        "écris à jean@mail.fr ou appelle le +33612345678",
        "ecris a x@y.fr ou appelle le +33.6.98.76.54.32",
      ]
    ),
    (
      "@alice tu es nulle",
      ["@bob tu es nulle", "@USER tu es nulle", "@Someone_123 tu es nulle"]
    ),
  ]

  @Test(arguments: families)
  func disguisedVariantsGiveTheSameFeatures(original: String, variants: [String]) {
    let expected = pipeline.featureStrings(original)
    #expect(!expected.isEmpty)
    for variant in variants {
      #expect(pipeline.featureStrings(variant) == expected, "variant: \(variant)")
    }
  }

  @Test func differentMessagesStayDifferent() {
    #expect(
      pipeline.featureStrings("voir http://t.cn/a") != pipeline.featureStrings("voir http://x.fr/a")
    )
    #expect(pipeline.featureStrings("加微信") != pipeline.featureStrings("加微博"))
    #expect(pipeline.featureStrings("c'est nul") != pipeline.featureStrings("c'est bien"))
  }
}
