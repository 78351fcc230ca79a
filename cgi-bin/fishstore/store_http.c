/*
 * store_http.c - the fishstore context's HTTP adapter.
 */
#include <json-c/json.h>
#include <string.h>

#include "fd_db.h"
#include "fd_http.h"
#include "store.h"
#include "store_http.h"

static const enum fd_err errmap[] = {
	[STORE_OK] =		FD_OK,
	[STORE_E_INPUT] =	FD_E_BAD_INPUT,
	[STORE_E_NOT_FOUND] =	FD_E_NOT_FOUND,
	[STORE_E_FORBIDDEN] =	FD_E_FORBIDDEN,
	[STORE_E_UNAVAILABLE] =	FD_E_UNAVAILABLE,
	[STORE_E_INTERNAL] =	FD_E_INTERNAL,
};

static void
reply_store_error(struct fd_req *r, enum store_err e)
{
	if (e == STORE_E_UNAVAILABLE)
		fd_add_header(r, "Retry-After", "5");
	fd_reply_error(r, errmap[e], store_err_message(e));
}

static json_object *
item_json(const struct store_menu_item *it)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "menuId", json_object_new_int64(it->id));
	json_object_object_add(o, "name", json_object_new_string(it->name));
	json_object_object_add(o, "price", json_object_new_int64(it->price));
	json_object_object_add(o, "soldOut", json_object_new_boolean(it->sold_out));
	return o;
}

static int
add_store(void *arg, const void *row)
{
	const struct store *s = row;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "storeId", json_object_new_int64(s->id));
	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "address", json_object_new_string(s->address));
	json_object_object_add(o, "phone", json_object_new_string(s->phone));
	return json_object_array_add(arg, o);
}

static void
stores(struct fd_req *r)
{
	json_object *arr = json_object_new_array(), *o;
	enum store_err e;

	if ((e = store_list(add_store, arr)) != STORE_OK) {
		json_object_put(arr);
		reply_store_error(r, e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "stores", arr);
	fd_reply_json(r, 200, o);
}

static int
add_item(void *arg, const void *row)
{
	return json_object_array_add(arg, item_json(row));
}

static void
menu(struct fd_req *r)
{
	json_object *arr = json_object_new_array(), *o;
	enum store_err e;

	if ((e = store_menu(r->ids[0], add_item, arr)) != STORE_OK) {
		json_object_put(arr);
		reply_store_error(r, e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "storeId", json_object_new_int64(r->ids[0]));
	json_object_object_add(o, "items", arr);
	fd_reply_json(r, 200, o);
}

enum { MP_PRICE, MP_SOLD_OUT };
static const struct fd_field menu_patch_fields[] = {
	[MP_PRICE] =	{ "price", FD_T_INT, 0, STORE_PRICE_MIN, STORE_PRICE_MAX,
			    NULL },
	[MP_SOLD_OUT] =	{ "soldOut", FD_T_BOOL, 0, 0, 0, NULL },
};
static const struct fd_schema menu_patch_schema = FD_SCHEMA(menu_patch_fields);

static void
menu_patch(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	struct store_menu_patch p;
	struct store_menu_item it;
	json_object *o;
	enum store_err e;

	memset(&p, 0, sizeof(p));
	p.has_price = v[MP_PRICE].present;
	p.price = v[MP_PRICE].i;
	p.has_sold_out = v[MP_SOLD_OUT].present;
	p.sold_out = v[MP_SOLD_OUT].b;
	e = store_menu_patch(r->who.store, r->ids[0], r->ids[1], &p, &it);
	if (e != STORE_OK) {
		reply_store_error(r, e);
		return;
	}
	o = item_json(&it);
	json_object_object_add(o, "storeId", json_object_new_int64(it.store_id));
	fd_reply_json(r, 200, o);
}

static const struct fd_route routes[] = {
	{ "GET", "/stores", FD_AUTH_PUBLIC, NULL, stores },
	{ "GET", "/stores/{id}/menu", FD_AUTH_PUBLIC, NULL, menu },
	{ "PATCH", "/stores/{id}/menu/{id}", FD_AUTH_OWNER, &menu_patch_schema,
	    menu_patch },
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

const struct fd_app store_app = {
	.name = "fishstore",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.init = init,
	.fini = fd_db_fini,
	.ready = ready,
};
