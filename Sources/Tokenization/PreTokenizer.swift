/// The second stage of the pipeline: normalised scalars in, tokens out, in one pass by script.
///
/// - Han characters form runs (``Token/Kind/han``); the feature extractor cuts them into
///   character n-grams.
/// - Letters, combining marks and digits form words. An apostrophe inside a word ends a French
///   elision (`l'`, `d'`, `qu'`, `jusqu'`, ...) as a token of its own, and stays inside other
///   words (`aujourd'hui`, `prud'homme`). A word of digits only is a ``Token/Kind/number``.
/// - Every other visible character (punctuation, symbols, emoji) is a one-scalar
///   ``Token/Kind/symbol``; spaces and control characters separate tokens.
///
/// One message may mix scripts freely: "WeChat群聊500人" gives `wechat`, `群聊`, `500`, `人`.
public struct PreTokenizer: Sendable {
  let tables: UnicodeTables

  /// Creates a pre-tokeniser.
  public init() { tables = UnicodeTables.shared }

  /// French elided forms: the letters before the apostrophe in `l'`, `qu'`, `jusqu'`, ...
  static let elisions: [[UInt32]] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
    "presqu", "quelqu",
  ].map { $0.unicodeScalars.map(\.value) }

  /// Splits normalised `scalars` into tokens, replacing the contents of `tokens`.
  ///
  /// - Complexity: O(n) in the number of scalars.
  public func tokenize(_ scalars: UnsafeBufferPointer<UInt32>, into tokens: inout [Token]) {
    tokens.removeAll(keepingCapacity: true)
    let count = scalars.count
    var position = 0
    while position < count {
      let characterClass = classify(scalars[position])
      switch characterClass {
      case .space:
        position += 1
      case .han:
        let start = position
        position += 1
        while position < count && classify(scalars[position]) == .han { position += 1 }
        tokens.append(Token(kind: .han, start: start, end: position))
      case .letter, .digit, .mark:
        position = scanWord(scalars, from: position, into: &tokens)
      case .other:
        if scalars[position] != 0x27 {  // a stray apostrophe carries nothing
          tokens.append(Token(kind: .symbol, start: position, end: position + 1))
        }
        position += 1
      }
    }
  }

  @inline(__always)
  func classify(_ code: UInt32) -> UnicodeTables.CharacterClass {
    if code < 0x80 {
      switch code {
      case 0x61...0x7A, 0x41...0x5A: return .letter
      case 0x30...0x39: return .digit
      case 0x00...0x20, 0x7F: return .space
      default: return .other
      }
    }
    return tables.characterClass(code)
  }

  @inline(__always)
  func isWordScalar(_ code: UInt32) -> Bool {
    switch classify(code) {
    case .letter, .digit, .mark: return true
    default: return false
    }
  }

  /// Scans one word starting at `start`, emitting an elision token first where there is one.
  private func scanWord(
    _ scalars: UnsafeBufferPointer<UInt32>, from start: Int, into tokens: inout [Token]
  ) -> Int {
    let count = scalars.count
    var wordStart = start
    var position = start
    var digitsOnly = true
    while position < count {
      let code = scalars[position]
      if code == 0x27 {
        // An apostrophe continues the word only when a word character follows it.
        guard position + 1 < count, isWordScalar(scalars[position + 1]) else { break }
        if isElision(scalars, wordStart..<position) {
          tokens.append(Token(kind: .word, start: wordStart, end: position + 1))
          wordStart = position + 1
          digitsOnly = true
        }
        position += 1
        continue
      }
      let characterClass = classify(code)
      guard characterClass == .letter || characterClass == .digit || characterClass == .mark
      else { break }
      if characterClass != .digit { digitsOnly = false }
      position += 1
    }
    tokens.append(Token(kind: digitsOnly ? .number : .word, start: wordStart, end: position))
    return position
  }

  private func isElision(_ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Bool {
    guard range.count <= 7 else { return false }
    for elision in Self.elisions where elision.count == range.count {
      var same = true
      for offset in 0..<elision.count where scalars[range.lowerBound + offset] != elision[offset] {
        same = false
        break
      }
      if same { return true }
    }
    return false
  }
}
