/*
 * test_purge.c - nothing grows for ever: each relay purges, in chunks,
 * its context's rows that can no longer matter (inbox rows, finished
 * Idempotency-Keys, canceled_orders, orphan MyPage rows) once older than
 * their retention, keeps the fresh ones, and counts what it purged in
 * fd_relay_purged_rows_total; and an event its subscriber answers "retry"
 * for ever is dead-lettered after FD_RELAY_MAX_ATTEMPTS like a refusal,
 * while the subscriber's later events still get through.
 *
 * The test stack sets every retention to 300 s and housekeeps every 2 s
 * (scripts/test.sh): the fixtures are written by each context's own DB
 * user, aged 400 s (purged: with the defaults, days, they would stay) or
 * 100 s (kept).
 */
#include <CUnit/CUnit.h>
#include <mysql.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

#define OLD	"NOW(6) - INTERVAL 400 SECOND"
#define FRESH	"NOW(6) - INTERVAL 100 SECOND"
#define WAIT_S	20

static char cust[1024];

static const char order_body[] = "{\"storeId\":1,\"items\":[{\"menuId\":2,"
    "\"qty\":1}],\"address\":\"인천 중구 1\",\"phone\":\"010-3333-4444\"}";

static int
init_suite(void)
{
	char email[128];

	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	return it_customer(cust, sizeof(cust), email, sizeof(email)) > 0 ? 0 : -1;
}

/* An id no real order has: far above the stack's, unique per run. */
static long long
fake_id(void)
{
	return 7000000000000LL + (long long)(time(NULL) % 100000) * 10000 +
	    random() % 10000;
}

/* fd_relay_purged_rows_total of one table in ctx's relay; -1 if none. */
static double
purged(const char *ctx, const char *table)
{
	struct it_resp r;
	char path[64], series[128];
	const char *p;
	double v = -1;

	snprintf(path, sizeof(path), "/relay/%s/metrics", ctx);
	snprintf(series, sizeof(series), "fd_relay_purged_rows_total{context="
	    "\"%s\",table=\"%s\"} ", ctx, table);
	it_internal(1);
	if (it_req(&r, "GET", path, NULL, NULL, NULL) == 0 &&
	    r.status == 200 && (p = strstr(r.body, series)) != NULL)
		v = strtod(p + strlen(series), NULL);
	it_internal(0);
	it_free(&r);
	return v;
}

/*
 * The relay counts the rows after its purge has committed, so the rows are
 * gone a moment before the counter shows them: waits (bounded) until the
 * counter reaches want; its last value.
 */
static double
purged_at_least(const char *ctx, const char *table, double want)
{
	double v = -1;
	int t;

	for (t = 0; t < WAIT_S * 10; t++) {
		if ((v = purged(ctx, table)) >= want)
			break;
		usleep(100000);
	}
	return v;
}

/* Runs sql (formatted) on m and commits; 0 on success. */
static int
exec(MYSQL *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
exec(MYSQL *m, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (mysql_query(m, sql) != 0 || mysql_commit(m) != 0) {
		fprintf(stderr, "%.200s: %s\n", sql, mysql_error(m));
		return -1;
	}
	return 0;
}

/* Waits (bounded) until the count query on ctx gives 0; the last count. */
static long long
wait_zero(const char *ctx, const char *sql)
{
	long long n = -1;
	int t;

	for (t = 0; t < WAIT_S * 10; t++) {
		if ((n = it_ctx_int(ctx, "%s", sql)) == 0)
			break;
		usleep(100000);
	}
	return n;
}

/* Each context's inbox: rows of events applied long ago go, fresh stay. */
static void
inbox_rows_are_purged(void)
{
	static const char *const ctxs[] = { "order", "payment", "fishstore",
	    "delivery" };
	char tag[40], sql[512];
	double before[4];
	MYSQL *m;
	size_t i;

	/* Event ids are CHAR(36): a tag of the run, then which row. */
	snprintf(tag, sizeof(tag), "p%08lx", (unsigned long)random());
	for (i = 0; i < 4; i++) {
		before[i] = purged(ctxs[i], "inbox");
		m = it_db(ctxs[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL(exec(m, "INSERT INTO inbox (event_id, event_type,"
		    " applied_at) VALUES ('%s-old-1', 'Test', " OLD "),"
		    " ('%s-old-2', 'Test', " OLD "), ('%s-fresh', 'Test', "
		    FRESH ")", tag, tag, tag), 0);
		mysql_close(m);
	}
	for (i = 0; i < 4; i++) {
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM inbox WHERE "
		    "event_id LIKE '%s-old-%%'", tag);
		CU_ASSERT_EQUAL(wait_zero(ctxs[i], sql), 0);
		CU_ASSERT_EQUAL(it_ctx_int(ctxs[i], "SELECT COUNT(*) FROM inbox "
		    "WHERE event_id = '%s-fresh'", tag), 1);
		CU_ASSERT(purged_at_least(ctxs[i], "inbox", before[i] + 2) >=
		    before[i] + 2);
		CU_ASSERT(before[i] >= 0);
		m = it_db(ctxs[i]);
		if (m != NULL) {
			exec(m, "DELETE FROM inbox WHERE event_id LIKE '%s-%%'",
			    tag);
			mysql_close(m);
		}
	}
}

/* Finished Idempotency-Keys go once old; fresh and pending ones stay. */
static void
finished_idempotency_keys_are_purged(void)
{
	long long c = fake_id();
	double before = purged("order", "idempotency_keys");
	MYSQL *m = it_db("order");
	char sql[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(exec(m, "INSERT INTO idempotency_keys (customer_id,"
	    " idem_key, request_hash, state, outcome, order_id, amount,"
	    " created_at) VALUES (%lld, 'old-1', REPEAT('a', 64), 'done',"
	    " 'placed', 1, 100, " OLD "), (%lld, 'old-2', REPEAT('a', 64),"
	    " 'done', 'declined', 2, 100, " OLD "), (%lld, 'fresh',"
	    " REPEAT('a', 64), 'done', 'placed', 3, 100, " FRESH ")", c, c, c),
	    0);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM idempotency_keys "
	    "WHERE customer_id = %lld AND idem_key LIKE 'old-%%'", c);
	CU_ASSERT_EQUAL(wait_zero("order", sql), 0);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM idempotency_keys "
	    "WHERE customer_id = %lld AND idem_key = 'fresh'", c), 1);
	CU_ASSERT(before >= 0);
	CU_ASSERT(purged_at_least("order", "idempotency_keys", before + 2) >=
	    before + 2);
	exec(m, "DELETE FROM idempotency_keys WHERE customer_id = %lld", c);
	mysql_close(m);
}

/* fishstore's and delivery's canceled_orders: old rows go. */
static void
canceled_orders_are_purged(void)
{
	static const char *const ctxs[] = { "fishstore", "delivery" };
	long long id = fake_id();
	char sql[256];
	double before[2];
	MYSQL *m;
	size_t i;

	for (i = 0; i < 2; i++) {
		before[i] = purged(ctxs[i], "canceled_orders");
		m = it_db(ctxs[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL(exec(m, "INSERT INTO canceled_orders (order_id,"
		    " reason, created_at) VALUES (%lld, 'test', " OLD "),"
		    " (%lld, 'test', " OLD "), (%lld, 'test', " FRESH ")", id,
		    id + 1, id + 2), 0);
		mysql_close(m);
	}
	for (i = 0; i < 2; i++) {
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM canceled_orders"
		    " WHERE order_id IN (%lld, %lld)", id, id + 1);
		CU_ASSERT_EQUAL(wait_zero(ctxs[i], sql), 0);
		CU_ASSERT_EQUAL(it_ctx_int(ctxs[i], "SELECT COUNT(*) FROM "
		    "canceled_orders WHERE order_id = %lld", id + 2), 1);
		CU_ASSERT(before[i] >= 0);
		CU_ASSERT(purged_at_least(ctxs[i], "canceled_orders",
		    before[i] + 2) >= before[i] + 2);
		m = it_db(ctxs[i]);
		if (m != NULL) {
			exec(m, "DELETE FROM canceled_orders WHERE order_id "
			    "BETWEEN %lld AND %lld", id, id + 2);
			mysql_close(m);
		}
	}
}

/*
 * Orphan MyPage rows: started by a payment's event for an attempt that
 * was never placed (no OrderPlaced ever said whose it is).  Those of an
 * order decided Failed or Declined long ago, or of no order at all, go;
 * one decided recently, one still PaymentPending (it may yet be placed)
 * and a placed order's row stay.
 */
static void
orphan_mypage_rows_are_purged(void)
{
	long long o[5], c = fake_id();
	int i;
	double before = purged("order", "mypage");
	MYSQL *m = it_db("order");
	char sql[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	/* Real orders (the auto-increment ids), by a made-up customer. */
	CU_ASSERT_EQUAL_FATAL(exec(m, "INSERT INTO orders (customer_id,"
	    " store_id, status, amount, address, phone, created_at, updated_at)"
	    " VALUES (%lld, 1, 'Failed', 1, 'a', 'p', " OLD ", " OLD "),"
	    " (%lld, 1, 'Declined', 1, 'a', 'p', " OLD ", " OLD "),"
	    " (%lld, 1, 'Failed', 1, 'a', 'p', " FRESH ", " FRESH "),"
	    " (%lld, 1, 'PaymentPending', 1, 'a', 'p', " OLD ", " OLD "),"
	    " (%lld, 1, 'Paid', 1, 'a', 'p', " OLD ", " OLD ")", c, c, c, c, c),
	    0);
	/* Their ids as the server gave them, in the rows' order: never
	 * assumed consecutive (a Galera node steps auto_increment by the
	 * cluster's size). */
	for (i = 0; i < 5; i++) {
		o[i] = it_db_int(m, "SELECT id FROM orders WHERE customer_id ="
		    " %lld ORDER BY id LIMIT 1 OFFSET %d", c, i);
		CU_ASSERT_FATAL(o[i] > 0);
	}
	/* Rows as PayApproved/PayCanceled start them (no customer), the
	 * last as OrderPlaced completes one; and one of no order at all. */
	CU_ASSERT_EQUAL_FATAL(exec(m, "INSERT INTO mypage (order_id,"
	    " payment_state, paid_at, refunded_at) VALUES"
	    " (%lld, 'refunded', " OLD ", " OLD "),"
	    " (%lld, 'approved', " OLD ", NULL),"
	    " (%lld, 'refunded', " OLD ", " FRESH "),"
	    " (%lld, 'approved', " OLD ", NULL),"
	    " (%lld, 'refunded', " OLD ", " OLD ")", o[0], o[1], o[2],
	    o[3], c), 0);
	CU_ASSERT_EQUAL_FATAL(exec(m, "INSERT INTO mypage (order_id,"
	    " customer_id, payment_state, paid_at, placed_at) VALUES"
	    " (%lld, %lld, 'approved', " OLD ", " OLD ")", o[4], c), 0);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM mypage WHERE "
	    "order_id IN (%lld, %lld, %lld)", o[0], o[1], c);
	CU_ASSERT_EQUAL(wait_zero("order", sql), 0);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM mypage WHERE "
	    "order_id IN (%lld, %lld, %lld)", o[2], o[3], o[4]), 3);
	CU_ASSERT(before >= 0);
	CU_ASSERT(purged_at_least("order", "mypage", before + 3) >= before + 3);
	exec(m, "DELETE FROM mypage WHERE order_id IN (%lld, %lld, %lld, %lld,"
	    " %lld, %lld)", o[0], o[1], o[2], o[3], o[4], c);
	exec(m, "DELETE FROM orders WHERE customer_id = %lld", c);
	mysql_close(m);
}

/*
 * An OrderPlaced fishstore answers "retry" for ever (the test hook
 * consumer-retry-order names its orderId): dead-lettered after three
 * attempts (FD_RELAY_MAX_ATTEMPTS in the test stack) with the last
 * error, and orders placed after it still get their tickets.
 */
static void
retry_forever_is_dead_lettered(void)
{
	MYSQL *m = it_db("order"), *fs;
	long long oid = fake_id(), row, ids[3], n = -1;
	char key[64], val[32], in[128];
	size_t i;
	int t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	snprintf(val, sizeof(val), "%lld", oid);
	it_fault("consumer-retry-order", val);
	snprintf(key, sizeof(key), "retry-%s", it_unique());
	/* First in fishstore's queue: a well-formed OrderPlaced. */
	if (exec(m, "INSERT INTO outbox (event_id, event_type, aggregate_key,"
	    " payload) VALUES (UUID(), 'OrderPlaced', '%s', JSON_OBJECT("
	    "'eventType', 'OrderPlaced', 'orderId', %lld, 'customerId', 1,"
	    " 'storeId', 1, 'amount', 1000, 'items', JSON_ARRAY()))", key,
	    oid) != 0)
		goto out;
	row = it_db_int(m, "SELECT id FROM outbox WHERE aggregate_key = '%s'",
	    key);
	CU_ASSERT_FATAL(row > 0);
	if (exec(m, "UPDATE outbox SET payload = JSON_SET(payload, '$.eventId',"
	    " event_id) WHERE id = %lld", row) != 0 ||
	    exec(m, "INSERT INTO outbox_deliveries (outbox_id, subscriber,"
	    " akey) VALUES (%lld, 'fishstore', '%s')", row, key) != 0)
		goto out;
	for (i = 0; i < 3; i++)
		ids[i] = it_place(cust, order_body);
	for (t = 0; t < WAIT_S * 10; t++) {
		mysql_commit(m);
		if (it_db_int(m, "SELECT COUNT(*) FROM outbox_dead_letters WHERE "
		    "akey = '%s'", key) == 1)
			break;
		usleep(100000);
	}
	CU_ASSERT(t < WAIT_S * 10);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT attempts FROM outbox_dead_letters"
	    " WHERE akey = '%s'", key), 3);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM outbox_dead_letters"
	    " WHERE akey = '%s' AND last_error LIKE '%%test hook%%'", key), 1);
	/* The subscriber was not stalled: the later orders have tickets. */
	snprintf(in, sizeof(in), "%lld, %lld, %lld", ids[0], ids[1], ids[2]);
	fs = it_db("fishstore");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	for (t = 0; t < WAIT_S * 10; t++) {
		mysql_commit(fs);
		if ((n = it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE "
		    "order_id IN (%s)", in)) == 3)
			break;
		usleep(100000);
	}
	CU_ASSERT_EQUAL(n, 3);
	mysql_close(fs);
out:
	it_fault("consumer-retry-order", NULL);
	/* Whatever became of it, it leaves no work behind. */
	exec(m, "UPDATE outbox_deliveries SET state = 'done', claim = NULL,"
	    " lease_until = NULL, delivered_at = NOW(6) WHERE akey = '%s'"
	    " AND state <> 'done'", key);
	exec(m, "DELETE FROM outbox_dead_letters WHERE akey = '%s'", key);
	mysql_close(m);
}

void
add_purge_tests(void)
{
	CU_pSuite s = CU_add_suite("purge", init_suite, NULL);

	CU_add_test(s, "inbox rows past their retention are purged",
	    inbox_rows_are_purged);
	CU_add_test(s, "finished idempotency keys are purged",
	    finished_idempotency_keys_are_purged);
	CU_add_test(s, "canceled_orders past their retention are purged",
	    canceled_orders_are_purged);
	CU_add_test(s, "orphan MyPage rows are purged",
	    orphan_mypage_rows_are_purged);
	CU_add_test(s, "an event answered retry for ever is dead-lettered",
	    retry_forever_is_dead_lettered);
}
