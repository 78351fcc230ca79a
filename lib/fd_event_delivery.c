/*
 * fd_event_delivery.c - the payloads of delivery's events, written and
 * read in one place (fd_event_delivery.h).  No I/O: json-c and the shared
 * field rules (fd_event_field.c) only, so the fuzz harness links it.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_delivery.h"
#include "fd_event_field.h"

static json_object *
encode(const struct fd_delivery_event *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(e->order_id));
	json_object_object_add(o, "deliveryId",
	    json_object_new_int64(e->delivery_id));
	return o;
}

static int
decode(const char *type, json_object *ev, struct fd_delivery_event *e,
    char *err, size_t errsz)
{
	struct fd_event_in in;

	memset(e, 0, sizeof(*e));
	fd_event_in_init(&in, type, ev, err, errsz);
	fd_event_id(&in, "orderId", &e->order_id);
	fd_event_id(&in, "deliveryId", &e->delivery_id);
	return fd_event_in_end(&in);
}

json_object *
fd_delivery_started_encode(const struct fd_delivery_event *e)
{
	return encode(e);
}

json_object *
fd_delivery_completed_encode(const struct fd_delivery_event *e)
{
	return encode(e);
}

json_object *
fd_delivery_canceled_encode(const struct fd_delivery_event *e)
{
	return encode(e);
}

int
fd_delivery_started_decode(json_object *ev, struct fd_delivery_event *e,
    char *err, size_t errsz)
{
	return decode("DeliveryStarted", ev, e, err, errsz);
}

int
fd_delivery_completed_decode(json_object *ev, struct fd_delivery_event *e,
    char *err, size_t errsz)
{
	return decode("DeliveryCompleted", ev, e, err, errsz);
}

int
fd_delivery_canceled_decode(json_object *ev, struct fd_delivery_event *e,
    char *err, size_t errsz)
{
	return decode("DeliveryCanceled", ev, e, err, errsz);
}

FD_EVENT_CHECK(fd_delivery_started, fd_delivery_event)
FD_EVENT_CHECK(fd_delivery_completed, fd_delivery_event)
FD_EVENT_CHECK(fd_delivery_canceled, fd_delivery_event)
