// Small C helpers for Crible's hot loops, where Swift has no equivalent.
#ifndef CRIBLE_SUPPORT_H
#define CRIBLE_SUPPORT_H

/// Asks the processor to bring the cache line holding `address` closer, for reading, without
/// waiting for it.
static inline void crible_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
