import Testing

@testable import Classification

/// Byte surgery on encoded model files, for the tests that check what the loader accepts: each
/// edit keeps the layout in place and re-checksums, so only what a test changed is wrong.
enum ModelFileSurgery {
  /// `bytes` with a fresh checksum trailer.
  static func rechecksummed(_ bytes: [UInt8]) -> [UInt8] {
    var bytes = Array(bytes.dropLast(4))
    let crc = bytes.withUnsafeBytes { CRC32.checksum($0) }
    withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
    return bytes
  }

  /// Where the header's first `"key"` at or after `from` starts.
  static func offset(of key: String, from: Int = 0, in bytes: [UInt8]) throws -> Int {
    let pattern = Array("\"\(key)\"".utf8)
    return try #require(
      (from...(bytes.count - pattern.count)).first {
        bytes[$0..<($0 + pattern.count)].elementsEqual(pattern)
      })
  }

  /// `bytes` with the header's `"key"` renamed `"other"`, of the same length.
  static func renaming(_ key: String, to other: String, in bytes: [UInt8]) throws -> [UInt8] {
    precondition(
      key.utf8.count == other.utf8.count, "renaming: the names must have the same length")
    let at = try offset(of: key, in: bytes)
    var bytes = bytes
    bytes.replaceSubrange(at..<(at + key.utf8.count + 2), with: Array("\"\(other)\"".utf8))
    return rechecksummed(bytes)
  }

  /// `bytes` with the header's `"key": value` pair in `object` and one comma next to it turned
  /// into spaces (JSON whitespace): how a file written before the key existed reads.
  static func blanking(_ key: String, under object: String, in bytes: [UInt8]) throws -> [UInt8] {
    var start = try offset(of: key, from: offset(of: object, in: bytes), in: bytes)
    var end = start + key.utf8.count + 2
    while bytes[end] != UInt8(ascii: ",") && bytes[end] != UInt8(ascii: "}") { end += 1 }
    if bytes[end] == UInt8(ascii: ",") {
      end += 1
    } else {
      while bytes[start - 1] != UInt8(ascii: ",") { start -= 1 }
      start -= 1
    }
    var bytes = bytes
    bytes.replaceSubrange(start..<end, with: repeatElement(UInt8(ascii: " "), count: end - start))
    return rechecksummed(bytes)
  }
}
