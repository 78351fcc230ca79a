/*
 * fd_consumer.h - the subscriber side of the relay: the body of a POST
 * /{context}/internal/events, {"events":[...]} in commit order (the
 * dispatcher, fd_dispatch.c, reads it and sends the answer).
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

#include "fd_err.h"

struct json_object;

enum fd_apply {
	FD_APPLY_OK = 0,	/* applied, or nothing to do */
	FD_APPLY_POISON,	/* will never apply: counts as a failed attempt */
	FD_APPLY_RETRY		/* transient (database): try again later */
};

/*
 * A subscriber's policy (struct fd_app's apply_event): applies one
 * relayed event inside the open unit of work; returns an enum fd_apply
 * and, on failure, why in err.
 */
typedef int	(*fd_apply_fn)(const char *type, struct json_object *ev,
		    char *err, size_t errsz);

/*
 * Applies one delivery, body of len bytes, with apply: FD_OK and *reply
 * {"results":[...]} (the caller json_object_put()s it), or FD_E_BAD_INPUT,
 * FD_E_UNAVAILABLE or FD_E_INTERNAL and *msg (static) why.
 */
enum fd_err	 fd_consumer_apply(fd_apply_fn apply, const char *body,
		    size_t len, struct json_object **reply, const char **msg);

/* Field helpers for apply functions: 0 if present with the right type. */
int		 fd_ev_int(struct json_object *ev, const char *key, long long *v);
int		 fd_ev_str(struct json_object *ev, const char *key, char *buf,
		    size_t sz);

#endif
