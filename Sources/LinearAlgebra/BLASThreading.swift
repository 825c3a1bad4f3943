/// Control of OpenBLAS's own worker threads.
///
/// OpenBLAS starts its own thread pool for large level-2 and level-3 calls. When Crible runs
/// one worker per core itself (batch labelling, parallel training), OpenBLAS must stay on one
/// thread, or the two pools oversubscribe the cores. ``withThreadCount(_:_:)`` does that for the
/// duration of a closure.
public enum BLASThreading {
  /// The number of threads OpenBLAS currently uses for one call.
  public static var threadCount: Int { BLAS.threadCount }

  /// Sets the number of threads OpenBLAS uses for one call.
  ///
  /// - Parameter count: A positive number of threads.
  public static func setThreadCount(_ count: Int) {
    precondition(count > 0, "BLASThreading.setThreadCount: count must be positive, got \(count)")
    BLAS.setThreadCount(count)
  }

  /// Runs `body` with OpenBLAS held to `count` threads, then restores the previous count.
  ///
  /// - Parameters:
  ///   - count: The number of OpenBLAS threads while `body` runs.
  ///   - body: The work to run.
  /// - Returns: What `body` returns.
  /// - Throws: What `body` throws.
  public static func withThreadCount<Result, Failure: Error>(
    _ count: Int, _ body: () throws(Failure) -> Result
  ) throws(Failure) -> Result {
    let previous = threadCount
    setThreadCount(count)
    defer { setThreadCount(previous) }
    return try body()
  }

  /// A description of the OpenBLAS build in use, with the CPU kernel it selected.
  public static var libraryDescription: String { BLAS.configuration }
}
