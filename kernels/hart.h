/* Hart's (1968) coefficients of the standard normal CDF, highest degree first, as in West (2005),
 * "Better approximations to cumulative normal functions", Figure 2: Phi(-|x|) = e^{-x^2/2}
 * P(|x|) / Q(|x|) for |x| < 7.07. Shared by the scalar reference (kernels/ref/math_ref.c) and the
 * vector CDF (kernels/simd/norm_cdf_simd.h). */
#ifndef MCR_HART_H
#define MCR_HART_H

static const double mcr_hart_num[7] = {3.52624965998911e-02, 0.700383064443688, 6.37396220353165,
                                       33.912866078383,      112.079291497871,  221.213596169931,
                                       220.206867912376};
static const double mcr_hart_den[8] = {8.83883476483184e-02, 1.75566716318264, 16.064177579207,
                                       86.7807322029461,     296.564248779674, 637.333633378831,
                                       793.826512519948,     440.413735824752};

#endif
