/* What the HDF5 writer (h5_write.c) and reader (h5_read.c) of layout 1 share: the attribute
 * tables of the contract, the HDF5 types of the attribute kinds and of the registry's fields
 * (core/fields.h), the compound type of the risk table, and HDF5's error stack turned into the
 * reason of a one-line message. Internal to output/. */
#ifndef MCR_H5_COMMON_H
#define MCR_H5_COMMON_H

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/fields.h"
#include "risk/result.h"

#define MCR_H5_LAYOUT 1
#define MCR_H5_CHUNK_MAX 65536 /* per-path values per chunk: 512 KiB, inside the 1 MiB cache */
#define MCR_H5_DEFLATE_LEVEL 4
#define MCR_H5_OBJ_MAX (2 * MCR_NAME_MAX + 32) /* "/scenarios/<s>/strategies/<t>/" */

/* Attributes are described by tables shared by the writer and the reader. */
typedef enum mcr_h5_kind {
    MCR_H5_TEXT,      /* char array member */
    MCR_H5_HEAP_TEXT, /* char * member, owned */
    MCR_H5_U64,
    MCR_H5_INT, /* int, and int32_t (the same type here) */
    MCR_H5_U32,
    MCR_H5_F64,
} mcr_h5_kind;

typedef struct mcr_h5_field {
    const char *name;
    mcr_h5_kind kind;
    size_t off;    /* of the member in its struct */
    size_t cap;    /* MCR_H5_TEXT: size of the char array */
    bool required; /* reading: absent is an error, else the member is left as it was */
} mcr_h5_field;

#define MCR_H5_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The root attributes (provenance; `layout` apart), of an mcr_result. */
extern const mcr_h5_field mcr_h5_root_fields[];
extern const int mcr_h5_n_root_fields;
/* run.target's outcome (root attributes target_rounds, target_met, target_se), written when
 * the run had a target. */
extern const mcr_h5_field mcr_h5_target_fields[];
extern const int mcr_h5_n_target_fields;
/* mean, std, mean_se of a strategy group, of an mcr_summary. */
extern const mcr_h5_field mcr_h5_summary_fields[];
extern const int mcr_h5_n_summary_fields;
/* hedge_effectiveness of an mcr_strategy_result. */
extern const mcr_h5_field mcr_h5_cell_fields[];
extern const int mcr_h5_n_cell_fields;
/* run.tail's figures of an mcr_strategy_result (tail_level, tail_shift, tail_var, ...). */
extern const mcr_h5_field mcr_h5_tail_fields[];
extern const int mcr_h5_n_tail_fields;
/* hedge_ratio: optimize's choice of an mcr_strategy_result (hedge_ratio_chosen, _lo, _hi, ...). */
extern const mcr_h5_field mcr_h5_ratio_fields[];
extern const int mcr_h5_n_ratio_fields;
/* The histogram's out-of-range counts (attributes beside hist_edges and hist_counts). */
extern const mcr_h5_field mcr_h5_hist_fields[];
extern const int mcr_h5_n_hist_fields;
/* The summary attributes of field f (core/fields.h): `attr` for a MEAN, `attr` and `attr`_se for
 * an EVENT, into stat[f] and stat_se[f] of an mcr_strategy_result; returns how many (0..2). */
int mcr_h5_stat_fields(int f, char names[2][MCR_NAME_MAX], mcr_h5_field out[2]);

/* The paired comparison with the baseline (diff_baseline, diff_mean, diff_mean_se,
 * diff_mean_se_unpaired, and per level of the cell's risk table diff_var99, diff_var99_se,
 * diff_var99_se_unpaired, diff_cvar99, ...) when the cell has one, and the sweep's (sweep_of, and
 * sweep.<key> per swept key) when it came from a sweep, into c's diff and swept; returns how
 * many (at most MCR_H5_DIFF_MAX). The reader asks with `reading`: it cannot know the swept keys,
 * so only sweep_of is read back. */
#define MCR_H5_DIFF_MAX (4 + 6 * MCR_MAX_LEVELS + 1 + MCR_MAX_SWEEPS)
int mcr_h5_diff_fields(const mcr_strategy_result *c, bool reading,
                       char names[MCR_H5_DIFF_MAX][MCR_NAME_MAX],
                       mcr_h5_field out[MCR_H5_DIFF_MAX]);

/* The members of the risk table's compound type, in contract order. */
typedef struct mcr_h5_member {
    const char *name;
    size_t off;
} mcr_h5_member;
extern const mcr_h5_member mcr_h5_risk_members[];
extern const int mcr_h5_n_risk_members;

/* HDF5's error printing is replaced, for the duration of one call, by a handler that keeps the
 * innermost message of the first failure; it becomes the reason in our one-line message. */
typedef struct mcr_h5_quiet {
    H5E_auto2_t fn;
    void *data;
    char reason[240];
} mcr_h5_quiet;

void mcr_h5_quiet_begin(mcr_h5_quiet *q);
void mcr_h5_quiet_end(mcr_h5_quiet *q);
const char *mcr_h5_reason(const mcr_h5_quiet *q);

/* Close a handle we created; ids never opened (H5I_INVALID_HID) are skipped. */
void mcr_h5_close(hid_t id);
/* A variable-length UTF-8 string type (h5py returns it as a Python str). */
hid_t mcr_h5_text_type(void);
/* The risk table's compound type in memory (mcr_risk_row). */
hid_t mcr_h5_risk_type(void);
/* The file and memory types of an attribute kind (text: the caller's string type). */
hid_t mcr_h5_file_type(mcr_h5_kind k, hid_t text);
hid_t mcr_h5_mem_type(mcr_h5_kind k, hid_t text);
/* The file and memory types of a registry field's values. */
hid_t mcr_h5_field_file_type(int f);
hid_t mcr_h5_field_mem_type(int f);

#endif
