/* What built this binary: version, git revision, compiler and flags. The only place that sees
 * the build-time definitions, so every file and message that records provenance agrees. */
#ifndef MCR_BUILD_INFO_H
#define MCR_BUILD_INFO_H

const char *mcr_build_version(void);  /* "0.1.0" */
const char *mcr_build_revision(void); /* the git revision, "-dirty" when built from changes */
const char *mcr_build_compiler(void); /* "GNU 12.2.0" */
const char *mcr_build_flags(void);    /* the C flags of this build type, as passed to the compiler */

#endif
