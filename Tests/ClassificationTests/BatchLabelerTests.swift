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

@Suite struct BatchLabelerOutputTests {
  @Test func topKThresholdsTextAndExplanations() throws {
    let classifier = try Fixtures.classifier()
    let text = "垃圾\nmerci"
    let predictions = ["垃圾", "merci"].map { classifier.predict($0) }
    // Top 2: both labels, most probable first.
    let top = BatchLabeler(classifier: classifier, output: .init(topK: 5)).label(text: text)
    for (line, prediction) in zip(top.split(separator: "\n"), predictions) {
      let fields = line.split(separator: "\t")
      #expect(fields.count == 2 * classifier.labels.count)
      #expect(String(fields[0]) == prediction.label)
      #expect(
        Set(fields.enumerated().filter { $0.offset % 2 == 0 }.map { String($0.element) })
          == Set(classifier.labels))
    }
    // A threshold no prediction reaches: every line abstains, with the label's probability.
    let strict = Dictionary(uniqueKeysWithValues: classifier.labels.map { ($0, 1.0) })
    let abstaining = BatchLabeler(
      classifier: classifier, output: .init(thresholds: strict, abstainLabel: "unsure")
    ).label(text: text)
    #expect(abstaining.split(separator: "\n").allSatisfy { $0.hasPrefix("unsure\t") })
    // The text rides along, tabs flattened; explanations name real features.
    let carried = BatchLabeler(classifier: classifier, output: .init(withText: true, explain: 2))
      .label(text: "垃圾\ta")
    let fields = carried.dropLast().split(separator: "\t", omittingEmptySubsequences: false)
    #expect(fields.count == 4)
    #expect(fields[3] == "垃圾 a")
    #expect(fields[2].contains("=+"))
  }

  @Test func explanationsFavourTheChosenLabel() throws {
    let classifier = try Fixtures.classifier()
    let prediction = classifier.predict("垃圾")
    let reasons = classifier.explain("垃圾", label: prediction.labelIndex, count: 3)
    #expect(!reasons.isEmpty && reasons.count <= 3)
    #expect(reasons.allSatisfy { $0.weight > 0 })
    #expect(zip(reasons, reasons.dropFirst()).allSatisfy { $0.weight >= $1.weight })
    #expect(classifier.explain("垃圾", label: 0, count: 0).isEmpty)
  }

  @Test func jsonAndTsvInputsAreLabelledLikeTheirText() throws {
    let classifier = try Fixtures.classifier()
    let texts = (0..<300).map { Fixtures.examples[$0 % Fixtures.examples.count].1 + " \($0)" }
    let plain = BatchLabeler(classifier: classifier).label(text: texts.joined(separator: "\n"))
    let json = texts.map { "{\"id\":1,\"text\":\"" + jsonEscaped($0) + "\"}" }.joined(
      separator: "\n")
    let tsv = texts.map { "x\t" + $0 }.joined(separator: "\n")
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let jsonFile = directory.appendingPathComponent("in.jsonl").path
    let tsvFile = directory.appendingPathComponent("in.tsv").path
    try json.write(toFile: jsonFile, atomically: true, encoding: .utf8)
    try tsv.write(toFile: tsvFile, atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent("out.txt").path
    for threads in [1, 2, 4] {
      for chunkSize in [13, 1 << 20] {
        for (file, input) in [
          (jsonFile, InputFormat.jsonl(field: "text")), (tsvFile, .tsv(column: 2)),
        ] {
          let labeler = BatchLabeler(
            classifier: classifier, threads: threads, chunkSize: chunkSize, input: input)
          #expect(try labeler.label(inputs: [file], output: output) == 300)
          #expect(try String(contentsOfFile: output, encoding: .utf8) == plain)
        }
      }
    }
  }

  @Test func invalidLinesAreMarkedAndCounted() throws {
    let classifier = try Fixtures.classifier()
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("in.jsonl").path
    try "{\"text\":\"merci\"}\nnot json\n{\"id\":2}\n{\"text\":\"垃圾\"}\n".write(
      toFile: input, atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent("out.txt").path
    let outcome = try BatchLabeler(
      classifier: classifier, threads: 2, chunkSize: 5, input: .jsonl(field: "text")
    )
    .run(inputs: [input], output: output)
    #expect(outcome.lines == 4 && outcome.invalidLines == 2)
    #expect(outcome.firstInvalid?.line == 2 && outcome.firstInvalid?.file == input)
    let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[1] == "#error\tline 2 of \(input): it is not a JSON object")
    #expect(lines[2] == "#error\tline 3 of \(input): it has no member \"text\"")
  }
}

/// `text` escaped for a JSON string literal.
func jsonEscaped(_ text: String) -> String {
  var result = ""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    default: result.unicodeScalars.append(scalar)
    }
  }
  return result
}
