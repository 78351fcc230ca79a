/*
 * test_store_domain.c - store_domain.c: who may change a menu, how a patch
 * applies to an item, and the MenuItemChanged event it produces.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "unit.h"

static void
item(struct store_menu_item *it)
{
	memset(it, 0, sizeof(*it));
	it->id = 31;
	it->store_id = 2;
	snprintf(it->name, sizeof(it->name), "광어");
	it->price = 25000;
	it->sold_out = 0;
}

static struct store_menu_patch
patch(int has_price, long long price, int has_sold_out, int sold_out)
{
	struct store_menu_patch p;

	memset(&p, 0, sizeof(p));
	p.has_price = has_price;
	p.price = price;
	p.has_sold_out = has_sold_out;
	p.sold_out = sold_out;
	return p;
}

/* The event, filled with a pattern: "untouched" is checkable. */
static void
poison(struct fd_menu_item_changed *ev)
{
	memset(ev, 0xa5, sizeof(*ev));
}

static int
untouched(const struct fd_menu_item_changed *ev)
{
	struct fd_menu_item_changed p;

	poison(&p);
	return memcmp(ev, &p, sizeof(p)) == 0;
}

static int
same_item(const struct store_menu_item *a, const struct store_menu_item *b)
{
	return a->id == b->id && a->store_id == b->store_id &&
	    memcmp(a->name, b->name, sizeof(a->name)) == 0 &&
	    a->price == b->price && a->sold_out == b->sold_out;
}

static void
authorize(void)
{
	CU_ASSERT_EQUAL(store_menu_authorize(1, 1), STORE_OK);
	CU_ASSERT_EQUAL(store_menu_authorize(2, 2), STORE_OK);
	CU_ASSERT_EQUAL(store_menu_authorize(999999999999999LL,
	    999999999999999LL), STORE_OK);
	CU_ASSERT_EQUAL(store_menu_authorize(1, 2), STORE_E_FORBIDDEN);
	CU_ASSERT_EQUAL(store_menu_authorize(2, 1), STORE_E_FORBIDDEN);
	/* No store on the account is no store at all, even "equal". */
	CU_ASSERT_EQUAL(store_menu_authorize(0, 0), STORE_E_FORBIDDEN);
	CU_ASSERT_EQUAL(store_menu_authorize(0, 1), STORE_E_FORBIDDEN);
	CU_ASSERT_EQUAL(store_menu_authorize(-1, -1), STORE_E_FORBIDDEN);
}

static void
empty_patch_is_refused(void)
{
	struct store_menu_item it, before;
	struct store_menu_patch p;
	struct fd_menu_item_changed ev;
	int changed = 1;

	item(&it);
	before = it;
	poison(&ev);
	/* Values without their has_ flags are no fields at all. */
	p = patch(0, 30000, 0, 1);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_E_INPUT);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT(same_item(&it, &before));
	CU_ASSERT(untouched(&ev));
}

static void
price_bounds(void)
{
	static const struct {
		long long	 price;
		enum store_err	 want;
	} rows[] = {
		{ STORE_PRICE_MIN, STORE_OK },
		{ STORE_PRICE_MAX, STORE_OK },
		{ 100, STORE_OK },
		{ 10000000, STORE_OK },
		{ 99, STORE_E_INPUT },
		{ 10000001, STORE_E_INPUT },
		{ 0, STORE_E_INPUT },
		{ -25000, STORE_E_INPUT },
		{ 9223372036854775807LL, STORE_E_INPUT },
		{ -9223372036854775807LL - 1, STORE_E_INPUT },
	};
	struct store_menu_item it, before;
	struct store_menu_patch p;
	struct fd_menu_item_changed ev;
	enum store_err e;
	size_t i;
	int changed;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		item(&it);
		before = it;
		poison(&ev);
		changed = 1;
		p = patch(1, rows[i].price, 0, 0);
		e = store_menu_apply(&it, &p, &changed, &ev);
		UNIT_CHECK(e == rows[i].want, "price %lld: got %d, want %d",
		    rows[i].price, e, rows[i].want);
		if (rows[i].want == STORE_OK) {
			UNIT_CHECK(it.price == rows[i].price && changed == 1,
			    "price %lld: item has %lld, changed %d",
			    rows[i].price, it.price, changed);
		} else {
			UNIT_CHECK(same_item(&it, &before) && changed == 0 &&
			    untouched(&ev), "price %lld: refused but applied",
			    rows[i].price);
		}
	}

	/* A bad price refuses the whole patch, sold-out switch included. */
	item(&it);
	before = it;
	poison(&ev);
	p = patch(1, 50, 1, 1);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_E_INPUT);
	CU_ASSERT(same_item(&it, &before));
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT(untouched(&ev));
}

static void
unchanged_patch_produces_no_event(void)
{
	struct store_menu_item it, before;
	struct store_menu_patch p;
	struct fd_menu_item_changed ev;
	int changed;

	item(&it);
	before = it;

	/* The same price, the same switch, or both: valid, no event. */
	p = patch(1, 25000, 0, 0);
	poison(&ev);
	changed = 1;
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT(untouched(&ev));

	p = patch(0, 0, 1, 0);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT(untouched(&ev));

	p = patch(1, 25000, 1, 0);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT(untouched(&ev));
	CU_ASSERT(same_item(&it, &before));

	/* sold_out is a truth value: 2 is the same as 1. */
	it.sold_out = 1;
	before = it;
	p = patch(0, 0, 1, 2);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT(untouched(&ev));
	CU_ASSERT(same_item(&it, &before));
}

static void
price_change_fills_event(void)
{
	struct store_menu_item it;
	struct store_menu_patch p;
	struct fd_menu_item_changed ev;
	int changed = 0;

	item(&it);
	poison(&ev);
	p = patch(1, 27000, 0, 0);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_EQUAL(it.price, 27000);
	CU_ASSERT_EQUAL(it.sold_out, 0);
	CU_ASSERT_EQUAL(it.id, 31);
	CU_ASSERT_EQUAL(it.store_id, 2);
	CU_ASSERT_EQUAL(ev.store_id, 2);
	CU_ASSERT_EQUAL(ev.menu_id, 31);
	CU_ASSERT_STRING_EQUAL(ev.name, "광어");
	CU_ASSERT_EQUAL(ev.price, 27000);
	CU_ASSERT_EQUAL(ev.sold_out, 0);
}

static void
sold_out_change_fills_event(void)
{
	struct store_menu_item it;
	struct store_menu_patch p;
	struct fd_menu_item_changed ev;
	int changed = 0;

	/* The event carries the whole new state, not only what changed. */
	item(&it);
	poison(&ev);
	p = patch(0, 0, 1, 5);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_EQUAL(it.sold_out, 1);	/* stored as 0 or 1 */
	CU_ASSERT_EQUAL(it.price, 25000);
	CU_ASSERT_EQUAL(ev.store_id, 2);
	CU_ASSERT_EQUAL(ev.menu_id, 31);
	CU_ASSERT_STRING_EQUAL(ev.name, "광어");
	CU_ASSERT_EQUAL(ev.price, 25000);
	CU_ASSERT_EQUAL(ev.sold_out, 1);

	/* And back. */
	poison(&ev);
	p = patch(0, 0, 1, 0);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_EQUAL(it.sold_out, 0);
	CU_ASSERT_EQUAL(ev.sold_out, 0);
	CU_ASSERT_EQUAL(ev.price, 25000);
}

static void
both_change(void)
{
	struct store_menu_item it;
	struct store_menu_patch p;
	struct fd_menu_item_changed ev;
	int changed = 0;

	item(&it);
	/* A name that fills the buffer is copied whole, NUL included. */
	memset(it.name, 'x', sizeof(it.name) - 1);
	it.name[sizeof(it.name) - 1] = '\0';
	poison(&ev);
	p = patch(1, 100, 1, 1);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_EQUAL(ev.price, 100);
	CU_ASSERT_EQUAL(ev.sold_out, 1);
	CU_ASSERT_EQUAL(strlen(ev.name), sizeof(ev.name) - 1);
	CU_ASSERT(memcmp(ev.name, it.name, sizeof(ev.name)) == 0);

	/* Only the price changes: still an event, with both values. */
	poison(&ev);
	p = patch(1, 200, 1, 1);
	CU_ASSERT_EQUAL(store_menu_apply(&it, &p, &changed, &ev), STORE_OK);
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_EQUAL(ev.price, 200);
	CU_ASSERT_EQUAL(ev.sold_out, 1);
}

static void
messages(void)
{
	static const enum store_err errs[] = {
		STORE_OK, STORE_E_INPUT, STORE_E_NOT_FOUND, STORE_E_FORBIDDEN,
		STORE_E_UNAVAILABLE, STORE_E_INTERNAL,
	};
	size_t i, j;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *m = store_err_message(errs[i]);

		UNIT_CHECK(m != NULL && *m != '\0', "error %d: no message",
		    errs[i]);
		for (j = 0; m != NULL && j < i; j++)
			UNIT_CHECK(strcmp(m, store_err_message(errs[j])) != 0,
			    "errors %d and %d share '%s'", errs[j], errs[i], m);
	}
	/* The input message states the bounds the domain enforces. */
	CU_ASSERT(strstr(store_err_message(STORE_E_INPUT), "100") != NULL);
	CU_ASSERT(strstr(store_err_message(STORE_E_INPUT), "10,000,000") != NULL);
}

/* SPEC: the store confirms a cancel until the food is prepared. */
static void
cancel_decision(void)
{
	static const struct {
		enum store_ticket_status st;
		int		 confirm;
	} cases[] = {
		{ STORE_T_PAID, 1 }, { STORE_T_ACCEPTED, 1 },
		{ STORE_T_CANCELED, 1 }, { STORE_T_PREPARED, 0 },
		{ STORE_T_REJECTED, 0 },
	};
	struct store_ticket t;
	struct store_ticket_event ev;
	size_t i;

	/* No ticket yet: confirmed, no ticket named. */
	CU_ASSERT_EQUAL(store_cancel_decide(7, NULL, &ev), 1);
	CU_ASSERT_EQUAL(ev.type, STORE_EV_CANCEL_CONFIRMED);
	CU_ASSERT_EQUAL(ev.order_id, 7);
	CU_ASSERT_EQUAL(ev.ticket_id, 0);
	memset(&t, 0, sizeof(t));
	t.id = 3;
	t.order_id = 7;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t.status = cases[i].st;
		UNIT_CHECK(store_cancel_decide(7, &t, &ev) == cases[i].confirm,
		    "%s: confirm %d", store_ticket_status_name(t.status),
		    cases[i].confirm);
		CU_ASSERT_EQUAL(ev.type, cases[i].confirm ?
		    STORE_EV_CANCEL_CONFIRMED : STORE_EV_CANCEL_REFUSED);
		CU_ASSERT_EQUAL(ev.ticket_id, 3);
		if (!cases[i].confirm) {
			CU_ASSERT_EQUAL(ev.ticket_status, t.status);
			CU_ASSERT(ev.reason[0] != '\0');
		}
	}
	CU_ASSERT_STRING_EQUAL(store_ticket_ev_name(STORE_EV_CANCEL_CONFIRMED),
	    "CancelConfirmed");
	CU_ASSERT_STRING_EQUAL(store_ticket_ev_name(STORE_EV_CANCEL_REFUSED),
	    "CancelRefused");
}

static const struct unit_test tests[] = {
	{ "the store decides a cancel", cancel_decision },
	{ "an owner manages only its own store", authorize },
	{ "a patch without fields is refused", empty_patch_is_refused },
	{ "price bounds", price_bounds },
	{ "an unchanged patch produces no event",
	    unchanged_patch_produces_no_event },
	{ "a price change fills the event", price_change_fills_event },
	{ "a sold-out change fills the event", sold_out_change_fills_event },
	{ "price and sold-out together", both_change },
	{ "messages", messages },
};

void
add_store_domain_tests(void)
{
	UNIT_SUITE("fishstore domain", tests);
}
