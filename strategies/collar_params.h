/* The call of a collar: a relative strike above the put's, or `auto`, the strike at which the
 * call sold pays for the puts bought (zero net premium), solved on the market's surface. */
#ifndef MCR_COLLAR_PARAMS_H
#define MCR_COLLAR_PARAMS_H

#include "option_params.h"

extern const mcr_key_word mcr_auto_word[];

#define MCR_CALL_STRIKE_KEY(T, m, word)                                                            \
    {.name = "call_strike", .type = MCR_KEY_FLOAT, .flags = MCR_RANGE_CLOSED | MCR_KEY_MIN_OPEN, \
     .offset = offsetof(T, m), .min = 0, .max = 10, .def_text = "auto", .words = mcr_auto_word,  \
     .word_offset = offsetof(T, word), .unit = "relative to spot at t0",                          \
     .help = "the strike of the call sold, above put_strike; auto: solved for a zero net "        \
             "premium"}

/* The relative call strike of a collar whose puts cost `premium` per unit of the asset covered:
 * the number given, or the solved one. A solved strike at or below the put's is refused (a steep
 * skew can make the puts dearer than any call above them pays). */
mcr_status mcr_collar_call_strike(const mcr_part *part, const mcr_config *cfg, double put_strike,
                                  double call_strike, bool call_auto, double premium,
                                  const mcr_option_params *o, const char *path, double *out,
                                  mcr_error *err);

#endif
