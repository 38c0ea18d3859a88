/* The descriptor file driver (h5_fd_driver.h): pread/pwrite/ftruncate on the caller's fd. */
#include "h5_fd_driver.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fd_info {
    int fd;
    int *error;
} fd_info;

typedef struct fd_file {
    H5FD_t pub; /* first: HDF5 sees this part */
    fd_info info;
    haddr_t eoa, eof;
} fd_file;

static void fail(fd_file *f, int e)
{
    if (!*f->info.error)
        *f->info.error = e ? e : EIO;
}

static H5FD_t *fd_open(const char *name, unsigned flags, hid_t fapl, haddr_t maxaddr)
{
    (void)name, (void)flags, (void)maxaddr;
    const fd_info *info = H5Pget_driver_info(fapl);
    fd_file *f = info ? calloc(1, sizeof *f) : NULL;
    if (!f)
        return NULL;
    f->info = *info;
    off_t end = lseek(info->fd, 0, SEEK_END);
    f->eof = end > 0 ? (haddr_t)end : 0;
    return &f->pub;
}

static herr_t fd_close(H5FD_t *file)
{
    free(file); /* the descriptor is the caller's */
    return 0;
}

static int fd_cmp(const H5FD_t *a, const H5FD_t *b)
{
    int x = ((const fd_file *)a)->info.fd, y = ((const fd_file *)b)->info.fd;
    return (x > y) - (x < y);
}

static herr_t fd_query(const H5FD_t *file, unsigned long *flags)
{
    (void)file; /* sec2's features: the same allocation, so the same layout */
    *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA |
             H5FD_FEAT_DATA_SIEVE | H5FD_FEAT_AGGREGATE_SMALLDATA;
    return 0;
}

static haddr_t fd_get_eoa(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const fd_file *)file)->eoa;
}

static herr_t fd_set_eoa(H5FD_t *file, H5FD_mem_t type, haddr_t addr)
{
    (void)type;
    ((fd_file *)file)->eoa = addr;
    return 0;
}

static haddr_t fd_get_eof(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const fd_file *)file)->eof;
}

static herr_t fd_get_handle(H5FD_t *file, hid_t fapl, void **handle)
{
    (void)fapl;
    *handle = &((fd_file *)file)->info.fd;
    return 0;
}

/* Bytes past the end of the file read as zeros, as with sec2. */
static herr_t fd_read(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size,
                      void *buf)
{
    (void)type, (void)dxpl;
    fd_file *f = (fd_file *)file;
    char *p = buf;
    while (size > 0) {
        ssize_t n = pread(f->info.fd, p, size, (off_t)addr);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0)
                fail(f, errno);
            memset(p, 0, size);
            break;
        }
        p += n, addr += (haddr_t)n, size -= (size_t)n;
    }
    return 0;
}

static herr_t fd_write(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size,
                       const void *buf)
{
    (void)type, (void)dxpl;
    fd_file *f = (fd_file *)file;
    const char *p = buf;
    while (size > 0 && !*f->info.error) {
        ssize_t n = pwrite(f->info.fd, p, size, (off_t)addr);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fail(f, n < 0 ? errno : ENOSPC);
            break;
        }
        p += n, addr += (haddr_t)n, size -= (size_t)n;
        if (addr > f->eof)
            f->eof = addr;
    }
    return 0;
}

static herr_t fd_truncate(H5FD_t *file, hid_t dxpl, hbool_t closing)
{
    (void)dxpl, (void)closing;
    fd_file *f = (fd_file *)file;
    if (f->eoa != f->eof && !*f->info.error) {
        if (ftruncate(f->info.fd, (off_t)f->eoa) != 0)
            fail(f, errno);
        else
            f->eof = f->eoa;
    }
    return 0;
}

static const H5FD_class_t fd_class = {
    .name = "mcrisk_fd",
    .maxaddr = (haddr_t)INT64_MAX,
    .fc_degree = H5F_CLOSE_WEAK,
    .fapl_size = sizeof(fd_info),
    .open = fd_open,
    .close = fd_close,
    .cmp = fd_cmp,
    .query = fd_query,
    .get_eoa = fd_get_eoa,
    .set_eoa = fd_set_eoa,
    .get_eof = fd_get_eof,
    .get_handle = fd_get_handle,
    .read = fd_read,
    .write = fd_write,
    .truncate = fd_truncate,
    .fl_map = H5FD_FLMAP_DICHOTOMY,
};

hid_t mcr_h5_fd_fapl(int fd, int *error)
{
    static hid_t driver = H5I_INVALID_HID;
    if (driver < 0 || H5Iis_valid(driver) <= 0)
        driver = H5FDregister(&fd_class);
    hid_t fapl = driver < 0 ? H5I_INVALID_HID : H5Pcreate(H5P_FILE_ACCESS);
    fd_info info = {fd, error};
    if (fapl >= 0 && H5Pset_driver(fapl, driver, &info) < 0) {
        H5Pclose(fapl);
        fapl = H5I_INVALID_HID;
    }
    return fapl;
}
