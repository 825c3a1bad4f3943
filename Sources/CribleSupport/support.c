// CribleSupport is header-only (see include/crible_support.h) but for the processor check below.
#include "crible_support.h"

#if defined(__x86_64__) && !defined(__POPCNT__)
#include <cpuid.h>

_Bool crible_has_popcnt = 0;

/// Reads CPUID leaf 1 once, when the library loads: ECX bit 23 says the processor has POPCNT.
__attribute__((constructor)) static void crible_detect_popcnt(void) {
  unsigned int eax, ebx, ecx, edx;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) crible_has_popcnt = (ecx & bit_POPCNT) != 0;
}
#endif
