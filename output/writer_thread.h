/* The HDF5 writer's background thread (internal to output/): one job at a time, so the chunks of
 * one part of a run are encoded and written while the worker threads simulate the next. A job is
 * a function and its argument; posting a job first waits for the one before it, so the order of
 * the jobs (and of the writes they make) is the order they were posted, whatever the timing. */
#ifndef MCR_WRITER_THREAD_H
#define MCR_WRITER_THREAD_H

#include <stdbool.h>

typedef struct mcr_writer_thread mcr_writer_thread;

/* A started thread that runs fn(arg) for each job posted; NULL if no thread could be started
 * (the caller then runs its jobs itself). */
mcr_writer_thread *mcr_writer_thread_start(void (*fn)(void *arg));
/* Wait for the job in flight, if any, then start fn(arg) on the thread and return. */
void mcr_writer_thread_post(mcr_writer_thread *t, void *arg);
/* Wait until no job is in flight (the thread's writes are then visible to the caller). */
void mcr_writer_thread_wait(mcr_writer_thread *t);
/* Wait for the job in flight, end the thread and free it; NULL is nothing. */
void mcr_writer_thread_stop(mcr_writer_thread *t);

#endif
