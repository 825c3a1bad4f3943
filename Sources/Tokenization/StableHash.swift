/// The feature hash: a fast 64-bit hash that is identical in every run, process and machine.
///
/// Saved models store weights by hash bucket, so this function is part of the model format and
/// must never change (a new hash needs a new `feature_hash` name in model files, which older
/// readers then refuse). It is FNV-1a over 32-bit units rather than bytes, one multiply per
/// Unicode scalar, finished by a multiply-shift (Fibonacci hashing) so that every input bit
/// reaches the bucket bits:
///
/// ```
/// h ← 0xcbf29ce484222325                          (FNV-1a offset basis)
/// for each unit u (the feature family, then each scalar value):
///     h ← (h XOR u) × 0x100000001b3  mod 2⁶⁴      (FNV prime)
/// finalize(h) = (h XOR (h >> 32)) × 0x9e3779b97f4a7c15  mod 2⁶⁴
/// bucket = finalize(h) >> (64 − b)                (the top b bits: 2^b buckets)
/// ```
///
/// Only integer arithmetic with defined wrap-around is used, so the result does not depend on
/// the processor, the compiler, or Swift's per-process `Hasher` seed. On 360,000 Han bigrams
/// hashed into 2^18 buckets it gives as many collisions as a random function (164,209 against
/// 164,250 expected); MurmurHash3's longer `fmix64` finaliser bought nothing measurable and cost
/// a fifth of feature extraction.
public enum StableHash {
  /// The FNV-1a 64-bit offset basis: the state before any unit.
  public static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
  /// The FNV 64-bit prime.
  public static let prime: UInt64 = 0x0000_0100_0000_01b3
  /// 2⁶⁴ divided by the golden ratio, odd: the multiplier of Fibonacci hashing.
  public static let golden: UInt64 = 0x9e37_79b9_7f4a_7c15

  /// Adds one 32-bit unit to a running hash state.
  @inline(__always)
  public static func combine(_ state: UInt64, _ unit: UInt32) -> UInt64 {
    (state ^ UInt64(unit)) &* prime
  }

  /// Finishes a running hash state: folds its high half into the low half, then multiplies.
  @inline(__always)
  public static func finalize(_ state: UInt64) -> UInt64 {
    (state ^ (state >> 32)) &* golden
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
