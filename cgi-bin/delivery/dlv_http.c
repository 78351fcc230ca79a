/*
 * dlv_http.c - the delivery context's HTTP adapter: an owner's deliveries
 * and the owner's "Delivered".  It turns requests into use-case calls
 * (dlv_app.c) and their results into answers; which handler serves which
 * route is dlv_main.c's wiring.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlv.h"
#include "dlv_http.h"
#include "fd_http.h"
#include "fd_page.h"

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

static int
add_delivery(void *arg, const struct dlv_delivery *d)
{
	return fd_page_add(arg, d->id, delivery_json(d));
}

/* The owner's deliveries for fd_page_list(), newest first. */
static int
deliveries(struct fd_req *r, struct fd_page *p)
{
	struct dlv_filter f;
	enum dlv_err e;

	memset(&f, 0, sizeof(f));
	f.has_status = p->has_status;
	f.status = (enum dlv_status)p->status;
	f.before = p->cursor;
	f.limit = p->limit;
	e = dlv_list(r->who.store, &f, add_delivery, p, &p->more);
	if (e == DLV_OK)
		return 0;
	reply_dlv_error(r, e, NULL);
	return -1;
}

static const struct fd_page_spec deliveries_page = {
	.rows = "deliveries",
	.cursor = "before",
	.cursor_min = 1,
	.cursor_msg = "before must be a deliveryId",
	.next = "nextBefore",
	.statuses = dlv_status_names,
	.nstatuses = DLV__NSTATUS,
	.limit_default = DLV_PAGE_DEFAULT,
	.limit_max = DLV_PAGE_MAX,
	.run = deliveries,
};

/* GET /deliveries?status=&before=&limit= */
void
dlv_http_list(struct fd_req *r)
{
	fd_page_list(r, &deliveries_page);
}

/* GET /deliveries/{id} */
void
dlv_http_get(struct fd_req *r)
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
const struct fd_schema dlv_http_patch_schema = FD_SCHEMA(patch_fields);

/* PATCH /deliveries/{id} {"status":"Delivered"} */
void
dlv_http_patch(struct fd_req *r)
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
