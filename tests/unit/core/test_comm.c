/* Suite comm: the split of a run's paths into rank-owned chunks, and the one-rank communicator. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/comm.h"

/* Rank r of k: only rank and size matter to the split. */
static mcr_comm rank_of(int r, int k)
{
    return (mcr_comm){.rank = r, .size = k, .ops = mcr_comm_serial()->ops};
}

Test(comm, shares_cover_the_run_in_whole_chunks)
{
    const uint64_t runs[] = {1, 64, 65536, 65537, 131172, 10 * 65536 + 7};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        for (int k = 1; k <= 5; k++) {
            uint64_t next = 0, n = runs[i];
            int most = 0, least = 1 << 30;
            for (int r = 0; r < k; r++) {
                mcr_comm c = rank_of(r, k);
                mcr_share s;
                cr_assert(mcr_share_init(&s, &c, n));
                cr_assert_eq(s.n_chunks, (int)((n + MCR_CHUNK_PATHS - 1) / MCR_CHUNK_PATHS));
                cr_assert_eq(s.first, next, "%llu paths, rank %d of %d",
                             (unsigned long long)n, r, k);
                cr_assert_eq(s.first % MCR_CHUNK_PATHS, 0);
                if (s.count > 0)
                    cr_assert_eq((uint64_t)mcr_share_my_first(&s, &c) * MCR_CHUNK_PATHS,
                                 s.first);
                int mine = mcr_share_my_chunks(&s, &c);
                most = mine > most ? mine : most;
                least = mine < least ? mine : least;
                uint64_t paths = 0;
                for (int j = 0; j < mine; j++)
                    paths += mcr_share_chunk_len(&s, mcr_share_my_first(&s, &c) + j);
                cr_assert_eq(paths, s.count);
                next = s.first + s.count;
                mcr_share_free(&s);
            }
            cr_assert_eq(next, n, "the shares end at the last path");
            cr_assert_leq(most - least, 1, "chunks spread evenly");
        }
}

Test(comm, serial_collectives)
{
    const mcr_comm *c = mcr_comm_serial();
    cr_assert_eq(c->rank, 0);
    cr_assert_eq(c->size, 1);
    cr_assert_null(c->mpi);
    mcr_error err = {0};
    cr_assert_eq(mcr_comm_agree(c, MCR_OK, &err), MCR_OK);
    mcr_fail(&err, MCR_ERR_INPUT, "bad");
    cr_assert_eq(mcr_comm_agree(c, MCR_ERR_INPUT, &err), MCR_ERR_INPUT);
    cr_assert_str_eq(err.msg, "bad");
    cr_assert_eq(mcr_comm_sum_u64(c, 42), 42);
    cr_assert_eq(mcr_comm_max_int(c, -3), -3);
    cr_assert_eq(mcr_comm_max_f64(c, 2.5), 2.5);
    uint64_t send[3] = {7, 8, 9}, recv[3] = {0};
    cr_assert_eq(c->ops->gather_u64(c, send, 3, recv), 3);
    cr_assert_eq(memcmp(send, recv, sizeof send), 0);
}
