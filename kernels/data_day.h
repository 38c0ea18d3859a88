/* Private to kernels/: the arithmetic of one day of a data model (models/data_model.h), shared
 * by the scalar reference and the vector kernels so that both pick the same rows and the same
 * day returns bit for bit; only a split day's bridge normals differ (AS241 with libm or SLEEF). */
#ifndef MCR_DATA_DAY_H
#define MCR_DATA_DAY_H

#include <math.h>
#include <stdint.h>

#include "models/data_model.h"

/* The next day of one path from its uniforms (u_new, u_row; unused when walking): its row (a new
 * block with probability p_new and on the path's first day, else the next row, wrapping), its
 * return, and for a split day its standard deviation *sd; fhs moves the variance *h on. */
static inline double mcr_data_day(const mcr_data_step *c, double u_new, double u_row,
                                  int32_t *row, double *h, double *sd)
{
    int32_t r = *row;
    if (c->walk) {
        r++;
    } else if (r < 0 || u_new < c->p_new) {
        r = (int32_t)(u_row * c->n);
        r = r < c->n ? r : c->n - 1;
    } else {
        r = r + 1 < c->n ? r + 1 : 0;
    }
    *row = r;
    double x = c->ret[r];
    if (!c->fhs) {
        *sd = c->bridge_sd;
        return c->scale == 1.0 ? x : c->mean + c->scale * (x - c->mean); /* 1: the file's own */
    }
    double v = *h, s = sqrt(v), e = s * x;
    *sd = s * c->scale;
    *h = c->omega + (c->alpha + (e < 0.0 ? c->gamma : 0.0)) * (e * e) + c->beta * v;
    return c->mu + c->scale * e;
}

/* The bridge coefficient of step `phase` of a day split into `split` steps:
 * sqrt((r - 1) / (r split)) with r = split - phase steps left. */
static inline double mcr_data_bridge_coef(int split, int phase)
{
    double r = split - phase;
    return sqrt((r - 1.0) / (r * split));
}

#endif
