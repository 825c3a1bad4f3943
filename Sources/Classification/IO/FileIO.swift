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
      throw CribleError(
        .cannotWrite,
        "Writing to \(path) failed: \(FileIO.describe(error)); the output is incomplete. Free some space, or write elsewhere."
      )
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

/// A file mapped into memory, read-only, for as long as the value lives.
final class MappedFile {
  /// The file's bytes.
  let bytes: UnsafeBufferPointer<UInt8>
  private let length: Int

  /// Maps `path`; an empty file maps to an empty buffer.
  init(path: String) throws(CribleError) {
    let descriptor = try FileIO.openForReading(path)
    defer { if path != "-" { try? descriptor.close() } }
    var status = stat()
    guard fstat(descriptor.rawValue, &status) == 0 else {
      throw CribleError(
        .ioFailure, "Cannot read the size of \(path): \(FileIO.describe(Errno(rawValue: errno))).")
    }
    length = Int(status.st_size)
    guard length > 0, (status.st_mode & S_IFMT) == S_IFREG else {
      // Standard input, pipes and empty files are read instead.
      let copy = try FileIO.readAll(path)
      let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(copy.count, 1))
      _ = buffer.initialize(from: copy)
      bytes = UnsafeBufferPointer(rebasing: buffer[0..<copy.count])
      owned = buffer
      return
    }
    guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor.rawValue, 0),
      address != MAP_FAILED
    else {
      throw CribleError(
        .ioFailure, "Cannot map \(path) into memory: \(FileIO.describe(Errno(rawValue: errno))).")
    }
    bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: length)
    owned = nil
  }

  /// The buffer holding a file that could not be mapped.
  private let owned: UnsafeMutableBufferPointer<UInt8>?

  deinit {
    if let owned {
      owned.deallocate()
    } else if let base = bytes.baseAddress {
      munmap(UnsafeMutableRawPointer(mutating: base), length)
    }
  }
}
