// Small C helpers for Crible's hot loops, where Swift has no equivalent.
#ifndef CRIBLE_SUPPORT_H
#define CRIBLE_SUPPORT_H

#include <stdint.h>

/// Asks the processor to bring the cache line holding `address` closer, for reading, without
/// waiting for it.
static inline void crible_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#if defined(__x86_64__) && !defined(__POPCNT__)
/// Whether this x86-64 processor has the POPCNT instruction (every one since 2008); set once
/// when the library loads (support.c). Read by `crible_popcount` only.
extern _Bool crible_has_popcnt;
#endif

/// The number of set bits in `word`.
///
/// Crible is built for the x86-64 baseline, which lacks POPCNT, so the compiler spells a
/// population count out in a dozen instructions; on the hot path of labelling (a feature's row
/// in `ScoringTable`) that cost 14 % of the scoring loop's instructions. This issues the one
/// instruction when the processor has it, and falls back to the compiler's count otherwise.
static inline int crible_popcount(uint64_t word) {
#if defined(__x86_64__) && !defined(__POPCNT__)
  if (crible_has_popcnt) {
    uint64_t count;
    __asm__("popcntq %1, %0" : "=r"(count) : "r"(word) : "cc");
    return (int)count;
  }
#endif
  return __builtin_popcountll(word);
}

#endif
