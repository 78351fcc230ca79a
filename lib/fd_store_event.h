/*
 * fd_store_event.h - StoreChanged, one shape: what a store is to its
 * customers (open, closed or paused until a time, with the reason they
 * see; the minimum order and the delivery fee), with its encoder and
 * decoder side by side.  fishstore writes it (store_db.c), order keeps
 * its store replica from it (order_store.c); nobody builds or parses the
 * payload by hand.
 *
 * version rises by one with every change of a store, so a replica takes
 * an event only if it is newer than what it has: a late or replayed one
 * never moves it backwards.
 */
#ifndef FD_STORE_EVENT_H
#define FD_STORE_EVENT_H

#include <stddef.h>

struct json_object;

#define FD_STORE_NAME_MAX	60		/* characters */
#define FD_STORE_REASON_MAX	200		/* characters */
#define FD_STORE_MIN_ORDER_MAX	1000000LL	/* KRW, items only */
#define FD_STORE_FEE_MAX	100000LL	/* KRW */
#define FD_STORE_TIME_MAX	253402300799LL	/* 9999-12-31T23:59:59Z */

enum fd_store_state {
	FD_STORE_OPEN = 0,
	FD_STORE_CLOSED,	/* the owner closed it */
	FD_STORE_PAUSED		/* open again by itself at paused_until */
};

struct fd_store_changed {
	long long	 store_id;
	char		 name[241];		/* 60 characters of UTF-8 */
	int		 open;			/* the owner's switch */
	long long	 paused_until;		/* Unix seconds; 0 = none */
	char		 closed_reason[801];	/* "" = none */
	long long	 min_order;		/* KRW, items only */
	long long	 delivery_fee;		/* KRW */
	long long	 version;		/* 1, 2, ... per store */
};

/* What the store is at now (Unix seconds): a pause ends by itself. */
enum fd_store_state fd_store_state_at(const struct fd_store_changed *,
		    long long now);
const char	*fd_store_state_name(enum fd_store_state);	/* "open" */
/* 1 if every field is within the rules above (text valid UTF-8). */
int		 fd_store_changed_ok(const struct fd_store_changed *);

/* The payload (caller owns it). */
struct json_object *fd_store_changed_json(const struct fd_store_changed *);
/*
 * The payload back into s: 0, or -1 (a missing, mistyped or out of
 * range field; err says which) for an event that can never apply.
 */
int		 fd_store_changed_decode(struct json_object *ev,
		    struct fd_store_changed *s, char *err, size_t errsz);

#endif
