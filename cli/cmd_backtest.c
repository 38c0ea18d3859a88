/* `mcrisk backtest` (cmd_backtest.h): flags, the run, the table, the HDF5 file and the plot. */
#include "cmd_backtest.h"

#include <errno.h>
#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/data_file.h"
#include "core/sha256.h"
#include "output/backtest_h5.h"
#include "run/backtest.h"
#include "strategies/strategy.h"

static const char usage[] =
    "usage: mcrisk backtest CONFIG.yaml --data FILE --from YYYY-MM-DD --to YYYY-MM-DD\n"
    "                       [--horizon-days 1|10] [--window DAYS] [--column NAME] [-o OUT.h5]\n"
    "                       [--plot FILE.svg] [--paths N] [--seed S] [--threads T]\n"
    "                       [--isa auto|scalar|avx2|avx512] [--z2-sims N] [--cold] [--quiet]\n"
    "Every day from --from to --to: refit the config's model on the --window daily log returns\n"
    "ending that day, simulate the book and its hedges over the next --horizon-days, and compare\n"
    "VaR and ES at the config's levels with the P&L they really made on the file's prices.\n"
    "Numerical refits (merton, kou, fhs) start from the previous day's estimates; --cold starts\n"
    "every day's from the fixed starting points instead (as calibrate does; slower).\n"
    "Defaults: --horizon-days 1, --window 250, -o backtest.h5, --plot OUT.svg, --z2-sims 1000.\n";

static int bad(const char *fmt, const char *a, const char *b)
{
    fputs("mcrisk: ", stderr);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 2;
}

static int fail(const mcr_error *err)
{
    fprintf(stderr, "mcrisk: %s\n", err->msg);
    return mcr_exit_code(err->status);
}

static bool whole(const char *s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static void print_table(const mcr_backtest *b)
{
    char a[11], z[11];
    mcr_date_format(b->day[0], a);
    mcr_date_format(b->day[b->n_days - 1], z);
    printf("backtest: %s model refitted daily on %d returns of %s (%s), %s to %s, %d days, "
           "%d-day horizon, %llu paths a day\n", b->model, b->window, b->data, b->column, a, z,
           b->n_days, b->horizon_days, (unsigned long long)b->paths);
    if (b->horizon_days > 1)
        printf("caveat: overlapping %d-day horizons; consecutive outcomes share days, so the "
               "p-values (which assume independent days) are only indicative\n",
               b->horizon_days);
    printf("\n%-20s %6s %5s %11s %18s %18s %18s %16s %16s\n", "strategy", "level", "exc",
           "expected", "Kupiec LR (p)", "Christ. ind (p)", "cond. cov (p)", "Basel last 250",
           "Z2 (p)");
    for (int s = 0; s < b->n_strategies; s++)
        for (int l = 0; l < b->n_levels; l++) {
            const mcr_backtest_stats *x = &b->stats[s * b->n_levels + l];
            const mcr_coverage *c = &x->coverage;
            char k[32], i[32], cc[32], zone[32], z2[32];
            snprintf(k, sizeof k, "%.3f (%.2g)", c->lr_pof, c->p_pof);
            snprintf(i, sizeof i, "%.3f (%.2g)", c->lr_ind, c->p_ind);
            snprintf(cc, sizeof cc, "%.3f (%.2g)", c->lr_cc, c->p_cc);
            snprintf(zone, sizeof zone, "%s (%d)", mcr_basel_zone_name(x->zone_last),
                     x->exceptions_last);
            snprintf(z2, sizeof z2, "%.3f (%.2g)", x->z2, x->p_z2);
            printf("%-20s %6.4g %5d %11.1f %18s %18s %18s %16s %16s\n", b->strategy[s],
                   b->levels[l], c->exceptions, c->n * (1 - c->level), k, i, cc, zone, z2);
        }
    printf("\n250-day windows from the first day (green / yellow / red):");
    for (int s = 0; s < b->n_strategies; s++)
        for (int l = 0; l < b->n_levels; l++) {
            const mcr_backtest_stats *x = &b->stats[s * b->n_levels + l];
            printf("%s %s %.4g: %d/%d/%d", s + l ? ";" : "", b->strategy[s], b->levels[l],
                   x->windows[0], x->windows[1], x->windows[2]);
        }
    printf("\n");
}

int mcr_cmd_backtest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'},   {"from", required_argument, 0, 'f'},
        {"to", required_argument, 0, 'T'},     {"horizon-days", required_argument, 0, 'H'},
        {"window", required_argument, 0, 'w'}, {"column", required_argument, 0, 'c'},
        {"output", required_argument, 0, 'o'}, {"plot", required_argument, 0, 'P'},
        {"paths", required_argument, 0, 'p'},  {"seed", required_argument, 0, 's'},
        {"threads", required_argument, 0, 't'}, {"isa", required_argument, 0, 'i'},
        {"z2-sims", required_argument, 0, 'z'}, {"quiet", no_argument, 0, 'q'},
        {"cold", no_argument, 0, 'C'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    const char *from = NULL, *to = NULL, *horizon = "1", *window = "250", *output = "backtest.h5";
    const char *plot = NULL, *paths = NULL, *seed = NULL, *threads = NULL, *isa = NULL;
    const char *z2 = "1000";
    mcr_backtest_options o = {.column = NULL};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:q", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.data = optarg; break;
        case 'f': from = optarg; break;
        case 'T': to = optarg; break;
        case 'H': horizon = optarg; break;
        case 'w': window = optarg; break;
        case 'c': o.column = optarg; break;
        case 'o': output = optarg; break;
        case 'P': plot = optarg; break;
        case 'p': paths = optarg; break;
        case 's': seed = optarg; break;
        case 't': threads = optarg; break;
        case 'i': isa = optarg; break;
        case 'z': z2 = optarg; break;
        case 'q': o.quiet = true; break;
        case 'C': o.cold = true; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (argc - optind != 1)
        return bad("backtest takes one config file%s%s", "", "");
    if (!o.data)
        return bad("backtest: --data FILE is required (a daily CSV with a date column)%s%s", "",
                   "");
    if (!from || !mcr_date_parse(from, &o.from))
        return bad("--from: expected a date YYYY-MM-DD (got '%s')%s", from ? from : "", "");
    if (!to || !mcr_date_parse(to, &o.to) || o.to < o.from)
        return bad("--to: expected a date YYYY-MM-DD on or after --from (got '%s')%s",
                   to ? to : "", "");
    if (!whole(horizon, 1, 63, &o.horizon_days))
        return bad("--horizon-days: expected a whole number of days in [1, 63], e.g. 1 or 10 "
                   "(got '%s')%s", horizon, "");
    if (!whole(window, 2, 100000, &o.window))
        return bad("--window: expected a whole number of days >= 2 (got '%s')%s", window, "");
    if (!whole(z2, 0, 1000000, &o.z2_sims))
        return bad("--z2-sims: expected a whole number >= 0 (got '%s')%s", z2, "");
    char plot_name[4096];
    if (!plot) {
        snprintf(plot_name, sizeof plot_name, "%s", output);
        char *dot = strrchr(plot_name, '.');
        snprintf(dot && !strchr(dot, '/') ? dot : plot_name + strlen(plot_name),
                 sizeof plot_name - (size_t)((dot ? dot : plot_name) - plot_name), ".svg");
        plot = plot_name;
    }
    mcr_config cfg;
    mcr_error err = {0};
    mcr_status st = mcr_config_load_file(argv[optind], &cfg, &err);
    if (st != MCR_OK)
        return fail(&err);
    const struct {
        const char *value, *key, *flag;
    } overrides[] = {{paths, "run.paths", "--paths"}, {seed, "run.seed", "--seed"},
                     {threads, "run.threads", "--threads"}};
    for (size_t i = 0; st == MCR_OK && i < sizeof overrides / sizeof overrides[0]; i++)
        if (overrides[i].value)
            st = mcr_config_override(&cfg, overrides[i].key, overrides[i].value,
                                     overrides[i].flag, &err);
    if (st == MCR_OK)
        st = mcr_kernels_select(isa, &o.sim.kernels, &err);
    if (st == MCR_OK && (mcr_atomic_check(output, "output", &err) != MCR_OK ||
                         mcr_atomic_check(plot, "plot", &err) != MCR_OK))
        st = err.status = MCR_ERR_INPUT;
    o.sim.threads = cfg.threads > 0 ? cfg.threads : omp_get_num_procs();
    mcr_backtest b;
    char sha[65] = "";
    if (st == MCR_OK)
        st = mcr_sha256_file(o.data, sha, &err);
    if (st == MCR_OK)
        st = mcr_backtest_run(&cfg, &o, &b, &err);
    if (st == MCR_OK) {
        snprintf(b.data_sha256, sizeof b.data_sha256, "%s", sha);
        print_table(&b);
        st = mcr_backtest_write_h5(output, &b, &err);
        if (st == MCR_OK)
            st = mcr_backtest_write_svg(plot, &b, 0, b.n_levels - 1, &err);
        if (st == MCR_OK && !o.quiet)
            fprintf(stderr, "backtest: %.1f s (refits %.1f s, simulations %.1f s); wrote %s and "
                    "%s\n", b.seconds, b.fit_seconds, b.sim_seconds, output, plot);
        mcr_backtest_free(&b);
    }
    mcr_config_free(&cfg);
    return st == MCR_OK ? 0 : fail(&err);
}
