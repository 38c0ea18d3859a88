/* Suite atomic_file: temporaries are exclusive and unpredictable, only a regular file (or
 * nothing) is replaced, a failure leaves nothing behind, and a later run removes what a killed
 * one left. Every special file is made by the test, in its own directory. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "test_dir.h"

static void make_dir(void) { test_dir_make("/tmp/mcr-atomic-XXXXXX"); }

TestSuite(atomic_file, .init = make_dir, .fini = test_dir_remove);

static int entries(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static mcr_status write_text(const char *name, const char *text, mcr_error *err)
{
    char path[256];
    in_dir(name, path, sizeof path);
    mcr_atomic_file f;
    mcr_status st = mcr_atomic_begin(&f, path, "file", err);
    if (st != MCR_OK)
        return st;
    st = mcr_atomic_write(&f, text, strlen(text), err);
    if (st != MCR_OK) {
        mcr_atomic_abort(&f);
        return st;
    }
    return mcr_atomic_commit(&f, err);
}

Test(atomic_file, replaces_a_regular_file_whole)
{
    mcr_error err = {0};
    cr_assert_eq(write_text("out.h5", "first", &err), MCR_OK, "%s", err.msg);
    cr_assert_str_eq(slurp("out.h5"), "first");
    cr_assert_eq(write_text("out.h5", "second", &err), MCR_OK, "%s", err.msg);
    cr_assert_str_eq(slurp("out.h5"), "second");
    cr_assert_eq(entries(), 1, "a temporary was left");
}

Test(atomic_file, temporaries_are_exclusive_and_unpredictable)
{
    char path[256];
    in_dir("out.h5", path, sizeof path);
    mcr_atomic_file a, b;
    mcr_error err = {0};
    cr_assert_eq(mcr_atomic_begin(&a, path, "file", &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mcr_atomic_begin(&b, path, "file", &err), MCR_OK, "%s", err.msg);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "out.h5.tmp.%ld.", (long)getpid());
    cr_assert_eq(strncmp(a.tmp, prefix, strlen(prefix)), 0, "%s", a.tmp);
    cr_assert_eq(strlen(a.tmp), strlen(prefix) + 12, "%s", a.tmp);
    cr_assert_str_neq(a.tmp, b.tmp, "two temporaries of one name must differ");
    struct stat sb;
    cr_assert_eq(lstat(a.tmp_path, &sb), 0);
    cr_assert(S_ISREG(sb.st_mode));
    /* the temporary is a new file: opening it again exclusively fails */
    cr_assert_eq(open(a.tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0600), -1);
    cr_assert_eq(errno, EEXIST);
    mcr_atomic_abort(&a);
    mcr_atomic_abort(&b);
    cr_assert_eq(entries(), 0, "abort must remove the temporaries");
}

/* A name that is not a regular file is never replaced: the check and begin refuse it, and so
 * does the commit when it appears while the temporary is written. */
Test(atomic_file, refuses_names_that_are_not_regular_files)
{
    char fifo[256], link[256], sock[256], target[256], path[256];
    in_dir("fifo.h5", fifo, sizeof fifo);
    in_dir("link.h5", link, sizeof link);
    in_dir("sock.h5", sock, sizeof sock);
    in_dir("target.yaml", target, sizeof target);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    write_file("target.yaml", "keep me");
    cr_assert_eq(symlink(target, link), 0);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    cr_assert_lt(snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock),
                 (int)sizeof addr.sun_path);
    cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    const char *names[] = {fifo, link, sock};
    const char *kinds[] = {"a FIFO", "a symbolic link", "a socket"};
    for (int i = 0; i < 3; i++) {
        mcr_error err = {0};
        mcr_atomic_file f;
        cr_assert_eq(mcr_atomic_check(names[i], "output", &err), MCR_ERR_INPUT, "%s", names[i]);
        cr_assert(strstr(err.msg, kinds[i]) && strstr(err.msg, "not a regular file"), "%s",
                  err.msg);
        cr_assert_eq(mcr_atomic_begin(&f, names[i], "file", &err), MCR_ERR_INPUT);
    }
    close(fd);
    cr_assert_str_eq(slurp("target.yaml"), "keep me");
    /* a FIFO planted under the name after the temporary was made: the commit refuses too */
    mcr_atomic_file f;
    mcr_error err = {0};
    in_dir("late.h5", path, sizeof path);
    cr_assert_eq(mcr_atomic_begin(&f, path, "file", &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mkfifo(path, 0600), 0);
    cr_assert_eq(mcr_atomic_commit(&f, &err), MCR_ERR_INPUT);
    struct stat sb;
    cr_assert_eq(lstat(path, &sb), 0);
    cr_assert(S_ISFIFO(sb.st_mode), "the FIFO was replaced");
    cr_assert_eq(entries(), 5, "fifo, link, socket, target, the late FIFO: no temporary");
}

Test(atomic_file, clear_errors_for_bad_locations)
{
    char sub[256], longname[600];
    in_dir("sub", sub, sizeof sub);
    cr_assert_eq(mkdir(sub, 0700), 0);
    mcr_error err = {0};
    cr_assert_eq(mcr_atomic_check(sub, "file", &err), MCR_ERR_IO);
    cr_assert(strstr(err.msg, "Is a directory"), "%s", err.msg);
    cr_assert_eq(mcr_atomic_check("/nonexistent-mcrisk-dir/x.h5", "file", &err), MCR_ERR_IO);
    cr_assert(strstr(err.msg, "No such file or directory"), "%s", err.msg);
    memset(longname, 'a', sizeof longname);
    int n = snprintf(longname, sizeof longname, "%s/", dir);
    memset(longname + n, 'a', 250);
    longname[n + 250] = '\0';
    cr_assert_eq(mcr_atomic_check(longname, "file", &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "name too long"), "%s", err.msg);
}

/* A pid that no longer exists: a child that has exited and been waited for. */
static long dead_pid(void)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0)
        _exit(0);
    cr_assert_eq(waitpid(pid, NULL, 0), pid);
    return (long)pid;
}

Test(atomic_file, stale_temporaries_of_dead_writers_are_removed)
{
    long dead = dead_pid();
    char name[128], link_target[256], link[256];
    snprintf(name, sizeof name, "out.h5.tmp.%ld.abcdefabcdef", dead);
    write_file(name, "stale");
    snprintf(name, sizeof name, "out.h5.tmp.%ld", dead); /* an older naming */
    write_file(name, "stale");
    snprintf(name, sizeof name, "out.h5.tmp.%ld.x", (long)getpid()); /* ours: alive */
    write_file(name, "mine");
    write_file("out.h5.tmp.1.x", "pid 1 is alive");
    snprintf(name, sizeof name, "other.h5.tmp.%ld.x", dead); /* another output's */
    write_file(name, "other");
    write_file("victim", "not a temporary");
    in_dir("victim", link_target, sizeof link_target);
    snprintf(name, sizeof name, "out.h5.tmp.%ld.link", dead);
    in_dir(name, link, sizeof link);
    cr_assert_eq(symlink(link_target, link), 0);
    cr_assert_eq(entries(), 7);
    mcr_atomic_clean_stale(dir, "out.h5");
    cr_assert_eq(entries(), 5, "exactly the two regular temporaries of the dead pid go");
    cr_assert_str_eq(slurp("victim"), "not a temporary");
    mcr_atomic_clean_stale(dir, NULL); /* any name: other.h5's too */
    cr_assert_eq(entries(), 4);
}
