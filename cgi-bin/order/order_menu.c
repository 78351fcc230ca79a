/*
 * order_menu.c - a store's menu as placement prices it, and the store
 * itself (open, paused, its minimum and fee: the store replica): the
 * replicas, kept by each worker between orders (the menu replica's
 * SELECT was the costliest statement of a placement, and menus and stores
 * change rarely; a placement reads neither while its copy holds).
 *
 * A generation counter on a page the order program's workers share is
 * raised after every commit that changed either replica
 * (order_menu_replicate and order_store_replicate mark the unit of work,
 * order_menu_after_commit raises).  A worker's copy
 * is tagged with the generation read BEFORE its rows were read and is used
 * only while the counter still has that value: so an order that starts
 * after the worker applying a change has committed it and answered the
 * relay never prices from the menu before it, and a copy read while a
 * change was committing is read again next time.
 *
 * During a deploy the old release's workers raise their own counter; a
 * copy is therefore also read again after MENU_TTL_MS, which bounds what
 * an order taken in that overlap can miss.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fd_proc.h"
#include "order.h"

#define MENU_SLOTS	8	/* stores a worker keeps */
#define MENU_TTL_MS	5000

struct menu_copy {
	long long		 store_id;	/* 0: empty */
	uint64_t		 gen;
	long long		 read_ms;
	struct fd_store_changed	 store;
	struct order_menu_item	*items;
	size_t			 n;
};

static uint64_t *gen;		/* shared by the workers; NULL: no copies */
static struct menu_copy copies[MENU_SLOTS];
static int changed;		/* this unit of work wrote the replica */

int
order_menu_shm_init(void)
{
	gen = fd_shared_alloc(sizeof(*gen));
	return gen != NULL ? 0 : -1;
}

void
order_menu_fini(void)
{
	size_t i;

	for (i = 0; i < MENU_SLOTS; i++) {
		free(copies[i].items);
		memset(&copies[i], 0, sizeof(copies[i]));
	}
}

int
order_menu_replicate(const struct order_menu_item *it)
{
	if (order_db_menu_upsert(it) != 0)
		return -1;
	changed = 1;
	return 0;
}

int
order_store_replicate(const struct fd_store_changed *st)
{
	if (order_db_store_upsert(st) != 0)
		return -1;
	changed = 1;
	return 0;
}

/* The store replica's row; a store it has no row of is open, without
 * minimum or fee (as fishstore's stores were before they had them). */
static int
read_store(long long store_id, struct fd_store_changed *st)
{
	int rc;

	if ((rc = order_db_store(store_id, st)) < 0)
		return -1;
	if (rc == 0) {
		memset(st, 0, sizeof(*st));
		st->store_id = store_id;
		st->open = 1;
	}
	return 0;
}

void
order_menu_after_commit(void)
{
	if (changed && gen != NULL)
		__atomic_fetch_add(gen, 1, __ATOMIC_RELEASE);
	changed = 0;
}

void
order_menu_after_rollback(void)
{
	changed = 0;
}

int
order_menu(long long store_id, struct fd_store_changed *st,
    struct order_menu_item *menu, size_t max, size_t *n)
{
	struct menu_copy *c = &copies[(unsigned long long)store_id % MENU_SLOTS];
	uint64_t g;
	long long now = fd_now_ms();

	if (gen == NULL)
		return read_store(store_id, st) < 0 ? -1 :
		    order_db_menu(store_id, menu, max, n);
	g = __atomic_load_n(gen, __ATOMIC_ACQUIRE);
	if (c->store_id != store_id || c->gen != g ||
	    now - c->read_ms >= MENU_TTL_MS) {
		if (read_store(store_id, st) < 0 ||
		    order_db_menu(store_id, menu, max, n) < 0)
			return -1;
		free(c->items);
		c->store_id = 0;
		if ((c->items = malloc((*n ? *n : 1) * sizeof(*menu))) == NULL)
			return 0;	/* priced all the same, kept no copy */
		memcpy(c->items, menu, *n * sizeof(*menu));
		c->store = *st;
		c->n = *n;
		c->gen = g;
		c->read_ms = now;
		c->store_id = store_id;
		return 0;
	}
	*n = c->n < max ? c->n : max;
	memcpy(menu, c->items, *n * sizeof(*menu));
	*st = c->store;
	return 0;
}
