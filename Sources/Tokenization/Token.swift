/// A span of normalised scalars that the pre-tokeniser recognised as one unit.
public struct Token: Sendable, Hashable {
  /// What kind of text a token holds; the feature extractor treats each kind its own way.
  public enum Kind: UInt8, Sendable, Hashable, Codable {
    /// A run of Han characters (Chinese), which has no spaces between words.
    case han
    /// A word of letters, combining marks and digits (Latin script and other alphabets),
    /// or a French elided article or pronoun such as `l'` or `qu'`.
    case word
    /// A run of digits.
    case number
    /// One symbol, punctuation mark or emoji.
    case symbol
    /// A web address (`https://…`, `www.…`, `t.cn/…`), whatever its form.
    case url
    /// An e-mail address.
    case email
    /// A telephone number: seven digits or more, with or without separators.
    case phone
    /// An `@mention` of a user.
    case mention
    /// A number, when numbers are placeholders.
    case numeral

    /// The text a placeholder stands for in features (`<url>`), or `nil` for other kinds.
    public var placeholder: String? {
      switch self {
      case .url: "<url>"
      case .email: "<email>"
      case .phone: "<phone>"
      case .mention: "<mention>"
      case .numeral: "<num>"
      case .han, .word, .number, .symbol: nil
      }
    }
  }

  /// The kind of text.
  public var kind: Kind
  /// The first scalar of the token in the normalised text.
  public var start: Int32
  /// One past the last scalar of the token in the normalised text.
  public var end: Int32

  /// Creates a token.
  public init(kind: Kind, start: Int, end: Int) {
    self.kind = kind
    self.start = Int32(truncatingIfNeeded: start)
    self.end = Int32(truncatingIfNeeded: end)
  }

  /// The number of scalars in the token.
  public var length: Int { Int(end - start) }
}
