/* libFuzzer harness: the path-file reader (scenario/path_file.h) on arbitrary bytes, through a
 * file as the run reads it, with the step count and the spot taken from the first two bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "scenario/path_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/mcr-fuzz-path-%ld.csv", (long)getpid());
    int steps = size > 0 ? 1 + data[0] % 8 : 1;
    double spot = size > 1 ? (double)(1 + data[1] % 200) : 100;
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    if (size > 2)
        fwrite(data + 2, 1, size - 2, f);
    fclose(f);
    double *prices = NULL;
    uint64_t n = 0;
    char sha[MCR_SHA256_HEX];
    mcr_error err = {0};
    if (mcr_path_file_load(path, steps, spot, &prices, &n, sha, &err) == MCR_OK) {
        double sum = 0; /* every price is read: the sanitizers see a short buffer */
        for (uint64_t i = 0; i < (uint64_t)(steps + 1) * n; i++)
            sum += prices[i];
        if (!(sum > 0)) /* the reader promises prices > 0 */
            __builtin_trap();
    }
    free(prices);
    return 0;
}
