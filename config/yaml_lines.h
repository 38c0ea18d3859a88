/* mcr_yaml_doc: a YAML text parsed into libyaml's node tree, kept to answer "where is the key
 * market.assets[0].model.sigma, and what did the user write there?" for config error messages
 * (libcyaml loads the values but cannot tell lines), and to hand libcyaml the mappings whose keys
 * depend on their kind one at a time. Config-internal. */
#ifndef MCR_YAML_LINES_H
#define MCR_YAML_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "core/status.h"

typedef struct mcr_yaml_doc {
    yaml_document_t doc;
    bool loaded; /* doc holds a document to delete */
} mcr_yaml_doc;

/* Parse exactly one YAML document (an empty text gives a document without a root). Syntax errors
 * become MCR_ERR_INPUT with "SOURCE:LINE: invalid YAML: ...". */
mcr_status mcr_yaml_doc_parse(mcr_yaml_doc *d, const char *text, size_t len, const char *source,
                              mcr_error *err);
void mcr_yaml_doc_free(mcr_yaml_doc *d);

yaml_node_t *mcr_yaml_root(const mcr_yaml_doc *d); /* NULL for an empty document */
yaml_node_t *mcr_yaml_node(const mcr_yaml_doc *d, int index); /* index from a pair or item */
int mcr_yaml_node_line(const yaml_node_t *n); /* 1-based */

/* One step of a key path: `name` (mapping key) or `[index]` (sequence entry). */
typedef struct mcr_yaml_step {
    bool is_index;
    long index;
    const char *key; /* not NUL-terminated: key_len bytes */
    size_t key_len;
} mcr_yaml_step;

/* Split the next step off *path ("run.levels[1]" -> run, [1]); false at the end. */
bool mcr_yaml_path_next(const char **path, mcr_yaml_step *step);

/* The node at PATH (e.g. "market.assets[0].model.sigma"; "" is the root), or NULL. *line (if not
 * NULL) gets the line of the key or entry at the deepest step of PATH that exists, 0 if not even
 * the first step does. With a repeated key the last occurrence wins. */
yaml_node_t *mcr_yaml_find(const mcr_yaml_doc *d, const char *path, int *line);

/* The value of `key` in mapping m (the last one if repeated), or NULL (also when m is not a
 * mapping). */
yaml_node_t *mcr_yaml_get(const mcr_yaml_doc *d, const yaml_node_t *m, const char *key);

/* The YAML text of node n and everything under it, as one document (malloc'd; the caller frees
 * it): how a mapping whose schema depends on its kind is handed to libcyaml on its own. */
mcr_status mcr_yaml_subtree_text(const mcr_yaml_doc *d, const yaml_node_t *n, char **text,
                                 size_t *len);

#endif
