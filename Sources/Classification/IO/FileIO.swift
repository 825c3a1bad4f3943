import SystemPackage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// File access for the rest of Crible.
///
/// Whole-file reads, buffered writes and atomic replacement. System calls go through swift-system's `FileDescriptor`, which retries on `EINTR`.
enum FileIO {
  /// Opens `path` for reading, or standard input for `-`.
  static func openForReading(_ path: String) throws(CribleError) -> FileDescriptor {
    if path == "-" { return .standardInput }
    do {
      return try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
    } catch {
      throw CribleError(
        .cannotOpen,
        "Cannot open \(path) for reading: \(describe(error)). Check the path and its permissions.")
    }
  }

  /// Reads the whole of `path` (or standard input for `-`).
  static func readAll(_ path: String) throws(CribleError) -> [UInt8] {
    let descriptor = try openForReading(path)
    defer { if path != "-" { try? descriptor.close() } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count: Int
      do {
        count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) }
      } catch {
        throw CribleError(.ioFailure, "Reading \(path) failed: \(describe(error)).")
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
  }

  /// Writes `bytes` to `path` atomically.
  ///
  /// The bytes go into a temporary file in the same folder, flushed to disk, then renamed over
  /// `path`. A reader sees the old file or the new one, never half of one.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CribleError) {
    let temporary = "\(path).tmp-\(getpid())"
    let descriptor: FileDescriptor
    do {
      descriptor = try FileDescriptor.open(
        FilePath(temporary), .writeOnly, options: [.create, .truncate, .closeOnExec],
        permissions: [.ownerReadWrite, .groupRead, .otherRead])
    } catch {
      throw CribleError(
        .cannotWrite,
        "Cannot create \(temporary) to write the model: \(describe(error)). Check that the folder exists and is writable."
      )
    }
    do {
      _ = try bytes.withUnsafeBytes { try descriptor.writeAll($0) }
      guard fsync(descriptor.rawValue) == 0 else { throw Errno(rawValue: errno) }
      try descriptor.close()
    } catch {
      try? descriptor.close()
      unlink(temporary)
      throw CribleError(
        .cannotWrite, "Writing \(path) failed: \(describe(error)). Nothing was written.")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw CribleError(.cannotWrite, "Cannot move the new model into place at \(path): \(reason).")
    }
  }

  static func describe(_ error: any Error) -> String {
    if let errno = error as? Errno { return String(cString: strerror(errno.rawValue)) }
    return "\(error)"
  }
}

/// A buffered writer to a file descriptor, for streaming output.
struct OutputSink {
  let descriptor: FileDescriptor
  let path: String
  private let ownsDescriptor: Bool

  /// Opens `path` for writing (truncating it), or standard output for `-` or `nil`.
  init(path: String?) throws(CribleError) {
    guard let path, path != "-" else {
      descriptor = .standardOutput
      self.path = "standard output"
      ownsDescriptor = false
      return
    }
    do {
      descriptor = try FileDescriptor.open(
        FilePath(path), .writeOnly, options: [.create, .truncate, .closeOnExec],
        permissions: [.ownerReadWrite, .groupRead, .otherRead])
    } catch {
      throw CribleError(
        .cannotWrite,
        "Cannot create \(path): \(FileIO.describe(error)). Check that the folder exists and is writable."
      )
    }
    self.path = path
    ownsDescriptor = true
  }

  /// Writes all of `bytes`.
  func write(_ bytes: UnsafeRawBufferPointer) throws(CribleError) {
    do {
      _ = try descriptor.writeAll(bytes)
    } catch {
      if let errno = error as? Errno, errno == .brokenPipe {
        throw CribleError(.cannotWrite, "broken pipe")
      }
      throw CribleError(.cannotWrite, "Writing to \(path) failed: \(FileIO.describe(error)).")
    }
  }

  /// Writes all of `bytes`.
  func write(_ bytes: [UInt8]) throws(CribleError) {
    let result = bytes.withUnsafeBytes { raw in
      Result { () throws(CribleError) in try write(raw) }
    }
    try result.get()
  }

  /// Closes the file if this sink opened it.
  func close() throws(CribleError) {
    guard ownsDescriptor else { return }
    do { try descriptor.close() } catch {
      throw CribleError(.cannotWrite, "Closing \(path) failed: \(FileIO.describe(error)).")
    }
  }
}
