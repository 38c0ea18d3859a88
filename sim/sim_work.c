/* The pool of per-thread workspaces kept across calls of the block loop (sim_work.h). A slot is
 * reused when the new call's plan, buffers and variance reduction fit its layout; otherwise the
 * part that does not fit is allocated again. Every block resets the state it reads
 * (mcr_assets_block_init, mcr_hedge_begin, mcr_vr_block), so a reused buffer gives the numbers a
 * new one would. */
#include "sim_work.h"

#include <stdlib.h>
#include <string.h>

#define MCR_SIM_WORK_THREADS 256

typedef struct slot {
    sim_thread th;
    int n_buffers;  /* block_buffers held by th.bb */
    int vr_key[4];  /* n_assets, steps, qmc, dims of the vr th.vw was made for */
} slot;

struct mcr_sim_work {
    slot slot[MCR_SIM_WORK_THREADS];
};

mcr_sim_work *mcr_sim_work_new(void)
{
    return calloc(1, sizeof(mcr_sim_work));
}

static void release(sim_thread *th)
{
    mcr_vr_work_free(th->vw);
    free(th->bb);
    mcr_hedge_work_free(th->hw);
    free(th->tw);
    *th = (sim_thread){0};
}

void mcr_sim_work_free(mcr_sim_work *w)
{
    for (int t = 0; w && t < MCR_SIM_WORK_THREADS; t++)
        release(&w->slot[t].th);
    free(w);
}

bool mcr_sim_thread_get(mcr_sim_work *pool, int t, const mcr_hedge_plan *plan,
                        const mcr_kernels *k, int n_buffers, const mcr_vr *vr, sim_thread *th)
{
    if (!pool || t >= MCR_SIM_WORK_THREADS) {
        *th = (sim_thread){.tw = aligned_alloc(64, sizeof(thread_work)),
                           .hw = mcr_hedge_work_new(plan, k),
                           .bb = n_buffers ? aligned_alloc(64, (size_t)n_buffers *
                                                                   sizeof(block_buffers))
                                           : NULL,
                           .vw = vr->on ? mcr_vr_work_new(vr) : NULL};
        return th->tw && th->hw && (th->bb || !n_buffers) && (th->vw || !vr->on);
    }
    slot *s = &pool->slot[t];
    sim_thread *p = &s->th;
    p->pooled = true;
    if (!p->tw)
        p->tw = aligned_alloc(64, sizeof(thread_work));
    if (p->hw && !mcr_hedge_work_rebind(p->hw, plan, k)) {
        mcr_hedge_work_free(p->hw);
        p->hw = NULL;
    }
    if (!p->hw)
        p->hw = mcr_hedge_work_new(plan, k);
    if (n_buffers > s->n_buffers) {
        free(p->bb);
        p->bb = aligned_alloc(64, (size_t)n_buffers * sizeof(block_buffers));
        s->n_buffers = p->bb ? n_buffers : 0;
    }
    int key[4] = {vr->n_assets, vr->steps, vr->qmc, vr->dims};
    if (vr->on && (!p->vw || memcmp(key, s->vr_key, sizeof key) != 0)) {
        mcr_vr_work_free(p->vw);
        p->vw = mcr_vr_work_new(vr);
        memcpy(s->vr_key, key, sizeof key);
    }
    *th = *p;
    if (!n_buffers)
        th->bb = NULL;
    if (!vr->on)
        th->vw = NULL;
    return th->tw && th->hw && (th->bb || !n_buffers) && (th->vw || !vr->on);
}

void mcr_sim_thread_put(sim_thread *th)
{
    if (!th->pooled)
        release(th);
}
