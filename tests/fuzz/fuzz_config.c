/* libFuzzer harness: the config loader (YAML parse, the key tables' validation, defaults) on
 * arbitrary text. Any crash, sanitizer report or leak is a finding; errors are fine. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strategies/strategy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* the loader takes a C string, as it reads files */
    mcr_config cfg;
    mcr_error err = {0};
    if (mcr_config_load_string(text, "fuzz.yaml", &cfg, &err) == MCR_OK) {
        if (mcr_config_check(&cfg, &err) == MCR_OK)
            (void)0;
        mcr_config_free(&cfg);
    }
    free(text);
    return 0;
}
