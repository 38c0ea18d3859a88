/* The standard normal distribution: density, CDF and quantile, in double precision.
 * Used by closed forms (GBM quantiles, Black-Scholes) and as the oracle for the vector
 * normal transforms in kernels/. */
#ifndef MCR_NORMAL_H
#define MCR_NORMAL_H

double mcr_norm_pdf(double x);
double mcr_norm_cdf(double x);          /* erfc-based: accurate far into both tails */
double mcr_norm_quantile(double p);     /* Wichura AS241 (PPND16), |rel err| ~ 1e-16; p in (0,1) */

#endif
