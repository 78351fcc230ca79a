/*
 * dlv_http.c - the delivery context's HTTP adapter: an owner's deliveries
 * and the owner's "Delivered".
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlv.h"
#include "dlv_http.h"
#include "fd_db.h"
#include "fd_http.h"
#include "fd_outbox.h"

static const enum fd_err errmap[] = {
	[DLV_OK] =		FD_OK,
	[DLV_E_INPUT] =		FD_E_BAD_INPUT,
	[DLV_E_NOT_FOUND] =	FD_E_NOT_FOUND,
	[DLV_E_STATE] =		FD_E_CONFLICT,
	[DLV_E_UNAVAILABLE] =	FD_E_UNAVAILABLE,
	[DLV_E_INTERNAL] =	FD_E_INTERNAL,
};

/* why: a more precise message than the error's own, or NULL/"". */
static void
reply_dlv_error(struct fd_req *r, enum dlv_err e, const char *why)
{
	if (e == DLV_E_UNAVAILABLE)
		fd_add_header(r, "Retry-After", "5");
	fd_reply_error(r, errmap[e], why != NULL && *why != '\0' ? why :
	    dlv_err_message(e));
}

static json_object *
delivery_json(const struct dlv_delivery *d)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "deliveryId", json_object_new_int64(d->id));
	json_object_object_add(o, "orderId", json_object_new_int64(d->order_id));
	json_object_object_add(o, "ticketId",
	    json_object_new_int64(d->ticket_id));
	json_object_object_add(o, "storeId", json_object_new_int64(d->store_id));
	json_object_object_add(o, "status",
	    json_object_new_string(dlv_status_name(d->status)));
	json_object_object_add(o, "address", json_object_new_string(d->address));
	json_object_object_add(o, "phone", json_object_new_string(d->phone));
	json_object_object_add(o, "createdAt",
	    json_object_new_string(d->created_at));
	json_object_object_add(o, "updatedAt",
	    json_object_new_string(d->updated_at));
	json_object_object_add(o, "cancelReason", *d->cancel_reason != '\0' ?
	    json_object_new_string(d->cancel_reason) : NULL);
	return o;
}

/* ?status=&before=&limit=; 0, or -1 having answered 400. */
static int
list_filter(struct fd_req *r, struct dlv_filter *f)
{
	char buf[24];
	long long v;
	int rc;

	memset(f, 0, sizeof(*f));
	f->limit = DLV_PAGE_DEFAULT;
	if ((rc = fd_query_param(r, "status", buf, sizeof(buf))) != 0) {
		if (rc < 0 || dlv_status_parse(buf, &f->status) != 0) {
			fd_reply_error(r, FD_E_BAD_INPUT, "status must be one of "
			    "DeliveryStarted, Delivered, Canceled");
			return -1;
		}
		f->has_status = 1;
	}
	if ((rc = fd_query_long(r, "before", 1, 999999999999999LL, &f->before,
	    "before must be a deliveryId")) < 0 ||
	    (rc = fd_query_long(r, "limit", 1, DLV_PAGE_MAX, &v,
	    "limit must be 1 to 500")) < 0)
		return -1;
	if (rc == 1)
		f->limit = (int)v;
	return 0;
}

struct page {
	json_object	*arr;
	long long	 last;
};

static int
add_delivery(void *arg, const struct dlv_delivery *d)
{
	struct page *p = arg;

	p->last = d->id;
	return json_object_array_add(p->arr, delivery_json(d));
}

static void
list(struct fd_req *r)
{
	struct dlv_filter f;
	struct page p;
	json_object *o;
	enum dlv_err e;
	int more;

	if (list_filter(r, &f) != 0)
		return;
	p.arr = json_object_new_array();
	p.last = 0;
	if ((e = dlv_list(r->who.store, &f, add_delivery, &p, &more)) !=
	    DLV_OK) {
		json_object_put(p.arr);
		reply_dlv_error(r, e, NULL);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "storeId", json_object_new_int64(r->who.store));
	json_object_object_add(o, "deliveries", p.arr);
	/* The next page: ?before=nextBefore (null when this was the last). */
	json_object_object_add(o, "nextBefore", more ?
	    json_object_new_int64(p.last) : NULL);
	fd_reply_json(r, 200, o);
}

static void
get(struct fd_req *r)
{
	struct dlv_delivery d;
	enum dlv_err e;

	if ((e = dlv_get(r->who.store, r->ids[0], &d)) != DLV_OK)
		reply_dlv_error(r, e, NULL);
	else
		fd_reply_json(r, 200, delivery_json(&d));
}

enum { DP_STATUS };
static const struct fd_field patch_fields[] = {
	[DP_STATUS] =	{ "status", FD_T_STRING, 1, 1, 16, NULL },
};
static const struct fd_schema patch_schema = FD_SCHEMA(patch_fields);

static void
patch(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	struct dlv_delivery d;
	enum dlv_status to;
	char status[17], why[160];
	enum dlv_err e;

	snprintf(status, sizeof(status), "%.*s", (int)v[DP_STATUS].len,
	    v[DP_STATUS].s);
	if (dlv_status_parse(status, &to) != 0) {
		fd_reply_error(r, FD_E_BAD_INPUT, "status must be Delivered");
		return;
	}
	e = dlv_patch(r->who.store, r->ids[0], to, &d, why, sizeof(why));
	if (e != DLV_OK)
		reply_dlv_error(r, e, why);
	else
		fd_reply_json(r, 200, delivery_json(&d));
}

static const struct fd_route routes[] = {
	{ "GET", "/deliveries", FD_AUTH_OWNER, NULL, list },
	{ "GET", "/deliveries/{id}", FD_AUTH_OWNER, NULL, get },
	{ "PATCH", "/deliveries/{id}", FD_AUTH_OWNER, &patch_schema, patch },
};

static int
init(void)
{
	return fd_db_init();
}

static int
ready(void)
{
	return fd_db_ping();
}

static void
metrics(FILE *f)
{
	fd_outbox_metrics(f, "delivery");
}

const struct fd_app dlv_app = {
	.name = "delivery",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.init = init,
	.fini = fd_db_fini,
	.ready = ready,
	.metrics = metrics,
	.apply_event = dlv_apply_event,
};
