/*
 * test_store_ops.c - a store's operations (issue 17): the owner's patch
 * of open, pause, reason, minimum and fee (store_state.c), what it means
 * for an order (order_charge.c: open at a time, the minimum, the fee),
 * and StoreChanged's one shape (lib/fd_event_store.c, lib/fd_utc.c).
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_utc.h"
#include "order.h"
#include "store.h"
#include "unit.h"

#define NOW	1796596800LL	/* 2026-12-06T22:40:00Z */

static void
store(struct store *s)
{
	memset(s, 0, sizeof(*s));
	s->id = 1;
	snprintf(s->name, sizeof(s->name), "바다횟집");
	s->open = 1;
	s->version = 4;
}

static struct store_patch
nopatch(void)
{
	struct store_patch p;

	memset(&p, 0, sizeof(p));
	return p;
}

/* p applied to a copy of s: the error; *out the store after. */
static enum store_err
apply(const struct store *s, const struct store_patch *p, struct store *out,
    int *changed)
{
	char why[200];

	*out = *s;
	why[0] = '\0';
	return store_patch_apply(out, p, NOW, changed, why, sizeof(why));
}

static void
patch_needs_a_field(void)
{
	struct store s, out;
	struct store_patch p = nopatch();
	int changed = 1;

	store(&s);
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_E_INPUT);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT_EQUAL(out.version, 4);
}

static void
close_and_open(void)
{
	struct store s, out;
	struct store_patch p = nopatch();
	int changed;

	store(&s);
	p.has_open = 1;
	p.open = 0;
	p.closed_reason = "재료 소진";
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_EQUAL(out.open, 0);
	CU_ASSERT_STRING_EQUAL(out.closed_reason, "재료 소진");
	CU_ASSERT_EQUAL(out.version, 5);
	CU_ASSERT_EQUAL(fd_store_state_at(&(struct fd_store_changed){ .open =
	    out.open, .paused_until = out.paused_until }, NOW), FD_STORE_CLOSED);
	/* Closed again: nothing changes, no new version (no event). */
	s = out;
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	CU_ASSERT_EQUAL(changed, 0);
	CU_ASSERT_EQUAL(out.version, 5);
	/* Opening clears the reason. */
	p = nopatch();
	p.has_open = 1;
	p.open = 1;
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_EQUAL(out.open, 1);
	CU_ASSERT_STRING_EQUAL(out.closed_reason, "");
	CU_ASSERT_EQUAL(out.version, 6);
}

static void
pause_until(void)
{
	struct store s, out;
	struct store_patch p = nopatch();
	struct fd_store_changed ev;
	int changed;

	store(&s);
	p.has_paused_until = 1;
	p.paused_until = NOW + 30 * 60;
	p.closed_reason = "주문 폭주";
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	CU_ASSERT_EQUAL(changed, 1);
	CU_ASSERT_EQUAL(out.open, 1);		/* open again by itself */
	CU_ASSERT_EQUAL(out.paused_until, NOW + 30 * 60);
	CU_ASSERT_STRING_EQUAL(out.closed_reason, "주문 폭주");
	store_changed_of(&out, &ev);
	CU_ASSERT_EQUAL(ev.store_id, 1);
	CU_ASSERT_STRING_EQUAL(ev.name, "바다횟집");
	CU_ASSERT_EQUAL(ev.version, 5);
	CU_ASSERT_EQUAL(ev.paused_until, NOW + 30 * 60);
	CU_ASSERT_STRING_EQUAL(ev.closed_reason, "주문 폭주");
	CU_ASSERT_EQUAL(fd_store_state_at(&ev, NOW), FD_STORE_PAUSED);
	CU_ASSERT_EQUAL(fd_store_state_at(&ev, NOW + 30 * 60 - 1),
	    FD_STORE_PAUSED);
	/* The pause ends by itself at its time. */
	CU_ASSERT_EQUAL(fd_store_state_at(&ev, NOW + 30 * 60), FD_STORE_OPEN);
	/* Opening ends a pause at once. */
	s = out;
	p = nopatch();
	p.has_open = 1;
	p.open = 1;
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	CU_ASSERT_EQUAL(out.paused_until, 0);
	CU_ASSERT_STRING_EQUAL(out.closed_reason, "");
	/* Pausing a closed store opens it when the pause ends. */
	s.open = 0;
	s.paused_until = 0;
	p = nopatch();
	p.has_paused_until = 1;
	p.paused_until = NOW + 900;
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	CU_ASSERT_EQUAL(out.open, 1);
	CU_ASSERT_EQUAL(out.paused_until, NOW + 900);
}

static void
pause_bounds(void)
{
	static const struct {
		long long	 until;
		enum store_err	 want;
	} rows[] = {
		{ NOW - 1, STORE_E_INPUT },		/* in the past */
		{ NOW, STORE_E_INPUT },			/* ends now: no pause */
		{ NOW + 1, STORE_OK },
		{ NOW + STORE_PAUSE_MAX_S, STORE_OK },
		{ NOW + STORE_PAUSE_MAX_S + 1, STORE_E_INPUT },
		{ 0, STORE_E_INPUT },
		{ -5, STORE_E_INPUT },
	};
	struct store s, out;
	struct store_patch p;
	size_t i;
	int changed;

	store(&s);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = nopatch();
		p.has_paused_until = 1;
		p.paused_until = rows[i].until;
		UNIT_CHECK(apply(&s, &p, &out, &changed) == rows[i].want,
		    "row %zu: pause until now%+lld", i, rows[i].until - NOW);
		if (rows[i].want != STORE_OK)
			UNIT_CHECK(!changed && out.paused_until == 0 &&
			    out.version == 4, "row %zu: refused but changed", i);
	}
	/* Closing and pausing at once is contradictory. */
	p = nopatch();
	p.has_open = 1;
	p.open = 0;
	p.has_paused_until = 1;
	p.paused_until = NOW + 60;
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_E_INPUT);
	CU_ASSERT_EQUAL(out.open, 1);
}

static void
reason_rules(void)
{
	struct store s, out;
	struct store_patch p = nopatch();
	char longtext[3 * 201 + 1];
	int changed, i;

	store(&s);
	/* A reason on an open store says nothing to anyone. */
	p.closed_reason = "쉬는 날";
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_E_INPUT);
	CU_ASSERT_STRING_EQUAL(out.closed_reason, "");
	/* 200 characters at most, and text. */
	for (i = 0; i < 201; i++)
		memcpy(longtext + 3 * i, "가", 3);
	longtext[3 * 201] = '\0';
	p.has_open = 1;
	p.open = 0;
	p.closed_reason = longtext;
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_E_INPUT);
	longtext[3 * 200] = '\0';
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	p.closed_reason = "tab\there";
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_E_INPUT);
	p.closed_reason = "";
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_E_INPUT);
	/* A reason given alone while closed replaces the old one. */
	s.open = 0;
	snprintf(s.closed_reason, sizeof(s.closed_reason), "old");
	p = nopatch();
	p.closed_reason = "new";
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	CU_ASSERT_STRING_EQUAL(out.closed_reason, "new");
	/* A pause that ended leaves no reason behind for the next close. */
	s.open = 1;
	s.paused_until = NOW - 10;
	p = nopatch();
	p.has_open = 1;
	p.open = 0;
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_OK);
	CU_ASSERT_STRING_EQUAL(out.closed_reason, "");
}

static void
minimum_and_fee_bounds(void)
{
	static const struct {
		int		 fee;
		long long	 v;
		enum store_err	 want;
	} rows[] = {
		{ 0, 0, STORE_OK }, { 0, 15000, STORE_OK },
		{ 0, FD_STORE_MIN_ORDER_MAX, STORE_OK },
		{ 0, FD_STORE_MIN_ORDER_MAX + 1, STORE_E_INPUT },
		{ 0, -1, STORE_E_INPUT }, { 0, 9000000000000LL, STORE_E_INPUT },
		{ 1, 0, STORE_OK }, { 1, 3000, STORE_OK },
		{ 1, FD_STORE_FEE_MAX, STORE_OK },
		{ 1, FD_STORE_FEE_MAX + 1, STORE_E_INPUT },
		{ 1, -3000, STORE_E_INPUT },
	};
	struct store s, out;
	struct store_patch p;
	size_t i;
	int changed;

	store(&s);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = nopatch();
		if (rows[i].fee) {
			p.has_delivery_fee = 1;
			p.delivery_fee = rows[i].v;
		} else {
			p.has_min_order = 1;
			p.min_order = rows[i].v;
		}
		UNIT_CHECK(apply(&s, &p, &out, &changed) == rows[i].want,
		    "row %zu: %s %lld", i, rows[i].fee ? "fee" : "minimum",
		    rows[i].v);
		if (rows[i].want == STORE_OK)
			UNIT_CHECK((rows[i].fee ? out.delivery_fee :
			    out.min_order) == rows[i].v && changed ==
			    (rows[i].v != 0), "row %zu: not applied", i);
		else
			UNIT_CHECK(out.delivery_fee == 0 && out.min_order == 0 &&
			    !changed, "row %zu: refused but changed", i);
	}
	/* One bad field refuses the whole patch. */
	p = nopatch();
	p.has_min_order = 1;
	p.min_order = 20000;
	p.has_delivery_fee = 1;
	p.delivery_fee = -1;
	CU_ASSERT_EQUAL(apply(&s, &p, &out, &changed), STORE_E_INPUT);
	CU_ASSERT_EQUAL(out.min_order, 0);
}

/* Order's side: open at a time, the minimum and the fee. */
static void
taking_orders(void)
{
	struct fd_store_changed st;

	memset(&st, 0, sizeof(st));
	st.store_id = 1;
	st.open = 1;
	CU_ASSERT_EQUAL(order_store_taking(&st, NOW), ORDER_OK);
	st.open = 0;
	CU_ASSERT_EQUAL(order_store_taking(&st, NOW), ORDER_E_STORE_CLOSED);
	st.open = 1;
	st.paused_until = NOW + 5;
	CU_ASSERT_EQUAL(order_store_taking(&st, NOW), ORDER_E_STORE_CLOSED);
	CU_ASSERT_EQUAL(order_store_taking(&st, NOW + 4), ORDER_E_STORE_CLOSED);
	CU_ASSERT_EQUAL(order_store_taking(&st, NOW + 5), ORDER_OK);
	CU_ASSERT_EQUAL(order_store_taking(&st, NOW + 3600), ORDER_OK);
	/* Closed outlasts a pause that ended. */
	st.open = 0;
	CU_ASSERT_EQUAL(order_store_taking(&st, NOW + 3600),
	    ORDER_E_STORE_CLOSED);
}

static void
minimum_and_fee(void)
{
	struct fd_store_changed st;
	long long fee = -1, amount = -1;

	memset(&st, 0, sizeof(st));
	st.open = 1;
	st.min_order = 30000;
	st.delivery_fee = 3000;
	/* The minimum is of the items alone: 29,000 + 3,000 fee is short. */
	CU_ASSERT_EQUAL(order_charge(&st, 29000, &fee, &amount),
	    ORDER_E_BELOW_MINIMUM);
	CU_ASSERT_EQUAL(order_charge(&st, 30000, &fee, &amount), ORDER_OK);
	CU_ASSERT_EQUAL(fee, 3000);
	CU_ASSERT_EQUAL(amount, 33000);
	CU_ASSERT_EQUAL(order_charge(&st, 250000, &fee, &amount), ORDER_OK);
	CU_ASSERT_EQUAL(amount, 253000);
	/* No minimum, no fee: the items are the amount. */
	st.min_order = 0;
	st.delivery_fee = 0;
	CU_ASSERT_EQUAL(order_charge(&st, 18000, &fee, &amount), ORDER_OK);
	CU_ASSERT_EQUAL(fee, 0);
	CU_ASSERT_EQUAL(amount, 18000);
}

static void
utc_times(void)
{
	static const struct {
		const char	*s;
		long long	 t;	/* -1: refused */
	} rows[] = {
		{ "2026-12-06T22:40:00Z", NOW },
		{ "2026-12-06T22:40:00.999999Z", NOW },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2024-02-29T00:00:00Z", 1709164800LL },
		{ "2026-02-29T00:00:00Z", -1 },
		{ "2026-04-31T00:00:00Z", -1 },
		{ "2026-12-06T22:40:00", -1 },
		{ "2026-12-06T22:40:00+09:00", -1 },
		{ "2026-12-06 22:40:00Z", -1 },
		{ "2026-12-06T24:00:00Z", -1 },
		{ "2026-12-06T22:40:60Z", -1 },
		{ "2026-12-06T22:40:00.Z", -1 },
		{ "2026-12-06T22:40:00ZZ", -1 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "+026-12-06T22:40:00Z", -1 },
		{ "", -1 },
	};
	char out[FD_UTC_LEN];
	long long t;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		t = -7;
		rc = fd_utc_parse(rows[i].s, &t);
		UNIT_CHECK(rows[i].t < 0 ? rc == -1 : rc == 0 && t == rows[i].t,
		    "row %zu \"%s\": rc %d t %lld", i, rows[i].s, rc, t);
	}
	fd_utc_format(NOW, out);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-06T22:40:00Z");
}

static void
store_changed_round_trip(void)
{
	struct fd_store_changed a, b;
	json_object *o;
	char err[300];

	memset(&a, 0, sizeof(a));
	a.store_id = 2;
	snprintf(a.name, sizeof(a.name), "노량진 수산");
	a.open = 1;
	a.paused_until = NOW + 900;
	snprintf(a.closed_reason, sizeof(a.closed_reason), "잠시 쉽니다");
	a.min_order = 20000;
	a.delivery_fee = 2500;
	a.version = 7;
	o = fd_store_changed_encode(&a);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
	    json_object_object_get(o, "pausedUntil")), "2026-12-06T22:55:00Z");
	CU_ASSERT_EQUAL(fd_store_changed_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT(memcmp(&a, &b, sizeof(a)) == 0);
	json_object_put(o);
	/* No pause, no reason: null, and back to 0 and "". */
	a.paused_until = 0;
	memset(a.closed_reason, 0, sizeof(a.closed_reason));
	o = fd_store_changed_encode(&a);
	CU_ASSERT_PTR_NULL(json_object_object_get(o, "pausedUntil"));
	CU_ASSERT_EQUAL(fd_store_changed_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT(memcmp(&a, &b, sizeof(a)) == 0);
	json_object_put(o);
}

static void
store_changed_refused(void)
{
	static const char *const bad[] = {
		"[]",
		"{}",
		"{\"storeId\":1,\"name\":\"a\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":0}",				/* version */
		"{\"storeId\":1,\"name\":\"a\",\"open\":1,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":1}",		/* open type */
		"{\"storeId\":1,\"name\":\"a\",\"open\":true,\"minOrder\":-1,"
		    "\"deliveryFee\":0,\"version\":1}",
		"{\"storeId\":1,\"name\":\"a\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":100001,\"version\":1}",
		"{\"storeId\":0,\"name\":\"a\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":1}",
		"{\"storeId\":1,\"name\":\"\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":1}",
		"{\"storeId\":1,\"name\":\"a\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":0}",
		"{\"storeId\":1,\"name\":\"a\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":1,\"pausedUntil\":"
		    "\"2026-12-06T22:40:00+09:00\"}",
		"{\"storeId\":1,\"name\":\"a\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":1,\"pausedUntil\":5}",
		"{\"storeId\":1,\"name\":\"a\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":1,\"closedReason\":\"a\\u0000b\"}",
		"{\"storeId\":1,\"name\":\"a\\nb\",\"open\":true,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":1}",
	};
	struct fd_store_changed s;
	json_object *o;
	char err[300];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = json_tokener_parse(bad[i]);
		err[0] = '\0';
		UNIT_CHECK(o != NULL && fd_store_changed_decode(o, &s, err,
		    sizeof(err)) == -1 && err[0] != '\0', "row %zu: %s", i,
		    bad[i]);
		json_object_put(o);
	}
}

static const struct unit_test tests[] = {
	{ "a store patch needs a field", patch_needs_a_field },
	{ "close and open", close_and_open },
	{ "pause until a time", pause_until },
	{ "a pause is in the future, within a week", pause_bounds },
	{ "the reason customers see", reason_rules },
	{ "minimum and fee bounds", minimum_and_fee_bounds },
	{ "an order: open at a time", taking_orders },
	{ "an order: minimum and fee arithmetic", minimum_and_fee },
	{ "UTC times on the wire", utc_times },
	{ "StoreChanged round trip", store_changed_round_trip },
	{ "StoreChanged refused", store_changed_refused },
};

void
add_store_ops_tests(void)
{
	UNIT_SUITE("store operations", tests);
}
