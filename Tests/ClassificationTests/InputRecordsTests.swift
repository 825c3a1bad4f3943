import Testing

@testable import Classification

@Suite struct InputRecordsTests {
  func message(_ line: String, _ format: InputFormat) -> String {
    let reader = RecordReader(format: format)
    var scratch: [UInt8] = []
    var key: [UInt8] = []
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBufferPointer { line in
      switch reader.message(in: line, scratch: &scratch, keyScratch: &key) {
      case .range(let range): return String(decoding: line[range], as: UTF8.self)
      case .decoded: return String(decoding: scratch, as: UTF8.self)
      case .invalid(let problem): return "invalid: \(problem)"
      }
    }
  }

  @Test(arguments: [
    ("a\tb\tc", 1, "a"), ("a\tb\tc", 2, "b"), ("a\tb\tc", 3, "c"), ("a\t\tc", 2, ""),
    ("a\tb", 3, "invalid: it has 2 tab-separated columns, not 3"),
    ("abc", 2, "invalid: it has 1 tab-separated column, not 2"),
  ])
  func tsvColumns(line: String, column: Int, expected: String) {
    #expect(message(line, .tsv(column: column)) == expected)
  }

  @Test(arguments: [
    (#"{"text":"加微信"}"#, "加微信"),
    (#"  { "id" : 3 , "text" : "a\"b\\c\/d\n\te" } "#, "a\"b\\c/d\n\te"),
    (#"{"text":"\u00e9\u4e2d\ud83d\ude00"}"#, "é中😀"),
    (#"{"text":"\ud83d x"}"#, "\u{FFFD} x"),
    (#"{"meta":{"text":"nested","list":[1,"]",{"a":null}]},"text":"top"}"#, "top"),
    (#"{"a":true,"b":-1.5e3,"c":null,"text":""}"#, ""),
    (#"{"id":1}"#, "invalid: it has no member \"text\""),
    (#"{}"#, "invalid: it has no member \"text\""),
    (#"[1,2]"#, "invalid: it is not a JSON object"),
    ("plain text", "invalid: it is not a JSON object"),
    (#"{"text":1}"#, "invalid: its member \"text\" is not a string"),
    (#"{"text":"unterminated"#, "invalid: it is not valid JSON (an unterminated string)"),
    (#"{"a" 1}"#, "invalid: it is not valid JSON (':' is expected at byte 6)"),
  ])
  func jsonFields(line: String, expected: String) {
    #expect(message(line, .jsonl(field: "text")) == expected)
  }

  @Test func escapedMemberNamesMatch() {
    #expect(message(#"{"t\u0065xt":"yes"}"#, .jsonl(field: "text")) == "yes")
    #expect(message(#"{"body":"b","text":"t"}"#, .jsonl(field: "body")) == "b")
  }
}
