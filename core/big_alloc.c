/* Huge-page buffers (big_alloc.h). */
#define _GNU_SOURCE
#include "big_alloc.h"

#include <stdlib.h>
#include <sys/mman.h>

#define MCR_HUGE_PAGE ((size_t)2 << 20)

void *mcr_alloc_big(size_t bytes)
{
    if (bytes < 2 * MCR_HUGE_PAGE) /* the rounding would cost more than the faults */
        return malloc(bytes ? bytes : 1);
    size_t size = (bytes + MCR_HUGE_PAGE - 1) / MCR_HUGE_PAGE * MCR_HUGE_PAGE;
    void *p = aligned_alloc(MCR_HUGE_PAGE, size);
#ifdef MADV_HUGEPAGE
    if (p) /* advice only: without huge pages the buffer is an ordinary one */
        madvise(p, size, MADV_HUGEPAGE);
#endif
    return p;
}
