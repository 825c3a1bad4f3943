import Foundation

/// Runs the built `crible` binary, as a user would from a shell.
struct CommandRunner {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The package's root folder.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The `crible` binary built beside this test bundle (`swift test` builds it, since this test
  /// target depends on it), or `CRIBLE_BINARY` when set.
  static let binary: URL = {
    if let path = ProcessInfo.processInfo.environment["CRIBLE_BINARY"] {
      return URL(fileURLWithPath: path)
    }
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = executable.deletingLastPathComponent()
    // On Linux the test runner is the bundle itself; on macOS it sits inside a .xctest bundle.
    while !FileManager.default.isExecutableFile(
      atPath: folder.appendingPathComponent("crible").path),
      folder.path != "/"
    {
      folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("crible")
  }()

  static func run(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil) throws
    -> Result
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe()
    let error = Pipe()
    let input = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = input
    try process.run()
    // Read both pipes while the process runs, so that neither fills up and blocks it.
    let group = DispatchGroup()
    nonisolated(unsafe) var out = Data()
    nonisolated(unsafe) var err = Data()
    DispatchQueue.global().async(group: group) {
      out = output.fileHandleForReading.readDataToEndOfFile()
    }
    DispatchQueue.global().async(group: group) {
      err = error.fileHandleForReading.readDataToEndOfFile()
    }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }

  /// A fresh temporary folder.
  static func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crible-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
