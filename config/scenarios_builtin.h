/* The library of named historical stress scenarios, usable in a config by name:
 * `scenarios: [{name: my_bt, use: black_thursday}]`. Each is a table entry of scenarios_builtin.c
 * with its magnitudes and where they come from; keys given beside `use` override its own. */
#ifndef MCR_SCENARIOS_BUILTIN_H
#define MCR_SCENARIOS_BUILTIN_H

#include "config.h"

/* A window's to_day meaning "until the horizon", whatever horizon.days is. */
#define MCR_TO_HORIZON (-1.0)

typedef struct mcr_builtin_scenario {
    const char *name;
    const char *event; /* one line: what happened and when (t0 of the scenario) */
    /* its keys, as the loader would fill them (name and correlation unused) */
    mcr_scenario s;
} mcr_builtin_scenario;

/* The entry named `name`, or NULL. */
const mcr_builtin_scenario *mcr_builtin_scenario_find(const char *name);
/* "black_thursday, luna, ftx": for error messages. */
const char *mcr_builtin_scenario_names(void);
int mcr_builtin_scenario_count(void);
const mcr_builtin_scenario *mcr_builtin_scenario_at(int i);

#endif
