import Foundation
import Testing

@testable import Classification

@Suite struct BatchLabelerTests {
  /// The lines the single-message API gives for `texts`.
  func expected(_ classifier: TextClassifier, _ texts: [String]) -> String {
    texts.map { text in
      let p = classifier.predict(text)
      var line: [UInt8] = Array(p.label.utf8) + [0x09]
      appendProbability(p.probability, to: &line)
      return String(decoding: line, as: UTF8.self) + "\n"
    }.joined()
  }

  @Test func oneLinePerInputLineInOrder() throws {
    let classifier = try Fixtures.classifier()
    let texts = (0..<500).map { Fixtures.examples[$0 % Fixtures.examples.count].1 + " \($0)" }
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("in.txt").path
    try (texts.joined(separator: "\n") + "\n").write(
      toFile: input, atomically: true, encoding: .utf8)
    let reference = expected(classifier, texts)
    // Tiny chunks force many chunks per batch; every thread count gives identical output.
    for (threads, chunkSize) in [(1, 1 << 20), (2, 64), (4, 7), (3, 1)] {
      let output = directory.appendingPathComponent("out-\(threads).txt").path
      let labeler = BatchLabeler(classifier: classifier, threads: threads, chunkSize: chunkSize)
      let lines = try labeler.label(inputs: [input], output: output)
      #expect(lines == 500)
      #expect(try String(contentsOfFile: output, encoding: .utf8) == reference)
    }
  }

  @Test func edgeCasesOfLineEnds() throws {
    let classifier = try Fixtures.classifier()
    let labeler = BatchLabeler(classifier: classifier, threads: 1)
    // CRLF is one line end, empty lines are labelled, a last line without a newline counts.
    let out = labeler.label(text: "垃圾\r\n\nmerci")
    #expect(out == expected(classifier, ["垃圾", "", "merci"]))
    #expect(labeler.label(text: "") == "")
  }

  @Test func invalidUTF8IsStillLabelled() throws {
    let classifier = try Fixtures.classifier()
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("bad.txt").path
    let bytes = Data([0x61, 0xFF, 0x0A, 0xC3, 0x0A, 0x00, 0x0A])
    #expect(FileManager.default.createFile(atPath: input, contents: bytes))
    let output = directory.appendingPathComponent("out.txt").path
    let lines = try BatchLabeler(classifier: classifier, threads: 2).label(
      inputs: [input], output: output)
    #expect(lines == 3)
    #expect(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count == 3)
  }

  @Test func severalInputsInTurn() throws {
    let classifier = try Fixtures.classifier()
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let a = directory.appendingPathComponent("a.txt").path
    let b = directory.appendingPathComponent("b.txt").path
    try "垃圾\nmerci".write(toFile: a, atomically: true, encoding: .utf8)  // no final newline
    try "你好\n".write(toFile: b, atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent("out.txt").path
    let lines = try BatchLabeler(classifier: classifier).label(inputs: [a, b], output: output)
    #expect(lines == 3)
    #expect(
      try String(contentsOfFile: output, encoding: .utf8)
        == expected(classifier, ["垃圾", "merci", "你好"]))
  }

  @Test func missingInputIsAnOpenError() throws {
    let classifier = try Fixtures.classifier()
    #expect {
      try BatchLabeler(classifier: classifier).label(
        inputs: ["/nonexistent.txt"], output: "/dev/null")
    } throws: { ($0 as? CribleError)?.kind == .cannotOpen }
  }

  @Test(arguments: [
    (0.0, "0.0000"), (1.0, "1.0000"), (0.97314, "0.9731"), (0.99996, "1.0000"), (0.5, "0.5000"),
  ])
  func probabilityFormatting(value: Double, text: String) {
    var bytes: [UInt8] = []
    appendProbability(value, to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == text)
  }
}
