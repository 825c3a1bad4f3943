import Dispatch
import LinearAlgebra

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one place that decides how many workers Crible runs, and that runs them.
///
/// The worker count is, in order of precedence: an explicit request (`--threads`), the
/// `CRIBLE_THREADS` environment variable, then the number of online cores. While workers run,
/// OpenBLAS is held to one thread so that the two thread pools do not oversubscribe the cores.
public enum Parallelism {
  /// The number of online processor cores.
  public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// The number of workers to run for an optional explicit request.
  public static func workerCount(requested: Int? = nil) -> Int {
    if let requested, requested > 0 { return requested }
    if let value = getenv("CRIBLE_THREADS"), let count = Int(String(cString: value)), count > 0 {
      return count
    }
    return coreCount
  }

  /// Runs `body(i)` for every `i` in `0..<count` on up to `count` threads, with OpenBLAS held
  /// to one thread, and returns when all are done.
  static func forEach(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
      if count == 1 { body(0) }
      return
    }
    BLASThreading.withThreadCount(1) {
      withoutActuallyEscaping(body) { body in
        let work = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: count) { work.value($0) }
      }
    }
  }
}

/// Carries a value into `concurrentPerform`, whose closure must be `@Sendable`.
///
/// `concurrentPerform` returns only when every iteration is done, and every caller of
/// ``Parallelism/forEach(_:_:)`` gives each iteration its own slot of shared buffers (its own
/// chunk, shard or output), so no two threads touch the same memory: the checks that `Sendable`
/// would make hold by construction. This is the one place in Crible that vouches for it.
private struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
