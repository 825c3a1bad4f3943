// CribleSupport is header-only (see include/crible_support.h); SwiftPM needs one source file.
#include "crible_support.h"
