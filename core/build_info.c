/* Build provenance (build_info.h): CMake passes the version, compiler and flags as definitions,
 * and cmake/git_revision.cmake writes git_revision.h at build time (not configure time). */
#include "build_info.h"

#include "git_revision.h"

const char *mcr_build_version(void) { return MCR_VERSION; }
const char *mcr_build_revision(void) { return MCR_GIT_REVISION; }
const char *mcr_build_compiler(void) { return MCR_COMPILER; }
const char *mcr_build_flags(void) { return MCR_C_FLAGS; }
