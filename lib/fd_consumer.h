/*
 * fd_consumer.h - the subscriber side of the relay: POST
 * /{context}/internal/events with {"events":[...]} in commit order.
 *
 * Each event is applied exactly once: its id goes into the context's inbox
 * table in the same transaction as its effect, so a redelivered event (the
 * relay delivers at least once) is acknowledged and ignored, and two
 * processes given the same event line up on the inbox row.  A batch is
 * applied in one transaction; if any event in it fails, the batch is
 * rolled back and applied one event per transaction, so the events before
 * the failing one still land and the relay learns exactly which failed.
 */
#ifndef FD_CONSUMER_H
#define FD_CONSUMER_H

#include <stddef.h>

struct json_object;
struct fd_req;
struct fd_app;

enum fd_apply {
	FD_APPLY_OK = 0,	/* applied, or nothing to do */
	FD_APPLY_POISON,	/* will never apply: counts as a failed attempt */
	FD_APPLY_RETRY		/* transient (database): try again later */
};

/* Answers one delivery (the route the dispatcher adds for apply_event). */
void		 fd_consumer_serve(const struct fd_app *, struct fd_req *);

/* Field helpers for apply functions: 0 if present with the right type. */
int		 fd_ev_int(struct json_object *ev, const char *key, long long *v);
int		 fd_ev_str(struct json_object *ev, const char *key, char *buf,
		    size_t sz);

#endif
