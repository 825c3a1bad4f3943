import Foundation

/// Control of OpenBLAS's own worker threads.
///
/// OpenBLAS starts its own thread pool for large level-2 and level-3 calls. When Crible runs
/// one worker per core itself (batch labelling, parallel training), OpenBLAS must stay on one
/// thread, or the two pools oversubscribe the cores. ``withOneThread(_:)`` does that for the
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

  /// Runs `body` with OpenBLAS held to one thread, then restores the count found.
  ///
  /// Holds may overlap across threads: the first sets one thread and the last one out restores
  /// the count the first found, so a hold that ends early never releases another that is still
  /// running. (The count is global to the process, and OpenBLAS splits its sums by it, so a
  /// change in the middle of a computation would change its result in the last digits.)
  ///
  /// - Parameter body: The work to run.
  /// - Returns: What `body` returns.
  /// - Throws: What `body` throws.
  public static func withOneThread<Result, Failure: Error>(
    _ body: () throws(Failure) -> Result
  ) throws(Failure) -> Result {
    // The count changes under the lock, so no hold can start between a decision and the change
    // it makes.
    singleThreadHolds.withLock { holds in
      if let set = holds.enter(current: threadCount) { setThreadCount(set) }
    }
    defer {
      singleThreadHolds.withLock { holds in
        if let set = holds.exit() { setThreadCount(set) }
      }
    }
    return try body()
  }

  /// The single-thread holds running now.
  private static let singleThreadHolds = LockedHolds()

  /// ``SingleThreadHolds`` behind a lock.
  ///
  /// An `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`: on Linux, `Mutex` takes
  /// a contended lock through a priority-inheritance futex, an acquire that ThreadSanitizer
  /// cannot see, so it reported this bookkeeping as a race. That was a false positive (a
  /// ten-line program in which four threads count under a `Mutex` reproduces it), but it hid
  /// any real report behind it; ThreadSanitizer understands pthread mutexes.
  private final class LockedHolds: @unchecked Sendable {  // `holds` is only touched under `lock`
    private let lock = NSLock()
    private var holds = SingleThreadHolds()

    func withLock<R>(_ body: (inout SingleThreadHolds) -> R) -> R {
      lock.withLock { body(&holds) }
    }
  }

  /// The bookkeeping of overlapping single-thread holds: how many run, and the count the first
  /// found, to restore when the last ends.
  struct SingleThreadHolds {
    private(set) var count = 0
    private var restore = 1

    /// A hold starts while OpenBLAS runs `current` threads; returns the count to set, if any.
    mutating func enter(current: Int) -> Int? {
      count += 1
      guard count == 1 else { return nil }
      restore = current
      return current == 1 ? nil : 1
    }

    /// A hold ends; returns the count to set, if any.
    mutating func exit() -> Int? {
      precondition(count > 0, "BLASThreading: a hold ended that had not started")
      count -= 1
      return count == 0 && restore != 1 ? restore : nil
    }
  }

  /// A description of the OpenBLAS build in use, with the CPU kernel it selected.
  public static var libraryDescription: String { BLAS.configuration }
}
