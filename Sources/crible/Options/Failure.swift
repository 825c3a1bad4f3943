import ArgumentParser
import Classification

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Documented exit statuses, one per kind of failure (the root command's help lists them).
extension CribleError.Kind {
  var exitCode: Int32 {
    switch self {
    case .badConfiguration: 64
    case .badData: 65
    case .cannotOpen: 66
    case .badModel: 67
    case .cannotWrite: 73
    case .ioFailure: 74
    }
  }
}

/// Runs `body`, turning a ``CribleError`` into a message on standard error and its exit status.
func reportingFailures(_ body: () throws(CribleError) -> Void) throws(ExitCode) {
  do {
    try body()
  } catch {
    if error.kind == .cannotWrite && error.message == "broken pipe" {
      // The reader went away (`crible label ... | head`): stop quietly, as `cat` does.
      throw ExitCode.success
    }
    Console.error("crible: \(error.message)")
    throw ExitCode(error.kind.exitCode)
  }
}

/// Standard error output, with progress lines only when it is a terminal.
enum Console {
  static let isTerminal = isatty(STDERR_FILENO) != 0

  static func error(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
  }

  /// Rewrites the current terminal line with `message`; does nothing when stderr is not a terminal.
  static func progress(_ message: String) {
    guard isTerminal else { return }
    var line = "\r\u{1B}[K" + message
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
  }

  /// Clears the progress line.
  static func endProgress() {
    guard isTerminal else { return }
    var line = "\r\u{1B}[K"
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
  }
}

/// Says on standard error how many lines of `corpus` were skipped, and why the first was.
func reportSkipped(_ corpus: LabeledCorpus) {
  guard corpus.skippedLines > 0 else { return }
  Console.error(
    "crible: warning: skipped \(corpus.skippedLines) malformed line\(corpus.skippedLines == 1 ? "" : "s") of \(corpus.source) (--skip-invalid); the first: \(corpus.firstSkipped ?? "")"
  )
}
