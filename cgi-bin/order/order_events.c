/*
 * order_events.c - the order context as a subscriber: its status follows
 * the store's and the courier's events, and its menu replica follows
 * MenuItemChanged.  Runs inside the unit of work lib/fd_consumer.c opened.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_consumer.h"
#include "order.h"

static int
menu_changed(struct json_object *ev, char *err, size_t errsz)
{
	struct order_menu_item it;
	struct json_object *j;

	memset(&it, 0, sizeof(it));
	if (fd_ev_int(ev, "menuId", &it.menu_id) != 0 || it.menu_id <= 0 ||
	    fd_ev_int(ev, "storeId", &it.store_id) != 0 || it.store_id <= 0 ||
	    fd_ev_str(ev, "name", it.name, sizeof(it.name)) != 0 ||
	    fd_ev_int(ev, "price", &it.price) != 0 || it.price < 0 ||
	    !json_object_object_get_ex(ev, "soldOut", &j) ||
	    !json_object_is_type(j, json_type_boolean)) {
		snprintf(err, errsz, "MenuItemChanged with missing or bad fields");
		return FD_APPLY_POISON;
	}
	it.sold_out = json_object_get_boolean(j);
	if (order_menu_replicate(&it) != 0) {
		snprintf(err, errsz, "database error");
		return FD_APPLY_RETRY;
	}
	return FD_APPLY_OK;
}

int
order_apply_event(const char *type, struct json_object *ev, char *err,
    size_t errsz)
{
	enum order_status to;
	long long order_id;

	if (strcmp(type, "MenuItemChanged") == 0)
		return menu_changed(ev, err, errsz);
	/* OrderPlaced, PayApproved and the cancellations feed MyPage only. */
	if (order_status_of_event(type, &to) != 0)
		return FD_APPLY_OK;
	if (fd_ev_int(ev, "orderId", &order_id) != 0 || order_id <= 0) {
		snprintf(err, errsz, "%s without a valid orderId", type);
		return FD_APPLY_POISON;
	}
	if (order_follow(order_id, to) != 0) {
		snprintf(err, errsz, "database error");
		return FD_APPLY_RETRY;
	}
	return FD_APPLY_OK;
}
