/* Suite safety_output (issue 10, items 1-3) through the mcrisk binary: an output name that is not
 * a regular file, or is one of the run's inputs, is never replaced; everything that would make
 * the final write fail is refused with exit 2 before any simulation; and one run at a time holds
 * an output (a second one refuses, naming the holder's pid, and leaves its checkpoint alone).
 * Device nodes, FIFOs and sockets are only ever the ones the test creates in its directory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "test_spawn.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-safety-out-XXXXXX"); }

TestSuite(safety_output, .init = make_dir, .fini = test_dir_remove);

static const char cfg_yaml[] = "run: {paths: 2000, seed: 3}\n"
                               "horizon: {days: 10, steps: 10}\n"
                               "market:\n"
                               "  assets:\n"
                               "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0, sigma: 0.5}}\n";

static int run_with(const char *args)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "run cfg.yaml --quiet %s", args);
    return run_in_dir("", MCR_BINARY, cmd);
}

static mode_t lmode(const char *name)
{
    char path[256];
    struct stat sb;
    in_dir(name, path, sizeof path);
    cr_assert_eq(lstat(path, &sb), 0, "%s is gone", name);
    return sb.st_mode;
}

/* Nothing named name.tmp.* is left in the directory. */
static void assert_no_temporary(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -a %s | grep -q '^%s\\.tmp'", dir, name);
    cr_assert_neq(system(cmd), 0, "a temporary of %s was left behind", name);
}

Test(safety_output, nodes_that_are_not_regular_files_are_never_replaced)
{
    write_file("cfg.yaml", cfg_yaml);
    char path[256];
    in_dir("fifo", path, sizeof path);
    cr_assert_eq(mkfifo(path, 0600), 0);
    cr_assert_eq(run_with("-o fifo"), 2);
    cr_assert(strstr(slurp("err.txt"), "fifo: is a FIFO, not a regular file"), "%s",
              slurp("err.txt"));
    cr_assert(S_ISFIFO(lmode("fifo")));

    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    in_dir("sock", sa.sun_path, sizeof sa.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    cr_assert_eq(run_with("-o sock"), 2);
    cr_assert(strstr(slurp("err.txt"), "is a socket"));
    cr_assert(S_ISSOCK(lmode("sock")));
    close(fd);

    /* a character device with /dev/null's numbers, made here (root only) */
    in_dir("null", path, sizeof path);
    if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0) {
        cr_assert_eq(run_with("-o null"), 2);
        cr_assert(strstr(slurp("err.txt"), "is a character device"));
        cr_assert(S_ISCHR(lmode("null")));
    }
    /* a symbolic link is refused, not followed: its target stays as it was */
    write_file("target.h5", "precious");
    in_dir("link.h5", path, sizeof path);
    cr_assert_eq(symlink("target.h5", path), 0);
    cr_assert_eq(run_with("-o link.h5"), 2);
    cr_assert(strstr(slurp("err.txt"), "is a symbolic link"));
    cr_assert_str_eq(slurp("target.h5"), "precious");
    assert_no_temporary("link.h5");
}

Test(safety_output, an_input_file_is_never_the_output)
{
    write_file("cfg.yaml", cfg_yaml);
    cr_assert_eq(run_with("-o cfg.yaml"), 2);
    cr_assert(strstr(slurp("err.txt"), "cfg.yaml: output is the input file cfg.yaml"), "%s",
              slurp("err.txt"));
    cr_assert_str_eq(slurp("cfg.yaml"), cfg_yaml);
    /* another name of the same file (a hard link) too */
    char a[256], b[256];
    in_dir("cfg.yaml", a, sizeof a);
    in_dir("alias.yaml", b, sizeof b);
    cr_assert_eq(link(a, b), 0);
    cr_assert_eq(run_with("-o alias.yaml"), 2);
    cr_assert_str_eq(slurp("cfg.yaml"), cfg_yaml);
    /* a replayed path file */
    write_file("p.csv", "100,100\n101,99\n");
    write_file("replay.yaml", "horizon: {days: 1, steps: 1}\n"
                              "market:\n  assets:\n    - {name: BTC, spot: 100, path_file: p.csv,\n"
                              "       model: {type: gbm, sigma: 0.5}}\n");
    cr_assert_eq(run_in_dir("", MCR_BINARY, "run replay.yaml --quiet -o p.csv"), 2);
    cr_assert(strstr(slurp("err.txt"), "output is the input file"));
    cr_assert_str_eq(slurp("p.csv"), "100,100\n101,99\n");
}

/* Each bad location is exit 2 with its message, before the run: a million paths would take
 * seconds, and nothing is simulated (no progress line, no checkpoint). */
Test(safety_output, bad_locations_fail_before_the_run)
{
    write_file("cfg.yaml", "run: {paths: 1000000, seed: 3}\n"
                           "horizon: {days: 10, steps: 100}\n"
                           "market:\n  assets:\n"
                           "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0, sigma: 0.5}}\n");
    static const struct {
        const char *out, *msg;
    } cases[] = {
        {"newdir/x.h5", "cannot write output in directory 'newdir'"},
        {"newdir/", "cannot write output in directory 'newdir'"},
        {"/sys/x.h5", "output on /sys (sysfs) refused"},
        {"/proc/self/x.h5", "output on /proc (procfs) refused"},
        {NULL, "its temporary files would exceed 255 bytes"}, /* 240 bytes */
        {".", "Is a directory"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[400], name[256] = "";
        if (!cases[i].out)
            memset(name, 'a', 240);
        snprintf(args, sizeof args, "-o %s", cases[i].out ? cases[i].out : name);
        cr_assert_eq(run_with(args), 2, "-o %s", cases[i].out);
        cr_assert(strstr(slurp("err.txt"), cases[i].msg), "-o %s: %s", cases[i].out,
                  slurp("err.txt"));
        cr_assert(!exists("newdir"));
    }
    /* an unwritable directory (root writes anywhere: then only a read-only mount would do) */
    char ro[256];
    in_dir("ro", ro, sizeof ro);
    cr_assert_eq(mkdir(ro, 0555), 0);
    if (geteuid() != 0) {
        cr_assert_eq(run_with("-o ro/x.h5"), 2);
        cr_assert(strstr(slurp("err.txt"), "Permission denied"), "%s", slurp("err.txt"));
    }
}

/* A second run on an output in use refuses with the first one's pid, and the first run's
 * checkpoint survives for its --resume. */
Test(safety_output, one_run_per_output)
{
    write_file("cfg.yaml", "run: {paths: 5000000, seed: 3, keep_pnl: false}\n"
                           "horizon: {days: 10, steps: 20}\n"
                           "market:\n  assets:\n"
                           "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0, sigma: 0.5}}\n");
    static const char *const first[] = {"run", "cfg.yaml", "-o", "out.h5", "--threads", "1",
                                        NULL};
    static const char *const env[] = {"MCR_CHECKPOINT_SECONDS=0.01", NULL};
    pid_t pid = spawn_mcrisk(env, first, "out1.txt", "err1.txt");
    char want[96];
    snprintf(want, sizeof want, "%ld\n", (long)pid);
    cr_assert(wait_for_file("out.h5.lock", want), "no lock file naming pid %ld", (long)pid);
    cr_assert_eq(run_with("-o out.h5 --seed 4"), 2);
    snprintf(want, sizeof want, "another run (pid %ld) is writing this output", (long)pid);
    cr_assert(strstr(slurp("err.txt"), want), "%s", slurp("err.txt"));
    cr_assert_eq(run_with("-o out.h5 --resume"), 2);
    cr_assert(strstr(slurp("err.txt"), want));
    cr_assert(wait_for_file("out.h5.ckpt/run", ""), "the first run writes no checkpoint");
    kill(pid, SIGTERM);
    cr_assert_eq(wait_mcrisk(pid), 128 + SIGTERM, "%s", slurp("err1.txt"));
    cr_assert(exists("out.h5.ckpt/run"), "the first run's checkpoint is gone");
    cr_assert(!exists("out.h5.lock"), "the lock file outlives its run");
    /* free again: now the checkpoint protects itself */
    cr_assert_eq(run_with("-o out.h5 --seed 4"), 2);
    cr_assert(strstr(slurp("err.txt"), "checkpoint of an interrupted run"), "%s",
              slurp("err.txt"));
    cr_assert(exists("out.h5.ckpt/run"));
}
