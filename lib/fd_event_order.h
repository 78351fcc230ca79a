/*
 * fd_event_order.h - the order context's events, one shape each: their
 * structs, the encoders the order context writes them with (order_db.c)
 * and the decoders every subscriber reads them with (fishstore's
 * store_events.c, delivery's dlv_events.c, payment's pay_events.c,
 * order's own order_events.c).  Nobody builds or parses these payloads by
 * hand.  The field rules are lib/fd_event_field.h's.
 *
 *   OrderPlaced      orderId, customerId, storeId, items[{menuId, name,
 *                    qty, price}], amount, and beyond SPEC itemsAmount and
 *                    deliveryFee (the parts of amount), address, phone
 *   CancelRequested  orderId, reason
 *   OrderCanceled    orderId, reason
 *
 * eventId, eventType, occurredAt and traceId are the outbox's envelope
 * (fd_outbox_add() adds them), not the codec's.
 */
#ifndef FD_EVENT_ORDER_H
#define FD_EVENT_ORDER_H

#include <stddef.h>

#include "fd_event_field.h"

struct json_object;

/* order takes 20 lines of 1 to 99 each; fishstore keeps up to 50 lines of
 * up to 999: the event takes what either side does. */
#define FD_ORDER_ITEMS_MAX	50
#define FD_ORDER_QTY_MAX	999

struct fd_order_item {
	long long	 menu_id;
	char		 name[FD_EVENT_TEXT_SZ(FD_EVENT_NAME_MAX)];
	long long	 qty;		/* 1 .. FD_ORDER_QTY_MAX */
	long long	 price;		/* unit price, KRW: an amount */
};

struct fd_order_placed {
	long long	 order_id;
	long long	 customer_id;
	long long	 store_id;
	struct fd_order_item items[FD_ORDER_ITEMS_MAX];
	size_t		 nitems;	/* 1 .. FD_ORDER_ITEMS_MAX */
	long long	 amount;	/* charged: items + the fee */
	/* Beyond SPEC, amounts too; 0 when absent (an event of an order
	 * context from before they were carried). */
	long long	 items_amount;
	long long	 delivery_fee;
	char		 address[FD_EVENT_TEXT_SZ(FD_EVENT_ADDRESS_MAX)];
	char		 phone[FD_EVENT_PHONE_MAX + 1];
};

/* CancelRequested and OrderCanceled: the same fields. */
struct fd_order_canceled {
	long long	 order_id;
	char		 reason[FD_EVENT_TEXT_SZ(FD_EVENT_REASON_MAX)];	/* "" =
							   none */
};

/*
 * Encoders: the payload (caller owns it; fd_outbox_add() consumes it).
 * They write what they are given; the decoders are the rules.
 */
struct json_object *fd_order_placed_encode(const struct fd_order_placed *);
struct json_object *fd_cancel_requested_encode(
		    const struct fd_order_canceled *);
struct json_object *fd_order_canceled_encode(const struct fd_order_canceled *);
/* OrderPlaced's items alone, as the event carries them (caller owns). */
struct json_object *fd_order_items_encode(const struct fd_order_placed *);

/*
 * Decoders: out filled from a relayed payload, 0; or -1 with err saying
 * which field is missing, mistyped or out of range (the relay records it,
 * the subscriber answers that the event can never apply).
 */
int		 fd_order_placed_decode(struct json_object *payload,
		    struct fd_order_placed *out, char *err, size_t errsz);
int		 fd_cancel_requested_decode(struct json_object *payload,
		    struct fd_order_canceled *out, char *err, size_t errsz);
int		 fd_order_canceled_decode(struct json_object *payload,
		    struct fd_order_canceled *out, char *err, size_t errsz);

/* The registry's checks (lib/fd_event.c): decode, and for an accepted
 * payload encode and decode again; 0, -1 refused, -2 not the same. */
int		 fd_order_placed_check(struct json_object *payload, char *err,
		    size_t errsz);
int		 fd_cancel_requested_check(struct json_object *payload,
		    char *err, size_t errsz);
int		 fd_order_canceled_check(struct json_object *payload, char *err,
		    size_t errsz);

#endif
