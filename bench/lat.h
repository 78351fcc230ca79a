/*
 * lat.h - what the load programs of `make bench` share: a monotonic clock in
 * milliseconds, a per-thread log of latencies, and percentiles over the logs
 * of all threads.  Header-only (static inline) because each program is one
 * file linked alone; nothing here is shared across threads while they run.
 */
#ifndef BENCH_LAT_H
#define BENCH_LAT_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct lat {
	double	*ms;		/* latencies in ms, in the order taken */
	size_t	 n, cap;
	int	 oom;		/* a sample was lost: say so, never guess */
};

static inline double
lat_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static inline void
lat_add(struct lat *l, double ms)
{
	double *p;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 4096;
		if ((p = realloc(l->ms, cap * sizeof(*p))) == NULL) {
			l->oom = 1;
			return;
		}
		l->ms = p;
		l->cap = cap;
	}
	l->ms[l->n++] = ms;
}

static inline int
lat_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Moves l's samples to the end of all and frees l's.  -1 on OOM. */
static inline int
lat_move(struct lat *all, struct lat *l)
{
	double *p;

	all->oom |= l->oom;
	if (l->n > 0) {
		if ((p = realloc(all->ms, (all->n + l->n) * sizeof(*p))) == NULL)
			return -1;
		memcpy(p + all->n, l->ms, l->n * sizeof(*p));
		all->ms = p;
		all->n += l->n;
		all->cap = all->n;
	}
	free(l->ms);
	memset(l, 0, sizeof(*l));
	return 0;
}

/* Sorts the log: lat_pct() needs it. */
static inline void
lat_sort(struct lat *all)
{
	if (all->n > 1)
		qsort(all->ms, all->n, sizeof(double), lat_cmp);
}

/* Nearest rank of a sorted log; 0 when it is empty. */
static inline double
lat_pct(const struct lat *all, double p)
{
	size_t k;

	if (all->n == 0)
		return 0.0;
	k = (size_t)(p / 100.0 * (double)all->n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > all->n)
		k = all->n;
	return all->ms[k - 1];
}

#endif
