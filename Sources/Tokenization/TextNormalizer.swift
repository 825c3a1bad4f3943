/// The first stage of the pipeline: UTF-8 bytes in, normalised Unicode scalars out.
///
/// Steps, in order, each switchable in ``Configuration``:
/// 1. decoding, with every ill-formed UTF-8 sequence replaced by U+FFFD (nothing is dropped);
/// 2. apostrophe straightening: ’ ‘ ʼ ` ´ ′ become `'`, so that French elisions look the same
///    however they were typed;
/// 3. Unicode NFKC_Casefold: NFKC (full-width forms to ASCII, compatibility characters to their
///    ordinary form), full case folding, and removal of default-ignorable code points (zero-width
///    spaces and joiners, variation selectors, ...). A combining mark is composed with the
///    character before it (`e` + U+0301 becomes `é`); the canonical reordering of several
///    stacked marks is not performed.
///
/// The normaliser works on bytes and scalars only: no `String`, no `Character`, and no
/// allocation once the output buffer has grown to the longest message.
public struct TextNormalizer: Sendable {
  /// Which normalisation steps run.
  ///
  /// Stored in every model file.
  public struct Configuration: Sendable, Hashable, Codable {
    /// Unicode NFKC_Casefold (NFKC, case folding, removal of default-ignorable code points).
    public var compatibilityCaseFolding: Bool
    /// Curly and other look-alike apostrophes become `'`.
    public var straightenApostrophes: Bool

    /// Creates a configuration; the defaults are the recommended settings.
    public init(compatibilityCaseFolding: Bool = true, straightenApostrophes: Bool = true) {
      self.compatibilityCaseFolding = compatibilityCaseFolding
      self.straightenApostrophes = straightenApostrophes
    }
  }

  /// The steps this normaliser runs.
  public let configuration: Configuration
  let tables: UnicodeTables

  /// Creates a normaliser.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
    self.tables = UnicodeTables.shared
  }

  /// The Unicode version of the normalisation and character-class data.
  public static var unicodeVersion: String { UnicodeTables.unicodeVersion }

  /// Normalises UTF-8 `bytes`, replacing the contents of `output` with the resulting scalars.
  ///
  /// - Complexity: O(n) in the number of bytes.
  public func normalize(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt32]) {
    output.removeAll(keepingCapacity: true)
    let foldCase = configuration.compatibilityCaseFolding
    let straighten = configuration.straightenApostrophes
    var position = 0
    let count = bytes.count
    while position < count {
      let byte = bytes[position]
      if byte < 0x80 {
        // ASCII: case folding is the only NFKC_Casefold change, and ` is the only apostrophe.
        var code = UInt32(byte)
        if foldCase && byte >= 0x41 && byte <= 0x5A { code |= 0x20 }
        if straighten && byte == 0x60 { code = 0x27 }
        output.append(code)
        position += 1
        continue
      }
      let (decoded, length) = Self.decode(bytes, at: position)
      position += length
      var code = decoded
      if straighten && Self.isApostrophe(code) { code = 0x27 }
      guard foldCase else {
        output.append(code)
        continue
      }
      let entry = tables.entry(code)
      if UnicodeTables.composesWithPrevious(entry), let previous = output.last,
        let composite = tables.composite(previous, code)
      {
        output[output.count - 1] = composite
        continue
      }
      if let mapping = tables.mapping(entry) {
        for index in mapping {
          let mapped = tables.mappedScalar(at: index)
          // A mapping may end in a combining mark that composes with what came before
          // (such as U+1E9B), so compose here too.
          if let previous = output.last, index != mapping.lowerBound,
            UnicodeTables.composesWithPrevious(tables.entry(mapped)),
            let composite = tables.composite(previous, mapped)
          {
            output[output.count - 1] = composite
          } else {
            output.append(mapped)
          }
        }
      } else {
        output.append(code)
      }
    }
  }

  /// Normalises a string, returning the result as a string (a convenience for tests and tools;
  /// the hot path is ``normalize(_:into:)``).
  public func normalize(_ text: String) -> String {
    var scalars: [UInt32] = []
    var copy = text
    copy.withUTF8 { normalize($0, into: &scalars) }
    return String(String.UnicodeScalarView(scalars.map { Unicode.Scalar($0) ?? "\u{FFFD}" }))
  }

  @inline(__always)
  static func isApostrophe(_ code: UInt32) -> Bool {
    switch code {
    case 0x2019, 0x2018, 0x02BC, 0x00B4, 0x2032, 0xFF07: return true
    default: return false
    }
  }

  /// Decodes one scalar at `position`, which holds a non-ASCII byte.
  ///
  /// An ill-formed sequence
  /// yields U+FFFD and consumes its maximal ill-formed prefix (at least one byte), as the
  /// Unicode standard recommends.
  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32, Int) {
    let lead = bytes[position]
    let remaining = bytes.count - position
    @inline(__always) func continuation(_ offset: Int) -> UInt32? {
      guard offset < remaining else { return nil }
      let byte = bytes[position + offset]
      return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
    }
    switch lead {
    case 0xC2...0xDF:
      guard let b1 = continuation(1) else { return (0xFFFD, 1) }
      return (UInt32(lead & 0x1F) << 6 | b1, 2)
    case 0xE0...0xEF:
      guard let b1 = continuation(1) else { return (0xFFFD, 1) }
      // Reject overlong forms (E0 80..9F) and surrogates (ED A0..BF).
      if lead == 0xE0 && b1 < 0x20 || lead == 0xED && b1 >= 0x20 { return (0xFFFD, 1) }
      guard let b2 = continuation(2) else { return (0xFFFD, 2) }
      return (UInt32(lead & 0x0F) << 12 | b1 << 6 | b2, 3)
    case 0xF0...0xF4:
      guard let b1 = continuation(1) else { return (0xFFFD, 1) }
      // Reject overlong forms (F0 80..8F) and code points past U+10FFFF (F4 90..BF).
      if lead == 0xF0 && b1 < 0x10 || lead == 0xF4 && b1 >= 0x10 { return (0xFFFD, 1) }
      guard let b2 = continuation(2) else { return (0xFFFD, 2) }
      guard let b3 = continuation(3) else { return (0xFFFD, 3) }
      return (UInt32(lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3, 4)
    default:
      return (0xFFFD, 1)
    }
  }
}
