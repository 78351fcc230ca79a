/*
 * fd_metrics.h - request counters and latency histograms in shared memory.
 *
 * The master maps one shared region (a memfd) before it forks, so every
 * worker adds to the same counters with atomic increments and any worker can
 * answer /{ctx}/metrics for the whole program, in Prometheus text format.
 */
#ifndef FD_METRICS_H
#define FD_METRICS_H

#include <stddef.h>

struct fd_app;

/* Slots after the app's own routes. */
enum {
	FD_R_HEALTH, FD_R_READY, FD_R_METRICS, FD_R_EVENTS, FD_R_UNMATCHED,
	FD_R__EXTRA
};

int	 fd_metrics_init(size_t nroutes);	/* 0 = OK; before fork */
void	 fd_metrics_observe(size_t route, int status, double seconds);
void	 fd_metrics_worker_restart(void);
/* The counters' descriptor, for the master's exec of a new build. */
int	 fd_metrics_fd(void);
/* Renders all metrics; *out is malloc'd, caller frees. -1 on OOM. */
int	 fd_metrics_render(const struct fd_app *, char **out, size_t *len);

#endif
