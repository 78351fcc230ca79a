/*
 * fd_proc.h - process basics under every adapter: the log, the
 * environment, shared memory, the clock and the trace id.
 *
 * It includes no FastCGI and no HTTP (as kcgi keeps logging.c apart from
 * its protocol code), so a use case, the DB adapter, the outbox, the
 * consumer and the relay can log and read their settings without the
 * HTTP adapter's header.
 */
#ifndef FD_PROC_H
#define FD_PROC_H

#include <stddef.h>

/* The name fd_log() puts before the pid ("order"); "fd" until set.
 * name is borrowed: a string literal or the app's, alive for ever. */
void		 fd_log_name(const char *name);
/* One line to stderr (the program's log) with time, context and pid. */
void		 fd_log(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

/* Environment value or fallback. */
const char	*fd_env(const char *name, const char *fallback);
long long	 fd_env_int(const char *name, long long fallback);
/* A descriptor handed over in the environment (an exec), which is then
 * removed from it; -1 if none is open there. */
int		 fd_env_fd(const char *name);

/* Zeroed memory a master maps before it forks, shared with its workers;
 * NULL if none can be had. */
void		*fd_shared_alloc(size_t size);
/* Milliseconds of CLOCK_MONOTONIC: for intervals, never dates. */
long long	 fd_now_ms(void);
/* The same in seconds, with the fraction: for latencies and deadlines. */
double		 fd_now_s(void);

/*
 * The trace id of what this process is doing now (the request's, or while
 * a relayed event is applied, the event's); NULL between requests.  The
 * outbox puts it into every event, the payment call sends it on, so one
 * order can be followed through every context's logs and events.
 */
extern const char *fd_trace_id;
/* 1 if s looks like a trace id: 8..64 of [A-Za-z0-9-]. */
int		 fd_trace_id_ok(const char *s);

#endif
