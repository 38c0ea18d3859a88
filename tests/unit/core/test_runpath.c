/* mcrisk's RUNPATH has no empty entry. The dynamic
 * loader reads an empty entry ("a:" or ":a" or "a::b") as the current directory, so a binary run
 * as root would load a libz.so or libhdf5 planted wherever it is started. CMake's default build
 * RPATH of an installed target ends in such an entry (padding for the install-time rewrite); the
 * build now uses the install RUNPATH. Read from the ELF file of the built mcrisk (MCR_BINARY):
 * the .dynamic section and the string table it links to. */
#include <criterion/criterion.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the whole file of the mcrisk binary, its size in *n */
static unsigned char *mcrisk_image(size_t *n)
{
    FILE *f = fopen(MCR_BINARY, "rb");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    cr_assert_gt(size, (long)sizeof(Elf64_Ehdr));
    rewind(f);
    unsigned char *b = malloc((size_t)size);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *n = (size_t)size;
    return b;
}

Test(runpath, has_no_empty_entry)
{
    size_t n;
    unsigned char *b = mcrisk_image(&n);
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
    cr_assert_eq(memcmp(eh->e_ident, ELFMAG, SELFMAG), 0);
    cr_assert_eq(eh->e_ident[EI_CLASS], ELFCLASS64);
    cr_assert_leq(eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr), n);
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(b + eh->e_shoff);
    int paths = 0;
    for (int s = 0; s < eh->e_shnum; s++) {
        if (sh[s].sh_type != SHT_DYNAMIC)
            continue;
        const char *str = (const char *)(b + sh[sh[s].sh_link].sh_offset);
        const Elf64_Dyn *d = (const Elf64_Dyn *)(b + sh[s].sh_offset);
        for (size_t k = 0; k < sh[s].sh_size / sizeof *d && d[k].d_tag != DT_NULL; k++) {
            if (d[k].d_tag != DT_RUNPATH && d[k].d_tag != DT_RPATH)
                continue;
            const char *p = str + d[k].d_un.d_val;
            paths++;
            size_t len = strlen(p);
            cr_expect(len > 0 && p[0] != ':' && p[len - 1] != ':' && !strstr(p, "::"),
                      "RUNPATH \"%s\" has an empty entry (the current directory)", p);
        }
    }
    /* Debian's HDF5 link directory gives mcrisk a RUNPATH (a build finding every library in the
     * system's directories would have none, which is as safe) */
    cr_log_info("%s: runpath entries checked: %d", MCR_BINARY, paths);
    free(b);
}
