/*
 * test_order_domain.c - order_domain.c: the rules of an order request,
 * pricing against the store's menu replica, the lifecycle (what may be
 * canceled, what the customer sees), status names, Idempotency-Key and
 * card shapes, and the error messages.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "fd_input.h"
#include "order.h"
#include "pay.h"
#include "store.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A valid request: store 2, two lines; tests change one thing at a time. */
static void
request(struct order_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->customer_id = 7;
	rq->store_id = 2;
	rq->lines[0].menu_id = 31;
	rq->lines[0].qty = 2;
	rq->lines[1].menu_id = 32;
	rq->lines[1].qty = 1;
	rq->nlines = 2;
	snprintf(rq->address, sizeof(rq->address), "서울 종로구 종로 1");
	snprintf(rq->phone, sizeof(rq->phone), "010-1234-5678");
	snprintf(rq->card, sizeof(rq->card), "4111 1111 1111 1111");
	snprintf(rq->idem_key, sizeof(rq->idem_key), "k-1");
}

/* n lines of distinct menu ids 1..n, qty 1. */
static void
lines(struct order_request *rq, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < ORDER_MAX_LINES; i++) {
		rq->lines[i].menu_id = (long long)i + 1;
		rq->lines[i].qty = 1;
	}
	rq->nlines = n;
}

static void
check_request_valid(void)
{
	struct order_request rq;

	request(&rq);
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_OK);
	/* No card, no address: both optional here. */
	rq.card[0] = '\0';
	rq.address[0] = '\0';
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_OK);
	/* One line; the most lines. */
	request(&rq);
	lines(&rq, 1);
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_OK);
	lines(&rq, ORDER_MAX_LINES);
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_OK);
	CU_ASSERT_EQUAL(ORDER_MAX_LINES, 20);
	CU_ASSERT_EQUAL(ORDER_MAX_QTY, 99);
}

static void
check_request_lines(void)
{
	static const size_t bad_n[] = { 0, ORDER_MAX_LINES + 1, 1000,
	    (size_t)-1 };
	static const struct {
		int	qty;
		int	ok;
	} qtys[] = {
		{ 0, 0 }, { 1, 1 }, { 2, 1 }, { 98, 1 }, { 99, 1 }, { 100, 0 },
		{ -1, 0 }, { -2147483647 - 1, 0 }, { 2147483647, 0 },
	};
	static const struct {
		long long	id;
		int		ok;
	} ids[] = {
		{ 0, 0 }, { -1, 0 }, { 1, 1 }, { 999999999999999LL, 1 },
	};
	struct order_request rq;
	size_t i;

	for (i = 0; i < NELEM(bad_n); i++) {
		request(&rq);
		rq.nlines = bad_n[i];
		UNIT_CHECK(order_check_request(&rq) == ORDER_E_INPUT,
		    "%zu lines accepted", bad_n[i]);
	}
	for (i = 0; i < NELEM(qtys); i++) {
		request(&rq);
		rq.lines[1].qty = qtys[i].qty;
		UNIT_CHECK((order_check_request(&rq) == ORDER_OK) == qtys[i].ok,
		    "qty %d: got %d", qtys[i].qty, order_check_request(&rq));
		UNIT_CHECK(qtys[i].ok ||
		    order_check_request(&rq) == ORDER_E_INPUT,
		    "qty %d: not ORDER_E_INPUT", qtys[i].qty);
	}
	/* The 20th line is checked as well as the first. */
	request(&rq);
	lines(&rq, ORDER_MAX_LINES);
	rq.lines[ORDER_MAX_LINES - 1].qty = 100;
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_E_INPUT);
	for (i = 0; i < NELEM(ids); i++) {
		request(&rq);
		rq.lines[1].menu_id = ids[i].id;
		UNIT_CHECK((order_check_request(&rq) == ORDER_OK) == ids[i].ok,
		    "menuId %lld: got %d", ids[i].id, order_check_request(&rq));
		request(&rq);
		rq.store_id = ids[i].id;
		UNIT_CHECK((order_check_request(&rq) == ORDER_OK) == ids[i].ok,
		    "storeId %lld: got %d", ids[i].id,
		    order_check_request(&rq));
	}
}

static void
check_request_duplicates(void)
{
	struct order_request rq;
	size_t i, j;

	request(&rq);
	rq.lines[1].menu_id = rq.lines[0].menu_id;
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_E_INPUT);
	/* Same item, other quantities: still one item twice. */
	rq.lines[1].qty = 5;
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_E_INPUT);
	/* Any two of 20 lines. */
	for (i = 0; i < ORDER_MAX_LINES; i++)
		for (j = i + 1; j < ORDER_MAX_LINES; j++) {
			request(&rq);
			lines(&rq, ORDER_MAX_LINES);
			rq.lines[j].menu_id = rq.lines[i].menu_id;
			UNIT_CHECK(order_check_request(&rq) == ORDER_E_INPUT,
			    "lines %zu and %zu share menuId %lld", i, j,
			    rq.lines[i].menu_id);
		}
}

static void
check_request_card(void)
{
	static const struct {
		const char	*card;
		int		 ok;
	} rows[] = {
		{ "", 1 },				/* none given */
		{ "4000000000000002", 1 },		/* declined later */
		{ "4000 0000 0000 0002", 1 },
		{ "4000-0000-0000-0002", 1 },
		{ "123456789012", 1 },
		{ "1234567890123456789", 1 },
		{ "12345678901", 0 },
		{ "12345678901234567890", 0 },
		{ "4000 0000 0000 000x", 0 },
		{ "4000.0000.0000.0002", 0 },
		{ "4000\t0000 0000 0002", 0 },
		{ " ", 0 },
		{ "----", 0 },
		{ "４000000000000", 0 },	/* a full-width 4 */
	};
	struct order_request rq;
	size_t i;

	for (i = 0; i < NELEM(rows); i++) {
		request(&rq);
		snprintf(rq.card, sizeof(rq.card), "%s", rows[i].card);
		UNIT_CHECK(strcmp(rq.card, rows[i].card) == 0,
		    "row %zu does not fit card[]", i);
		UNIT_CHECK(order_check_request(&rq) ==
		    (rows[i].ok ? ORDER_OK : ORDER_E_CARD),
		    "card '%s': got %d", rows[i].card, order_check_request(&rq));
	}
}

static void
check_request_address(void)
{
	static const struct {
		const char	*addr;
		int		 ok;
	} rows[] = {
		{ "", 1 },
		{ "Seoul", 1 },
		{ "서울 종로구 종로 1, 101동 202호", 1 },
		{ "🐟 시장", 1 },
		{ "\xff", 0 },
		{ "Seoul \xc0\xaf", 0 },			/* overlong '/' */
		{ "\xea\xb0", 0 },			/* truncated 가 */
		{ "서울\xed\xa0\x80", 0 },		/* surrogate */
		{ "\xe2\x82", 0 },
		{ "Seoul\x01", 0 },
		{ "Seoul\nBusan", 0 },
		{ "Seoul\x7f", 0 },
		{ "Seoul \xc2\x85", 0 },			/* C1 NEL */
	};
	struct order_request rq;
	size_t i;

	for (i = 0; i < NELEM(rows); i++) {
		request(&rq);
		snprintf(rq.address, sizeof(rq.address), "%s", rows[i].addr);
		UNIT_CHECK(order_check_request(&rq) ==
		    (rows[i].ok ? ORDER_OK : ORDER_E_INPUT),
		    "address row %zu: got %d", i, order_check_request(&rq));
	}
	/* A full buffer of valid text is fine. */
	request(&rq);
	memset(rq.address, 'a', sizeof(rq.address) - 1);
	rq.address[sizeof(rq.address) - 1] = '\0';
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_OK);
	rq.address[sizeof(rq.address) - 2] = '\x80';
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_E_INPUT);
}

/* Store 2's menu, with an item of store 3 and a sold-out one. */
static size_t
menu(struct order_menu_item *m)
{
	static const struct {
		long long	 id, store;
		const char	*name;
		long long	 price;
		int		 sold_out;
	} rows[] = {
		{ 31, 3, "다른 가게 광어", 99999, 0 },	/* same id, store 3 */
		{ 31, 2, "광어", 25000, 0 },
		{ 32, 2, "우럭", 18000, 0 },
		{ 33, 2, "참돔", 40000, 1 },
		{ 40, 3, "방어", 30000, 0 },
		{ 41, 2, "전복", 1, 0 },
	};
	size_t i;

	for (i = 0; i < NELEM(rows); i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].menu_id = rows[i].id;
		m[i].store_id = rows[i].store;
		snprintf(m[i].name, sizeof(m[i].name), "%s", rows[i].name);
		m[i].price = rows[i].price;
		m[i].sold_out = rows[i].sold_out;
	}
	return NELEM(rows);
}

static void
price_sums_from_menu(void)
{
	struct order_menu_item m[8];
	struct order_request rq;
	long long amount = -1;
	size_t nm = menu(m);

	request(&rq);
	/* What the client says about names and prices is overwritten. */
	rq.lines[0].price = 1;
	snprintf(rq.lines[0].name, sizeof(rq.lines[0].name), "free fish");
	rq.lines[1].price = -5000;
	rq.lines[2].menu_id = 41;
	rq.lines[2].qty = 99;
	rq.nlines = 3;
	CU_ASSERT_EQUAL_FATAL(order_price(rq.lines, rq.nlines, 2, m, nm,
	    &amount), ORDER_OK);
	CU_ASSERT_EQUAL(amount, 2 * 25000 + 18000 + 99 * 1);
	CU_ASSERT_EQUAL(rq.lines[0].price, 25000);
	CU_ASSERT_STRING_EQUAL(rq.lines[0].name, "광어");
	CU_ASSERT_EQUAL(rq.lines[1].price, 18000);
	CU_ASSERT_STRING_EQUAL(rq.lines[1].name, "우럭");
	CU_ASSERT_EQUAL(rq.lines[2].price, 1);
	CU_ASSERT_STRING_EQUAL(rq.lines[2].name, "전복");
	/* Quantities are the client's, untouched. */
	CU_ASSERT_EQUAL(rq.lines[0].qty, 2);
	CU_ASSERT_EQUAL(rq.lines[2].qty, 99);

	/* No line: nothing to pay (order_check_request refuses it). */
	amount = -1;
	CU_ASSERT_EQUAL(order_price(rq.lines, 0, 2, m, nm, &amount), ORDER_OK);
	CU_ASSERT_EQUAL(amount, 0);
}

static void
price_full_name(void)
{
	struct order_menu_item m[1];
	struct order_line l;
	long long amount;

	memset(m, 0, sizeof(m));
	m[0].menu_id = 5;
	m[0].store_id = 1;
	m[0].price = 100;
	memset(m[0].name, 'n', sizeof(m[0].name) - 1);
	memset(&l, 0xa5, sizeof(l));
	l.menu_id = 5;
	l.qty = 3;
	CU_ASSERT_EQUAL(order_price(&l, 1, 1, m, 1, &amount), ORDER_OK);
	CU_ASSERT_EQUAL(amount, 300);
	CU_ASSERT_EQUAL(strlen(l.name), sizeof(l.name) - 1);
	CU_ASSERT(memcmp(l.name, m[0].name, sizeof(l.name)) == 0);
}

static void
price_refuses_unavailable(void)
{
	static const long long bad[] = {
		40,	/* store 3's item */
		33,	/* sold out */
		34,	/* on no menu */
		0, -1,
	};
	struct order_menu_item m[8];
	struct order_request rq;
	long long amount;
	size_t nm = menu(m), i, pos;

	for (i = 0; i < NELEM(bad); i++)
		for (pos = 0; pos < 2; pos++) {
			request(&rq);
			rq.lines[pos].menu_id = bad[i];
			amount = -7;
			UNIT_CHECK(order_price(rq.lines, rq.nlines, 2, m, nm,
			    &amount) == ORDER_E_UNAVAILABLE_ITEM,
			    "menuId %lld at line %zu accepted", bad[i], pos);
			UNIT_CHECK(amount == -7, "menuId %lld: amount set to %lld",
			    bad[i], amount);
		}
	/* The whole order is store 3's view: 31 is store 3's own. */
	request(&rq);
	rq.lines[0].menu_id = 40;
	rq.lines[1].menu_id = 31;
	CU_ASSERT_EQUAL(order_price(rq.lines, 2, 3, m, nm, &amount), ORDER_OK);
	CU_ASSERT_EQUAL(amount, 2 * 30000 + 99999);
	CU_ASSERT_EQUAL(rq.lines[1].price, 99999);
	/* Store 2's items ordered from store 3: refused. */
	request(&rq);
	CU_ASSERT_EQUAL(order_price(rq.lines, 2, 3, m, nm, &amount),
	    ORDER_E_UNAVAILABLE_ITEM);
	/* An empty replica, an unknown store. */
	request(&rq);
	CU_ASSERT_EQUAL(order_price(rq.lines, 2, 2, m, 0, &amount),
	    ORDER_E_UNAVAILABLE_ITEM);
	CU_ASSERT_EQUAL(order_price(rq.lines, 2, 9, m, nm, &amount),
	    ORDER_E_UNAVAILABLE_ITEM);
}

/* The largest order the rules allow is priced exactly and payable. */
static void
price_largest_order(void)
{
	struct order_menu_item m[ORDER_MAX_LINES];
	struct order_request rq;
	long long amount = 0;
	size_t i;

	request(&rq);
	lines(&rq, ORDER_MAX_LINES);
	for (i = 0; i < ORDER_MAX_LINES; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].menu_id = (long long)i + 1;
		m[i].store_id = 2;
		m[i].price = STORE_PRICE_MAX;
		rq.lines[i].qty = ORDER_MAX_QTY;
	}
	CU_ASSERT_EQUAL(order_check_request(&rq), ORDER_OK);
	CU_ASSERT_EQUAL(order_price(rq.lines, rq.nlines, 2, m, ORDER_MAX_LINES,
	    &amount), ORDER_OK);
	CU_ASSERT_EQUAL(amount,
	    (long long)ORDER_MAX_LINES * ORDER_MAX_QTY * STORE_PRICE_MAX);
	CU_ASSERT(amount <= PAY_AMOUNT_MAX);
}

/*
 * The cancellation saga (SPEC): while CancelRequested the order takes no
 * step of the store's (the semantic lock), and a refusal returns it to
 * the furthest of the step kept meanwhile and the ticket's status.
 */
static void
cancel_saga_rules(void)
{
	enum order_status s;

	for (s = ORDER_PAID; s < ORDER__NSTATUS; s++)
		UNIT_CHECK(!order_status_follows(ORDER_CANCEL_REQUESTED, s),
		    "CancelRequested -> %s taken", order_status_name(s));
	CU_ASSERT(order_view_status_follows(ORDER_PAID, ORDER_CANCEL_REQUESTED));
	CU_ASSERT(order_view_status_follows(ORDER_ACCEPTED,
	    ORDER_CANCEL_REQUESTED));
	CU_ASSERT(!order_view_status_follows(ORDER_PREPARED,
	    ORDER_CANCEL_REQUESTED));
	CU_ASSERT(order_view_status_follows(ORDER_CANCEL_REQUESTED,
	    ORDER_CANCELED));
	CU_ASSERT_EQUAL(order_cancel_settle(ORDER_PAID, ORDER_PREPARED),
	    ORDER_PREPARED);
	CU_ASSERT_EQUAL(order_cancel_settle(ORDER_DELIVERY_STARTED,
	    ORDER_PREPARED), ORDER_DELIVERY_STARTED);
	CU_ASSERT_EQUAL(order_cancel_settle(ORDER_ACCEPTED, ORDER_REJECTED),
	    ORDER_REJECTED);
	CU_ASSERT_EQUAL(order_cancel_settle(ORDER_REJECTED, ORDER_PREPARED),
	    ORDER_REJECTED);
	/* Nothing kept (an unknown or missing value): from Paid. */
	CU_ASSERT_EQUAL(order_cancel_settle(ORDER__NSTATUS, ORDER_ACCEPTED),
	    ORDER_ACCEPTED);
	CU_ASSERT_EQUAL(order_cancel_settle(ORDER_PAID, ORDER_CANCELED),
	    ORDER_PAID);
}

static void
lifecycle(void)
{
	enum order_status s;

	for (s = ORDER_PAID; s < ORDER__NSTATUS; s++) {
		UNIT_CHECK(order_cancellable(s) ==
		    (s == ORDER_PAID || s == ORDER_ACCEPTED),
		    "%s: cancellable %d", order_status_name(s),
		    order_cancellable(s));
		UNIT_CHECK(order_visible(s) == (s <= ORDER_CANCEL_REQUESTED),
		    "%s: visible %d", order_status_name(s), order_visible(s));
	}
	/* Spelled out, in case the enum is ever reordered. */
	CU_ASSERT(order_visible(ORDER_PAID));
	CU_ASSERT(order_visible(ORDER_DELIVERED));
	CU_ASSERT(order_visible(ORDER_CANCELED));
	CU_ASSERT(order_visible(ORDER_REJECTED));
	CU_ASSERT(order_visible(ORDER_CANCEL_REQUESTED));
	CU_ASSERT(!order_visible(ORDER_PAYMENT_PENDING));
	CU_ASSERT(!order_visible(ORDER_DECLINED));
	CU_ASSERT(!order_visible(ORDER_FAILED));
	CU_ASSERT(!order_visible(ORDER__NSTATUS));
	CU_ASSERT(!order_cancellable(ORDER_PREPARED));
	CU_ASSERT(!order_cancellable(ORDER_PAYMENT_PENDING));
	CU_ASSERT(!order_cancellable(ORDER_CANCELED));
	CU_ASSERT(!order_cancellable(ORDER__NSTATUS));
}

/* The order of the happy path; -1 off it. */
static int
rank(enum order_status s)
{
	switch (s) {
	case ORDER_PAID:
		return 0;
	case ORDER_ACCEPTED:
		return 1;
	case ORDER_PREPARED:
		return 2;
	case ORDER_DELIVERY_STARTED:
		return 3;
	case ORDER_DELIVERED:
		return 4;
	default:
		return -1;
	}
}

/*
 * Statuses move forward along Paid -> Accepted -> Prepared ->
 * DeliveryStarted -> Delivered (steps may be skipped: events of several
 * contexts arrive in any order), Rejected only from Paid or Accepted, and
 * nothing leaves Canceled, Rejected, Delivered or an invisible status.
 */
static void
status_follows(void)
{
	enum order_status cur, next;
	int want;

	for (cur = ORDER_PAID; cur <= ORDER__NSTATUS; cur++)
		for (next = ORDER_PAID; next <= ORDER__NSTATUS; next++) {
			if (rank(cur) < 0 || cur == ORDER_DELIVERED)
				want = 0;
			else if (next == ORDER_REJECTED)
				want = cur == ORDER_PAID || cur == ORDER_ACCEPTED;
			else
				want = rank(next) > rank(cur);
			UNIT_CHECK(order_status_follows(cur, next) == want,
			    "%s -> %s: got %d, want %d", order_status_name(cur),
			    order_status_name(next),
			    order_status_follows(cur, next), want);
		}
	/* Spelled out. */
	CU_ASSERT(order_status_follows(ORDER_PAID, ORDER_ACCEPTED));
	CU_ASSERT(order_status_follows(ORDER_PAID, ORDER_DELIVERED));
	CU_ASSERT(order_status_follows(ORDER_ACCEPTED, ORDER_REJECTED));
	CU_ASSERT(order_status_follows(ORDER_DELIVERY_STARTED, ORDER_DELIVERED));
	/* Late or repeated events. */
	CU_ASSERT(!order_status_follows(ORDER_PREPARED, ORDER_ACCEPTED));
	CU_ASSERT(!order_status_follows(ORDER_ACCEPTED, ORDER_ACCEPTED));
	CU_ASSERT(!order_status_follows(ORDER_DELIVERED, ORDER_DELIVERED));
	/* Too late to reject; final statuses stay. */
	CU_ASSERT(!order_status_follows(ORDER_PREPARED, ORDER_REJECTED));
	CU_ASSERT(!order_status_follows(ORDER_DELIVERY_STARTED, ORDER_REJECTED));
	CU_ASSERT(!order_status_follows(ORDER_CANCELED, ORDER_ACCEPTED));
	CU_ASSERT(!order_status_follows(ORDER_REJECTED, ORDER_ACCEPTED));
	CU_ASSERT(!order_status_follows(ORDER_DELIVERED, ORDER_REJECTED));
	/* Events never cancel, nor move an order that is not one yet. */
	CU_ASSERT(!order_status_follows(ORDER_PAID, ORDER_CANCELED));
	CU_ASSERT(!order_status_follows(ORDER_PAYMENT_PENDING, ORDER_ACCEPTED));
	CU_ASSERT(!order_status_follows(ORDER_DECLINED, ORDER_ACCEPTED));
	CU_ASSERT(!order_status_follows(ORDER_FAILED, ORDER_REJECTED));
	CU_ASSERT(!order_status_follows(ORDER_PAID, ORDER_PAYMENT_PENDING));
	CU_ASSERT(!order_status_follows(ORDER_PAID, ORDER_FAILED));
}

static void
status_of_event(void)
{
	static const struct {
		const char		*type;
		enum order_status	 to;
	} rows[] = {
		{ "OrderTaken", ORDER_ACCEPTED },
		{ "OrderPrepared", ORDER_PREPARED },
		{ "OrderRejected", ORDER_REJECTED },
		{ "DeliveryStarted", ORDER_DELIVERY_STARTED },
		{ "DeliveryCompleted", ORDER_DELIVERED },
	};
	static const char *const none[] = {
		"", "OrderPlaced", "OrderCanceled", "PayApproved", "PayCanceled",
		"MenuItemChanged", "ordertaken", "OrderTaken ", "OrderTake",
		"OrderTakenX", "Delivered", "Accepted",
	};
	enum order_status to;
	size_t i;

	for (i = 0; i < NELEM(rows); i++) {
		to = ORDER_FAILED;
		UNIT_CHECK(order_status_of_event(rows[i].type, &to) == 0 &&
		    to == rows[i].to, "%s: to %s", rows[i].type,
		    order_status_name(to));
		/* Each moves a fresh order. */
		UNIT_CHECK(order_status_follows(ORDER_PAID, to),
		    "%s does not follow Paid", rows[i].type);
	}
	for (i = 0; i < NELEM(none); i++) {
		to = ORDER_FAILED;
		UNIT_CHECK(order_status_of_event(none[i], &to) == -1 &&
		    to == ORDER_FAILED, "'%s' moves an order to %s", none[i],
		    order_status_name(to));
	}
}

static void
status_names(void)
{
	static const char *const want[ORDER__NSTATUS] = {
		"Paid", "Accepted", "Prepared", "DeliveryStarted", "Delivered",
		"Canceled", "Rejected", "CancelRequested", "PaymentPending",
		"Declined", "Failed",
	};
	static const char *const bad[] = {
		"", "paid", "PAID", "Paid ", " Paid", "Unknown", "Pai",
		"PaidX", "Payment", "deliverystarted",
	};
	enum order_status s, t, out;
	size_t i;

	for (s = ORDER_PAID; s < ORDER__NSTATUS; s++) {
		const char *n = order_status_name(s);

		UNIT_CHECK(n != NULL && strcmp(n, want[s]) == 0,
		    "status %d named '%s', want '%s'", s, n ? n : "(null)",
		    want[s]);
		out = ORDER__NSTATUS;
		UNIT_CHECK(order_status_parse(n, &out) == 0 && out == s,
		    "'%s' parses to %d", n, out);
		for (t = ORDER_PAID; t < s; t++)
			UNIT_CHECK(strcmp(n, order_status_name(t)) != 0,
			    "statuses %d and %d share '%s'", t, s, n);
	}
	CU_ASSERT_STRING_EQUAL(order_status_name(ORDER__NSTATUS), "Unknown");
	for (i = 0; i < NELEM(bad); i++) {
		out = ORDER_DELIVERED;
		UNIT_CHECK(order_status_parse(bad[i], &out) == -1 &&
		    out == ORDER_DELIVERED, "'%s' parsed to %d", bad[i], out);
	}
}

static void
idem_key(void)
{
	static const struct {
		const char	*key;
		int		 ok;
	} rows[] = {
		{ "", 0 },
		{ "a", 1 },
		{ "!", 1 },
		{ "~", 1 },
		{ "550e8400-e29b-41d4-a716-446655440000", 1 },
		{ "a b", 0 },
		{ " a", 0 },
		{ "a ", 0 },
		{ "a\tb", 0 },
		{ "a\nb", 0 },
		{ "a\x7f", 0 },
		{ "a\x1f", 0 },
		{ "\x80", 0 },
		{ "\xff", 0 },
		{ "키", 0 },
		{ "caf\xc3\xa9", 0 },
	};
	char key[80];
	size_t i;

	for (i = 0; i < NELEM(rows); i++)
		UNIT_CHECK(order_idem_key_ok(rows[i].key) == rows[i].ok,
		    "key row %zu: got %d", i, order_idem_key_ok(rows[i].key));
	memset(key, 'k', 64);
	key[64] = '\0';
	CU_ASSERT_EQUAL(order_idem_key_ok(key), 1);
	key[64] = 'k';
	key[65] = '\0';
	CU_ASSERT_EQUAL(order_idem_key_ok(key), 0);
	/* Every printable ASCII byte but the space, alone. */
	for (i = 1; i < 256; i++) {
		key[0] = (char)i;
		key[1] = '\0';
		UNIT_CHECK(order_idem_key_ok(key) == (i > 0x20 && i < 0x7f),
		    "byte 0x%02zx: got %d", i, order_idem_key_ok(key));
	}
}

static void
card_ok(void)
{
	static const struct {
		const char	*card;
		int		 ok;
	} rows[] = {
		{ "", 0 },
		{ "12345678901", 0 },
		{ "123456789012", 1 },
		{ "1234567890123456789", 1 },
		{ "12345678901234567890", 0 },
		{ "4000 0000 0000 0002", 1 },
		{ "4000-0000-0000-0002", 1 },
		{ "4000 - 0000 - 0000 - 0002", 1 },
		{ "1234 5678 901", 0 },			/* 11 digits */
		{ "1234-5678-9012-3456-7890", 0 },	/* 20 digits */
		{ "4000_0000_0000_0002", 0 },
		{ "4000/0000/0000/0002", 0 },
		{ "+4000000000000002", 0 },
		{ "4000000000000002\n", 0 },
		{ "4000000000000002 x", 0 },
		{ "\xd9\xa4\xd9\xa0\xd9\xa0\xd9\xa0 4000 0000 0002", 0 },
		{ "                    ", 0 },
	};
	size_t i;

	for (i = 0; i < NELEM(rows); i++)
		UNIT_CHECK(order_card_ok(rows[i].card) == rows[i].ok,
		    "card '%s': got %d", rows[i].card,
		    order_card_ok(rows[i].card));
}

/*
 * Order and payment take the same cards: a card order_card_ok() accepts
 * is never refused by payment as PAY_E_CARD, and the reverse.
 */
static void
card_rules_agree_with_payment(void)
{
	static const char *const cards[] = {
		"", " ", "-", "1", "12345678901", "123456789012",
		"1234567890123456789", "12345678901234567890",
		"4000 0000 0000 0002", "4000-0000-0000-0002",
		"-4000000000000002-", " 4000000000000002 ", "4000--0000  0000 0002",
		"4000x0000000000002", "4000.0000.0000.0002", "٤٠٠٠٠٠٠٠٠٠٠٠٠",
	};
	char digits[PAY_CARD_MAX + 1];
	size_t i;

	for (i = 0; i < NELEM(cards); i++) {
		int ord = order_card_ok(cards[i]);
		int pay = pay_card_normalize(cards[i], strlen(cards[i]),
		    digits) == PAY_OK;

		UNIT_CHECK(ord == pay, "card '%s': order %d, payment %d",
		    cards[i], ord, pay);
	}
}

/*
 * The card is normalised once, here: what order_check_request() accepts
 * leaves rq->card as its digits alone, which is what payment's table
 * takes (PAY_CARD_MIN..PAY_CARD_MAX characters, digits only).  Sent as
 * typed, "4111 1111 1111 1111 1" (17 digits in groups, 21 characters)
 * was refused by payment with 400 and counted against the breaker.
 */
static void
card_normalised_to_digits(void)
{
	static const struct {
		const char	*card;
		const char	*digits;	/* NULL: refused */
	} rows[] = {
		{ "4111 1111 1111 1111 1", "41111111111111111" },
		{ "4111-1111-1111-1111-111", "4111111111111111111" },
		{ "  4111 1111 1111 1111  ", "4111111111111111" },
		{ "4111 - 1111 - 1111 - 11", "41111111111111" },
		{ "4000 0000 0000 0002", "4000000000000002" },
		{ "123456789012", "123456789012" },
		{ "-1234-5678-9012-", "123456789012" },
		{ "1234567890123456789", "1234567890123456789" },
		{ "1234-5678-9012-34567890", NULL },	/* 20 digits */
		{ "1234 5678 901", NULL },		/* 11 digits */
		{ "4111 1111 1111 111x", NULL },
		{ "4111.1111.1111.1111", NULL },
		{ "4111\t1111 1111 1111", NULL },
		{ "---------------------", NULL },
	};
	struct order_request rq;
	char digits[PAY_CARD_MAX + 1];
	size_t i;
	enum order_err e;

	for (i = 0; i < NELEM(rows); i++) {
		request(&rq);
		snprintf(rq.card, sizeof(rq.card), "%s", rows[i].card);
		e = order_check_request(&rq);
		if (rows[i].digits == NULL) {
			UNIT_CHECK(e == ORDER_E_CARD, "card '%s': got %d",
			    rows[i].card, e);
			continue;
		}
		UNIT_CHECK(e == ORDER_OK, "card '%s': got %d", rows[i].card, e);
		UNIT_CHECK(strcmp(rq.card, rows[i].digits) == 0,
		    "card '%s' goes to payment as '%s', not '%s'", rows[i].card,
		    rq.card, rows[i].digits);
		/* Within payment's table, and payment's rules agree. */
		UNIT_CHECK(strlen(rq.card) >= PAY_CARD_MIN &&
		    strlen(rq.card) <= PAY_CARD_MAX &&
		    strspn(rq.card, "0123456789") == strlen(rq.card),
		    "card '%s' goes to payment as '%s'", rows[i].card, rq.card);
		UNIT_CHECK(pay_card_normalize(rq.card, strlen(rq.card), digits) ==
		    PAY_OK && strcmp(digits, rq.card) == 0,
		    "payment refuses '%s'", rq.card);
		/* Normalising again changes nothing. */
		UNIT_CHECK(order_check_request(&rq) == ORDER_OK &&
		    strcmp(rq.card, rows[i].digits) == 0,
		    "card '%s' normalised twice: '%s'", rows[i].card, rq.card);
	}
}

static void
messages(void)
{
	enum order_err e, f;

	for (e = ORDER_OK; e <= ORDER_E_INTERNAL; e++) {
		const char *m = order_err_message(e);

		UNIT_CHECK(m != NULL && *m != '\0', "error %d: no message", e);
		UNIT_CHECK(m == NULL || fd_utf8_text(m, strlen(m)),
		    "error %d: message is not UTF-8 text", e);
		for (f = ORDER_OK; m != NULL && f < e; f++)
			UNIT_CHECK(strcmp(m, order_err_message(f)) != 0,
			    "errors %d and %d share '%s'", f, e, m);
	}
	/* The input message states the bounds the domain enforces. */
	CU_ASSERT(strstr(order_err_message(ORDER_E_INPUT), "20") != NULL);
	CU_ASSERT(strstr(order_err_message(ORDER_E_INPUT), "99") != NULL);
	CU_ASSERT(strstr(order_err_message(ORDER_E_INPUT), "12 to 19") != NULL);
	CU_ASSERT_STRING_EQUAL(order_err_message(ORDER_E_INTERNAL),
	    "internal error");
}

/*
 * The phone is checked for nothing, not even UTF-8, while the address is.
 * order_http.c copies a "phone" of up to 20 characters into phone[21]
 * with snprintf, so a phone typed in Korean or full-width digits is cut
 * inside a character and reaches the domain as invalid UTF-8, then the
 * orders and order_profiles VARCHAR columns.
 */
static void
bug_phone_not_utf8(void)
{
	static const char *const bad[] = {
		"010-1234-\xec",			/* cut inside 사 */
		"공일공-일이삼" "\xec",		/* 20 bytes: cut inside 사 */
		"010\xff" "1234",
		"010-\xc0\xb1" "234-5678",		/* overlong 1 */
	};
	struct order_request rq;
	size_t i;

	for (i = 0; i < NELEM(bad); i++) {
		request(&rq);
		snprintf(rq.phone, sizeof(rq.phone), "%s", bad[i]);
		UNIT_CHECK(order_check_request(&rq) == ORDER_E_INPUT,
		    "phone row %zu (not UTF-8) accepted: %d", i,
		    order_check_request(&rq));
	}
}

static const struct unit_test regressions[] = {
	{ "the phone is UTF-8 text", bug_phone_not_utf8 },
};

static const struct unit_test tests[] = {
	{ "a valid request", check_request_valid },
	{ "line count, quantity and ids", check_request_lines },
	{ "a menuId twice", check_request_duplicates },
	{ "the card, if given", check_request_card },
	{ "the address is UTF-8 text", check_request_address },
	{ "prices come from the menu", price_sums_from_menu },
	{ "a full-length name is copied", price_full_name },
	{ "other store, unknown and sold-out items",
	    price_refuses_unavailable },
	{ "the largest order is priced and payable", price_largest_order },
	{ "cancellable and visible statuses", lifecycle },
	{ "the cancellation saga: lock and settle", cancel_saga_rules },
	{ "event statuses only move forward", status_follows },
	{ "the status each event moves to", status_of_event },
	{ "status names round-trip", status_names },
	{ "Idempotency-Key shape", idem_key },
	{ "card shape", card_ok },
	{ "card rules agree with payment", card_rules_agree_with_payment },
	{ "the card goes to payment as its digits", card_normalised_to_digits },
	{ "messages", messages },
};

void
add_order_domain_tests(void)
{
	UNIT_SUITE("order domain", tests);
	UNIT_SUITE("order domain regressions", regressions);
}
