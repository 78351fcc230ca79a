/*
 * fd_breaker.h - a circuit breaker as a pure state machine.
 *
 * CLOSED counts calls and failures (errors and slow calls) over a sliding
 * window of buckets; when at least min_calls were made in the window and
 * fail_pct of them failed it OPENs: calls are refused at once.  After
 * open_ms it is HALF_OPEN: one probe at a time is let through; probe_ok
 * good probes close it, a bad one opens it again.  In the spirit of
 * Hystrix: 20 calls in 10 s, 50 %, 5 s.
 *
 * No I/O and no clock: the caller passes the time, and keeps the struct
 * wherever it must be shared (order keeps it in shared memory under a
 * process-shared lock so every worker sees one breaker).
 */
#ifndef FD_BREAKER_H
#define FD_BREAKER_H

#define FD_BR_MAXBUCKETS	60

enum fd_br_state {
	FD_BR_CLOSED = 0,
	FD_BR_OPEN,
	FD_BR_HALF_OPEN
};

enum fd_br_decision {
	FD_BR_ALLOW,		/* a normal call */
	FD_BR_PROBE,		/* a half-open probe: report it as such */
	FD_BR_REJECT		/* answer with the fallback */
};

struct fd_br_cfg {
	long long	 window_ms;
	int		 buckets;	/* 1..FD_BR_MAXBUCKETS */
	int		 min_calls;
	int		 fail_pct;
	long long	 open_ms;
	int		 probe_ok;	/* good probes to close */
	long long	 probe_stale_ms;	/* a probe not reported by then is lost */
};

struct fd_breaker {
	enum fd_br_state state;
	long long	 opened_at;
	long long	 bucket_start[FD_BR_MAXBUCKETS];
	unsigned	 calls[FD_BR_MAXBUCKETS];
	unsigned	 fails[FD_BR_MAXBUCKETS];
	int		 probing;
	long long	 probe_started;
	int		 probes_good;
	/* Counters for metrics. */
	unsigned long long to_state[3];		/* transitions into each state */
	unsigned long long rejected;
	unsigned long long calls_total;
	unsigned long long fails_total;
};

/* Sensible defaults (the Hystrix ones above). */
void		 fd_br_cfg_default(struct fd_br_cfg *);
void		 fd_br_init(struct fd_breaker *);
enum fd_br_decision fd_br_allow(struct fd_breaker *, const struct fd_br_cfg *,
		    long long now_ms);
/* Reports a call's outcome; failed covers errors and slow calls. */
void		 fd_br_record(struct fd_breaker *, const struct fd_br_cfg *,
		    long long now_ms, int failed, enum fd_br_decision how);
/* A call allowed (or a probe granted) that was never made after all. */
void		 fd_br_abandon(struct fd_breaker *, enum fd_br_decision how);
/* Calls and failures in the window ending at now_ms. */
void		 fd_br_window(const struct fd_breaker *, const struct fd_br_cfg *,
		    long long now_ms, unsigned *calls, unsigned *fails);
const char	*fd_br_state_name(enum fd_br_state);

#endif
