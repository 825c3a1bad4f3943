// The CBLAS interface of OpenBLAS, plus its thread-control entry points.
// Debian's libopenblas-dev puts cblas.h in a directory that pkg-config `openblas` adds to the
// include path.
#include <cblas.h>
