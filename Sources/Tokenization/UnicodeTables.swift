/// Per-code-point Unicode data for the normaliser and the pre-tokeniser, from one pinned
/// version of the Unicode Character Database (see `Generated/UnicodeData.swift`).
///
/// Pinning the data, rather than asking the Swift runtime, keeps tokenisation identical across
/// toolchains: saved models depend on it.
///
/// Lookups go through a two-level table: `blockOf[code >> 8]` picks a 256-entry block, shared
/// between all blocks with identical contents, and the entry packs the code point's class, a
/// "may compose with the previous code point" flag and an index into the NFKC_Casefold mappings.
struct UnicodeTables: @unchecked Sendable {
  /// The pre-tokeniser's coarse character classes.
  enum CharacterClass: UInt8, Sendable {
    case other = 0
    case letter, mark, han, digit, space
  }

  /// The tables, parsed from their source text once, at first use (thread-safe).
  static let shared = UnicodeTables()

  private static let classShift: UInt32 = 24
  private static let composesFlag: UInt32 = 1 << 28
  private static let simplifiedFlag: UInt32 = 1 << 29
  private static let foldFlag: UInt32 = 1 << 30
  private static let mappingMask: UInt32 = (1 << 24) - 1

  // The two-level table lives for the whole process (it hangs off a `static let`), so it is
  // kept in buffers that are allocated once and never freed: lookups then cost two loads, with
  // no array bounds checks or retains. It is never written after `init`, hence
  // `@unchecked Sendable`.
  private let blockOf: UnsafeBufferPointer<UInt16>
  private let blocks: UnsafeBufferPointer<UInt32>
  /// Whether each character of the CJK Unified Ideographs block has a simplified form.
  ///
  /// One bit per character of U+4E00…U+9FFF: 2.6 KB, so that the common case of Chinese text
  /// stays in the L1 cache.
  private let traditionalBits: UnsafeBufferPointer<UInt64>
  /// The same size as `traditionalBits`, all clear: for normalisers that keep traditional
  /// characters, so that the ideograph copy tests a bit either way, without a branch.
  private let noBits: UnsafeBufferPointer<UInt64>
  /// Offsets into `mappedScalars`: mapping `i` (one-based in the entries) spans
  /// `mappingStarts[i - 1]..<mappingStarts[i]`.
  private let mappingStarts: [Int32]
  private let mappedScalars: [UInt32]
  private let compositions: [UInt64: UInt32]
  private let simplified: [UInt32: UInt32]
  /// Accent folds, up to two scalars packed as `first | second << 32` (second 0: none).
  private let folds: [UInt32: UInt64]

  private init() {
    var flat = [UInt32](repeating: 0, count: 0x110000)
    var starts: [Int32] = [0]
    var scalars: [UInt32] = []
    Self.forEachRecord(Self.nfkcCaseFoldSource) { fields in
      scalars.append(contentsOf: fields[1...])
      starts.append(Int32(scalars.count))
      flat[Int(fields[0])] |= UInt32(starts.count - 1)
    }
    Self.forEachRecord(Self.classRunsSource) { fields in
      for code in Int(fields[0])...Int(fields[1]) {
        flat[code] |= fields[2] << Self.classShift
      }
    }
    Self.forEachRecord(Self.composesWithPreviousSource) { fields in
      for code in Int(fields[0])...Int(fields[1]) {
        flat[code] |= Self.composesFlag
      }
    }
    var compositions: [UInt64: UInt32] = [:]
    Self.forEachRecord(Self.compositionSource) { fields in
      compositions[UInt64(fields[0]) << 32 | UInt64(fields[1])] = fields[2]
    }
    var simplified: [UInt32: UInt32] = [:]
    Self.forEachRecord(Self.simplifiedSource) { fields in
      simplified[fields[0]] = fields[1]
      flat[Int(fields[0])] |= Self.simplifiedFlag
    }
    var folds: [UInt32: UInt64] = [:]
    Self.forEachRecord(Self.accentFoldSource) { fields in
      folds[fields[0]] = UInt64(fields[1]) | (fields.count > 2 ? UInt64(fields[2]) << 32 : 0)
      flat[Int(fields[0])] |= Self.foldFlag
    }
    // Share identical blocks: candidates found by a hash of their contents, then compared.
    var blockIDs: [UInt64: [UInt16]] = [:]
    var blockOf: [UInt16] = []
    var blocks: [UInt32] = []
    blockOf.reserveCapacity(0x1100)
    flat.withUnsafeBufferPointer { flat in
      for base in stride(from: 0, to: 0x110000, by: 256) {
        let block = UnsafeBufferPointer(rebasing: flat[base..<base + 256])
        let key = block.reduce(StableHash.basis, StableHash.combine)
        let same = blockIDs[key, default: []].first { id in
          blocks[Int(id) * 256..<Int(id) * 256 + 256].elementsEqual(block)
        }
        if let same {
          blockOf.append(same)
        } else {
          let id = UInt16(blocks.count / 256)
          blockIDs[key, default: []].append(id)
          blockOf.append(id)
          blocks.append(contentsOf: block)
        }
      }
    }
    var traditional = [UInt64](repeating: 0, count: (Self.unifiedIdeographs.count + 63) / 64)
    for code in simplified.keys where Self.unifiedIdeographs.contains(code) {
      let offset = Int(code - Self.unifiedIdeographs.lowerBound)
      traditional[offset >> 6] |= 1 << UInt64(offset & 63)
    }
    self.traditionalBits = UnsafeBufferPointer(Self.immortalCopy(of: traditional))
    self.noBits = UnsafeBufferPointer(
      Self.immortalCopy(of: [UInt64](repeating: 0, count: traditional.count)))
    self.blockOf = UnsafeBufferPointer(Self.immortalCopy(of: blockOf))
    self.blocks = UnsafeBufferPointer(Self.immortalCopy(of: blocks))
    self.mappingStarts = starts
    self.mappedScalars = scalars
    self.compositions = compositions
    self.simplified = simplified
    self.folds = folds
  }

  private static func immortalCopy<T>(of array: [T]) -> UnsafeMutableBufferPointer<T> {
    let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: array.count)
    _ = buffer.initialize(from: array)
    return buffer
  }

  /// Calls `body` with the hexadecimal fields of every record of a generated table.
  ///
  /// Records end at `;` or a line end; fields are separated by `:`, `,` or a space (so a
  /// mapping's scalars follow its code point as further fields). The text is read as UTF-8
  /// bytes, with no `Character` work: this runs once per process, at start-up.
  private static func forEachRecord(_ source: String, _ body: ([UInt32]) -> Void) {
    var fields: [UInt32] = []
    var value: UInt32 = 0
    var inNumber = false
    func endField() {
      if inNumber { fields.append(value) }
      value = 0
      inNumber = false
    }
    func endRecord() {
      endField()
      if !fields.isEmpty { body(fields) }
      fields.removeAll(keepingCapacity: true)
    }
    for byte in source.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
        inNumber = true
      case UInt8(ascii: "A")...UInt8(ascii: "F"):
        value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
        inNumber = true
      case UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: " "):
        endField()
      case UInt8(ascii: ";"), UInt8(ascii: "\n"):
        endRecord()
      default:
        preconditionFailure("UnicodeTables: unexpected byte \(byte) in a generated table")
      }
    }
    endRecord()
  }

  /// The CJK Unified Ideographs block, which holds nearly all the characters of Chinese text.
  ///
  /// Every character in it is Han, is left alone by NFKC_Casefold, composes with nothing and has
  /// no accent: only its simplified form can matter.
  static let unifiedIdeographs: ClosedRange<UInt32> = 0x4E00...0x9FFF

  /// Whether `code` is in ``unifiedIdeographs``.
  @inline(__always)
  static func isUnifiedIdeograph(_ code: UInt32) -> Bool { code &- 0x4E00 <= 0x9FFF - 0x4E00 }

  /// One bit per character of ``unifiedIdeographs``, set for the traditional characters that
  /// have a simplified form when `simplifying`, else none.
  func traditionalIdeographs(simplifying: Bool) -> UnsafePointer<UInt64> {
    // Both were allocated with more than 300 words, so they have base addresses.
    (simplifying ? traditionalBits : noBits).baseAddress.unsafelyUnwrapped
  }

  /// The simplified form of a character of ``unifiedIdeographs``, or the character itself.
  @inline(__always)
  func simplifiedIdeograph(_ code: UInt32) -> UInt32 {
    let offset = Int(code &- 0x4E00)
    guard traditionalBits[offset >> 6] & (1 << UInt64(offset & 63)) != 0 else { return code }
    return simplified[code] ?? code
  }

  /// The packed entry for a code point.
  @inline(__always)
  func entry(_ code: UInt32) -> UInt32 {
    // Every scalar is below 0x110000, so `code >> 8` is inside `blockOf`.
    blocks[Int(blockOf[Int(code >> 8)]) << 8 | Int(code & 0xFF)]
  }

  /// The pre-tokeniser class of a code point.
  @inline(__always)
  func characterClass(_ code: UInt32) -> CharacterClass {
    // ASCII and the CJK Unified Ideographs, most of every message, skip the table.
    if code < 0x80 {
      switch code {
      case 0x61...0x7A, 0x41...0x5A: return .letter
      case 0x30...0x39: return .digit
      case 0x00...0x20, 0x7F: return .space
      default: return .other
      }
    }
    return Self.isUnifiedIdeograph(code) ? .han : Self.characterClass(ofEntry: entry(code))
  }

  /// Whether a packed entry says the code point may compose with the one before (NFKC_QC=M).
  @inline(__always)
  static func composesWithPrevious(_ entry: UInt32) -> Bool { entry & composesFlag != 0 }

  /// The NFKC_Casefold mapping of a packed entry, or `nil` when the code point maps to itself.
  @inline(__always)
  func mapping(_ entry: UInt32) -> Range<Int>? {
    let index = Int(entry & Self.mappingMask)
    guard index != 0 else { return nil }
    return Int(mappingStarts[index - 1])..<Int(mappingStarts[index])
  }

  /// The code points of a mapping range from ``mapping(_:)``.
  @inline(__always)
  func mappedScalar(at position: Int) -> UInt32 { mappedScalars[position] }

  /// The simplified form of a traditional Chinese character, if it has one.
  @inline(__always)
  func simplifiedForm(_ code: UInt32, entry: UInt32) -> UInt32? {
    entry & Self.simplifiedFlag != 0 ? simplified[code] : nil
  }

  /// The accent-folded form of a Latin letter (one or two scalars, the second 0 when absent).
  @inline(__always)
  func foldedForm(_ code: UInt32, entry: UInt32) -> UInt64? {
    entry & Self.foldFlag != 0 ? folds[code] : nil
  }

  /// The class stored in a packed entry.
  @inline(__always)
  static func characterClass(ofEntry entry: UInt32) -> CharacterClass {
    CharacterClass(rawValue: UInt8(truncatingIfNeeded: entry >> classShift) & 0x7) ?? .other
  }

  /// The canonical composite of `first` followed by `second`, if there is one.
  @inline(__always)
  func composite(_ first: UInt32, _ second: UInt32) -> UInt32? {
    compositions[UInt64(first) << 32 | UInt64(second)]
  }
}
