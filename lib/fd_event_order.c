/*
 * fd_event_order.c - OrderPlaced, CancelRequested and OrderCanceled
 * written and read in one place (fd_event_order.h).  No I/O: json-c and
 * the shared field rules only, so the fuzz harness links it as it is.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_field.h"
#include "fd_event_order.h"

json_object *
fd_order_items_encode(const struct fd_order_placed *p)
{
	json_object *arr = json_object_new_array(), *it;
	size_t i;

	for (i = 0; i < p->nitems && i < FD_ORDER_ITEMS_MAX; i++) {
		it = json_object_new_object();
		json_object_object_add(it, "menuId",
		    json_object_new_int64(p->items[i].menu_id));
		json_object_object_add(it, "name",
		    json_object_new_string(p->items[i].name));
		json_object_object_add(it, "qty",
		    json_object_new_int64(p->items[i].qty));
		json_object_object_add(it, "price",
		    json_object_new_int64(p->items[i].price));
		json_object_array_add(arr, it);
	}
	return arr;
}

json_object *
fd_order_placed_encode(const struct fd_order_placed *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(p->order_id));
	json_object_object_add(o, "customerId",
	    json_object_new_int64(p->customer_id));
	json_object_object_add(o, "storeId", json_object_new_int64(p->store_id));
	json_object_object_add(o, "items", fd_order_items_encode(p));
	json_object_object_add(o, "amount", json_object_new_int64(p->amount));
	/* Beyond SPEC's fields: the parts of the amount charged. */
	json_object_object_add(o, "itemsAmount",
	    json_object_new_int64(p->items_amount));
	json_object_object_add(o, "deliveryFee",
	    json_object_new_int64(p->delivery_fee));
	json_object_object_add(o, "address", json_object_new_string(p->address));
	json_object_object_add(o, "phone", json_object_new_string(p->phone));
	return o;
}

int
fd_order_placed_decode(json_object *payload, struct fd_order_placed *p,
    char *err, size_t errsz)
{
	struct fd_event_in in, it;
	json_object *arr;
	size_t i, n;

	memset(p, 0, sizeof(*p));
	fd_event_in_init(&in, "OrderPlaced", payload, err, errsz);
	fd_event_id(&in, "orderId", &p->order_id);
	fd_event_id(&in, "customerId", &p->customer_id);
	fd_event_id(&in, "storeId", &p->store_id);
	arr = fd_event_array(&in, "items", 1, FD_ORDER_ITEMS_MAX, &n);
	for (i = 0; i < n && !in.bad; i++) {
		struct fd_order_item *x = &p->items[i];

		fd_event_in_elem(&in, "items", json_object_array_get_idx(arr, i),
		    i, &it);
		fd_event_id(&it, "menuId", &x->menu_id);
		fd_event_text(&it, "name", x->name, sizeof(x->name),
		    FD_EVENT_NAME_MAX);
		fd_event_int(&it, "qty", 1, FD_ORDER_QTY_MAX, &x->qty);
		fd_event_amount(&it, "price", &x->price);
	}
	p->nitems = n;
	fd_event_amount(&in, "amount", &p->amount);
	fd_event_int_opt(&in, "itemsAmount", 0, FD_EVENT_AMOUNT_MAX, 0,
	    &p->items_amount);
	fd_event_int_opt(&in, "deliveryFee", 0, FD_EVENT_AMOUNT_MAX, 0,
	    &p->delivery_fee);
	fd_event_text(&in, "address", p->address, sizeof(p->address),
	    FD_EVENT_ADDRESS_MAX);
	fd_event_ascii(&in, "phone", p->phone, sizeof(p->phone),
	    FD_EVENT_PHONE_MAX);
	if (fd_event_in_end(&in) == 0)
		return 0;
	memset(p, 0, sizeof(*p));
	return -1;
}

/* CancelRequested and OrderCanceled: {orderId, reason}. */
static json_object *
cancel_encode(const struct fd_order_canceled *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_object_new_int64(c->order_id));
	json_object_object_add(o, "reason", json_object_new_string(c->reason));
	return o;
}

static int
cancel_decode(const char *type, json_object *payload,
    struct fd_order_canceled *c, char *err, size_t errsz)
{
	struct fd_event_in in;

	memset(c, 0, sizeof(*c));
	fd_event_in_init(&in, type, payload, err, errsz);
	fd_event_id(&in, "orderId", &c->order_id);
	fd_event_reason(&in, "reason", c->reason, sizeof(c->reason));
	if (fd_event_in_end(&in) == 0)
		return 0;
	memset(c, 0, sizeof(*c));
	return -1;
}

json_object *
fd_cancel_requested_encode(const struct fd_order_canceled *c)
{
	return cancel_encode(c);
}

json_object *
fd_order_canceled_encode(const struct fd_order_canceled *c)
{
	return cancel_encode(c);
}

int
fd_cancel_requested_decode(json_object *payload, struct fd_order_canceled *c,
    char *err, size_t errsz)
{
	return cancel_decode("CancelRequested", payload, c, err, errsz);
}

int
fd_order_canceled_decode(json_object *payload, struct fd_order_canceled *c,
    char *err, size_t errsz)
{
	return cancel_decode("OrderCanceled", payload, c, err, errsz);
}

FD_EVENT_CHECK(fd_order_placed, fd_order_placed)
FD_EVENT_CHECK(fd_cancel_requested, fd_order_canceled)
FD_EVENT_CHECK(fd_order_canceled, fd_order_canceled)
