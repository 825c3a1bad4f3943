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

  /// Maps `0..<count` in contiguous ranges, one per worker, and joins the results in order.
  ///
  /// - Parameters:
  ///   - count: The number of items.
  ///   - threads: Workers; `nil` for the default.
  ///   - minimumPerWorker: No worker gets fewer items than this (small inputs use fewer workers).
  ///   - body: Maps one range of items to their results, in order, on one thread.
  /// - Returns: The results of every item, in item order.
  static func map<T>(
    _ count: Int, threads: Int?, minimumPerWorker: Int, _ body: (Range<Int>) -> [T]
  ) -> [T] {
    let workers = min(workerCount(requested: threads), max(1, count / minimumPerWorker))
    let bounds = (0...workers).map { count * $0 / workers }
    var parts = [[T]](repeating: [], count: workers)
    parts.withUnsafeMutableBufferPointer { parts in
      forEach(workers) { worker in parts[worker] = body(bounds[worker]..<bounds[worker + 1]) }
    }
    return Array(parts.joined())
  }

  /// Runs `body(i)` for every `i` in `0..<count` on up to `count` threads, with OpenBLAS held
  /// to one thread, and returns when all are done.
  static func forEach(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
      if count == 1 { body(0) }
      return
    }
    BLASThreading.withOneThread {
      withoutActuallyEscaping(body) { body in
        let work = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: count) { work.value($0) }
      }
    }
  }
}

extension Parallelism {
  /// Produces `count` items concurrently, one per worker, in waves of as many items as there are
  /// workers, and consumes them on the calling thread in item order after each wave.
  ///
  /// For work whose items are whole trainings (cross-validation's folds, tuning's candidates):
  /// `produce` should run on one thread, so that an item does not depend on the worker count,
  /// and memory holds one wave of items at a time.
  ///
  /// - Parameters:
  ///   - count: The number of items.
  ///   - threads: Workers; `nil` for the default.
  ///   - produce: Makes item `i`, on a worker.
  ///   - consume: Takes item `i` and its value, on the calling thread, in order.
  /// - Throws: The first error in item order, from `produce` (once its wave is done) or from
  ///   `consume`; no item after it is consumed.
  static func forEachInOrder<Value>(
    _ count: Int, threads: Int?, produce: (Int) throws(CribleError) -> Value,
    consume: (Int, Value) throws(CribleError) -> Void
  ) throws(CribleError) {
    let concurrent = max(1, min(workerCount(requested: threads), count))
    var start = 0
    while start < count {
      let wave = start..<min(count, start + concurrent)
      var outcomes = [Result<Value, CribleError>?](repeating: nil, count: wave.count)
      outcomes.withUnsafeMutableBufferPointer { outcomes in
        // Each worker writes only its own slot.
        forEach(wave.count) { index in
          outcomes[index] = Result { () throws(CribleError) in try produce(wave.lowerBound + index)
          }
        }
      }
      for (index, outcome) in outcomes.enumerated() {
        // `forEach` returns only when every slot is written.
        guard let outcome else { preconditionFailure("Parallelism: an item was not produced") }
        try consume(wave.lowerBound + index, outcome.get())
      }
      start = wave.upperBound
    }
  }
}

extension Parallelism {
  /// Runs `body(job)` for every job in `0..<count` on up to `threads` workers (worker `w`
  /// takes jobs `w`, `w + workers`, ...), each job on one thread.
  static func forEachJob(_ count: Int, threads: Int?, _ body: (Int) -> Void) {
    let workers = max(1, min(workerCount(requested: threads), count))
    forEach(workers) { worker in
      for job in stride(from: worker, to: count, by: workers) { body(job) }
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
