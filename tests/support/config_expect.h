/* Helpers of the config loader's tests: a one-asset config text, loading a text that must fail
 * (status, "FILE:LINE: PATH:" prefix, what is allowed, one line, nothing to free) or succeed, an
 * example config by name, and a temporary file. Static functions: each test file gets its own. */
#ifndef MCR_TEST_CONFIG_EXPECT_H
#define MCR_TEST_CONFIG_EXPECT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "strategies/strategy.h"

/* One asset in block style; bad-config tests below spell out their full text so that the line
 * numbers they expect can be read off. */
#define ASSET_BTC                                                                                  \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - name: BTC\n"                                                                            \
    "      spot: 100\n"                                                                            \
    "      model: {type: gbm, sigma: 0.8}\n"

/* Loads `yaml` as "bad.yaml" and checks the failure: status, the "bad.yaml:LINE: PATH:" prefix,
 * a fragment (what is allowed), a single line, and nothing left to free. */
static inline void expect_error(const char *yaml, const char *prefix, const char *fragment)
{
    mcr_config cfg;
    mcr_error err = {0};
    mcr_status st = mcr_config_load_string(yaml, "bad.yaml", &cfg, &err);
    cr_assert_eq(st, MCR_ERR_INPUT, "status %d (%s) for:\n%s", st, err.msg, yaml);
    cr_assert_eq(err.status, MCR_ERR_INPUT);
    cr_assert(strncmp(err.msg, prefix, strlen(prefix)) == 0,
              "message\n  %s\ndoes not start with\n  %s", err.msg, prefix);
    cr_assert_not_null(strstr(err.msg, fragment), "message\n  %s\nlacks\n  %s", err.msg, fragment);
    cr_assert_null(strchr(err.msg, '\n'), "message is not one line: %s", err.msg);
    cr_assert_null(cfg.yaml);
    mcr_config_free(&cfg);
}

static inline void expect_message(const char *yaml, const char *message)
{
    mcr_config cfg;
    mcr_error err = {0};
    cr_assert_eq(mcr_config_load_string(yaml, "bad.yaml", &cfg, &err), MCR_ERR_INPUT);
    cr_assert_str_eq(err.msg, message);
}

static inline void load_ok(const char *yaml, mcr_config *cfg)
{
    mcr_error err = {0};
    mcr_status st = mcr_config_load_string(yaml, "good.yaml", cfg, &err);
    cr_assert_eq(st, MCR_OK, "unexpected failure: %s", err.msg);
}

/* Bad configs that share a head: each case's text follows `head`, and its error must name the
 * file and line ("bad.yaml:") and contain `msg`. Every case is checked (cr_expect) and named. */
typedef struct bad_case {
    const char *rest, *msg;
} bad_case;

static inline void expect_errors_after(const char *head, const bad_case *bad, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml, "%s%s", head, bad[k].rest);
        mcr_config c;
        mcr_error err = {0};
        cr_expect_eq(mcr_config_load_string(yaml, "bad.yaml", &c, &err), MCR_ERR_INPUT,
                     "case %zu: %s", k, bad[k].rest);
        cr_expect(strstr(err.msg, bad[k].msg) && strstr(err.msg, "bad.yaml:"),
                  "case %zu: '%s' lacks '%s'", k, err.msg, bad[k].msg);
    }
}

/* Writes `text` to a fresh temporary file; its name goes to `path`. */
static inline void temp_file(char path[static 64], const char *text)
{
    snprintf(path, 64, "/tmp/mcr_test_config_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* An example config under configs/, which must load. */
static inline void load_example(const char *name, mcr_config *cfg)
{
    char path[512];
    mcr_error err = {0};
    snprintf(path, sizeof path, "%s/configs/%s", MCR_SOURCE_DIR, name);
    cr_assert_eq(mcr_config_load_file(path, cfg, &err), MCR_OK, "%s", err.msg);
}


#endif
