/* Config loader, models and correlation: every model's keys, defaults, keys of another model,
 * missing keys, ranges; correlation matrices; the example configs of each model. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config_expect.h"
#include "config_view.h"
#include "scenario/path_file.h"
#include "strategies/strategy.h"


/* One asset whose model is written in block style: "type: TYPE" on line 6, then entry i of
 * `keys` on line 7 + i, so tests can read off the line an error must name. */
static const char *model_yaml(char *buf, size_t cap, const char *type, const char *const *keys)
{
    int used = snprintf(buf, cap,
                        "market:\n"
                        "  assets:\n"
                        "    - name: BTC\n"
                        "      spot: 100\n"
                        "      model:\n"
                        "        type: %s\n",
                        type);
    for (; *keys; keys++)
        used += snprintf(buf + used, cap - (size_t)used, "        %s\n", *keys);
    return buf;
}

typedef struct model_case {
    const char *type;
    const char *keys[12]; /* "key: value", every required key of the model; NULL-terminated */
} model_case;

static const model_case model_cases[] = {
    {"gbm", {"sigma: 0.8"}},
    {"merton", {"sigma: 0.6", "jump_intensity: 12", "jump_mean: -0.03", "jump_std: 0.08"}},
    {"kou",
     {"sigma: 0.6", "jump_intensity: 12", "p_up: 0.4", "eta_up: 20", "eta_down: 15"}},
    {"heston", {"v0: 0.49", "kappa: 2", "theta: 0.36", "xi: 1.3", "rho: -0.3"}},
    {"bates",
     {"v0: 0.36", "kappa: 2", "theta: 0.36", "xi: 1", "rho: -0.3", "jump_intensity: 6",
      "jump_mean: -0.05", "jump_std: 0.1"}},
};

Test(config, every_model_parses)
{
    char yaml[1024];
    mcr_config cfg;
    static const char *const merton[] = {"mu: 0.05", "sigma: 0.6", "jump_intensity: 12",
                                         "jump_mean: -0.03", "jump_std: 0.08", NULL};
    load_ok(model_yaml(yaml, sizeof yaml, "merton", merton), &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_MERTON);
    const mcr_merton *m = &cfg.assets[0].model.merton;
    cr_assert(m->mu == 0.05 && m->sigma == 0.6 && m->jump_intensity == 12.0 &&
              m->jump_mean == -0.03 && m->jump_std == 0.08);
    mcr_config_free(&cfg);

    static const char *const kou[] = {"sigma: 0.6", "jump_intensity: 12", "p_up: 0.4",
                                      "eta_up: 20", "eta_down: 15", "mu: -0.1", NULL};
    load_ok(model_yaml(yaml, sizeof yaml, "kou", kou), &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_KOU);
    const mcr_kou *k = &cfg.assets[0].model.kou;
    cr_assert(k->mu == -0.1 && k->sigma == 0.6 && k->jump_intensity == 12.0 && k->p_up == 0.4 &&
              k->eta_up == 20.0 && k->eta_down == 15.0);
    mcr_config_free(&cfg);

    static const char *const heston[] = {"v0: 0.49", "kappa: 2", "theta: 0.36", "xi: 1.3",
                                         "rho: -0.3", "mu: 0.02", NULL};
    load_ok(model_yaml(yaml, sizeof yaml, "heston", heston), &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_HESTON);
    const mcr_heston *h = &cfg.assets[0].model.heston;
    cr_assert(h->mu == 0.02 && h->v0 == 0.49 && h->kappa == 2.0 && h->theta == 0.36 &&
              h->xi == 1.3 && h->rho == -0.3);
    mcr_config_free(&cfg);

    static const char *const bates[] = {"mu: 0.03", "v0: 0.36", "kappa: 1.5", "theta: 0.25",
                                        "xi: 0.9", "rho: 0.2", "jump_intensity: 6",
                                        "jump_mean: -0.05", "jump_std: 0.1", NULL};
    load_ok(model_yaml(yaml, sizeof yaml, "bates", bates), &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_BATES);
    const mcr_bates *b = &cfg.assets[0].model.bates;
    cr_assert(b->heston.mu == 0.03 && b->heston.v0 == 0.36 && b->heston.kappa == 1.5 &&
              b->heston.theta == 0.25 && b->heston.xi == 0.9 && b->heston.rho == 0.2 &&
              b->jump_intensity == 6.0 && b->jump_mean == -0.05 && b->jump_std == 0.1);
    mcr_config_free(&cfg);

    /* flow style, two assets of different models */
    load_ok("market:\n"
            "  assets:\n"
            "    - {name: A, spot: 1, model: {type: gbm, mu: 0.1, sigma: 0.5}}\n"
            "    - {name: B, spot: 2, model: {type: kou, sigma: 0.3, jump_intensity: 0,\n"
            "                                 p_up: 1, eta_up: 1.5, eta_down: 2}}\n",
            &cfg);
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_GBM);
    cr_assert_eq(cfg.assets[0].model.gbm.sigma, 0.5);
    cr_assert_eq(cfg.assets[1].model.type, MCR_MODEL_KOU);
    cr_assert_eq(cfg.assets[1].model.kou.eta_up, 1.5);
    cr_assert_eq(cfg.assets[1].model.kou.jump_intensity, 0.0);
    mcr_config_free(&cfg);
}

Test(config, mu_defaults_to_zero)
{
    char yaml[1024];
    for (size_t i = 0; i < sizeof model_cases / sizeof model_cases[0]; i++) {
        mcr_config cfg;
        const char *keys[16];
        int n = 0;
        for (const char *const *k = model_cases[i].keys; *k; k++)
            keys[n++] = *k;
        keys[n] = NULL;
        load_ok(model_yaml(yaml, sizeof yaml, model_cases[i].type, keys), &cfg);
        cr_assert_eq(mcr_model_mu(&cfg.assets[0].model), 0.0, "%s", model_cases[i].type);
        mcr_error err = {0};
        cr_assert_eq(mcr_model_check(&cfg.assets[0].model, "m", &err), MCR_OK, "%s", err.msg);
        mcr_config_free(&cfg);

        keys[n] = "mu: 0.5";
        keys[n + 1] = NULL;
        load_ok(model_yaml(yaml, sizeof yaml, model_cases[i].type, keys), &cfg);
        cr_assert_eq(mcr_model_mu(&cfg.assets[0].model), 0.5, "%s", model_cases[i].type);
        mcr_config_free(&cfg);
    }
}

/* What a "required key missing" message must say about each key: its meaning and unit. */
static const char *key_fragment(const char *key)
{
    static const char *const table[][2] = {
        {"sigma", "a number > 0, per sqrt(year) (volatility of the diffusion"},
        {"jump_intensity", "jumps per year"},
        {"jump_mean", "mean of the log jump size"},
        {"jump_std", "standard deviation of the log jump size"},
        {"p_up", "probability that a jump is upwards"},
        {"eta_up", "mean 1/eta_up"},
        {"eta_down", "mean 1/eta_down"},
        {"v0", "a number >= 0, per year (initial variance"},
        {"kappa", "a number > 0, per year (mean-reversion speed of the variance"},
        {"theta", "a number > 0, per year (long-run variance"},
        {"xi", "a number > 0, per sqrt(year) (volatility of the variance"},
        {"rho", "correlation of price and variance shocks"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i][0], key) == 0)
            return table[i][1];
    cr_assert_fail("no fragment for %s", key);
    return NULL;
}

Test(config, model_required_keys)
{
    char yaml[1024];
    int checked = 0;
    for (size_t i = 0; i < sizeof model_cases / sizeof model_cases[0]; i++) {
        const model_case *mc = &model_cases[i];
        for (int drop = 0; mc->keys[drop]; drop++) {
            const char *keys[16];
            int n = 0;
            for (int k = 0; mc->keys[k]; k++)
                if (k != drop)
                    keys[n++] = mc->keys[k];
            keys[n] = NULL;
            char key[32], prefix[128];
            snprintf(key, sizeof key, "%.*s", (int)strcspn(mc->keys[drop], ":"), mc->keys[drop]);
            /* a missing key has no line of its own: the model's (line 5) */
            snprintf(prefix, sizeof prefix,
                     "bad.yaml:5: market.assets[0].model.%s: required key missing; ", key);
            expect_error(model_yaml(yaml, sizeof yaml, mc->type, keys), prefix,
                         key_fragment(key));
            checked++;
        }
    }
    cr_assert_eq(checked, 1 + 4 + 5 + 5 + 8);
}

Test(config, foreign_model_keys)
{
    expect_message("market:\n"
                   "  assets:\n"
                   "    - name: BTC\n"
                   "      spot: 100\n"
                   "      model:\n"
                   "        type: merton\n"
                   "        sigma: 0.6\n"
                   "        jump_intensity: 12\n"
                   "        eta_up: 20\n"
                   "        jump_mean: -0.03\n"
                   "        jump_std: 0.08\n",
                   "bad.yaml:9: market.assets[0].model.eta_up: not a key of model type merton; "
                   "allowed: type, mu, sigma, jump_intensity, jump_mean, jump_std");
    char yaml[1024];
    static const char *const heston_sigma[] = {"v0: 0.49", "kappa: 2",   "sigma: 0.8",
                                               "theta: 0.36", "xi: 1.3", "rho: -0.3", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_sigma),
                   "bad.yaml:9: market.assets[0].model.sigma: not a key of model type heston; "
                   "allowed: type, mu, v0, kappa, theta, xi, rho");
    static const char *const gbm_jumps[] = {"sigma: 0.8", "jump_intensity: 3", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "gbm", gbm_jumps),
                   "bad.yaml:8: market.assets[0].model.jump_intensity: not a key of model type "
                   "gbm; allowed: type, mu, sigma");
    static const char *const kou_normal_jumps[] = {"jump_std: 0.1", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "kou", kou_normal_jumps),
                   "bad.yaml:7: market.assets[0].model.jump_std: not a key of model type kou; "
                   "allowed: type, mu, sigma, jump_intensity, p_up, eta_up, eta_down");
    static const char *const bates_kou_jumps[] = {"v0: 0.36", "eta_down: 3", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "bates", bates_kou_jumps),
                   "bad.yaml:8: market.assets[0].model.eta_down: not a key of model type "
                   "bates; allowed: type, mu, v0, kappa, theta, xi, rho, jump_intensity, "
                   "jump_mean, jump_std");
    /* a key of no model gets the model's own list, type included */
    static const char *const heston_typo[] = {"v0: 0.49", "kapa: 2", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_typo),
                   "bad.yaml:8: market.assets[0].model.kapa: unknown key; "
                   "allowed: type, mu, v0, kappa, theta, xi, rho");
    /* in the second asset, flow style */
    expect_error("market:\n"
                 "  assets:\n"
                 "    - {name: A, spot: 1, model: {type: gbm, sigma: 0.5}}\n"
                 "    - {name: B, spot: 2, model: {type: heston, v0: 0.1, kappa: 1, theta: 0.1,\n"
                 "                                 xi: 0.5, rho: 0, sigma: 0.3}}\n",
                 "bad.yaml:5: market.assets[1].model.sigma: not a key of model type heston",
                 "allowed: type, mu, v0, kappa, theta, xi, rho");
}

Test(config, model_ranges)
{
    char yaml[1024];
    static const char *const merton[] = {"sigma: 0.6", "jump_intensity: 12", "jump_mean: -0.03",
                                         "jump_std: -0.1", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "merton", merton),
                   "bad.yaml:10: market.assets[0].model.jump_std: must be a number in [0, 5] "
                   "(got -0.1)");
    static const char *const kou_eta[] = {"sigma: 0.6", "jump_intensity: 12", "p_up: 0.4",
                                          "eta_up: 0.5", "eta_down: 15", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "kou", kou_eta),
                   "bad.yaml:10: market.assets[0].model.eta_up: must be a number > 1 (got 0.5)");
    static const char *const kou_p[] = {"sigma: 0.6", "jump_intensity: 12", "p_up: 1.2",
                                        "eta_up: 20", "eta_down: 15", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "kou", kou_p),
                   "bad.yaml:9: market.assets[0].model.p_up: must be a number in [0, 1] (got 1.2)");
    static const char *const heston_rho[] = {"v0: 0.49", "kappa: 2", "theta: 0.36", "xi: 1.3",
                                             "rho: 1.5", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_rho),
                   "bad.yaml:11: market.assets[0].model.rho: must be a number in [-1, 1] "
                   "(got 1.5)");
    static const char *const heston_v0[] = {"v0: -0.01", "kappa: 2", "theta: 0.36", "xi: 1.3",
                                            "rho: 0", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_v0),
                   "bad.yaml:7: market.assets[0].model.v0: must be a number >= 0, per year "
                   "(got -0.01)");
    static const char *const bates_kappa[] = {"v0: 0.36", "kappa: 0", "theta: 0.36", "xi: 1",
                                              "rho: -0.3", "jump_intensity: 6",
                                              "jump_mean: -0.05", "jump_std: 0.1", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "bates", bates_kappa),
                   "bad.yaml:8: market.assets[0].model.kappa: must be a number > 0, per year "
                   "(got 0)");
    static const char *const bates_lambda[] = {"v0: 0.36", "kappa: 2", "theta: 0.36", "xi: 1",
                                               "rho: -0.3", "jump_intensity: 2000",
                                               "jump_mean: -0.05", "jump_std: 0.1", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "bates", bates_lambda),
                   "bad.yaml:12: market.assets[0].model.jump_intensity: must be a number in "
                   "[0, 1000], jumps per year (got 2000)");
    static const char *const merton_mu[] = {"sigma: 0.6", "jump_intensity: 12",
                                            "jump_mean: -0.03", "jump_std: 0.1", "mu: -12", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "merton", merton_mu),
                   "bad.yaml:11: market.assets[0].model.mu: must be a number in [-10, 10], per "
                   "year (got -12)");
    static const char *const heston_word[] = {"v0: 0.49", "kappa: fast", NULL};
    expect_message(model_yaml(yaml, sizeof yaml, "heston", heston_word),
                   "bad.yaml:8: market.assets[0].model.kappa: expected a number (got \"fast\")");
}

/* ---- correlation ---- */

#define TWO_ASSETS                                                                                 \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"                               \
    "    - {name: ETH, spot: 10, model: {type: gbm, sigma: 0.9}}\n"

#define THREE_ASSETS                                                                               \
    "market:\n"                                                                                    \
    "  assets:\n"                                                                                  \
    "    - {name: BTC, spot: 100, model: {type: gbm, sigma: 0.8}}\n"                               \
    "    - {name: ETH, spot: 10, model: {type: gbm, sigma: 0.9}}\n"                                \
    "    - {name: SOL, spot: 1, model: {type: gbm, sigma: 1.2}}\n"

static void expect_identity(const double (*m)[MCR_MAX_ASSETS])
{
    for (int i = 0; i < MCR_MAX_ASSETS; i++)
        for (int j = 0; j < MCR_MAX_ASSETS; j++)
            cr_assert_eq(m[i][j], i == j && i < 3 ? 1.0 : 0.0, "[%d][%d]", i, j);
}

Test(config, correlation_default_identity)
{
    mcr_config cfg;
    load_ok(ASSET_BTC, &cfg);
    cr_assert_eq(cfg.correlation[0][0], 1.0);
    cr_assert_eq(cfg.cholesky[0][0], 1.0);
    cr_assert_not(cfg.scenarios[0].has_correlation);
    cr_assert_eq(cfg.scenarios[0].cholesky[0][0], 1.0);
    mcr_config_free(&cfg);

    load_ok(THREE_ASSETS, &cfg);
    expect_identity(cfg.correlation);
    expect_identity(cfg.cholesky);
    expect_identity(cfg.scenarios[0].correlation);
    expect_identity(cfg.scenarios[0].cholesky);
    mcr_config_free(&cfg);

    /* [] is the DESIGN example's placeholder: not given */
    load_ok(THREE_ASSETS "  correlation: []\n", &cfg);
    expect_identity(cfg.cholesky);
    mcr_config_free(&cfg);
    load_ok(ASSET_BTC "  correlation: [[1]]\n", &cfg);
    cr_assert_eq(cfg.cholesky[0][0], 1.0);
    mcr_config_free(&cfg);
}

Test(config, correlation_parsed)
{
    mcr_config cfg;
    const double a = 0.5, b = -0.3, c = 0.2; /* [0][1], [0][2], [1][2] */
    load_ok(THREE_ASSETS "  correlation:\n"
                         "    - [1, 0.5, -0.3]\n"
                         "    - [0.5, 1.0, 0.2]\n"
                         "    - [-0.3, 0.2, 1]\n"
                         "scenarios:\n"
                         "  - name: base\n"
                         "  - name: stress\n"
                         "    correlation: [[1, 0.95, 0.9], [0.95, 1, 0.92], [0.9, 0.92, 1]]\n",
            &cfg);
    const double want[3][3] = {{1, a, b}, {a, 1, c}, {b, c, 1}};
    /* Cholesky of a 3 x 3 correlation matrix in closed form */
    const double l11 = sqrt(1 - a * a), l21 = (c - a * b) / l11;
    const double chol[3][3] = {{1, 0, 0}, {a, l11, 0}, {b, l21, sqrt(1 - b * b - l21 * l21)}};
    for (int i = 0; i < MCR_MAX_ASSETS; i++)
        for (int j = 0; j < MCR_MAX_ASSETS; j++) {
            double w = i < 3 && j < 3 ? want[i][j] : 0.0, l = i < 3 && j < 3 ? chol[i][j] : 0.0;
            cr_assert_eq(cfg.correlation[i][j], w, "[%d][%d]", i, j);
            cr_assert_float_eq(cfg.cholesky[i][j], l, 1e-15, "[%d][%d]", i, j);
            cr_assert_eq(cfg.scenarios[0].correlation[i][j], w);
            cr_assert_eq(cfg.scenarios[0].cholesky[i][j], cfg.cholesky[i][j]);
        }
    cr_assert_not(cfg.scenarios[0].has_correlation);
    const mcr_scenario *s = &cfg.scenarios[1];
    cr_assert(s->has_correlation);
    cr_assert_eq(s->correlation[0][1], 0.95);
    cr_assert_eq(s->correlation[2][1], 0.92);
    cr_assert_eq(s->cholesky[0][0], 1.0);
    cr_assert_eq(s->cholesky[1][0], 0.95);
    cr_assert_float_eq(s->cholesky[1][1], sqrt(1 - 0.95 * 0.95), 1e-15);
    cr_assert_eq(s->cholesky[0][1], 0.0);
    mcr_config_free(&cfg);
}

Test(config, correlation_shape_errors)
{
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 0.5]\n"
                              "    - [0.5, 1]\n"
                              "    - [0, 0]\n",
                   "bad.yaml:5: market.correlation: must be a list of 2 lists of 2 numbers, one "
                   "row and one column per asset (got 3 rows)");
    expect_error(THREE_ASSETS "  correlation: [[1, 0.5], [0.5, 1]]\n",
                 "bad.yaml:6: market.correlation: must be a list of 3 lists of 3 numbers",
                 "(got 2 rows)");
    expect_error(TWO_ASSETS "  correlation: 0.5\n", "bad.yaml:5: market.correlation: ",
                 "2 lists of 2 numbers, one row and one column per asset (got \"0.5\")");
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 0.5]\n"
                              "    - [0.5, 1, 0]\n",
                   "bad.yaml:7: market.correlation[1]: must be a list of 2 numbers, one per "
                   "asset (got 3)");
    expect_error(TWO_ASSETS "  correlation: [[1, 0.5], 0.5]\n",
                 "bad.yaml:5: market.correlation[1]: must be a list of 2 numbers",
                 "(got \"0.5\")");
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, high]\n"
                              "    - [0.5, 1]\n",
                   "bad.yaml:6: market.correlation[0][1]: expected a number (got \"high\")");
    expect_error(TWO_ASSETS "  correlation:\n"
                            "    - [1, [0.5]]\n"
                            "    - [0.5, 1]\n",
                 "bad.yaml:6: market.correlation[0][1]: ", "expected a number (got a list)");
    expect_error(TWO_ASSETS "  correlation: {BTC: 1}\n", "bad.yaml:5: market.correlation: ",
                 "(got a mapping)");
}

Test(config, correlation_value_errors)
{
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 0.4]\n"
                              "    - [0.3, 1]\n",
                   "bad.yaml:7: market.correlation[1][0]: must equal market.correlation[0][1] "
                   "(0.3 vs 0.4)");
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 0.4]\n"
                              "    - [0.4, 0.9]\n",
                   "bad.yaml:7: market.correlation[1][1]: must be 1, a diagonal entry (got 0.9)");
    expect_message(TWO_ASSETS "  correlation:\n"
                              "    - [1, 1.5]\n"
                              "    - [1.5, 1]\n",
                   "bad.yaml:6: market.correlation[0][1]: must be a number in [-1, 1] (got 1.5)");
    /* det = 1 + 2abc - a^2 - b^2 - c^2 = 0.96 c - c^2 = -0.0196 for a = 0.8, b = 0.6,
     * c = -0.02; the leading 2 x 2 minor 1 - a^2 = 0.36 is positive */
    expect_message(THREE_ASSETS "  correlation:\n"
                                "    - [1, 0.8, 0.6]\n"
                                "    - [0.8, 1, -0.02]\n"
                                "    - [0.6, -0.02, 1]\n",
                   "bad.yaml:6: market.correlation: not positive definite (leading minor of "
                   "order 3 is -0.0196)");
    expect_message(TWO_ASSETS "  correlation: [[1, -1], [-1, 1]]\n",
                   "bad.yaml:5: market.correlation: not positive definite (leading minor of "
                   "order 2 is 0)");
    /* the same checks for a scenario's override, at its lines */
    expect_message(TWO_ASSETS "scenarios:\n"
                              "  - name: base\n"
                              "  - name: stress\n"
                              "    correlation:\n"
                              "      - [1, 0.95]\n"
                              "      - [0.9, 1]\n",
                   "bad.yaml:10: scenarios[1].correlation[1][0]: must equal "
                   "scenarios[1].correlation[0][1] (0.9 vs 0.95)");
    expect_error(TWO_ASSETS "scenarios:\n  - {name: stress, correlation: [[1, 0.95]]}\n",
                 "bad.yaml:6: scenarios[0].correlation: must be a list of 2 lists of 2 numbers",
                 "(got 1 row)");
}

Test(config, simulated_asset_limit)
{
    char yaml[2048] = "market:\n  assets:\n";
    size_t used = strlen(yaml);
    for (int i = 0; i < MCR_MAX_SIM_ASSETS; i++)
        used += (size_t)snprintf(yaml + used, sizeof yaml - used,
                                 "    - {name: A%d, spot: 1, model: {type: gbm, sigma: 0.5}}\n", i);
    mcr_config cfg;
    load_ok(yaml, &cfg);
    cr_assert_eq(cfg.n_assets, MCR_MAX_SIM_ASSETS);
    mcr_config_free(&cfg);
    snprintf(yaml + used, sizeof yaml - used,
             "    - {name: A8, spot: 1, model: {type: gbm, sigma: 0.5}}\n");
    expect_message(yaml, "bad.yaml:2: market.assets: too many assets (got 9); allowed: at most "
                         "8");
}

Test(config, model_examples_load)
{
    static const struct {
        const char *file;
        mcr_model_type type;
    } examples[] = {{"merton.yaml", MCR_MODEL_MERTON},
                    {"kou.yaml", MCR_MODEL_KOU},
                    {"heston.yaml", MCR_MODEL_HESTON},
                    {"bates.yaml", MCR_MODEL_BATES}};
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        mcr_config cfg;
        load_example(examples[i].file, &cfg);
        cr_assert_eq(cfg.n_assets, 1, "%s", examples[i].file);
        cr_assert_eq(cfg.assets[0].model.type, examples[i].type, "%s", examples[i].file);
        cr_assert_eq(mcr_model_mu(&cfg.assets[0].model), 0.0);
        mcr_config_free(&cfg);
    }
}

Test(config, two_assets_example_loads)
{
    mcr_config cfg;
    load_example("two_assets.yaml", &cfg);
    cr_assert_eq(cfg.n_assets, 2);
    cr_assert_str_eq(cfg.assets[0].name, "BTC");
    cr_assert_eq(cfg.assets[0].model.type, MCR_MODEL_MERTON);
    cr_assert_str_eq(cfg.assets[1].name, "ETH");
    cr_assert_eq(cfg.assets[1].model.type, MCR_MODEL_HESTON);
    cr_assert_eq(cfg.correlation[1][0], 0.7);
    cr_assert_float_eq(cfg.cholesky[1][1], sqrt(1 - 0.7 * 0.7), 1e-15);
    cr_assert_eq(cfg.n_positions, 2);
    cr_assert_eq(cfg.portfolio[1].asset, 1);
    cr_assert_eq(cfg.n_scenarios, 2);
    cr_assert_str_eq(cfg.scenarios[0].name, "base");
    cr_assert_not(cfg.scenarios[0].has_correlation);
    cr_assert_eq(cfg.scenarios[0].correlation[0][1], 0.7);
    cr_assert_str_eq(cfg.scenarios[1].name, "stress");
    cr_assert(cfg.scenarios[1].has_correlation);
    cr_assert_eq(cfg.scenarios[1].correlation[0][1], 0.95);
    cr_assert_eq(cfg.scenarios[1].cholesky[1][0], 0.95);
    cr_assert_float_eq(cfg.scenarios[1].cholesky[1][1], sqrt(1 - 0.95 * 0.95), 1e-15);
    mcr_config_free(&cfg);
}
