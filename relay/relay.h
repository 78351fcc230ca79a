/*
 * relay.h - the outbox relay: delivers one context's events to every
 * subscriber, at least once, in commit order per aggregate key.
 *
 * One relay process per context (it connects with that context's own DB
 * user).  Its master forks one deliverer per subscriber, so a subscriber
 * that is down or slow holds back no other; the master replaces a
 * deliverer that dies and wakes them all when a producer signals a commit
 * (fd_relay_notify: a UDP datagram), with polling as the safety net.
 *
 * Claims are short transactions (SELECT ... FOR UPDATE SKIP LOCKED, then a
 * lease): no row lock is held across the HTTP call, any number of relays
 * can run at once, and a relay killed at any moment leaves leases that
 * expire and are claimed again.  Subscribers dedupe by event id (their
 * inbox), so a redelivery is harmless.
 */
#ifndef RELAY_H
#define RELAY_H

#include <stddef.h>

#define RELAY_MAX_BATCH	500
/* Rows one housekeeping statement deletes at most (short lock holds). */
#define RELAY_HOUSEKEEP_CHUNK	500
#define RELAY_HOUSEKEEP_CHUNK_S	"500"

struct relay_cfg {
	const char	*context;
	const char	*subscriber;
	int		 batch;		/* events per claim */
	int		 lease_s;	/* a claim expires after */
	int		 poll_ms;	/* safety-net poll */
	int		 max_attempts;	/* then dead-lettered */
	long long	 backoff_ms;	/* first retry delay, doubling */
	long long	 backoff_max_ms;
	int		 retention_s;	/* delivered rows kept for */
	long long	 housekeep_ms;	/* how often they are cleaned up */
	const char	*outbox_keeper;	/* the subscriber whose deliverer also
					 * deletes delivered events */
	const char	*url;		/* internal gateway */
	long long	 timeout_ms;	/* per delivery */
};

/*
 * What a subscriber made of one event.  A refusal and a "not now" both
 * count an attempt and back off, so an event the subscriber answers
 * "retry" for ever ends in the dead letters after max_attempts like one
 * it refuses, instead of coming back at the head of its key's queue (and
 * of every batch, stalling the subscriber) for ever.  An event the
 * subscriber did not try (it stopped at an earlier one) counts nothing.
 */
enum relay_outcome {
	RELAY_APPLIED,		/* or duplicate: done */
	RELAY_FAILED,		/* refused: an attempt */
	RELAY_RETRY,		/* not now: an attempt, later again */
	RELAY_SKIPPED,		/* not tried: back to pending */
	RELAY__OUTCOMES
};

/* One claimed delivery. */
struct relay_item {
	long long	 id;
	char		*payload;	/* malloc'd JSON object text */
};

/* relay_db.c */
int		 relay_claim(const struct relay_cfg *, const char *claim,
		    struct relay_item *items, size_t *n);
int		 relay_record(const struct relay_cfg *, const char *claim,
		    const struct relay_item *items,
		    const enum relay_outcome *out, char errors[][256],
		    size_t n);
int		 relay_release(const char *claim);
/* Rows deleted (the larger of the two statements' counts), or -1. */
int		 relay_housekeep(const struct relay_cfg *);
int		 relay_dead_list(const char *subscriber);
int		 relay_dead_replay(const char *subscriber, long long delivery_id);

/* relay_purge.c: retention of the context's other rows (inbox, ...). */
void		 relay_purge_config(const struct relay_cfg *);
/* The tables purged in context (the metric's labels), up to max. */
size_t		 relay_purge_tables(const char *context, const char **out,
		    size_t max);
/* One chunk of each (outbox keeper only): the most rows one deleted. */
int		 relay_purge(const struct relay_cfg *);

/* relay_send.c: POSTs the batch; fills status[i] for each item. */
int		 relay_send(const struct relay_cfg *, struct relay_item *items,
		    size_t n, enum relay_outcome *out, char errors[][256]);
void		 relay_send_fini(void);

/* relay_metrics.c: counters shared by the deliverers, served by a child
 * of the master on FD_RELAY_METRICS_SOCKET. */
int		 relay_metrics_init(const char *const *subs, size_t n,
		    const char *const *tables, size_t ntables);
void		 relay_metrics_batch(const char *sub,
		    const enum relay_outcome *out, size_t n, double seconds);
void		 relay_metrics_unreachable(const char *sub);
void		 relay_metrics_restart(const char *sub);
void		 relay_metrics_purged(const char *table, unsigned long long n);
int		 relay_metrics_serve(const char *context, const char *path);

/* relay_deliver.c: one subscriber's loop, until *stop. */
void		 relay_deliver(const struct relay_cfg *, int wake_fd,
		    volatile int *stop);

#endif
