/*
 * fd_event_store.h - the events fishstore writes, one shape each: per
 * event a struct, the encoder every producer uses (store_db.c) and the
 * decoder with one rule set every consumer uses (order's status, MyPage,
 * menu and store replicas; payment's refund on OrderRejected; delivery's
 * start on OrderPrepared).  Nobody builds or parses these payloads by
 * hand (STYLE.md, "one shape per message").
 *
 *   OrderTaken       {orderId, ticketId, readyBy}
 *   OrderPrepared    {orderId, ticketId, storeId, address, phone}
 *   OrderRejected    {orderId, ticketId, reasonCode, reason}
 *   CancelConfirmed  {orderId, ticketId}
 *   CancelRefused    {orderId, ticketStatus, reason}
 *   MenuItemChanged  {storeId, menuId, name, price, soldOut}
 *   StoreChanged     {storeId, name, open, pausedUntil, closedReason,
 *                     minOrder, deliveryFee, version}
 *
 * The field rules are those of every codec (lib/fd_event_field.h): ids
 * 1 to 10^15-1, amounts 0 to FD_EVENT_AMOUNT_MAX KRW, reasons valid
 * UTF-8 text of at most FD_EVENT_REASON_MAX characters, phones printable
 * ASCII.  An optional field that is absent or null decodes as its one
 * default ("" or 0) and encodes back as null (readyBy: left out).  The envelope (eventId, eventType,
 * occurredAt, traceId) is the outbox's, not a codec's.
 *
 * StoreChanged's version rises by one with every change of a store, so a
 * replica takes an event only if it is newer than what it has: a late or
 * replayed one never moves it backwards.
 */
#ifndef FD_EVENT_STORE_H
#define FD_EVENT_STORE_H

#include <stddef.h>

#include "fd_event_field.h"

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

/* OrderTaken: the owner accepted, with the estimate. */
struct fd_order_taken {
	long long	 order_id;
	long long	 ticket_id;
	char		 ready_by[32];		/* UTC "...Z"; "" = none (an
						   older fishstore's event) */
};

/* OrderPrepared: beyond SPEC's two ids, what delivery needs to start. */
struct fd_order_prepared {
	long long	 order_id;
	long long	 ticket_id;
	long long	 store_id;
	char		 address[FD_EVENT_TEXT_SZ(FD_EVENT_ADDRESS_MAX)];
	char		 phone[FD_EVENT_PHONE_MAX + 1];	/* printable ASCII */
};

/* OrderRejected: the owner's code and words, or no_response. */
struct fd_order_rejected {
	long long	 order_id;
	long long	 ticket_id;
	char		 reason_code[16];	/* sold_out, closing, too_busy,
						   other, no_response */
	char		 reason[FD_EVENT_TEXT_SZ(FD_EVENT_REASON_MAX)];
						/* "" = none (null) */
};

/* CancelConfirmed: the store let the customer's cancel through. */
struct fd_cancel_confirmed {
	long long	 order_id;
	long long	 ticket_id;		/* 0 = no ticket yet (null) */
};

/* CancelRefused: too late, with the ticket's status and why. */
struct fd_cancel_refused {
	long long	 order_id;
	char		 ticket_status[16];	/* Paid, Accepted, Prepared,
						   Rejected, Canceled */
	char		 reason[FD_EVENT_TEXT_SZ(FD_EVENT_REASON_MAX)];
						/* required, not "" */
};

/* MenuItemChanged: what order's menu replica keeps of an item. */
struct fd_menu_item_changed {
	long long	 store_id;
	long long	 menu_id;
	char		 name[FD_EVENT_TEXT_SZ(FD_EVENT_NAME_MAX)];
	long long	 price;			/* KRW: an amount */
	int		 sold_out;
};

/* StoreChanged: what a store is to its customers. */
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

/*
 * Encoders: the event's payload (caller owns it; fd_outbox_add() consumes
 * it).  They write what they are given: the producer's domain checked it.
 *
 * Decoders: the payload back into *out (cleared first): 0, or -1 with err
 * saying which field is missing, mistyped or out of range (the relay
 * records it; the consumer answers FD_APPLY_POISON).  Never read past
 * what json-c holds.
 */
struct json_object *fd_order_taken_encode(const struct fd_order_taken *);
int		 fd_order_taken_decode(struct json_object *payload,
		    struct fd_order_taken *out, char *err, size_t errsz);
struct json_object *fd_order_prepared_encode(const struct fd_order_prepared *);
int		 fd_order_prepared_decode(struct json_object *payload,
		    struct fd_order_prepared *out, char *err, size_t errsz);
struct json_object *fd_order_rejected_encode(const struct fd_order_rejected *);
int		 fd_order_rejected_decode(struct json_object *payload,
		    struct fd_order_rejected *out, char *err, size_t errsz);
struct json_object *fd_cancel_confirmed_encode(
		    const struct fd_cancel_confirmed *);
int		 fd_cancel_confirmed_decode(struct json_object *payload,
		    struct fd_cancel_confirmed *out, char *err, size_t errsz);
struct json_object *fd_cancel_refused_encode(const struct fd_cancel_refused *);
int		 fd_cancel_refused_decode(struct json_object *payload,
		    struct fd_cancel_refused *out, char *err, size_t errsz);
struct json_object *fd_menu_item_changed_encode(
		    const struct fd_menu_item_changed *);
int		 fd_menu_item_changed_decode(struct json_object *payload,
		    struct fd_menu_item_changed *out, char *err, size_t errsz);
struct json_object *fd_store_changed_encode(const struct fd_store_changed *);
int		 fd_store_changed_decode(struct json_object *payload,
		    struct fd_store_changed *out, char *err, size_t errsz);

/*
 * The registry's checks (lib/fd_event.h): decode, and for an accepted
 * payload encode and decode again: 0 the same, -1 refused, -2 not the
 * same.
 */
int		 fd_order_taken_check(struct json_object *payload, char *err,
		    size_t errsz);
int		 fd_order_prepared_check(struct json_object *payload, char *err,
		    size_t errsz);
int		 fd_order_rejected_check(struct json_object *payload, char *err,
		    size_t errsz);
int		 fd_cancel_confirmed_check(struct json_object *payload,
		    char *err, size_t errsz);
int		 fd_cancel_refused_check(struct json_object *payload, char *err,
		    size_t errsz);
int		 fd_menu_item_changed_check(struct json_object *payload,
		    char *err, size_t errsz);
int		 fd_store_changed_check(struct json_object *payload, char *err,
		    size_t errsz);

/* 1 if s is one of OrderRejected's reasonCodes (SPEC). */
int		 fd_reject_code_ok(const char *s);
/* 1 if s is one of a ticket's statuses (CancelRefused's ticketStatus). */
int		 fd_ticket_status_ok(const char *s);

/* What the store is at now (Unix seconds): a pause ends by itself. */
enum fd_store_state fd_store_state_at(const struct fd_store_changed *,
		    long long now);
const char	*fd_store_state_name(enum fd_store_state);	/* "open" */
/* 1 if every field is within the rules above (text valid UTF-8). */
int		 fd_store_changed_ok(const struct fd_store_changed *);

#endif
