import ArgumentParser
import Classification

extension LabeledCorpus.Format: ExpressibleByArgument {}
extension Algorithm: ExpressibleByArgument {}

/// An n-gram length range written `1-2`, `2-4` or `1`.
struct LengthRange: ExpressibleByArgument, CustomStringConvertible {
  var range: ClosedRange<Int>

  init(_ range: ClosedRange<Int>) { self.range = range }

  init?(argument: String) {
    let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let first = parts.first, let last = parts.last,
      let low = Int(first), let high = Int(last), low >= 1, low <= high
    else { return nil }
    range = low...high
  }

  var description: String {
    range.lowerBound == range.upperBound
      ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
  }
  var defaultValueDescription: String { description }
}

/// A label renaming written `from=to`.
struct LabelRenaming: ExpressibleByArgument {
  var from: String
  var to: String

  init?(argument: String) {
    let parts = argument.split(separator: "=", maxSplits: 1)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
    from = String(parts[0])
    to = String(parts[1])
  }
}

/// The `--threads` option shared by the commands that run workers.
struct ThreadOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "Worker threads (default: the CRIBLE_THREADS environment variable, else every core).")
  var threads: Int?

  func validate() throws {
    if let threads, threads < 1 || threads > 1024 {
      throw ValidationError("--threads must be between 1 and 1024, not \(threads).")
    }
  }
}
