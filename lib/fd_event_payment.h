/*
 * fd_event_payment.h - the payment context's events, one shape each:
 * their struct, the encoders payment writes them with (pay_db.c) and
 * the decoders their subscriber reads them with (order's MyPage,
 * order_events.c).  The field rules are lib/fd_event_field.h's.
 *
 *   PayApproved  paymentId, orderId, amount, and beyond SPEC customerId
 *   PayCanceled  orderId, paymentId, amount, and beyond SPEC customerId
 *
 * customerId says whose order it is, so that MyPage needs no lock to
 * find the row; 0 when absent (an event of a payment context from before
 * it was carried: MyPage then finds the customer under the row's lock).
 */
#ifndef FD_EVENT_PAYMENT_H
#define FD_EVENT_PAYMENT_H

#include <stddef.h>

#include "fd_event_field.h"

struct json_object;

/* PayApproved and PayCanceled: the same fields. */
struct fd_pay_approved {
	long long	 payment_id;
	long long	 order_id;
	long long	 amount;	/* KRW */
	long long	 customer_id;	/* 0 = not said */
};
#define fd_pay_canceled	fd_pay_approved

/* The payload (caller owns it; fd_outbox_add() consumes it). */
struct json_object *fd_pay_approved_encode(const struct fd_pay_approved *);
struct json_object *fd_pay_canceled_encode(const struct fd_pay_canceled *);

/* out from a relayed payload: 0, or -1 with err saying which field is
 * missing, mistyped or out of range. */
int		 fd_pay_approved_decode(struct json_object *payload,
		    struct fd_pay_approved *out, char *err, size_t errsz);
int		 fd_pay_canceled_decode(struct json_object *payload,
		    struct fd_pay_canceled *out, char *err, size_t errsz);

/* The registry's checks (lib/fd_event.c, FD_EVENT_CHECK). */
int		 fd_pay_approved_check(struct json_object *payload, char *err,
		    size_t errsz);
int		 fd_pay_canceled_check(struct json_object *payload, char *err,
		    size_t errsz);

#endif
