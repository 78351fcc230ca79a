/*
 * fd_metrics.c - Prometheus text from counters shared by all workers.
 *
 * The counters live in a memfd mapped by the master before it forks;
 * when the master execs a new build (a deploy, see fd_server.c) the
 * descriptor goes along in FD_METRICS_FD, so counters keep counting.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_http.h"
#include "fd_metrics.h"
#include "version.h"	/* FD_VERSION, written by the Makefile */

static const int statuses[] = {
	200, 201, 204, 304, 400, 401, 402, 403, 404, 405, 409, 413, 415, 429,
	500, 502, 503, 0 /* other */
};
#define NSTATUS	(sizeof(statuses) / sizeof(statuses[0]))

/* Upper bounds in seconds; the last bucket is +Inf. */
static const double buckets[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5
};
#define NBUCKET	(sizeof(buckets) / sizeof(buckets[0]))

struct mroute {
	uint64_t	 status[NSTATUS];
	uint64_t	 bucket[NBUCKET + 1];
	uint64_t	 count;
	uint64_t	 sum_us;
};

struct mshm {
	uint64_t	 restarts;
	size_t		 nroutes;
	struct mroute	 r[];
};

static struct mshm *shm;
static int shm_fd = -1;

/* The counters a previous build of this master left, if they fit. */
static int
inherited(size_t sz)
{
	int fd = fd_env_fd("FD_METRICS_FD");
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0)
		return -1;
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size != sz) {
		close(fd);	/* the routes changed: start afresh */
		return -1;
	}
	return fd;
}

int
fd_metrics_init(size_t nroutes)
{
	size_t sz = sizeof(*shm) + (nroutes + FD_R__EXTRA) * sizeof(struct mroute);
	void *p;
	int fd;

	if ((fd = inherited(sz)) < 0) {
		if ((fd = memfd_create("fd-metrics", 0)) < 0)
			return -1;
		if (ftruncate(fd, (off_t)sz) != 0) {
			close(fd);
			return -1;
		}
	}
	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return -1;
	}
	shm = p;
	shm_fd = fd;
	shm->nroutes = nroutes + FD_R__EXTRA;
	return 0;
}

int
fd_metrics_fd(void)
{
	return shm_fd;
}

#define ADD(x, n)	__atomic_fetch_add(&(x), (n), __ATOMIC_RELAXED)
#define GET(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)

void
fd_metrics_observe(size_t route, int status, double seconds)
{
	struct mroute *m;
	size_t i;

	if (shm == NULL || route >= shm->nroutes)
		return;
	m = &shm->r[route];
	for (i = 0; i < NSTATUS - 1 && statuses[i] != status; i++)
		continue;
	ADD(m->status[i], 1);
	for (i = 0; i < NBUCKET && seconds > buckets[i]; i++)
		continue;
	ADD(m->bucket[i], 1);
	ADD(m->count, 1);
	ADD(m->sum_us, (uint64_t)(seconds * 1e6));
}

void
fd_metrics_worker_restart(void)
{
	if (shm != NULL)
		ADD(shm->restarts, 1);
}

static const char *
route_label(const struct fd_app *app, size_t i, char *buf, size_t sz)
{
	static const char *extra[FD_R__EXTRA] = {
		"health", "ready", "metrics", "events", "unmatched"
	};

	if (i < app->nroutes)
		snprintf(buf, sz, "%s %s", app->routes[i].method,
		    app->routes[i].pattern);
	else
		snprintf(buf, sz, "%s", extra[i - app->nroutes]);
	return buf;
}

int
fd_metrics_render(const struct fd_app *app, char **out, size_t *len)
{
	char label[128];
	FILE *f;
	size_t i, j;
	uint64_t cum;

	if ((f = open_memstream(out, len)) == NULL)
		return -1;
	fprintf(f, "# HELP fd_http_requests_total Requests answered, by route "
	    "and status.\n# TYPE fd_http_requests_total counter\n");
	for (i = 0; shm != NULL && i < shm->nroutes; i++) {
		route_label(app, i, label, sizeof(label));
		for (j = 0; j < NSTATUS; j++) {
			uint64_t v = GET(shm->r[i].status[j]);
			if (v == 0)
				continue;
			if (statuses[j])
				fprintf(f, "fd_http_requests_total{context=\"%s\","
				    "route=\"%s\",status=\"%d\"} %llu\n", app->name,
				    label, statuses[j], (unsigned long long)v);
			else
				fprintf(f, "fd_http_requests_total{context=\"%s\","
				    "route=\"%s\",status=\"other\"} %llu\n",
				    app->name, label, (unsigned long long)v);
		}
	}
	fprintf(f, "# HELP fd_http_request_duration_seconds Time spent in the "
	    "program per request.\n"
	    "# TYPE fd_http_request_duration_seconds histogram\n");
	for (i = 0; shm != NULL && i < shm->nroutes; i++) {
		struct mroute *m = &shm->r[i];
		uint64_t count = GET(m->count);
		if (count == 0)
			continue;
		route_label(app, i, label, sizeof(label));
		for (cum = 0, j = 0; j <= NBUCKET; j++) {
			cum += GET(m->bucket[j]);
			if (j < NBUCKET)
				fprintf(f, "fd_http_request_duration_seconds_bucket"
				    "{context=\"%s\",route=\"%s\",le=\"%g\"} %llu\n",
				    app->name, label, buckets[j],
				    (unsigned long long)cum);
			else
				fprintf(f, "fd_http_request_duration_seconds_bucket"
				    "{context=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n",
				    app->name, label, (unsigned long long)cum);
		}
		fprintf(f, "fd_http_request_duration_seconds_sum{context=\"%s\","
		    "route=\"%s\"} %.6f\n", app->name, label,
		    (double)GET(m->sum_us) / 1e6);
		fprintf(f, "fd_http_request_duration_seconds_count{context=\"%s\","
		    "route=\"%s\"} %llu\n", app->name, label,
		    (unsigned long long)count);
	}
	fprintf(f, "# HELP fd_build_info The build this worker runs.\n"
	    "# TYPE fd_build_info gauge\n"
	    "fd_build_info{context=\"%s\",version=\"%s\"} 1\n", app->name,
	    FD_VERSION);
	fprintf(f, "# HELP fd_worker_restarts_total Workers the master replaced.\n"
	    "# TYPE fd_worker_restarts_total counter\n"
	    "fd_worker_restarts_total{context=\"%s\"} %llu\n", app->name,
	    shm ? (unsigned long long)GET(shm->restarts) : 0ULL);
	if (app->metrics != NULL)
		app->metrics(f);
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}
