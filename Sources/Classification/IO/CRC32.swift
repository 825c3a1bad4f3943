/// CRC-32 as zlib, gzip and PNG compute it (ISO-HDLC: reflected polynomial 0xEDB88320,
/// initial value and final XOR 0xFFFFFFFF), so a model's checksum can be checked with
/// `python3 -c 'import zlib; ...'` or any zip tool.
enum CRC32 {
  /// Eight 256-entry tables for slicing-by-8, eight bytes per step.
  static let tables: [[UInt32]] = {
    var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
    for n in 0..<256 {
      var c = UInt32(n)
      for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
      tables[0][n] = c
    }
    for n in 0..<256 {
      for k in 1..<8 {
        let previous = tables[k - 1][n]
        tables[k][n] = (previous >> 8) ^ tables[0][Int(previous & 0xFF)]
      }
    }
    return tables
  }()

  /// The CRC-32 of `bytes`.
  static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    let flat = tables.flatMap { $0 }
    return flat.withUnsafeBufferPointer { t in
      var crc: UInt32 = 0xFFFF_FFFF
      var position = 0
      let count = bytes.count
      while count - position >= 8 {
        let low =
          crc
          ^ (UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8
            | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24)
        crc =
          t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
          ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
          ^ t[3 * 256 + Int(bytes[position + 4])] ^ t[2 * 256 + Int(bytes[position + 5])]
          ^ t[1 * 256 + Int(bytes[position + 6])] ^ t[Int(bytes[position + 7])]
        position += 8
      }
      while position < count {
        crc = t[Int((crc ^ UInt32(bytes[position])) & 0xFF)] ^ (crc >> 8)
        position += 1
      }
      return crc ^ 0xFFFF_FFFF
    }
  }
}
