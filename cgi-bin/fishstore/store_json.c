/*
 * store_json.c - the fishstore context's JSON writers that both inbound
 * adapters use: a ticket as the owner's API answers it (store_http.c)
 * and as the operator's command line prints it (store_cli.c, --json).
 * Kept here, beside neither, so that the two adapters stay independent.
 */
#include <json-c/json.h>
#include <stddef.h>

#include "store.h"
#include "store_json.h"

static json_object *
text_or_null(const char *s)
{
	return *s != '\0' ? json_object_new_string(s) : NULL;
}

json_object *
store_ticket_json(const struct store_ticket *t)
{
	json_object *o = json_object_new_object(), *items, *it;
	size_t i;

	json_object_object_add(o, "ticketId", json_object_new_int64(t->id));
	json_object_object_add(o, "orderId", json_object_new_int64(t->order_id));
	json_object_object_add(o, "storeId", json_object_new_int64(t->store_id));
	json_object_object_add(o, "status",
	    json_object_new_string(store_ticket_status_name(t->status)));
	items = json_object_new_array();
	for (i = 0; i < t->nitems; i++) {
		it = json_object_new_object();
		json_object_object_add(it, "menuId",
		    json_object_new_int64(t->items[i].menu_id));
		json_object_object_add(it, "name",
		    json_object_new_string(t->items[i].name));
		json_object_object_add(it, "qty",
		    json_object_new_int64(t->items[i].qty));
		json_object_object_add(it, "price",
		    json_object_new_int64(t->items[i].price));
		json_object_array_add(items, it);
	}
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "amount", json_object_new_int64(t->amount));
	json_object_object_add(o, "address", json_object_new_string(t->address));
	json_object_object_add(o, "phone", json_object_new_string(t->phone));
	json_object_object_add(o, "createdAt",
	    json_object_new_string(t->created_at));
	json_object_object_add(o, "updatedAt",
	    json_object_new_string(t->updated_at));
	json_object_object_add(o, "rejectReason", text_or_null(t->reject_reason));
	json_object_object_add(o, "rejectReasonCode",
	    text_or_null(store_reject_code_name(t->reject_code)));
	json_object_object_add(o, "cancelReason", text_or_null(t->cancel_reason));
	json_object_object_add(o, "readyBy", text_or_null(t->ready_by));
	/* The deadline, and while the owner may still answer the seconds left
	 * by the server's clock: the page counts down from that, whatever
	 * its own clock says. */
	json_object_object_add(o, "acceptBy", text_or_null(t->accept_by));
	json_object_object_add(o, "acceptInSeconds",
	    t->status == STORE_T_PAID && t->accept_by[0] != '\0' ?
	    json_object_new_int64(t->accept_ms > 0 ? t->accept_ms / 1000 : 0) :
	    NULL);
	return o;
}
