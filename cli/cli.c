/* Command-line front end: parses flags, applies them over the config, runs, writes, reports.
 * Every failure is one line on stderr starting with "mcrisk: ". */
#include "cli.h"
#include "cmd_backtest.h"
#include "cmd_calibrate.h"
#include "cmd_config.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/build_info.h"
#include "bench/bench.h"
#include "kernels/kernels.h"
#include "config/config.h"
#include "output/h5_io.h"
#include "output/plots.h"
#include "output/frontier.h"
#include "output/report.h"
#include "run/command.h"
#include "run/memory.h"
#include "run/output_claim.h"
#include "strategies/strategy.h"

#define MCR_CHECKPOINT_DEFAULT_SECONDS 60.0

static const char usage[] =
    "usage: mcrisk run [CONFIG.yaml] [-o OUT.h5] [--paths N] [--seed S] [--threads T]\n"
    "                  [--isa auto|scalar|avx2|avx512] [--quiet] [--resume]\n"
    "                  [--max-memory SIZE]\n"
    "       mcrisk report OUT.h5 [--format table|csv|markdown|json] [--wide] [--plots DIR]\n"
    "                     [--plots-format png|svg] [--html FILE] [--frontier]\n"
    "       mcrisk bench [--workload W] [--paths N] [--repeats R] [--threads T,T..] [--isa I,I..]\n"
    "                    [--quick] [--json] [--primitives] [--normals] [--print-reference]\n"
    "                    [--print-config W]\n"
    "       mcrisk config --reference\n"
    "       mcrisk calibrate DATA.csv --model gbm|merton|kou|garch|gjr [--window DAYS]\n"
    "                        [--end YYYY-MM-DD] [--column NAME]\n"
    "       mcrisk calibrate CHAIN.csv --surface --spot S [--rate R]\n"
    "       mcrisk backtest CONFIG.yaml --data FILE --from DATE --to DATE [--horizon-days 1|10]\n"
    "                       [--window DAYS] [-o OUT.h5] [--plot FILE.svg] (backtest --help)\n"
    "       mcrisk --help | --version\n"
    "\n"
    "run      simulate the config (the built-in default when none is given), write OUT.h5\n"
    "         (default: run.output of the config) and print the summary table; progress goes\n"
    "         to stderr (--quiet: none). SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 or SIGXCPU\n"
    "         stops it, leaving OUT.h5.ckpt;\n"
    "         --resume continues from it with the same config and flags (run --help)\n"
    "report   print the summary table of a result file (--plots DIR: and draw it, as PNG or\n"
    "         SVG; --html FILE: and write a self-contained HTML report; --frontier: hedge cost\n"
    "         against CVaR instead, the efficient strategies marked; report --help)\n"
    "bench    validate and time the workloads W1, W2, WH, W3, WS per ISA and thread count,\n"
    "         beside the floor workload (--primitives: ns per element of each kernel primitive)\n"
    "config   --reference: print every config key (type, default, range, unit, meaning) as\n"
    "         markdown\n"
    "calibrate fit a model by maximum likelihood to a daily price file, or the implied-vol\n"
    "         surface to an option chain; prints estimates, standard errors and a config block\n"
    "backtest refit the config's model every day on a daily price file, simulate the book and\n"
    "         its hedges, and test the VaR and ES forecasts against the realised P&L\n"
    "\n"
    "MCR_ISA=auto|scalar|avx2|avx512 selects the kernels when --isa is not given.\n"
    "Exit status: 0 success, 2 bad input, 1 other failure (a non-finite result too),\n"
    "128 + the signal when stopped by one (130 SIGINT, 143 SIGTERM; a checkpoint was written).\n";

static const char run_usage[] =
    "usage: mcrisk run [CONFIG.yaml] [-o OUT.h5] [--paths N] [--seed S] [--threads T]\n"
    "                  [--isa auto|scalar|avx2|avx512] [--quiet] [--resume] [--max-memory SIZE]\n"
    "\n"
    "Simulate CONFIG.yaml (without one, the built-in default: 100 BTC hedged five ways in a base\n"
    "and three historical scenarios), write the result file and print the summary table.\n"
    "\n"
    "  -o, --output OUT.h5   the result file (default: run.output of the config, out.h5)\n"
    "  --paths N             Monte Carlo paths per scenario (run.paths)\n"
    "  --seed S              random seed: the same seed gives bitwise the same result (run.seed)\n"
    "  --threads T           OpenMP threads, 0 = all cores (run.threads)\n"
    "  --isa I               kernels: auto (the widest the CPU has), scalar, avx2, avx512;\n"
    "                        also MCR_ISA\n"
    "  -q, --quiet           no progress and no timing line on stderr (errors still are)\n"
    "  --resume              continue a stopped run from OUT.h5.ckpt (same config and flags)\n"
    "  --max-memory SIZE     the memory the run may use (bytes, or K, M, G, T: 64G); default:\n"
    "                        what is available; a run estimated above it is refused\n"
    "  -h, --help            this text\n"
    "\n"
    "Progress goes to stderr. SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 or SIGXCPU stops the run,\n"
    "leaving OUT.h5.ckpt. Exit status: 0 success, 2 bad input, 1 other failure (a non-finite\n"
    "result too), 128 + the signal when stopped (130 SIGINT, 143 SIGTERM).\n";

static const char report_usage[] =
    "usage: mcrisk report OUT.h5 [--format table|csv|markdown|json] [--wide] [--plots DIR]\n"
    "                     [--plots-format png|svg] [--html FILE] [--frontier]\n"
    "\n"
    "Print the summary table of a result file, and draw its plots or write its HTML report.\n"
    "\n"
    "  -f, --format F        table (default): header, legend and aligned rows within 120\n"
    "                        columns; csv, markdown: every figure of every cell; json: the\n"
    "                        whole summary tree (provenance, figures, risk tables, histograms)\n"
    "  --wide                table: every confidence level and figure, however wide\n"
    "  --plots DIR           draw every plot into DIR (created; its parent must exist)\n"
    "  --plots-format F      png (default for --plots) or svg; also how --html embeds plots\n"
    "  --html FILE           write one self-contained HTML report (no network resources)\n"
    "  --frontier            instead of the table: hedge cost (paired, against run.baseline)\n"
    "                        against CVaR, efficient strategies marked; with --plots DIR it\n"
    "                        draws DIR/frontier.png only\n"
    "  -h, --help            this text\n"
    "\n"
    "Plots and the HTML report run /usr/bin/python3 -m mcrisk (python3-matplotlib,\n"
    "python3-pandas). Exit status: 0 success, 2 bad input, 1 other failure.\n";

static int fail(const mcr_error *err)
{
    fprintf(stderr, "mcrisk: %s\n", err->msg);
    return mcr_exit_code(err->status);
}

/* The signals that stop a run cleanly: Ctrl-C, kill, and what batch systems send before a kill
 * (SIGHUP when the session ends, SIGQUIT, SIGUSR1 as a warning, SIGXCPU at the CPU-time limit). */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGXCPU};

/* Set by a stop signal: the run stops between blocks and writes its checkpoint. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

/* One-shot handlers: a second signal while the checkpoint is being written kills the process
 * (the previous checkpoint stays valid: writes are atomic). */
static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
        sigaction(stop_signals[i], &sa, NULL);
}

/* MCR_CHECKPOINT_SECONDS: seconds between periodic checkpoints (default 60); 0 = only when
 * stopped by a signal. */
static mcr_status checkpoint_seconds(double *seconds, mcr_error *err)
{
    const char *v = getenv("MCR_CHECKPOINT_SECONDS");
    *seconds = MCR_CHECKPOINT_DEFAULT_SECONDS;
    if (!v || !*v)
        return MCR_OK;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || *end || !(x >= 0) || x > 1e9)
        return mcr_fail(err, MCR_ERR_INPUT, "MCR_CHECKPOINT_SECONDS: expected a number of seconds "
                        ">= 0, 0 = only when stopped (got '%s')", v);
    *seconds = x;
    return MCR_OK;
}

/* How to continue a stopped run: this command with --resume (argv as getopt left it). */
typedef struct command_line {
    int argc;
    char **argv;
} command_line;

static void print_resume_hint(void *ctx)
{
    int argc = ((command_line *)ctx)->argc;
    char **argv = ((command_line *)ctx)->argv;
    fputs("mcrisk: resume with: mcrisk run", stderr);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--resume"))
            continue;
        if (argv[i][0] && !argv[i][strspn(argv[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
                                                   "QRSTUVWXYZ0123456789_-+=.,/:@%")])
            fprintf(stderr, " %s", argv[i]);
        else { /* single-quoted for the shell, ' as '\'' */
            fputs(" '", stderr);
            for (const char *c = argv[i]; *c; c++) {
                if (*c == '\'')
                    fputs("'\\''", stderr);
                else
                    fputc(*c, stderr);
            }
            fputc('\'', stderr);
        }
    }
    fputs(" --resume\n", stderr);
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"paths", required_argument, 0, 'p'},
        {"seed", required_argument, 0, 's'},   {"threads", required_argument, 0, 't'},
        {"isa", required_argument, 0, 'i'},    {"quiet", no_argument, 0, 'q'},
        {"resume", no_argument, 0, 'r'},       {"help", no_argument, 0, 'h'},
        {"max-memory", required_argument, 0, 'm'},
        {0, 0, 0, 0}};
    const char *output = NULL, *paths = NULL, *seed = NULL, *threads = NULL, *isa = NULL,
               *max_memory = NULL;
    int quiet = 0, resume = 0, c;
    mcr_error err = {0};
    while ((c = getopt_long(argc, argv, "o:q", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'p': paths = optarg; break;
        case 's': seed = optarg; break;
        case 't': threads = optarg; break;
        case 'i': isa = optarg; break;
        case 'q': quiet = 1; break;
        case 'r': resume = 1; break;
        case 'm': max_memory = optarg; break;
        case 'h': fputs(run_usage, stdout); return 0;
        default: fputs(run_usage, stderr); return 2;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, "mcrisk: run takes at most one config file (got %d)\n", argc - optind);
        return 2;
    }

    mcr_config cfg;
    mcr_status st = optind < argc
                        ? mcr_config_load_file(argv[optind], &cfg, &err)
                        : mcr_config_load_string(mcr_default_config_yaml, "<built-in default>",
                                                 &cfg, &err);
    if (st != MCR_OK)
        return fail(&err);

    /* the flags are overrides of config keys, checked against the keys' rows */
    const struct {
        const char *value, *key, *flag;
    } overrides[] = {{paths, "run.paths", "--paths"}, {seed, "run.seed", "--seed"},
                     {threads, "run.threads", "--threads"}, {output, "run.output", "--output"}};
    for (size_t i = 0; st == MCR_OK && i < sizeof overrides / sizeof overrides[0]; i++)
        if (overrides[i].value)
            st = mcr_config_override(&cfg, overrides[i].key, overrides[i].value,
                                     overrides[i].flag, &err);
    if (st == MCR_OK)
        st = mcr_config_check(&cfg, &err);
    mcr_run_options opt = {.quiet = quiet, .resume = resume, .sim.stop = &stop_signal};
    char ckpt[MCR_PATH_MAX + 8];
    if (st == MCR_OK)
        st = mcr_kernels_select(isa, &opt.sim.kernels, &err);
    if (st == MCR_OK && max_memory && !mcr_memory_parse(max_memory, &opt.max_memory))
        st = mcr_fail(&err, MCR_ERR_INPUT, "--max-memory: expected a size > 0 in bytes, or with "
                      "K, M, G or T (powers of 1024), e.g. 8G (got '%s')", max_memory);
    const char *inputs[MCR_MAX_SIM_ASSETS + 1];
    if (st == MCR_OK)
        st = mcr_output_check(cfg.output, inputs,
                              mcr_config_inputs(&cfg, inputs, MCR_MAX_SIM_ASSETS + 1), &err);
    if (st == MCR_OK)
        st = checkpoint_seconds(&opt.checkpoint_seconds, &err);
    if (st == MCR_OK && snprintf(ckpt, sizeof ckpt, "%s.ckpt", cfg.output) >= (int)sizeof ckpt)
        st = mcr_fail(&err, MCR_ERR_INPUT, "%s: output path too long", cfg.output);
    if (st != MCR_OK) {
        mcr_config_free(&cfg);
        return fail(&err);
    }
    opt.checkpoint = ckpt;
    opt.sim.threads = cfg.threads > 0 ? cfg.threads : omp_get_num_procs();
    catch_stop_signals();
    command_line cl = {argc, argv};
    int status = mcr_run_command(&cfg, &opt, print_resume_hint, &cl);
    mcr_config_free(&cfg);
    return status;
}

static int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, 'f'},
                                         {"wide", no_argument, 0, 'w'},
                                         {"plots", required_argument, 0, 'p'},
                                         {"plots-format", required_argument, 0, 'P'},
                                         {"html", required_argument, 0, 'H'},
                                         {"frontier", no_argument, 0, 'F'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    mcr_report_options ro = {.format = MCR_FORMAT_TABLE};
    const char *plots = NULL, *plots_format = NULL, *html = NULL;
    int c, frontier = 0;
    while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!mcr_report_format_parse(optarg, &ro.format)) {
                fprintf(stderr, "mcrisk: --format: unknown format '%s'; allowed: table, csv, "
                        "markdown, json\n", optarg);
                return 2;
            }
            break;
        case 'w': ro.wide = true; break;
        case 'p': plots = optarg; break;
        case 'P':
            if (strcmp(optarg, "png") && strcmp(optarg, "svg")) {
                fprintf(stderr, "mcrisk: --plots-format: unknown format '%s'; allowed: png, "
                        "svg\n", optarg);
                return 2;
            }
            plots_format = optarg;
            break;
        case 'H': html = optarg; break;
        case 'F': frontier = 1; break;
        case 'h': fputs(report_usage, stdout); return 0;
        default: fputs(report_usage, stderr); return 2;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "mcrisk: report takes one result file\n%s", report_usage);
        return 2;
    }
    mcr_result result;
    mcr_error err = {0};
    if (access(argv[optind], R_OK) != 0) { /* a missing file is the user's to fix: exit 2 */
        mcr_fail(&err, MCR_ERR_INPUT, "%s: cannot read result file: %s", argv[optind],
                 strerror(errno));
        return fail(&err);
    }
    mcr_status st = mcr_h5_read(argv[optind], 0, &result, &err);
    if (st == MCR_ERR_IO) /* the file given cannot be read as a result file: bad input */
        err.status = MCR_ERR_INPUT;
    if (st == MCR_OK && (st = mcr_report_check(argv[optind], &result, &err)) != MCR_OK)
        mcr_result_free(&result);
    if (st != MCR_OK)
        return fail(&err);
    if (frontier) {
        st = mcr_frontier_print(stdout, &result, &err);
    } else {
        /* the config as run, for the table's facts; a config that cannot be loaded again (a
         * path_file moved away) leaves them unknown */
        mcr_config cfg;
        mcr_error cfg_err = {0};
        char source[MCR_PATH_MAX + 16];
        snprintf(source, sizeof source, "as recorded in %s", argv[optind]);
        bool have_cfg = result.prov.config_yaml &&
                        mcr_config_load_string(result.prov.config_yaml, source, &cfg, &cfg_err) ==
                            MCR_OK;
        ro.file = argv[optind];
        mcr_report_print(stdout, &result, have_cfg ? &cfg : NULL, &ro);
        if (have_cfg)
            mcr_config_free(&cfg);
    }
    mcr_result_free(&result);
    if (st != MCR_OK)
        return fail(&err);
    if (plots && (frontier ? mcr_plots_frontier : mcr_plots_write)(argv[optind], plots,
                                                                    plots_format, &err) != MCR_OK)
        return fail(&err);
    if (html && mcr_plots_html(argv[optind], html, plots_format, &err) != MCR_OK)
        return fail(&err);
    return 0;
}

int mcr_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("mcrisk %s (%s)\n", mcr_build_version(), mcr_build_revision());
        return 0;
    }
    /* Sub-commands parse their own flags from argv[1] on (getopt skips argv[0]). */
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "bench"))
        return mcr_bench_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "config"))
        return mcr_cmd_config(argc - 1, argv + 1);
    if (!strcmp(cmd, "calibrate"))
        return mcr_cmd_calibrate(argc - 1, argv + 1);
    if (!strcmp(cmd, "backtest"))
        return mcr_cmd_backtest(argc - 1, argv + 1);
    fprintf(stderr, "mcrisk: unknown command '%s'; allowed: run, report, bench, config, "
            "calibrate, backtest, --help, --version\n", cmd);
    return 2;
}
