/// Where the text of each input line is.
public enum InputFormat: Sendable, Hashable {
  /// The whole line is the message.
  case lines
  /// Tab-separated columns; the message is column `column` (counted from 1, as `cut -f` does).
  case tsv(column: Int)
  /// One JSON object per line; the message is its top-level string member `field`.
  case jsonl(field: String)
}

/// Finds the message in one input line, without allocating.
struct RecordReader {
  let format: InputFormat
  /// The JSON member name, as UTF-8.
  private let field: [UInt8]

  init(format: InputFormat) {
    self.format = format
    if case .jsonl(let name) = format { field = Array(name.utf8) } else { field = [] }
  }

  /// The message of `line`: a range of `line` itself, or (for JSON, whose strings have
  /// escapes) the bytes decoded into `scratch`.
  enum Message {
    case range(Range<Int>)
    case decoded
    case invalid(String)
  }

  /// Finds the message of `line` (without its line end).
  @inline(__always)
  func message(
    in line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8], keyScratch: inout [UInt8]
  ) -> Message {
    switch format {
    case .lines:
      return .range(0..<line.count)
    case .tsv(let column):
      var start = 0
      var current = 1
      while current < column {
        guard let tab = line[start...].firstIndex(of: 0x09) else {
          return .invalid(
            "it has \(current) tab-separated column\(current == 1 ? "" : "s"), not \(column)")
        }
        start = tab + 1
        current += 1
      }
      let end = line[start...].firstIndex(of: 0x09) ?? line.count
      return .range(start..<end)
    case .jsonl:
      var parser = JSONLineParser(line)
      if let problem = parser.findString(field, into: &scratch, keyScratch: &keyScratch) {
        return .invalid(problem)
      }
      return .decoded
    }
  }
}

/// Just enough JSON to find one top-level string member of an object (RFC 8259), on bytes.
struct JSONLineParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Decodes the string member `name` of the object into `output`; returns what is wrong, or
  /// `nil` on success.
  mutating func findString(
    _ name: [UInt8], into output: inout [UInt8], keyScratch: inout [UInt8]
  ) -> String? {
    skipSpace()
    guard next() == UInt8(ascii: "{") else { return "it is not a JSON object" }
    skipSpace()
    if peek() == UInt8(ascii: "}") { return missing(name) }
    while true {
      skipSpace()
      guard peek() == UInt8(ascii: "\"") else {
        return "it is not valid JSON (a member name is expected at byte \(position + 1))"
      }
      keyScratch.removeAll(keepingCapacity: true)
      guard decodeString(into: &keyScratch) else {
        return "it is not valid JSON (an unterminated string)"
      }
      skipSpace()
      guard next() == UInt8(ascii: ":") else {
        return "it is not valid JSON (':' is expected at byte \(position))"
      }
      skipSpace()
      if keyScratch == name {
        guard peek() == UInt8(ascii: "\"") else {
          return "its member \"\(String(decoding: name, as: UTF8.self))\" is not a string"
        }
        output.removeAll(keepingCapacity: true)
        guard decodeString(into: &output) else {
          return "it is not valid JSON (an unterminated string)"
        }
        return nil
      }
      guard skipValue() else { return "it is not valid JSON (a bad value at byte \(position + 1))" }
      skipSpace()
      switch next() {
      case UInt8(ascii: ","): continue
      case UInt8(ascii: "}"): return missing(name)
      default: return "it is not valid JSON (',' or '}' is expected at byte \(position))"
      }
    }
  }

  private func missing(_ name: [UInt8]) -> String {
    "it has no member \"\(String(decoding: name, as: UTF8.self))\""
  }

  @inline(__always) private func peek() -> UInt8? {
    position < bytes.count ? bytes[position] : nil
  }

  @inline(__always) private mutating func next() -> UInt8? {
    guard position < bytes.count else { return nil }
    defer { position += 1 }
    return bytes[position]
  }

  private mutating func skipSpace() {
    while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
      position += 1
    }
  }

  /// Decodes the string at `position` (its opening quote) into `output` as UTF-8; false when it
  /// does not end.
  private mutating func decodeString(into output: inout [UInt8]) -> Bool {
    position += 1
    while let byte = next() {
      switch byte {
      case UInt8(ascii: "\""):
        return true
      case UInt8(ascii: "\\"):
        guard let escaped = next() else { return false }
        switch escaped {
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "u"):
          guard var code = hex4() else { return false }
          if code >= 0xD800 && code < 0xDC00 {
            // A high surrogate: a low one should follow.
            let save = position
            if next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u"), let low = hex4(),
              low >= 0xDC00 && low < 0xE000
            {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
              position = save
              code = 0xFFFD
            }
          } else if code >= 0xDC00 && code < 0xE000 {
            code = 0xFFFD
          }
          appendUTF8(code, to: &output)
        default: output.append(escaped)  // \" \\ \/ and, leniently, any other
        }
      default:
        output.append(byte)
      }
    }
    return false
  }

  private mutating func hex4() -> UInt32? {
    guard position + 4 <= bytes.count else { return nil }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: return nil
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  /// Skips one value of any kind; false when it is malformed.
  private mutating func skipValue() -> Bool {
    guard let first = peek() else { return false }
    switch first {
    case UInt8(ascii: "\""):
      position += 1
      while let byte = next() {
        if byte == UInt8(ascii: "\\") {
          position += 1
        } else if byte == UInt8(ascii: "\"") {
          return true
        }
      }
      return false
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      while let byte = peek() {
        switch byte {
        case UInt8(ascii: "\""):
          guard skipValue() else { return false }
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth == 0 {
            position += 1
            return true
          }
        default: break
        }
        position += 1
      }
      return false
    default:
      // A number or a literal: up to the next delimiter.
      let start = position
      while let byte = peek(), byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"),
        byte != UInt8(ascii: "]"), byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D
      {
        position += 1
      }
      return position > start
    }
  }
}

/// Appends the UTF-8 encoding of a scalar value.
@inline(__always)
func appendUTF8(_ code: UInt32, to output: inout [UInt8]) {
  switch code {
  case 0..<0x80:
    output.append(UInt8(code))
  case 0x80..<0x800:
    output.append(UInt8(0xC0 | code >> 6))
    output.append(UInt8(0x80 | code & 0x3F))
  case 0x800..<0x10000:
    output.append(UInt8(0xE0 | code >> 12))
    output.append(UInt8(0x80 | code >> 6 & 0x3F))
    output.append(UInt8(0x80 | code & 0x3F))
  default:
    output.append(UInt8(0xF0 | code >> 18))
    output.append(UInt8(0x80 | code >> 12 & 0x3F))
    output.append(UInt8(0x80 | code >> 6 & 0x3F))
    output.append(UInt8(0x80 | code & 0x3F))
  }
}
