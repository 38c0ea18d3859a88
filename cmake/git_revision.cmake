# Writes OUT (a header defining MCR_GIT_REVISION) from `git rev-parse` at build time, so every
# binary records the revision it was built from (with -dirty for uncommitted changes); the header
# is only rewritten when the revision changes, so unchanged builds do not recompile.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT rev)
  set(rev unknown)
else()
  execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY ${SRC}
                  RESULT_VARIABLE dirty ERROR_QUIET)
  if(dirty)
    set(rev "${rev}-dirty")
  endif()
endif()
file(WRITE ${OUT}.tmp "#define MCR_GIT_REVISION \"${rev}\"\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
