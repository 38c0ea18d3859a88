/* Limits on a config's YAML before it is parsed into a tree (issue 10): nesting deeper than
 * MCR_YAML_MAX_DEPTH is refused (libyaml's time grows quadratically with depth: 100,000 levels
 * took over a minute), and so is any explicit tag (!!binary, !!python/object, !custom): a config
 * holds plain numbers, strings, lists and mappings. Config-internal. */
#ifndef MCR_YAML_GUARD_H
#define MCR_YAML_GUARD_H

#include <stddef.h>

#include "core/status.h"

#define MCR_YAML_MAX_DEPTH 32

/* MCR_ERR_INPUT "SOURCE:LINE: ..." for the first violation; MCR_OK otherwise, syntax errors
 * included (the tree parser reports those with its context). */
mcr_status mcr_yaml_guard(const char *text, size_t len, const char *source, mcr_error *err);

#endif
