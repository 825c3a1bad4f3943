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
