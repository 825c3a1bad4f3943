/// An error from bad input, a bad model file or a failed read or write, with a message that is
/// a whole sentence naming the file, the line where there is one, and what to do.
///
/// Programmer errors (a wrong matrix shape, an out-of-range class) are preconditions instead.
public struct CribleError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What went wrong, which decides the command line's exit status.
  public enum Kind: Sendable, Equatable {
    /// A training, evaluation or labelling file has a malformed line or the wrong format.
    case badData
    /// A file to read does not exist or cannot be opened.
    case cannotOpen
    /// A model file is not a valid Crible model (wrong magic, version or checksum, truncated).
    case badModel
    /// A file cannot be created or written.
    case cannotWrite
    /// Reading failed after the file was opened.
    case ioFailure
    /// The options or hyper-parameters are inconsistent.
    case badConfiguration
  }

  /// What went wrong.
  public var kind: Kind
  /// The whole message.
  public var message: String

  /// Creates an error.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
