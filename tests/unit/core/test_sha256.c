/* SHA-256 against the FIPS 180-4 examples and sha256sum's digest of the shipped BTC file (the
 * value data/README.md states). */
#include <criterion/criterion.h>
#include <string.h>

#include "core/sha256.h"

Test(sha256, fips_examples_and_the_data_file)
{
    char hex[65];
    mcr_sha256_bytes("abc", 3, hex);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    mcr_sha256_bytes("", 0, hex);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes */
    mcr_sha256_bytes(two, strlen(two), hex);
    cr_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    mcr_error err = {0};
    cr_assert_eq(mcr_sha256_file(MCR_SOURCE_DIR "/data/btc_usd_daily.csv", hex, &err), MCR_OK);
    cr_assert_str_eq(hex, "c2a85ac9805e033653a82bd344cc66373e7d1b5a614156c8dd41722b7ec43826");
    cr_assert_eq(mcr_sha256_file("/nonexistent/file.csv", hex, &err), MCR_ERR_INPUT);
}
