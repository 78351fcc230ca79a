/*
 * fd_canceled.h - orders known to be canceled, for the subscribers that
 * keep a copy of an order (fishstore's ticket, delivery's delivery).
 *
 * Events from different outboxes arrive in any order: OrderCanceled may
 * come before the event that creates the copy.  Each such context keeps a
 * `canceled_orders` table (same schema in each); the cancel records its row
 * first and the creation reads it with a locking read, so whichever
 * commits second sees the other (lost cancels are impossible at READ
 * COMMITTED).  Both run inside the caller's unit of work.
 */
#ifndef FD_CANCELED_H
#define FD_CANCELED_H

#include <stddef.h>

/* Records that the order was canceled (idempotent); 0 or -1. */
int	 fd_canceled_add(long long order_id, const char *reason);
/* Its reason, if canceled: 1 found, 0 not, -1 error; lock: FOR UPDATE. */
int	 fd_canceled_reason(long long order_id, int lock, char *reason,
	    size_t sz);

#endif
