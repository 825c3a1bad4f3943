/// The feature hash: a fast 64-bit hash that is identical in every run, process and machine.
///
/// Saved models store weights by hash bucket, so this function is part of the model format and
/// must never change (a new hash would need a new model-file version). It is FNV-1a over 32-bit
/// units rather than bytes, one multiply per Unicode scalar, followed by MurmurHash3's 64-bit
/// finaliser so that every bit of the result depends on every input bit:
///
/// ```
/// h ← 0xcbf29ce484222325                          (FNV-1a offset basis)
/// for each unit u (the feature family, then each scalar value):
///     h ← (h XOR u) × 0x100000001b3  mod 2⁶⁴      (FNV prime)
/// fmix64(h): h ^= h >> 33; h ×= 0xff51afd7ed558ccd; h ^= h >> 33;
///            h ×= 0xc4ceb9fe1a85ec53; h ^= h >> 33
/// bucket = fmix64(h) >> (64 − b)                  (the top b bits: 2^b buckets)
/// ```
///
/// Only integer arithmetic with defined wrap-around is used, so the result does not depend on
/// the processor, the compiler, or Swift's per-process `Hasher` seed.
public enum StableHash {
  /// The FNV-1a 64-bit offset basis: the state before any unit.
  public static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
  /// The FNV 64-bit prime.
  public static let prime: UInt64 = 0x0000_0100_0000_01b3

  /// Adds one 32-bit unit to a running hash state.
  @inline(__always)
  public static func combine(_ state: UInt64, _ unit: UInt32) -> UInt64 {
    (state ^ UInt64(unit)) &* prime
  }

  /// MurmurHash3's 64-bit finaliser (`fmix64`).
  @inline(__always)
  public static func finalize(_ state: UInt64) -> UInt64 {
    var h = state
    h ^= h >> 33
    h = h &* 0xff51_afd7_ed55_8ccd
    h ^= h >> 33
    h = h &* 0xc4ce_b9fe_1a85_ec53
    h ^= h >> 33
    return h
  }

  /// The finalised hash of a sequence of units.
  public static func hash<S: Sequence>(_ units: S) -> UInt64 where S.Element == UInt32 {
    finalize(units.reduce(basis, combine))
  }

  /// The bucket, among `2^bits`, of a running hash state.
  @inline(__always)
  public static func bucket(_ state: UInt64, bits: Int) -> UInt32 {
    UInt32(truncatingIfNeeded: finalize(state) >> UInt64(64 - bits))
  }
}
