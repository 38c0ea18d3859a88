/* Standard errors under variance reduction (vr_se.h). One pass over the sample gathers, per
 * chunk of MCR_CHUNK_PATHS paths, the sums the estimators need, per i.i.d. unit:
 *   antithetic (one group of n / 2 pair averages a_k): sum and sum of squares (about a shift)
 *     of the pair averages of x, of the tail indicator 1{L >= VaR} and of phi = (L - VaR)^+ / p;
 *   qmc (R groups, the randomisations): each group's path count and the sums of x, of the
 *     indicator and of phi.
 * The chunk partials are allgathered and added in chunk order (as summary.c's moments), so the
 * figures do not depend on how the chunks are spread over ranks. Pairs never straddle a chunk
 * (chunks and blocks start at even paths), nor do they a block, so a rank holds whole pairs. */
#include "vr_se.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "risk.h"
#include "summary.h"
#include "sim/vr.h"

double mcr_var_window(uint64_t n, double level)
{
    return ceil(sqrt((double)n * (1.0 - level) * level));
}

static uint64_t clamp_rank(int64_t i, uint64_t n)
{
    return i < 1 ? 1 : (uint64_t)i > n ? n : (uint64_t)i;
}

/* What one pass sums, per chunk of x[0..len) (global paths from `first`), into acc[0..width). */
typedef struct vr_pass {
    const mcr_vr_config *vr;
    const mcr_summary *s;
    int n_levels, width;
    const double *group_var; /* qmc excess pass: [group * L + level] each randomisation's VaR */
} vr_pass;

/* antithetic layout: [0] sum(a - mean), [1] sum (a - mean)^2, then per level l at 2 + 4 l:
 * sum(I - p), sum (I - p)^2, sum(phi - e), sum (phi - e)^2, e = CVaR - VaR (phi's mean). */
static void pair_sums(const vr_pass *v, const double *x, uint64_t len, double *acc)
{
    for (uint64_t i = 0; i + 1 < len; i += 2) {
        double a = 0.5 * (x[i] + x[i + 1]) - v->s->mean;
        acc[0] += a;
        acc[1] += a * a;
        for (int l = 0; l < v->n_levels; l++) {
            const mcr_risk_row *r = &v->s->risk[l];
            double p = 1.0 - r->level, var = r->var;
            double ind = 0.5 * ((-x[i] >= var) + (-x[i + 1] >= var)) - p;
            double e0 = -x[i] - var, e1 = -x[i + 1] - var;
            double phi = 0.5 * ((e0 > 0 ? e0 : 0) + (e1 > 0 ? e1 : 0)) / p - (r->cvar - var);
            double *q = acc + 2 + 4 * l;
            q[0] += ind;
            q[1] += ind * ind;
            q[2] += phi;
            q[3] += phi * phi;
        }
    }
}

/* qmc, first pass: group g at 2 g: its path count and sum of x; excess pass (group_var set):
 * group g, level l at g L + l: sum of (L - VaR_g,l)^+. */
static void group_sums(const vr_pass *v, const double *x, uint64_t first, uint64_t len,
                       double *acc)
{
    int L = v->n_levels;
    for (uint64_t i = 0; i < len; i++) {
        int g = mcr_vr_group_of(v->vr, first + i);
        if (!v->group_var) {
            acc[2 * g] += 1.0;
            acc[2 * g + 1] += x[i];
            continue;
        }
        for (int l = 0; l < L; l++) {
            double e = -x[i] - v->group_var[g * L + l];
            acc[g * L + l] += e > 0 ? e : 0;
        }
    }
}

/* The whole sample's sums: chunk partials (width each) allgathered, added in chunk order. */
static bool sample_sums(const mcr_comm *c, const mcr_share *sh, const double *pnl,
                        const vr_pass *v, double *total)
{
    int w = v->width, size = c->size;
    double *part = calloc((size_t)(sh->n_chunks ? sh->n_chunks : 1) * (size_t)w, sizeof *part);
    int *counts = malloc((size_t)size * sizeof *counts), *displs = malloc((size_t)size * sizeof *displs);
    int32_t ok = part && counts && displs;
    c->ops->allreduce(c, &ok, 1, MCR_COMM_I32, MCR_COMM_MIN);
    if (ok) {
        double *mine = part + (size_t)sh->chunk_first[c->rank] * (size_t)w;
        for (int k = 0; k < sh->chunk_count[c->rank]; k++) {
            uint64_t at = (uint64_t)k * MCR_CHUNK_PATHS;
            uint64_t len = sh->count - at < MCR_CHUNK_PATHS ? sh->count - at : MCR_CHUNK_PATHS;
            double *acc = mine + (size_t)k * (size_t)w;
            if (v->vr->antithetic)
                pair_sums(v, pnl + at, len, acc);
            else
                group_sums(v, pnl + at, sh->first + at, len, acc);
        }
        for (int r = 0; r < size; r++) {
            counts[r] = sh->chunk_count[r] * w;
            displs[r] = sh->chunk_first[r] * w;
        }
        c->ops->allgatherv_f64(c, part, counts, displs);
        memset(total, 0, (size_t)w * sizeof *total);
        for (int k = 0; k < sh->n_chunks; k++)
            for (int j = 0; j < w; j++)
                total[j] += part[(size_t)k * w + j];
    }
    free(part);
    free(counts);
    free(displs);
    return ok;
}

/* se of a mean of u i.i.d. units from the sum s and sum of squares ss of their deviations from
 * a fixed shift. */
static double se_of(double s, double ss, double u)
{
    double m2 = ss - s * s / u;
    return sqrt((m2 > 0 ? m2 : 0) / (u - 1) / u);
}

double mcr_spread_se(const double *v, int g, int stride)
{
    double m = 0, ss = 0;
    for (int j = 0; j < g; j++)
        m += v[j * stride];
    m /= g;
    for (int j = 0; j < g; j++)
        ss += (v[j * stride] - m) * (v[j * stride] - m);
    return sqrt(ss / (g - 1) / g);
}

/* VaR se from the se s_p of the tail fraction: s_p / f, with 1 / f from risk.c's window. */
static double var_se_of(const mcr_summary *s, int l, uint64_t n, const double *levels, double s_p)
{
    double np = (double)n * (1.0 - levels[l]);
    uint64_t m = mcr_tail_count(n, levels, s->n_levels);
    int64_t k = (int64_t)clamp_rank((int64_t)ceil(np - 1e-9), n);
    int64_t d = (int64_t)mcr_var_window(n, levels[l]);
    double ranks = (double)clamp_rank(k + d, m) - (double)clamp_rank(k - d, m);
    if (ranks <= 0)
        return s->risk[l].var_se;
    /* risk.c: var_se = (x_hi - x_lo) / 2 over ranks / n in probability */
    return 2.0 * s->risk[l].var_se / (ranks / (double)n) * s_p;
}

/* Each randomisation's VaR at every level, var[g * L + l], by the distributed selection on its
 * own paths; cnt[g] its path count. */
static bool group_vars(const mcr_comm *c, const mcr_share *sh, const double *pnl,
                       const mcr_vr_config *vr, const mcr_summary *s, const double *cnt,
                       double *var)
{
    int R = vr->randomisations, L = s->n_levels;
    uint64_t n = sh->count ? sh->count : 1;
    double *vals = malloc(n * sizeof *vals), *scratch = malloc(n * sizeof *scratch);
    int32_t ok = vals && scratch;
    c->ops->allreduce(c, &ok, 1, MCR_COMM_I32, MCR_COMM_MIN);
    for (int g = 0; ok && g < R; g++) {
        uint64_t m = 0;
        for (uint64_t i = 0; i < sh->count; i++)
            if (mcr_vr_group_of(vr, sh->first + i) == g)
                vals[m++] = pnl[i];
        uint64_t total = (uint64_t)cnt[g];
        for (int l = 0; l < L && ok; l++) {
            double np = (double)total * (1.0 - s->risk[l].level), x;
            ok = mcr_kth_smallest(c, vals, m, total, clamp_rank((int64_t)ceil(np - 1e-9), total),
                                  scratch, &x);
            var[g * L + l] = -x;
        }
    }
    free(vals);
    free(scratch);
    return ok;
}

bool mcr_vr_se(const mcr_comm *c, const mcr_share *sh, const double *pnl,
               const mcr_vr_config *vr, mcr_summary *out)
{
    bool qmc = vr->qmc == MCR_QMC_SOBOL;
    if (!vr->antithetic && !qmc)
        return true;
    int L = out->n_levels, R = vr->randomisations;
    vr_pass v = {.vr = vr, .s = out, .n_levels = L, .width = vr->antithetic ? 2 + 4 * L : 2 * R};
    double *t = malloc((size_t)(2 + 4 * L + 4 * R * (L + 1)) * sizeof *t), levels[MCR_MAX_LEVELS];
    int32_t ok = t != NULL;
    c->ops->allreduce(c, &ok, 1, MCR_COMM_I32, MCR_COMM_MIN);
    if (!ok || !sample_sums(c, sh, pnl, &v, t)) {
        free(t);
        return false;
    }
    const uint64_t n = sh->paths;
    for (int l = 0; l < L; l++)
        levels[l] = out->risk[l].level;
    mcr_summary s = *out;
    if (vr->antithetic) {
        double u = (double)(n / 2);
        out->mean_se = se_of(t[0], t[1], u);
        for (int l = 0; l < L; l++) {
            const double *q = t + 2 + 4 * l;
            out->risk[l].var_se = var_se_of(&s, l, n, levels, se_of(q[0], q[1], u));
            out->risk[l].cvar_se = se_of(q[2], q[3], u);
        }
        free(t);
        return true;
    }
    /* qmc: t[2g] counts, t[2g + 1] sums -> means; then VaR_g, CVaR_g per randomisation */
    double *cnt = t + 2 * R, *var = cnt + R, *excess = var + R * L, *cvar = excess + R * L;
    for (int g = 0; g < R; g++) {
        cnt[g] = t[2 * g];
        t[g] = t[2 * g + 1] / cnt[g];
    }
    out->mean_se = mcr_spread_se(t, R, 1);
    v.width = R * L;
    v.group_var = var;
    ok = group_vars(c, sh, pnl, vr, &s, cnt, var) && sample_sums(c, sh, pnl, &v, excess);
    for (int l = 0; ok && l < L; l++) {
        for (int g = 0; g < R; g++)
            cvar[g] = var[g * L + l] + excess[g * L + l] / (cnt[g] * (1.0 - levels[l]));
        out->risk[l].var_se = mcr_spread_se(var + l, R, L);
        out->risk[l].cvar_se = mcr_spread_se(cvar, R, 1);
    }
    free(t);
    return ok;
}
