/*
 * store_app.c - catalog use cases: list stores, read a menu, and the
 * owner's change of a menu item (state and MenuItemChanged in one commit).
 */
#include "fd_db.h"
#include "store.h"

enum store_err
store_list(store_each_fn fn, void *arg)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	rc = store_db_stores(fn, arg);
	fd_db_rollback();
	return rc < 0 ? STORE_E_UNAVAILABLE : STORE_OK;
}

enum store_err
store_menu(long long store_id, store_each_fn fn, void *arg)
{
	int exists, rc = 0;

	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	exists = store_db_store_exists(store_id);
	if (exists == 1)
		rc = store_db_menu(store_id, fn, arg);
	fd_db_rollback();
	if (exists < 0 || rc < 0)
		return STORE_E_UNAVAILABLE;
	return exists == 1 ? STORE_OK : STORE_E_NOT_FOUND;
}

enum store_err
store_menu_patch(long long owner_store, long long store_id, long long menu_id,
    const struct store_menu_patch *p, struct store_menu_item *out)
{
	struct store_menu_changed ev;
	enum store_err e;
	int changed, rc;

	if ((e = store_menu_authorize(owner_store, store_id)) != STORE_OK)
		return e;
	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	if ((rc = store_db_menu_item_lock(store_id, menu_id, out)) != 1) {
		fd_db_rollback();
		return rc == 0 ? STORE_E_NOT_FOUND : STORE_E_UNAVAILABLE;
	}
	if ((e = store_menu_apply(out, p, &changed, &ev)) != STORE_OK) {
		fd_db_rollback();
		return e;
	}
	if (!changed) {
		fd_db_rollback();
		return STORE_OK;
	}
	if (store_db_menu_item_update(out) != 0 ||
	    store_db_menu_changed(&ev) != 0) {
		fd_db_rollback();
		return STORE_E_UNAVAILABLE;
	}
	return fd_db_commit() == FD_DB_OK ? STORE_OK : STORE_E_UNAVAILABLE;
}
