/*
 * pay_http.c - the payment context's HTTP adapter: handlers, input
 * tables and the mapping of payment errors onto HTTP errors.  Which
 * handler serves which route is pay_main.c's wiring.
 *
 * POST /payments and /payment/internal/... are internal: only the
 * internal nginx server routes them (the public gateway refuses them), so
 * the network is their boundary and they take no token.  GET /payments is
 * the customer's view of a payment.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fd_fault.h"
#include "fd_http.h"
#include "pay.h"
#include "pay_http.h"

#define FAULT_DELAY_MAX	60000	/* ms: a hook must not wedge a worker */

static const enum fd_err errmap[] = {
	[PAY_OK] =		FD_OK,
	[PAY_E_INPUT] =		FD_E_BAD_INPUT,
	[PAY_E_CARD] =		FD_E_BAD_INPUT,
	[PAY_E_DECLINED] =	FD_E_DECLINED,
	[PAY_E_CONFLICT] =	FD_E_CONFLICT,
	[PAY_E_NOT_FOUND] =	FD_E_NOT_FOUND,
	[PAY_E_UNAVAILABLE] =	FD_E_UNAVAILABLE,
	[PAY_E_INTERNAL] =	FD_E_INTERNAL,
};

static void
reply_pay_error(struct fd_req *r, enum pay_err e)
{
	if (e == PAY_E_UNAVAILABLE)
		fd_add_header(r, "Retry-After", "5");
	fd_reply_error(r, errmap[e], pay_err_message(e));
}

/*
 * {"error":{"code","message"}} for e, as fd_reply_error() writes it, for
 * replies that carry more fields beside it (402 and 409 tell the caller
 * which payment is in the way).
 */
static json_object *
error_json(enum pay_err e, const char *msg)
{
	json_object *o = json_object_new_object(), *err = json_object_new_object();

	json_object_object_add(err, "code",
	    json_object_new_string(fd_err_code(errmap[e])));
	json_object_object_add(err, "message", json_object_new_string(msg));
	json_object_object_add(o, "error", err);
	return o;
}

/* Unix milliseconds as ISO 8601 UTC (as occurredAt), or null for 0. */
static json_object *
time_json(long long ms)
{
	char buf[40];
	struct tm tm;
	time_t t;
	size_t n;

	if (ms <= 0)
		return NULL;
	t = (time_t)(ms / 1000);
	if (gmtime_r(&t, &tm) == NULL ||
	    (n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm)) == 0)
		return NULL;
	snprintf(buf + n, sizeof(buf) - n, ".%03lldZ", ms % 1000);
	return json_object_new_string(buf);
}

static json_object *
payment_json(const struct pay_payment *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "paymentId", json_object_new_int64(p->id));
	json_object_object_add(o, "orderId", json_object_new_int64(p->order_id));
	json_object_object_add(o, "amount", json_object_new_int64(p->amount));
	json_object_object_add(o, "status",
	    json_object_new_string(pay_status_name(p->status)));
	return o;
}

static json_object *
state_json(const struct pay_payment *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(p->order_id));
	json_object_object_add(o, "status",
	    json_object_new_string(pay_status_name(p->status)));
	return o;
}

/* 402: the order context tells the customer; the payment id is for support. */
static void
reply_declined(struct fd_req *r, const struct pay_payment *p)
{
	json_object *o = error_json(PAY_E_DECLINED,
	    pay_err_message(PAY_E_DECLINED));

	json_object_object_add(o, "paymentId", json_object_new_int64(p->id));
	json_object_object_add(o, "orderId", json_object_new_int64(p->order_id));
	json_object_object_add(o, "status",
	    json_object_new_string(pay_status_name(p->status)));
	fd_reply_json(r, fd_err_status(FD_E_DECLINED), o);
}

/* 409: the order's payment is a different charge, or it is over. */
static void
reply_conflict(struct fd_req *r, const struct pay_payment *p)
{
	const char *msg;
	json_object *o;

	switch (p->status) {
	case PAY_ST_VOIDED:
		msg = "this order was voided and can no longer be paid";
		break;
	case PAY_ST_REFUNDED:
		msg = "this order's payment was refunded";
		break;
	default:
		msg = "this order already has a payment for another customer "
		    "or amount";
		break;
	}
	o = error_json(PAY_E_CONFLICT, msg);
	json_object_object_add(o, "status",
	    json_object_new_string(pay_status_name(p->status)));
	fd_reply_json(r, fd_err_status(FD_E_CONFLICT), o);
}

/*
 * Test builds only (fd_fault.h): a slow or failing payment service, for
 * the order context's timeout and circuit breaker, or one that refuses
 * every charge as malformed (payment-refuse: what payment answers a card
 * it does not take), which the breaker must not count.  Returns 1 if it
 * answered the request.
 */
static int
faults(struct fd_req *r)
{
	struct timespec ts;
	long long ms;

	if ((ms = fd_fault("payment-delay-ms")) > 0) {
		if (ms > FAULT_DELAY_MAX)
			ms = FAULT_DELAY_MAX;
		ts.tv_sec = (time_t)(ms / 1000);
		ts.tv_nsec = (long)(ms % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			continue;	/* a signal: sleep the rest */
	}
	if (fd_fault("payment-fail") != 0) {
		fd_reply_error(r, FD_E_INTERNAL, "payment-fail fault armed");
		return 1;
	}
	if (fd_fault("payment-refuse") != 0) {
		fd_reply_error(r, FD_E_BAD_INPUT, "payment-refuse fault armed");
		return 1;
	}
	return 0;
}

enum { CH_ORDER, CH_CUSTOMER, CH_AMOUNT, CH_CARD };
static const struct fd_field charge_fields[] = {
	[CH_ORDER] =	{ "orderId", FD_T_INT, 1, 1, PAY_ID_MAX, NULL },
	[CH_CUSTOMER] =	{ "customerId", FD_T_INT, 1, 1, PAY_ID_MAX, NULL },
	[CH_AMOUNT] =	{ "amount", FD_T_INT, 1, 1, PAY_AMOUNT_MAX, NULL },
	[CH_CARD] =	{ "card", FD_T_STRING, 0, PAY_CARD_MIN, PAY_CARD_MAX,
			    NULL },
};
const struct fd_schema pay_http_charge_schema = FD_SCHEMA(charge_fields);

/* POST /payments (internal): the order context charges an order. */
void
pay_http_charge(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	struct pay_charge c;
	struct pay_payment p;
	enum pay_err e;
	int created;

	if (faults(r))
		return;
	memset(&c, 0, sizeof(c));
	c.order_id = v[CH_ORDER].i;
	c.customer_id = v[CH_CUSTOMER].i;
	c.amount = v[CH_AMOUNT].i;
	if (v[CH_CARD].present) {
		c.card = v[CH_CARD].s;
		c.card_len = v[CH_CARD].len;
	}
	switch ((e = pay_charge(&c, &p, &created))) {
	case PAY_OK:
		fd_reply_json(r, created ? 201 : 200, payment_json(&p));
		break;
	case PAY_E_DECLINED:
		reply_declined(r, &p);
		break;
	case PAY_E_CONFLICT:
		reply_conflict(r, &p);
		break;
	default:
		reply_pay_error(r, e);
		break;
	}
}

/* GET /payments?orderId=N: the payment's customer sees its state. */
void
pay_http_show(struct fd_req *r)
{
	struct pay_payment p;
	char buf[32];
	long long order_id;
	json_object *o, *t;
	enum pay_err e;

	if (fd_query(r, "orderId", buf, sizeof(buf)) != 0 ||
	    fd_query_number(buf, 1, PAY_ID_MAX, &order_id) != 0) {
		fd_reply_error(r, FD_E_BAD_INPUT,
		    "orderId must be a positive integer");
		return;
	}
	if ((e = pay_get(order_id, r->who.sub, &p)) != PAY_OK) {
		reply_pay_error(r, e);
		return;
	}
	o = payment_json(&p);
	json_object_object_add(o, "cardLast4", p.card_last4[0] != '\0' ?
	    json_object_new_string(p.card_last4) : NULL);
	t = time_json(p.approved_ms);
	json_object_object_add(o, "approvedAt", t);
	t = time_json(p.refunded_ms);
	json_object_object_add(o, "refundedAt", t);
	fd_reply_json(r, 200, o);
}

/* No body, or "{}": the id in the path is the whole request. */
const struct fd_schema pay_http_empty_schema = { NULL, 0 };

/* POST /payment/internal/void/{orderId}: reconciliation, see pay_void(). */
void
pay_http_void(struct fd_req *r)
{
	struct pay_payment p;
	enum pay_err e;

	if ((e = pay_void(r->ids[0], &p)) != PAY_OK) {
		reply_pay_error(r, e);
		return;
	}
	fd_reply_json(r, 200, state_json(&p));
}

enum { RF_REASON };
static const struct fd_field refund_fields[] = {
	[RF_REASON] =	{ "reason", FD_T_STRING, 0, 1, PAY_REASON_MAX, NULL },
};
const struct fd_schema pay_http_refund_schema = FD_SCHEMA(refund_fields);

/* POST /payment/internal/refund/{orderId}: the relay's use case, by hand. */
void
pay_http_refund(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	struct pay_payment p;
	enum pay_err e;

	e = pay_refund(r->ids[0], v[RF_REASON].present ? v[RF_REASON].s :
	    "refund", &p);
	if (e != PAY_OK) {
		reply_pay_error(r, e);
		return;
	}
	fd_reply_json(r, 200, state_json(&p));
}
