/*
 * fd_push.h - what a unit of work tells the pages' live streams (Server-
 * Sent Events, GET /events/customer and /events/store).
 *
 * The streams themselves are nginx's push module (nchan): a prefork
 * libfcgi worker cannot hold thousands of open connections, nchan can.
 * A context queues a message for a channel while its transaction runs;
 * the queue is posted to nchan's publisher on the internal gateway once
 * the unit of work commits (so a page that reads on the message finds the
 * change; fd_db_on_end), and dropped if it does not.
 */
#ifndef FD_PUSH_H
#define FD_PUSH_H

/* The channels: one per customer, one per store. */
enum fd_push_channel {
	FD_PUSH_CUSTOMER,	/* customer/<userId>: GET /events/customer */
	FD_PUSH_STORE		/* store/<storeId>: GET /events/store */
};

/*
 * Queues json (one line of JSON, copied) for channel kind/id, sent when
 * the unit of work commits, or by fd_push_flush() when queued outside
 * one.  Best effort: 0 queued, -1 not (no memory, queue full), which
 * changes nothing in the unit of work.
 */
int		 fd_push_queue(enum fd_push_channel kind, long long id,
		    const char *json);
/* Posts what is queued (bounded time), then empties it. */
void		 fd_push_flush(void);
/* Forgets what is queued. */
void		 fd_push_drop(void);
/* The current time as the streams' "at": UTC ISO 8601 with
 * milliseconds and Z, as occurredAt. */
void		 fd_push_now(char out[32]);
/*
 * Queues for store store_id's stream that one of its rows changed, the
 * one shape the owner's page reads for tickets and deliveries alike:
 * {"type":type,id_key:id,"orderId":order_id,"status":status,"at":now}.
 * As fd_push_queue(): 0, or -1 (nothing changes).
 */
int		 fd_push_store_row(long long store_id, const char *type,
		    const char *id_key, long long id, long long order_id,
		    const char *status);

#endif
