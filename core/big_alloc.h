/* Large buffers on huge pages where the kernel offers them (transparent huge pages, "madvise"
 * mode included). The first write to each 4 KiB page of a fresh buffer is a page fault, and in a
 * virtual machine a fault costs several microseconds: the per-path arrays of a million paths
 * were faulted in 4 KiB at a time, about 2,000 faults per array. A 2 MiB page is one fault.
 * Buffers under a few MiB are plain malloc. Free with free(). */
#ifndef MCR_BIG_ALLOC_H
#define MCR_BIG_ALLOC_H

#include <stddef.h>

/* bytes of uninitialised memory, or NULL */
void *mcr_alloc_big(size_t bytes);

#endif
