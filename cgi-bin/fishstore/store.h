/*
 * store.h - the fishstore context: stores, menus (and, later, tickets).
 *
 * store_domain.c is pure (menu rules and the events they produce);
 * store_app.c holds the use cases over store_db.c; store_http.c is the
 * HTTP adapter.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

enum store_err {
	STORE_OK = 0,
	STORE_E_INPUT,		/* a value outside the rules */
	STORE_E_NOT_FOUND,
	STORE_E_FORBIDDEN,	/* not this owner's store */
	STORE_E_UNAVAILABLE,
	STORE_E_INTERNAL
};

#define STORE_PRICE_MIN	100		/* KRW */
#define STORE_PRICE_MAX	10000000

struct store {
	long long	 id;
	char		 name[241];
	char		 address[801];
	char		 phone[21];
};

struct store_menu_item {
	long long	 id;
	long long	 store_id;
	char		 name[241];
	long long	 price;
	int		 sold_out;
};

/* An owner's change of one item; unset fields stay as they are. */
struct store_menu_patch {
	int		 has_price;
	long long	 price;
	int		 has_sold_out;
	int		 sold_out;
};

/* The MenuItemChanged event: what the order context's replica needs. */
struct store_menu_changed {
	long long	 store_id;
	long long	 menu_id;
	char		 name[241];
	long long	 price;
	int		 sold_out;
};

/* store_domain.c */
enum store_err	 store_menu_authorize(long long owner_store, long long store_id);
enum store_err	 store_menu_apply(struct store_menu_item *it,
		    const struct store_menu_patch *p, int *changed,
		    struct store_menu_changed *ev);
const char	*store_err_message(enum store_err);

/* store_db.c: each runs inside the caller's unit of work; -1 = error. */
typedef int	(*store_each_fn)(void *arg, const void *row);
int		 store_db_stores(store_each_fn, void *arg);
int		 store_db_store_exists(long long store_id);	/* 1, 0, -1 */
int		 store_db_menu(long long store_id, store_each_fn, void *arg);
int		 store_db_menu_item_lock(long long store_id, long long menu_id,
		    struct store_menu_item *it);		/* 1, 0, -1 */
int		 store_db_menu_item_update(const struct store_menu_item *it);
int		 store_db_menu_changed(const struct store_menu_changed *ev);

/* store_app.c: use cases. */
enum store_err	 store_list(store_each_fn, void *arg);
enum store_err	 store_menu(long long store_id, store_each_fn, void *arg);
enum store_err	 store_menu_patch(long long owner_store, long long store_id,
		    long long menu_id, const struct store_menu_patch *p,
		    struct store_menu_item *out);

#endif
