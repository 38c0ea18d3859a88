/* SHA-256 (FIPS 180-4) of a file, as the hex digest `sha256sum` prints: the identity of an input
 * data file in the provenance of the outputs made from it. */
#ifndef MCR_SHA256_H
#define MCR_SHA256_H

#include <stddef.h>

#include "core/status.h"

#define MCR_SHA256_HEX 65 /* 64 digits and the NUL */

/* hex: 64 lowercase hex digits and a NUL. */
mcr_status mcr_sha256_file(const char *path, char hex[65], mcr_error *err);
/* The digest of n bytes in memory (tests). */
void mcr_sha256_bytes(const void *data, size_t n, char hex[65]);

#endif
