import Foundation
import Testing

/// Every bad input the reliability issue lists, through the built binary: exit statuses,
/// messages, and exactly one output line per input line.
@Suite struct ReliabilityTests {
  static let model = CommandRunner.packageRoot.appendingPathComponent(
    "Models/offensive-zh-fr.crible"
  ).path

  /// The output lines of `label` on `input`, checked to be one per input line.
  func labelLines(_ input: Data, expected: Int, arguments: [String] = []) throws -> [Substring] {
    let result = try CommandRunner.run(["label", "-m", Self.model] + arguments, stdin: input)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == expected, "\(expected) input lines gave \(lines.count) output lines")
    #expect(result.stdout.isEmpty || result.stdout.hasSuffix("\n"))
    return Array(lines)
  }

  @Test(arguments: [
    ("invalid UTF-8", [0x61, 0xFF, 0x0A, 0xC3, 0x28, 0x0A, 0xED, 0xA0, 0x80, 0x0A] as [UInt8], 3),
    ("NUL bytes", [0x00, 0x0A, 0x61, 0x00, 0x62, 0x0A], 2),
    ("CRLF line ends", Array("垃圾\r\nmerci\r\n\r\n".utf8), 3),
    ("a byte-order mark", [0xEF, 0xBB, 0xBF] + Array("你好\nsalut\n".utf8), 2),
    ("no final newline", Array("a\nb\nc".utf8), 3),
    ("empty lines", Array("\n\n\nx\n\n".utf8), 5),
    ("an empty file", [], 0),
    ("a lone carriage return", Array("a\rb\n".utf8), 1),
  ])
  func everyLineGetsItsLine(name: String, bytes: [UInt8], lines: Int) throws {
    let output = try labelLines(Data(bytes), expected: lines)
    #expect(output.allSatisfy { $0.hasPrefix("offensive\t") || $0.hasPrefix("safe\t") }, "\(name)")
  }

  @Test func aLineOfMoreThanTenMegabytes() throws {
    // 12 MB of one line between two short ones: blanks between words, so that the debug build
    // the tests run gets through it in seconds (a realistic 20 MB line of words takes 0.8 s in
    // a release build; see Benchmarks/README.md).
    let long = "垃圾 " + String(repeating: " ", count: 12_000_000) + " merci 你好"
    let output = try labelLines(Data("a\n\(long)\nb\n".utf8), expected: 3)
    #expect(output.count == 3)
  }

  @Test func inputsInOrderAcrossFilesAndThreads() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let texts = (0..<20_000).map { $0 % 3 == 0 ? "你这个垃圾 \($0)" : "merci \($0)" }
    let file = directory.appendingPathComponent("in.txt")
    try (texts.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    var outputs: [String] = []
    for threads in ["1", "2", "3", "8", "16"] {
      let result = try CommandRunner.run([
        "label", "-m", Self.model, file.path, "--threads", threads,
      ])
      #expect(result.status == 0)
      outputs.append(result.stdout)
    }
    #expect(outputs[0].split(separator: "\n").count == 20_000)
    #expect(Set(outputs).count == 1, "thread counts disagree")
  }

  @Test func writeFailuresStopWithAClearMessage() throws {
    let result = try CommandRunner.run(
      ["label", "-m", Self.model, "-o", "/dev/full"], stdin: Data("x\ny\n".utf8))
    #expect(result.status == 73)
    #expect(result.stderr.contains("/dev/full") && result.stderr.contains("incomplete"))
  }

  @Test func aPipeClosedDownstreamEndsQuietly() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("many.txt")
    try String(repeating: "merci beaucoup\n", count: 200_000).write(
      to: file, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", "'\(CommandRunner.binary.path)' label -m '\(Self.model)' '\(file.path)' | head -n 2",
    ]
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(String(decoding: out, as: UTF8.self).split(separator: "\n").count == 2)
    #expect(err.isEmpty, "\(String(decoding: err, as: UTF8.self))")
  }

  @Test func malformedTrainingLinesAreNamedOrSkipped() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let cases = [
      ("no tab", "a\tun\nsans tabulation\nb\tdeux\n", "Line 2", "has no tab"),
      ("empty label", "a\tun\n\tdeux\nb\ttrois\n", "Line 2", "empty label"),
      ("empty text", "a\tun\nb\t   \nb\ttrois\n", "Line 2", "empty text"),
    ]
    for (name, content, line, reason) in cases {
      let file = directory.appendingPathComponent("\(name).tsv")
      try content.write(to: file, atomically: true, encoding: .utf8)
      let target = directory.appendingPathComponent("\(name).crible").path
      let failed = try CommandRunner.run(["train", file.path, "-o", target])
      #expect(failed.status == 65, "\(name)")
      #expect(failed.stderr.contains("\(line) of \(file.path)") && failed.stderr.contains(reason))
      #expect(!FileManager.default.fileExists(atPath: target), "a model was written: \(name)")
      let skipped = try CommandRunner.run([
        "train", file.path, "-o", target, "--skip-invalid", "--algorithm", "naive-bayes",
        "--alpha", "1",
      ])
      #expect(skipped.status == 0, "\(name): \(skipped.stderr)")
      #expect(skipped.stderr.contains("skipped 1 malformed line"))
      #expect(skipped.stderr.contains("on 2 examples"))
    }
    // An unknown label at evaluation: named, or skipped and counted.
    let unknown = directory.appendingPathComponent("unknown.tsv")
    try "offensive\t垃圾\nspam\tgagnez\nsafe\tmerci\n".write(
      to: unknown, atomically: true, encoding: .utf8)
    let refused = try CommandRunner.run(["evaluate", "-m", Self.model, unknown.path])
    #expect(refused.status == 65 && refused.stderr.contains("Line 2 of \(unknown.path)"))
    let counted = try CommandRunner.run([
      "evaluate", "-m", Self.model, unknown.path, "--skip-invalid", "--json",
    ])
    #expect(counted.status == 0 && counted.stdout.contains("\"examples\":2"))
    #expect(counted.stderr.contains("skipped 1 malformed line"))
  }

  @Test func damagedModelsAreRefused() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = try Data(contentsOf: URL(fileURLWithPath: Self.model))
    var flipped = good
    flipped[flipped.count / 3] ^= 0x04
    var version = good
    version[8] = 9
    let damaged: [(String, Data, String)] = [
      ("truncated", good.prefix(good.count / 2), "checksum"),
      ("bit-flipped", flipped, "checksum"),
      ("wrong version", version, "version 9"),
      ("not a model", Data("label\ttext\n".utf8), "magic"),
      ("empty", Data(), "magic"),
    ]
    for (name, bytes, reason) in damaged {
      let file = directory.appendingPathComponent("\(name).crible")
      try bytes.write(to: file)
      let result = try CommandRunner.run(["label", "-m", file.path], stdin: Data("x\n".utf8))
      #expect(result.status == 67, "\(name)")
      #expect(result.stderr.contains("\(file.path) is not a usable Crible model"), "\(name)")
      #expect(result.stderr.contains(reason), "\(name): \(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
  }
}
