/*
 * fd_outbox.h - domain events written to the context's outbox table.
 *
 * Called inside the unit of work that changes the state, so the event
 * commits (or rolls back) with it; the relay delivers it later.  Its
 * commit wakes the relay's deliverers concerned (a hook the outbox
 * registers with fd_db_on_end(), fd_db.h).
 */
#ifndef FD_OUTBOX_H
#define FD_OUTBOX_H

#include <stdio.h>

#include "fd_db.h"

struct json_object;

/*
 * Adds eventId, eventType and occurredAt to payload (consumed) and inserts
 * it with its correlation key (the orderId, or another aggregate's key).
 * eventid, if not NULL, receives the new id (37 bytes).
 */
enum fd_db_rc	 fd_outbox_add(const char *type, const char *key,
		    struct json_object *payload, char eventid[37]);
/* The occurredAt (UTC, "...Z") of the last event fd_outbox_add() wrote:
 * for a projection the writer updates in the same unit of work. */
extern char	 fd_outbox_at[40];

/* Metrics of this context's outbox (backlog, lag, dead letters). */
void		 fd_outbox_metrics(FILE *f, const char *context);

/* A random (version 4) UUID, NUL-terminated. */
void		 fd_uuid(char out[37]);

#endif
