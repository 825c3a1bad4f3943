#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps OpenBLAS's own thread pool from competing with Crible's workers.
///
/// OpenBLAS starts its worker threads in a library constructor, before `main`, and an idle
/// worker spins on `sched_yield` for about 2^28 cycles before it sleeps: on two cores that took
/// about a tenth of a second of CPU from every `crible` run (measured with `perf`: 10 % of a
/// million-line `label`). Crible parallelises its own work and never needs OpenBLAS threads, and
/// OpenBLAS reads `OPENBLAS_NUM_THREADS` only when it loads; so when the variable is unset,
/// `crible` sets it to 1 and executes itself again, once. If that fails, it simply goes on.
enum OpenBLASEnvironment {
  static func ensureSingleThreaded() {
    guard getenv("OPENBLAS_NUM_THREADS") == nil else { return }
    setenv("OPENBLAS_NUM_THREADS", "1", 1)
    #if os(Linux)
      execv("/proc/self/exe", CommandLine.unsafeArgv)
    #endif
    // Still here: exec is unavailable or failed; OpenBLAS keeps its threads, nothing else changes.
  }
}
