/* The writer's background thread (writer_thread.h): a mutex, a condition and one job slot. */
#include "writer_thread.h"

#include <pthread.h>
#include <stdlib.h>

struct mcr_writer_thread {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a job posted, a job done, or the end asked */
    void (*fn)(void *arg);
    void *arg;
    bool busy, quit;
};

static void *loop(void *p)
{
    mcr_writer_thread *t = p;
    pthread_mutex_lock(&t->lock);
    for (;;) {
        while (!t->busy && !t->quit)
            pthread_cond_wait(&t->changed, &t->lock);
        if (!t->busy) /* quit, and nothing left */
            break;
        pthread_mutex_unlock(&t->lock);
        t->fn(t->arg);
        pthread_mutex_lock(&t->lock);
        t->busy = false;
        pthread_cond_broadcast(&t->changed);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

mcr_writer_thread *mcr_writer_thread_start(void (*fn)(void *arg))
{
    mcr_writer_thread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->fn = fn;
    bool ok = pthread_mutex_init(&t->lock, NULL) == 0;
    if (ok && pthread_cond_init(&t->changed, NULL) != 0) {
        pthread_mutex_destroy(&t->lock);
        ok = false;
    }
    if (ok && pthread_create(&t->thread, NULL, loop, t) != 0) {
        pthread_cond_destroy(&t->changed);
        pthread_mutex_destroy(&t->lock);
        ok = false;
    }
    if (!ok) {
        free(t);
        return NULL;
    }
    return t;
}

/* with the lock held */
static void idle(mcr_writer_thread *t)
{
    while (t->busy)
        pthread_cond_wait(&t->changed, &t->lock);
}

void mcr_writer_thread_post(mcr_writer_thread *t, void *arg)
{
    pthread_mutex_lock(&t->lock);
    idle(t);
    t->arg = arg;
    t->busy = true;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
}

void mcr_writer_thread_wait(mcr_writer_thread *t)
{
    pthread_mutex_lock(&t->lock);
    idle(t);
    pthread_mutex_unlock(&t->lock);
}

void mcr_writer_thread_stop(mcr_writer_thread *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    idle(t);
    t->quit = true;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->changed);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
