/* SHA-256 (FIPS 180-4) of a buffer, as 64 lower-case hex digits: what the output records for every
 * input file, comparable with `sha256sum`, and what ties a checkpoint to its inputs. */
#ifndef MCR_SHA256_H
#define MCR_SHA256_H

#include <stddef.h>

#define MCR_SHA256_HEX 65 /* 64 digits and the NUL */

void mcr_sha256_hex(const void *data, size_t size, char hex[MCR_SHA256_HEX]);

#endif
