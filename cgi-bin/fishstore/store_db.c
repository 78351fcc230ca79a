/*
 * store_db.c - stores, menu items and the outbox (MariaDB adapter).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_db.h"
#include "fd_outbox.h"
#include "store.h"

int
store_db_stores(store_each_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT id, name, address, phone FROM stores ORDER BY id";
	struct store s;
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "") == FD_DB_OK &&
	    fd_q_out(&q, "lsss", &s.id, s.name, sizeof(s.name), s.address,
	    sizeof(s.address), s.phone, sizeof(s.phone)) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (fn(arg, &s) != 0) {
				rc = -1;
				break;
			}
	fd_q_close(&q);
	return rc;
}

int
store_db_store_exists(long long store_id)
{
	static const char sql[] = "SELECT id FROM stores WHERE id = ?";
	long long id;
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "l", store_id) == FD_DB_OK &&
	    fd_q_out(&q, "l", &id) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	return rc;
}

int
store_db_menu(long long store_id, store_each_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT id, store_id, name, price, sold_out FROM menu_items"
	    " WHERE store_id = ? ORDER BY id";
	struct store_menu_item it;
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "l", store_id) == FD_DB_OK &&
	    fd_q_out(&q, "llsli", &it.id, &it.store_id, it.name, sizeof(it.name),
	    &it.price, &it.sold_out) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (fn(arg, &it) != 0) {
				rc = -1;
				break;
			}
	fd_q_close(&q);
	return rc;
}

int
store_db_menu_item_lock(long long store_id, long long menu_id,
    struct store_menu_item *it)
{
	static const char sql[] =
	    "SELECT id, store_id, name, price, sold_out FROM menu_items"
	    " WHERE id = ? AND store_id = ? FOR UPDATE";
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "ll", menu_id, store_id) == FD_DB_OK &&
	    fd_q_out(&q, "llsli", &it->id, &it->store_id, it->name,
	    sizeof(it->name), &it->price, &it->sold_out) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	return rc;
}

int
store_db_menu_item_update(const struct store_menu_item *it)
{
	static const char sql[] =
	    "UPDATE menu_items SET price = ?, sold_out = ? WHERE id = ?";
	struct fd_q q;
	enum fd_db_rc rc;

	rc = fd_q_exec(&q, sql, "lil", it->price, it->sold_out, it->id);
	fd_q_close(&q);
	return rc == FD_DB_OK ? 0 : -1;
}

int
store_db_menu_changed(const struct store_menu_changed *ev)
{
	json_object *o = json_object_new_object();
	char key[48];

	json_object_object_add(o, "storeId", json_object_new_int64(ev->store_id));
	json_object_object_add(o, "menuId", json_object_new_int64(ev->menu_id));
	json_object_object_add(o, "name", json_object_new_string(ev->name));
	json_object_object_add(o, "price", json_object_new_int64(ev->price));
	json_object_object_add(o, "soldOut", json_object_new_boolean(ev->sold_out));
	/* Changes of one item stay in order: they share a key. */
	snprintf(key, sizeof(key), "menu:%lld", ev->menu_id);
	return fd_outbox_add("MenuItemChanged", key, o, NULL) == FD_DB_OK ? 0 : -1;
}
