/*
 * test_breaker.c - the payment breaker and the no-money-without-an-order
 * guarantee, driven through the test stack's fault hooks (lib/fd_fault.h):
 * payment made slow or failing, the order program killed between the
 * approval and its commit.
 *
 * The test stack runs with FD_BREAKER_MIN_CALLS=10 in a 4 s window,
 * FD_BREAKER_OPEN_MS=1500, FD_PAY_SLOW_MS=1000 and reconciliation every
 * second for orders pending over 2 s (scripts/test.sh).  Each test starts
 * from a closed breaker with an empty window, so earlier suites' calls do
 * not dilute the failures it causes.
 *
 * A bad card, or anything else payment refuses as the request's fault, is
 * the customer's error: it must never count against the breaker, or a few
 * customers mistyping (or one sending on purpose) would shut payment off
 * for everyone.
 */
#include <CUnit/CUnit.h>
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it.h"

static char cust[1024];
static long long cust_id;

static const char body[] = "{\"storeId\":1,\"items\":[{\"menuId\":1,"
    "\"qty\":1}],\"address\":\"부산 해운대구 1\",\"phone\":\"010-2222-3333\"}";

static int
init_suite(void)
{
	char email[128];

	it_fault("payment-delay-ms", NULL);
	it_fault("payment-fail", NULL);
	it_fault("order-crash-after-payment", NULL);
	it_fault("payment-refuse", NULL);
	cust_id = it_customer(cust, sizeof(cust), email, sizeof(email));
	return cust_id > 0 ? 0 : -1;
}

static int
clean_suite(void)
{
	it_fault("payment-delay-ms", NULL);
	it_fault("payment-fail", NULL);
	it_fault("order-crash-after-payment", NULL);
	it_fault("payment-refuse", NULL);
	return 0;
}

/* A number from a Prometheus text body, by the start of its line. */
static double
metric(const char *path, const char *line)
{
	struct it_resp r;
	const char *p;
	double v = -1;

	if (it_req(&r, "GET", path, NULL, NULL, NULL) == 0 &&
	    (p = strstr(r.body, line)) != NULL)
		v = strtod(p + strlen(line), NULL);
	it_free(&r);
	return v;
}

#define STATE(s)	metric("/order/metrics", \
	"fd_breaker_state{breaker=\"payment\",state=\"" s "\"} ")
#define TRANS(s)	metric("/order/metrics", \
	"fd_breaker_transitions_total{breaker=\"payment\",to=\"" s "\"} ")
#define PAY_CALLS()	metric("/payment/metrics", "fd_http_requests_total{" \
	"context=\"payment\",route=\"POST /payments\",status=\"201\"} ")

static long
order_once(void)
{
	struct it_resp r;
	long st;
	char ra[16];

	if (it_req(&r, "POST", "/orders", cust, body, NULL) != 0)
		return -1;
	st = r.status;
	if (st == 503 && (it_header(&r, "Retry-After", ra, sizeof(ra)) == NULL ||
	    !it_is_error(&r, "unavailable")))
		st = -3;
	it_free(&r);
	return st;
}

static void *
order_thread(void *arg)
{
	*(long *)arg = order_once();
	return NULL;
}

static long long
visible_orders(void)
{
	return it_ctx_int("order", "SELECT COUNT(*) FROM orders WHERE"
	    " customer_id = %lld AND status = 'Paid'", cust_id);
}

/* Waits (bounded) for the breaker to reach state s. */
static int
wait_state(const char *line)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (metric("/order/metrics", line) == 1)
			return 0;
		usleep(50000);
	}
	return -1;
}

static void
wait_empty_window(void)
{
	int i;

	for (i = 0; i < 120; i++) {
		if (metric("/order/metrics",
		    "fd_breaker_window_calls{breaker=\"payment\"} ") == 0)
			return;
		usleep(50000);
	}
}

static void
opens_under_slow_payment_and_recovers(void)
{
	pthread_t th[12];
	long st[12];
	double opened = TRANS("open"), half = TRANS("half_open"),
	    closed = TRANS("closed"), calls;
	long long before;
	int i;

	wait_empty_window();
	CU_ASSERT_EQUAL_FATAL(STATE("closed"), 1);
	/* Slower than FD_PAY_SLOW_MS: each call counts as a failure. */
	it_fault("payment-delay-ms", "1100");
	for (i = 0; i < 12; i++)
		pthread_create(&th[i], NULL, order_thread, &st[i]);
	for (i = 0; i < 12; i++)
		pthread_join(th[i], NULL);
	CU_ASSERT_EQUAL(STATE("open"), 1);
	CU_ASSERT_EQUAL(TRANS("open"), opened + 1);

	/* Open: the fallback at once; payment is not called, nothing placed. */
	calls = PAY_CALLS();
	before = visible_orders();
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(order_once(), 503);
	CU_ASSERT_EQUAL(PAY_CALLS(), calls);
	CU_ASSERT_EQUAL(visible_orders(), before);

	/* Half-open with payment still slow: the probe fails, open again. */
	usleep(1600000);
	CU_ASSERT_EQUAL(order_once(), 201);	/* slow, but it went through */
	CU_ASSERT_EQUAL(TRANS("half_open"), half + 1);
	CU_ASSERT_EQUAL(STATE("open"), 1);
	CU_ASSERT_EQUAL(TRANS("open"), opened + 2);

	/* Payment healthy again: the next probe closes it. */
	it_fault("payment-delay-ms", NULL);
	usleep(1600000);
	CU_ASSERT_EQUAL(order_once(), 201);
	CU_ASSERT_EQUAL(TRANS("half_open"), half + 2);
	CU_ASSERT_EQUAL(TRANS("closed"), closed + 1);
	CU_ASSERT_EQUAL(STATE("closed"), 1);
	CU_ASSERT_EQUAL(order_once(), 201);
}

static void
opens_when_payment_fails(void)
{
	long long before = visible_orders();
	int i, n503 = 0;

	wait_empty_window();
	CU_ASSERT_EQUAL_FATAL(STATE("closed"), 1);
	it_fault("payment-fail", "1");
	for (i = 0; i < 15; i++)
		n503 += order_once() == 503;
	CU_ASSERT_EQUAL(n503, 15);
	CU_ASSERT_EQUAL(STATE("open"), 1);
	CU_ASSERT_EQUAL(visible_orders(), before);
	it_fault("payment-fail", NULL);
	usleep(1600000);
	CU_ASSERT_EQUAL(order_once(), 201);
	CU_ASSERT_EQUAL(wait_state("fd_breaker_state{breaker=\"payment\","
	    "state=\"closed\"} "), 0);
	/* The failed attempts left no money taken: all voided. */
	{
		MYSQL *m;
		int t;
		long long pending = -1;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("order"));
		for (t = 0; t < 100 && pending != 0; t++) {
			pending = it_db_int(m, "SELECT COUNT(*) FROM orders WHERE "
			    "customer_id = %lld AND status = 'PaymentPending'",
			    cust_id);
			mysql_commit(m);
			if (pending != 0)
				usleep(100000);
		}
		CU_ASSERT_EQUAL(pending, 0);
		mysql_close(m);
	}
}

static void
crash_between_approval_and_commit_is_refunded(void)
{
	struct it_resp r;
	char path[64];
	long long id = -1, approved;
	MYSQL *m;
	int t;

	it_fault("order-crash-after-payment", "1");
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", cust, body, NULL) == 0);
	it_fault("order-crash-after-payment", NULL);
	/* The worker died: the gateway answers 503, no order. */
	CU_ASSERT_EQUAL(r.status, 503);
	it_free(&r);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("order"));
	id = it_db_int(m, "SELECT MAX(id) FROM orders WHERE customer_id = %lld",
	    cust_id);
	CU_ASSERT_FATAL(id > 0);
	mysql_commit(m);
	/* Payment had approved it. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(m != NULL);
	{
		MYSQL *p = it_db("payment");
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		approved = it_db_int(p, "SELECT COUNT(*) FROM payments WHERE "
		    "order_id = %lld AND status IN ('Approved', 'Refunded')", id);
		CU_ASSERT_EQUAL(approved, 1);
		mysql_close(p);
	}
	/* Within the reconciler's period it is refunded, the order Failed. */
	snprintf(path, sizeof(path), "/payments?orderId=%lld", id);
	for (t = 0; t < 150; t++) {
		CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
		if (r.status == 200 && it_str(&r, "status") != NULL &&
		    strcmp(it_str(&r, "status"), "Refunded") == 0) {
			it_free(&r);
			break;
		}
		it_free(&r);
		usleep(100000);
	}
	CU_ASSERT(t < 150);
	/* The order is marked Failed in the reconciler's commit, just after
	 * payment answered the void. */
	for (t = 0; t < 100; t++) {
		mysql_commit(m);
		if (it_db_int(m, "SELECT COUNT(*) FROM orders WHERE id = %lld"
		    " AND status = 'Failed'", id) == 1)
			break;
		usleep(100000);
	}
	CU_ASSERT(t < 100);
	mysql_close(m);
	snprintf(path, sizeof(path), "/orders/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	/* The master replaced the dead worker. */
	CU_ASSERT(metric("/order/metrics",
	    "fd_worker_restarts_total{context=\"order\"} ") >= 1);
	CU_ASSERT_EQUAL(order_once(), 201);
}

#define NCUST	4

/* An order of menu 1 with card (raw JSON text) at address. */
static long
order_card(const char *token, const char *card, const char *address,
    struct it_resp *out)
{
	char b[512];
	struct it_resp r;
	long st;

	snprintf(b, sizeof(b), "{\"storeId\":1,\"items\":[{\"menuId\":1,"
	    "\"qty\":1}]%s%s%s,\"card\":\"%s\"}", address ? ",\"address\":\"" :
	    "", address ? address : "", address ?
	    "\",\"phone\":\"010-2222-3333\"" : "", card);
	if (it_req(&r, "POST", "/orders", token, b, NULL) != 0)
		return -1;
	st = r.status;
	if (out != NULL)
		*out = r;
	else
		it_free(&r);
	return st;
}

/*
 * A closed breaker with an empty window, whatever an earlier test left:
 * an open one only moves on when a call comes, so one good order after
 * the open period probes and closes it.
 */
static int
closed_and_empty(void)
{
	int i;

	for (i = 0; i < 3 && STATE("closed") != 1; i++) {
		usleep(1600000);
		order_once();
	}
	wait_empty_window();
	return STATE("closed") == 1 ? 0 : -1;
}

#define WINDOW_FAILS()	metric("/order/metrics", \
	"fd_breaker_window_failures{breaker=\"payment\"} ")

/*
 * Cards as the checkout page lets them through (groups of digits, up to
 * 23 characters) and malformed ones, 40 orders from several customers:
 * each is placed (201) or refused as the customer's error (400), never
 * "payment is busy"; the breaker stays closed and counts no failure, and
 * the next good order is placed.
 */
static void
bad_cards_leave_the_breaker_closed(void)
{
	static const struct {
		const char	*card;
		long		 want;
	} cards[] = {
		{ "4111 1111 1111 1111 1", 201 },	/* 17 digits, 21 chars */
		{ "4111-1111-1111-1111-111", 201 },	/* 19 digits, 23 chars */
		{ "  4111 1111 1111 1111  ", 201 },	/* 16 digits, 23 chars */
		{ "4111 - 1111 - 1111 - 11", 201 },	/* 14 digits */
		{ "4111 1111 1111 1111 1111", 400 },	/* 20 digits */
		{ "4111 1111 111", 400 },		/* 11 digits */
		{ "4111 1111 1111 111x", 400 },
		{ "4111.1111.1111.1111", 400 },
		{ "-------------------- 1", 400 },
		{ "4111 1111 1111 1111 11111", 400 },	/* too long a field */
	};
	char tok[NCUST][1024], email[128];
	double opened = TRANS("open");
	struct it_resp r;
	int i, bad = 0;
	long st;

	for (i = 0; i < NCUST; i++)
		CU_ASSERT_FATAL(it_customer(tok[i], sizeof(tok[i]), email,
		    sizeof(email)) > 0);
	CU_ASSERT_EQUAL_FATAL(closed_and_empty(), 0);
	for (i = 0; i < 40; i++) {
		size_t c = (size_t)i % (sizeof(cards) / sizeof(cards[0]));

		st = order_card(tok[i % NCUST], cards[c].card, "부산 중구 2", &r);
		if (st != cards[c].want) {
			fprintf(stderr, "card '%s': %ld %s\n", cards[c].card, st,
			    st > 0 ? r.body : "");
			bad++;
		}
		if (st == 400)
			CU_ASSERT(it_is_error(&r, "bad_request") &&
			    strstr(r.body, "card") != NULL);
		if (st > 0)
			it_free(&r);
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(STATE("closed"), 1);
	CU_ASSERT_EQUAL(TRANS("open"), opened);
	CU_ASSERT_EQUAL(WINDOW_FAILS(), 0);
	CU_ASSERT_EQUAL(order_once(), 201);
}

/*
 * Payment refusing a request as malformed (test hook payment-refuse: it
 * answers 400 to every charge) is the customer's error as well: 400 with
 * a message, the breaker untouched, the attempt decided at once (Failed,
 * not left PaymentPending for the reconciler), and its address never
 * becomes the customer's default.
 */
static void
payment_refusal_is_the_customers_error(void)
{
	char tok[NCUST][1024], email[128], path[64], buf[256];
	long long ids[NCUST];
	double opened = TRANS("open");
	struct it_resp r;
	int i, n400 = 0, msg = 0;
	long st;

	for (i = 0; i < NCUST; i++)
		CU_ASSERT_FATAL((ids[i] = it_customer(tok[i], sizeof(tok[i]),
		    email, sizeof(email))) > 0);
	CU_ASSERT_EQUAL_FATAL(closed_and_empty(), 0);
	it_fault("payment-refuse", "1");
	for (i = 0; i < 40; i++) {
		st = order_card(tok[i % NCUST], "4111 1111 1111 1111",
		    "부산 중구 거절 1", &r);
		n400 += st == 400;
		if (st == 400)
			msg += it_is_error(&r, "bad_request");
		else
			fprintf(stderr, "refused payment: %ld %s\n", st,
			    st > 0 ? r.body : "");
		if (st > 0)
			it_free(&r);
	}
	it_fault("payment-refuse", NULL);
	CU_ASSERT_EQUAL(n400, 40);
	CU_ASSERT_EQUAL(msg, 40);
	CU_ASSERT_EQUAL(STATE("closed"), 1);
	CU_ASSERT_EQUAL(TRANS("open"), opened);
	CU_ASSERT_EQUAL(WINDOW_FAILS(), 0);
	for (i = 0; i < NCUST; i++) {
		/* Decided now: nothing left for the reconciler, nothing shown. */
		CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM orders"
		    " WHERE customer_id = %lld AND status <> 'Failed'", ids[i]),
		    0);
		CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM orders"
		    " WHERE customer_id = %lld AND status = 'Failed'", ids[i]),
		    10);
	}
	/* A refused attempt's address is no default: the profile's is. */
	CU_ASSERT_EQUAL(it_wait_profile(ids[0], 1, 10), 1);
	st = order_card(tok[0], "4111 1111 1111 1111", NULL, &r);
	CU_ASSERT_EQUAL(st, 201);
	if (st > 0) {
		snprintf(path, sizeof(path), "/orders/%lld",
		    it_int(&r, "orderId"));
		it_free(&r);
		CU_ASSERT_STRING_EQUAL(it_get_str(path, tok[0], "address", buf,
		    sizeof(buf)), "서울 마포구 1");
	}
	/* Payment takes it again: the next good order is placed. */
	CU_ASSERT_EQUAL(order_card(tok[0], "4111 1111 1111 1111",
	    "부산 중구 2", NULL), 201);
	CU_ASSERT_EQUAL(order_once(), 201);
}

void
add_breaker_tests(void)
{
	CU_pSuite s = CU_add_suite("breaker", init_suite, clean_suite);

	CU_add_test(s, "opens under a slow payment, probes, closes",
	    opens_under_slow_payment_and_recovers);
	CU_add_test(s, "opens when payment fails; attempts voided",
	    opens_when_payment_fails);
	CU_add_test(s, "killed between approval and commit: refunded",
	    crash_between_approval_and_commit_is_refunded);
	CU_add_test(s, "bad cards leave the breaker closed",
	    bad_cards_leave_the_breaker_closed);
	CU_add_test(s, "payment refusing a request is the customer's error",
	    payment_refusal_is_the_customers_error);
}
