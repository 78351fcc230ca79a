/*
 * store_domain.c - menu rules.  Pure: libc only, no I/O.
 */
#include <string.h>

#include "store.h"

/* An owner manages exactly the store bound to the account. */
enum store_err
store_menu_authorize(long long owner_store, long long store_id)
{
	return owner_store > 0 && owner_store == store_id ? STORE_OK :
	    STORE_E_FORBIDDEN;
}

/*
 * Applies p to it.  A change that alters nothing is still valid (PATCH is
 * idempotent) but produces no event: *changed says whether ev was filled.
 */
enum store_err
store_menu_apply(struct store_menu_item *it, const struct store_menu_patch *p,
    int *changed, struct store_menu_changed *ev)
{
	*changed = 0;
	if (!p->has_price && !p->has_sold_out)
		return STORE_E_INPUT;
	if (p->has_price &&
	    (p->price < STORE_PRICE_MIN || p->price > STORE_PRICE_MAX))
		return STORE_E_INPUT;
	if (p->has_price && p->price != it->price) {
		it->price = p->price;
		*changed = 1;
	}
	if (p->has_sold_out && (p->sold_out != 0) != (it->sold_out != 0)) {
		it->sold_out = p->sold_out != 0;
		*changed = 1;
	}
	if (*changed) {
		ev->store_id = it->store_id;
		ev->menu_id = it->id;
		memcpy(ev->name, it->name, sizeof(ev->name));
		ev->price = it->price;
		ev->sold_out = it->sold_out;
	}
	return STORE_OK;
}

const char *
store_err_message(enum store_err e)
{
	switch (e) {
	case STORE_OK:
		return "ok";
	case STORE_E_INPUT:
		return "send price (100 to 10,000,000 KRW) and/or soldOut";
	case STORE_E_NOT_FOUND:
		return "no such store or menu item";
	case STORE_E_FORBIDDEN:
		return "this is not your store";
	case STORE_E_UNAVAILABLE:
		return "the store service is unavailable, try again shortly";
	default:
		return "internal error";
	}
}
