/*
 * fd_event_payment.c - PayApproved and PayCanceled written and read in
 * one place (fd_event_payment.h).  No I/O.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_field.h"
#include "fd_event_payment.h"

/* customerId, unless not said (0): it is an id when present. */
static void
customer(json_object *o, const struct fd_pay_approved *p)
{
	if (p->customer_id != 0)
		json_object_object_add(o, "customerId",
		    json_object_new_int64(p->customer_id));
}

/* The fields in the order each event has always carried them. */
json_object *
fd_pay_approved_encode(const struct fd_pay_approved *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "paymentId",
	    json_object_new_int64(p->payment_id));
	json_object_object_add(o, "orderId", json_object_new_int64(p->order_id));
	json_object_object_add(o, "amount", json_object_new_int64(p->amount));
	customer(o, p);
	return o;
}

json_object *
fd_pay_canceled_encode(const struct fd_pay_canceled *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(p->order_id));
	json_object_object_add(o, "paymentId",
	    json_object_new_int64(p->payment_id));
	json_object_object_add(o, "amount", json_object_new_int64(p->amount));
	customer(o, p);
	return o;
}

static int
pay_decode(const char *type, json_object *payload, struct fd_pay_approved *p,
    char *err, size_t errsz)
{
	struct fd_event_in in;

	memset(p, 0, sizeof(*p));
	fd_event_in_init(&in, type, payload, err, errsz);
	fd_event_id(&in, "paymentId", &p->payment_id);
	fd_event_id(&in, "orderId", &p->order_id);
	fd_event_amount(&in, "amount", &p->amount);
	/* Optional: 0 = not said.  When said, an id. */
	fd_event_int_opt(&in, "customerId", 1, FD_EVENT_ID_MAX, 0,
	    &p->customer_id);
	if (fd_event_in_end(&in) == 0)
		return 0;
	memset(p, 0, sizeof(*p));
	return -1;
}

int
fd_pay_approved_decode(json_object *payload, struct fd_pay_approved *p,
    char *err, size_t errsz)
{
	return pay_decode("PayApproved", payload, p, err, errsz);
}

int
fd_pay_canceled_decode(json_object *payload, struct fd_pay_canceled *p,
    char *err, size_t errsz)
{
	return pay_decode("PayCanceled", payload, p, err, errsz);
}

FD_EVENT_CHECK(fd_pay_approved, fd_pay_approved)
FD_EVENT_CHECK(fd_pay_canceled, fd_pay_canceled)
