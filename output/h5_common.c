/* The HDF5 pieces shared by the layout 1 writer and reader (h5_common.h). */
#include "h5_common.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(int) == sizeof(int32_t), "MCR_H5_INT carries int32_t arrays");

#define MCR_H5_ROOT(name, member, kind, req)                                                   \
    { name, kind, offsetof(mcr_result, member), sizeof(((mcr_result *)0)->member), req }
#define MCR_H5_PROV(member, kind, req) MCR_H5_ROOT(#member, prov.member, kind, req)

const mcr_h5_field mcr_h5_root_fields[] = {
    MCR_H5_PROV(mcrisk_version, MCR_H5_TEXT, true),
    MCR_H5_PROV(git_revision, MCR_H5_TEXT, true),
    MCR_H5_PROV(created_utc, MCR_H5_TEXT, true),
    MCR_H5_PROV(config_yaml, MCR_H5_HEAP_TEXT, true),
    MCR_H5_PROV(seed, MCR_H5_U64, true),
    MCR_H5_PROV(paths, MCR_H5_U64, true),
    MCR_H5_PROV(steps, MCR_H5_INT, true),
    MCR_H5_PROV(horizon_days, MCR_H5_F64, true),
    MCR_H5_PROV(threads, MCR_H5_INT, true),
    MCR_H5_PROV(isa, MCR_H5_TEXT, true),
    MCR_H5_PROV(rng, MCR_H5_TEXT, true),
    MCR_H5_PROV(compiler, MCR_H5_TEXT, false),
    MCR_H5_PROV(flags, MCR_H5_TEXT, false),
    MCR_H5_ROOT("run_seconds", seconds, MCR_H5_F64, false),
    MCR_H5_PROV(resumed, MCR_H5_INT, false),
    MCR_H5_PROV(input_files, MCR_H5_TEXT, false),
};
const int mcr_h5_n_root_fields = MCR_H5_COUNT(mcr_h5_root_fields);

const mcr_h5_field mcr_h5_target_fields[] = {
    MCR_H5_ROOT("target_rounds", target.rounds, MCR_H5_INT, false),
    MCR_H5_ROOT("target_met", target.met, MCR_H5_INT, false),
    MCR_H5_ROOT("target_se", target.se, MCR_H5_F64, false),
};
const int mcr_h5_n_target_fields = MCR_H5_COUNT(mcr_h5_target_fields);

#define MCR_H5_SUMMARY(member) \
    { #member, MCR_H5_F64, offsetof(mcr_summary, member), sizeof(double), true }

const mcr_h5_field mcr_h5_summary_fields[] = {
    MCR_H5_SUMMARY(mean), MCR_H5_SUMMARY(std), MCR_H5_SUMMARY(mean_se),
};
const int mcr_h5_n_summary_fields = MCR_H5_COUNT(mcr_h5_summary_fields);

/* Not required: files written before them still read; the reader leaves NaN (not a
 * plausible-looking 0) for hedge_effectiveness. */
#define MCR_H5_CELL(name, member, kind) \
    { name, kind, offsetof(mcr_strategy_result, member), sizeof(double), false }

const mcr_h5_field mcr_h5_cell_fields[] = {
    MCR_H5_CELL("hedge_effectiveness", hedge_effectiveness, MCR_H5_F64),
};
const int mcr_h5_n_cell_fields = MCR_H5_COUNT(mcr_h5_cell_fields);

/* run.tail's figures (README "Tail importance sampling"), written when it ran. */
#define MCR_H5_TAIL(member, kind, type) \
    { "tail_" #member, kind, offsetof(mcr_strategy_result, tail.member), sizeof(type), false }

const mcr_h5_field mcr_h5_tail_fields[] = {
    MCR_H5_TAIL(level, MCR_H5_F64, double),   MCR_H5_TAIL(shift, MCR_H5_F64, double),
    MCR_H5_TAIL(pilot_rounds, MCR_H5_INT, int), MCR_H5_TAIL(pilot_reached, MCR_H5_INT, int),
    MCR_H5_TAIL(var, MCR_H5_F64, double),     MCR_H5_TAIL(var_se, MCR_H5_F64, double),
    MCR_H5_TAIL(cvar, MCR_H5_F64, double),    MCR_H5_TAIL(cvar_se, MCR_H5_F64, double),
    MCR_H5_TAIL(ess, MCR_H5_F64, double),
};
const int mcr_h5_n_tail_fields = MCR_H5_COUNT(mcr_h5_tail_fields);

/* hedge_ratio: optimize's choice (README "Optimal hedge ratio"), written when it ran. */
#define MCR_H5_RATIO(name, member, kind, type) \
    { "hedge_ratio_" name, kind, offsetof(mcr_strategy_result, ratio.member), sizeof(type), false }

const mcr_h5_field mcr_h5_ratio_fields[] = {
    MCR_H5_RATIO("optimized", optimized, MCR_H5_INT, int),
    MCR_H5_RATIO("objective", objective, MCR_H5_INT, int),
    MCR_H5_RATIO("level", level, MCR_H5_F64, double),
    MCR_H5_RATIO("chosen", ratio, MCR_H5_F64, double),
    MCR_H5_RATIO("lo", lo, MCR_H5_F64, double),
    MCR_H5_RATIO("hi", hi, MCR_H5_F64, double),
    MCR_H5_RATIO("pilot_value", pilot_value, MCR_H5_F64, double),
    MCR_H5_RATIO("pilot_paths", pilot_paths, MCR_H5_INT, int),
    MCR_H5_RATIO("evaluations", evaluations, MCR_H5_INT, int),
};
const int mcr_h5_n_ratio_fields = MCR_H5_COUNT(mcr_h5_ratio_fields);

const mcr_h5_field mcr_h5_hist_fields[] = {
    MCR_H5_CELL("hist_underflow", hist.underflow, MCR_H5_U64),
    MCR_H5_CELL("hist_overflow", hist.overflow, MCR_H5_U64),
};
const int mcr_h5_n_hist_fields = MCR_H5_COUNT(mcr_h5_hist_fields);

int mcr_h5_stat_fields(int f, char names[2][MCR_NAME_MAX], mcr_h5_field out[2])
{
    const mcr_field *d = &mcr_fields[f];
    if (d->summary == MCR_SUMMARY_NONE || !d->attr)
        return 0;
    snprintf(names[0], MCR_NAME_MAX, "%s", d->attr);
    out[0] = (mcr_h5_field){names[0], MCR_H5_F64,
                            offsetof(mcr_strategy_result, stat) + (size_t)f * sizeof(double),
                            sizeof(double), false};
    if (d->summary != MCR_SUMMARY_EVENT)
        return 1;
    snprintf(names[1], MCR_NAME_MAX, "%s_se", d->attr);
    out[1] = (mcr_h5_field){names[1], MCR_H5_F64,
                            offsetof(mcr_strategy_result, stat_se) + (size_t)f * sizeof(double),
                            sizeof(double), false};
    return 2;
}

#define MCR_H5_DIFF(member) offsetof(mcr_strategy_result, diff.member)

int mcr_h5_diff_fields(const mcr_strategy_result *c, bool reading,
                       char names[MCR_H5_DIFF_MAX][MCR_NAME_MAX],
                       mcr_h5_field out[MCR_H5_DIFF_MAX])
{
    int n = 0;
#define ADD(kind, off, cap, ...)                                                                \
    do {                                                                                        \
        snprintf(names[n], MCR_NAME_MAX, __VA_ARGS__);                                          \
        out[n] = (mcr_h5_field){names[n], kind, off, cap, false};                               \
        n++;                                                                                    \
    } while (0)
    if (reading || c->diff.baseline[0]) {
        ADD(MCR_H5_TEXT, MCR_H5_DIFF(baseline), MCR_NAME_MAX, "diff_baseline");
        ADD(MCR_H5_F64, MCR_H5_DIFF(mean), 8, "diff_mean");
        ADD(MCR_H5_F64, MCR_H5_DIFF(mean_se), 8, "diff_mean_se");
        ADD(MCR_H5_F64, MCR_H5_DIFF(mean_se_unpaired), 8, "diff_mean_se_unpaired");
        int levels = reading ? c->summary.n_levels : c->diff.n_levels;
        for (int l = 0; l < levels; l++) {
            double pct = 100.0 * (reading ? c->summary.risk[l].level : c->diff.risk[l].level);
            size_t row = MCR_H5_DIFF(risk) + (size_t)l * sizeof(mcr_diff_row);
            ADD(MCR_H5_F64, row + offsetof(mcr_diff_row, var), 8, "diff_var%g", pct);
            ADD(MCR_H5_F64, row + offsetof(mcr_diff_row, var_se), 8, "diff_var%g_se", pct);
            ADD(MCR_H5_F64, row + offsetof(mcr_diff_row, var_se_unpaired), 8,
                "diff_var%g_se_unpaired", pct);
            ADD(MCR_H5_F64, row + offsetof(mcr_diff_row, cvar), 8, "diff_cvar%g", pct);
            ADD(MCR_H5_F64, row + offsetof(mcr_diff_row, cvar_se), 8, "diff_cvar%g_se", pct);
            ADD(MCR_H5_F64, row + offsetof(mcr_diff_row, cvar_se_unpaired), 8,
                "diff_cvar%g_se_unpaired", pct);
        }
    }
    if (reading || c->swept.from[0])
        ADD(MCR_H5_TEXT, offsetof(mcr_strategy_result, swept.from), MCR_NAME_MAX, "sweep_of");
    for (int k = 0; !reading && k < c->swept.n; k++)
        ADD(MCR_H5_F64,
            offsetof(mcr_strategy_result, swept.value) + (size_t)k * sizeof(double), 8,
            "sweep.%.*s", MCR_NAME_MAX - 7, c->swept.key[k]); /* keys are registered names, short */
#undef ADD
    return n;
}

const mcr_h5_member mcr_h5_risk_members[] = {
    {"level", offsetof(mcr_risk_row, level)}, {"var", offsetof(mcr_risk_row, var)},
    {"var_se", offsetof(mcr_risk_row, var_se)}, {"cvar", offsetof(mcr_risk_row, cvar)},
    {"cvar_se", offsetof(mcr_risk_row, cvar_se)},
};
const int mcr_h5_n_risk_members = MCR_H5_COUNT(mcr_h5_risk_members);

static herr_t innermost(unsigned n, const H5E_error2_t *e, void *data)
{
    mcr_h5_quiet *q = data;
    if (n == 0) {
        if (e->desc && e->desc[0])
            snprintf(q->reason, sizeof q->reason, "%s", e->desc);
        else if (H5Eget_msg(e->min_num, NULL, q->reason, sizeof q->reason) < 0)
            q->reason[0] = '\0';
        q->reason[strcspn(q->reason, "\n")] = '\0'; /* our messages are one line */
    }
    return 0;
}

static herr_t note(hid_t stack, void *data)
{
    mcr_h5_quiet *q = data;
    if (!q->reason[0])
        H5Ewalk2(stack, H5E_WALK_UPWARD, innermost, q);
    return 0;
}

void mcr_h5_quiet_begin(mcr_h5_quiet *q)
{
    q->reason[0] = '\0';
    H5Eget_auto2(H5E_DEFAULT, &q->fn, &q->data);
    H5Eset_auto2(H5E_DEFAULT, note, q);
}

void mcr_h5_quiet_end(mcr_h5_quiet *q)
{
    H5Eset_auto2(H5E_DEFAULT, q->fn, q->data);
}

const char *mcr_h5_reason(const mcr_h5_quiet *q)
{
    return q->reason[0] ? q->reason : "HDF5 error";
}

void mcr_h5_close(hid_t id)
{
    switch (H5Iget_type(id)) {
    case H5I_FILE: H5Fclose(id); break;
    case H5I_GROUP: H5Gclose(id); break;
    case H5I_DATATYPE: H5Tclose(id); break;
    case H5I_DATASPACE: H5Sclose(id); break;
    case H5I_DATASET: H5Dclose(id); break;
    case H5I_ATTR: H5Aclose(id); break;
    case H5I_GENPROP_LST: H5Pclose(id); break;
    default: break;
    }
}

hid_t mcr_h5_text_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

hid_t mcr_h5_risk_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(mcr_risk_row));
    for (int i = 0; t >= 0 && i < mcr_h5_n_risk_members; i++) {
        if (H5Tinsert(t, mcr_h5_risk_members[i].name, mcr_h5_risk_members[i].off,
                      H5T_NATIVE_DOUBLE) < 0) {
            H5Tclose(t);
            return H5I_INVALID_HID;
        }
    }
    return t;
}

/* H5T_* type ids are run-time values: tables of them cannot be static, hence the switches. */
hid_t mcr_h5_file_type(mcr_h5_kind k, hid_t text)
{
    switch (k) {
    case MCR_H5_U64: return H5T_STD_U64LE;
    case MCR_H5_INT: return H5T_STD_I32LE;
    case MCR_H5_U32: return H5T_STD_U32LE;
    case MCR_H5_F64: return H5T_IEEE_F64LE;
    default: return text;
    }
}

hid_t mcr_h5_mem_type(mcr_h5_kind k, hid_t text)
{
    switch (k) {
    case MCR_H5_U64: return H5T_NATIVE_UINT64;
    case MCR_H5_INT: return H5T_NATIVE_INT;
    case MCR_H5_U32: return H5T_NATIVE_UINT32;
    case MCR_H5_F64: return H5T_NATIVE_DOUBLE;
    default: return text;
    }
}

static mcr_h5_kind kind_of_field(int f)
{
    static const mcr_h5_kind kinds[] = {[MCR_FIELD_F64] = MCR_H5_F64,
                                        [MCR_FIELD_I32] = MCR_H5_INT,
                                        [MCR_FIELD_U32] = MCR_H5_U32};
    return kinds[mcr_fields[f].type];
}

hid_t mcr_h5_field_file_type(int f)
{
    return mcr_h5_file_type(kind_of_field(f), H5I_INVALID_HID);
}

hid_t mcr_h5_field_mem_type(int f)
{
    return mcr_h5_mem_type(kind_of_field(f), H5I_INVALID_HID);
}
