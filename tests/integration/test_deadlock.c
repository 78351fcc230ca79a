/*
 * test_deadlock.c - real deadlocks on the stack's MariaDB, and which units
 * of work run again after one (fd_db_retry(); README, "Running on several
 * machines").  Galera reports a certification conflict as the same error
 * at commit; here the single server's lock manager makes it.
 *
 * A program's unit of work is made to pause (a fault hook) holding one
 * row; the test's own transaction takes the row the unit needs next, then
 * asks for the one the unit holds: a cycle, and InnoDB rolls back the
 * lighter side.  The test's side first writes a few hundred rows it will
 * roll back, so the program's unit is the one chosen.
 *
 *   - a consumer's unit (fishstore applying OrderPlaced) deadlocked twice
 *     runs again and applies the event once: "applied", one ticket, one
 *     inbox row;
 *   - POST /orders without an Idempotency-Key deadlocked after payment's
 *     approval is not run again: 503 with Retry-After, one order, left
 *     PaymentPending for reconciliation, no OrderPlaced;
 *   - the same with an Idempotency-Key runs again: 201, one order, one
 *     OrderPlaced.
 *
 * Bounded: the test's lock waits end after 10 s (innodb_lock_wait_timeout),
 * the hooks are disarmed and the test's transaction rolled back on every
 * path.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

#define PAUSE_MS	"1500"	/* the program's pause, holding its row */
#define ASK_AFTER_US	600000	/* the test asks for that row meanwhile */
#define HEAVY_ROWS	300

/* A request made in a thread while the test holds its locks. */
struct call {
	const char	*method, *path, *token, *body, *extra;
	int		 internal;
	long		 status;
	char		 retry_after[16];
	char		 result[32];	/* results[0].status, for events */
	char		 code[32];	/* error.code */
};

static void *
call_run(void *arg)
{
	struct call *c = arg;
	struct it_resp r;
	json_object *res, *v;

	if (c->internal)
		it_internal(1);
	if (it_req(&r, c->method, c->path, c->token, c->body, c->extra) == 0) {
		c->status = r.status;
		if (it_header(&r, "Retry-After", c->retry_after,
		    sizeof(c->retry_after)) == NULL)
			c->retry_after[0] = '\0';
		if (r.json != NULL &&
		    json_object_object_get_ex(r.json, "results", &res) &&
		    json_object_is_type(res, json_type_array) &&
		    json_object_array_length(res) > 0 &&
		    json_object_object_get_ex(json_object_array_get_idx(res, 0),
		    "status", &v))
			snprintf(c->result, sizeof(c->result), "%s",
			    json_object_get_string(v));
		if (it_str(&r, "error.code") != NULL)
			snprintf(c->code, sizeof(c->code), "%s",
			    it_str(&r, "error.code"));
		it_free(&r);
	}
	if (c->internal)
		it_internal(0);
	it_done();
	return NULL;
}

/* One statement on m; 0, or -1 (printed). */
static int
q(MYSQL *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
q(MYSQL *m, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	MYSQL_RES *res;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (mysql_query(m, sql) != 0) {
		fprintf(stderr, "test_deadlock: %s: %s\n", sql, mysql_error(m));
		return -1;
	}
	if ((res = mysql_store_result(m)) != NULL)
		mysql_free_result(res);
	return 0;
}

/*
 * Opens the test's side: a transaction that has written HEAVY_ROWS inbox
 * rows (rolled back at the end), so that InnoDB, which rolls back the
 * transaction that wrote less, picks the program's.  0, or -1.
 */
static int
heavy_begin(MYSQL *m, const char *tag)
{
	static char sql[HEAVY_ROWS * 48 + 128];
	unsigned int r = randombytes_random();
	size_t n;
	int i;

	if (q(m, "SET SESSION innodb_lock_wait_timeout = 10") != 0 ||
	    q(m, "START TRANSACTION") != 0)
		return -1;
	n = (size_t)snprintf(sql, sizeof(sql),
	    "INSERT INTO inbox (event_id, event_type) VALUES ");
	for (i = 0; i < HEAVY_ROWS; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
		    "%s('dl-%s-%u-%d', 'Test')", i ? "," : "", tag, r, i);
	if (mysql_query(m, sql) != 0) {
		fprintf(stderr, "test_deadlock: the heavy side: %s\n",
		    mysql_error(m));
		return -1;
	}
	return 0;
}

/*
 * fishstore's consumer, given OrderPlaced, writes the event's inbox row,
 * pauses (consumer-pause-ms), then the order's ticket.  The test holds
 * the ticket's key (tickets_order) and then asks for the inbox row: a
 * deadlock, twice in a row (the batch's unit and the next).  Two are
 * within the three attempts of fd_db_retry(): the event is applied, once.
 */
static void
consumer_runs_again(void)
{
	static char ev[1024], body[1200];
	MYSQL *tx = it_db("fishstore"), *chk = it_db("fishstore");
	struct call c;
	pthread_t th;
	char id[37], tag[8];
	long long order;
	int round, started = 0;

	CU_ASSERT_FATAL(tx != NULL && chk != NULL);
	order = 800000000000000LL + (long long)(time(NULL) % 99999999) * 1000 +
	    (long long)randombytes_uniform(1000);
	it_uuid(id);
	snprintf(ev, sizeof(ev), "{\"eventId\":\"%s\",\"eventType\":"
	    "\"OrderPlaced\",\"occurredAt\":\"2026-01-01T00:00:00.000Z\","
	    "\"orderId\":%lld,\"customerId\":42,\"storeId\":1,\"items\":["
	    "{\"menuId\":1,\"name\":\"광어\",\"qty\":1,\"price\":25000}],"
	    "\"amount\":25000,\"address\":\"서울 종로구 1\","
	    "\"phone\":\"010-1234-5678\"}", id, order);
	snprintf(body, sizeof(body), "{\"events\":[%s]}", ev);
	memset(&c, 0, sizeof(c));
	c.method = "POST";
	c.path = "/fishstore/internal/events";
	c.body = body;
	c.internal = 1;
	it_fault("consumer-pause-ms", PAUSE_MS);
	for (round = 0; round < 2; round++) {
		snprintf(tag, sizeof(tag), "c%d", round);
		if (heavy_begin(tx, tag) != 0 ||
		    q(tx, "INSERT INTO tickets (order_id, store_id, customer_id,"
		    " status, amount, address, phone) VALUES (%lld, 1, 42,"
		    " 'Paid', 1, 'test', '010')", order) != 0)
			break;
		if (!started) {
			if (pthread_create(&th, NULL, call_run, &c) != 0)
				break;
			started = 1;
		}
		/* The unit has its inbox row and pauses; ask for that row:
		 * the unit then asks for the ticket's key and is rolled
		 * back, and this insert goes through. */
		usleep(ASK_AFTER_US);
		if (q(tx, "INSERT INTO inbox (event_id, event_type) VALUES"
		    " ('%s', 'OrderPlaced')", id) != 0)
			break;
		q(tx, "ROLLBACK");
	}
	q(tx, "ROLLBACK");
	if (started)
		pthread_join(th, NULL);
	it_fault("consumer-pause-ms", NULL);
	CU_ASSERT_EQUAL(round, 2);
	CU_ASSERT_EQUAL(c.status, 200);
	if (strcmp(c.result, "applied") != 0)
		fprintf(stderr, "\nthe event's result: %s\n", c.result);
	CU_ASSERT_STRING_EQUAL(c.result, "applied");
	CU_ASSERT_EQUAL(it_db_int(chk, "SELECT COUNT(*) FROM tickets WHERE"
	    " order_id = %lld", order), 1);
	CU_ASSERT_EQUAL(it_db_int(chk, "SELECT COUNT(*) FROM inbox WHERE"
	    " event_id = '%s'", id), 1);
	mysql_close(tx);
	mysql_close(chk);
}

/*
 * POST /orders: after payment's approval, step 3 sets the order Paid and
 * pauses (order-outcome-pause-ms) holding the order's row; the test holds
 * the order's MyPage row (payment's PayApproved may have made it already),
 * which step 3 writes next, and asks for the order's row.  key: the request's Idempotency-Key header, or NULL.  The
 * answer is in *c; the order's id is returned (-1 if none was found).
 */
static long long
deadlocked_order(const char *token, long long customer, const char *key,
    struct call *c)
{
	static const char body[] = "{\"storeId\":1,\"items\":[{\"menuId\":1,"
	    "\"qty\":1}],\"address\":\"서울 중구 세종대로 110\","
	    "\"phone\":\"010-5555-0001\"}";
	MYSQL *tx = it_db("order"), *chk = it_db("order");
	pthread_t th;
	long long order = -1;
	int i, locked = 0;

	memset(c, 0, sizeof(*c));
	if (tx == NULL || chk == NULL)
		goto out;
	c->method = "POST";
	c->path = "/orders";
	c->token = token;
	c->body = body;
	c->extra = key;
	it_fault("order-outcome-pause-ms", PAUSE_MS);
	if (pthread_create(&th, NULL, call_run, c) != 0)
		goto out;
	/* Step 1 commits the order PaymentPending; step 3 then locks it. */
	for (i = 0; i < 100 && order < 0; i++) {
		order = it_db_int(chk, "SELECT id FROM orders WHERE"
		    " customer_id = %lld", customer);
		if (order < 0)
			usleep(50000);
	}
	for (i = 0; order > 0 && i < 250 && !locked; i++) {
		/* 0 rows: step 3 holds the row (autocommit: a free row is
		 * locked only for this statement). */
		locked = it_db_int(chk, "SELECT COUNT(*) FROM (SELECT id FROM"
		    " orders WHERE id = %lld FOR UPDATE SKIP LOCKED) t",
		    order) == 0;
		if (!locked)
			usleep(20000);
	}
	if (locked && heavy_begin(tx, key ? "k" : "n") == 0 &&
	    q(tx, "INSERT INTO mypage (order_id) VALUES (%lld) ON DUPLICATE"
	    " KEY UPDATE order_id = order_id", order) == 0)
		q(tx, "UPDATE orders SET updated_at = updated_at WHERE id ="
		    " %lld", order);
	q(tx, "ROLLBACK");
	pthread_join(th, NULL);
	CU_ASSERT(locked);
out:
	it_fault("order-outcome-pause-ms", NULL);
	if (tx != NULL)
		mysql_close(tx);
	if (chk != NULL)
		mysql_close(chk);
	return order;
}

static void
order_without_key_not_run_again(void)
{
	char token[1024], email[128];
	long long customer, order;
	struct call c;

	CU_ASSERT_FATAL((customer = it_customer(token, sizeof(token), email,
	    sizeof(email))) > 0);
	order = deadlocked_order(token, customer, NULL, &c);
	CU_ASSERT_FATAL(order > 0);
	CU_ASSERT_EQUAL(c.status, 503);
	CU_ASSERT_STRING_EQUAL(c.code, "unavailable");
	CU_ASSERT(c.retry_after[0] != '\0');
	/* Nothing written twice, nothing of step 3 written at all: the
	 * order waits for reconciliation, which voids its payment. */
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM orders"
	    " WHERE customer_id = %lld", customer), 1);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM outbox"
	    " WHERE event_type = 'OrderPlaced' AND JSON_VALUE(payload,"
	    " '$.orderId') = %lld", order), 0);
	CU_ASSERT_NOT_EQUAL(it_ctx_int("order", "SELECT status = 'Paid' FROM"
	    " orders WHERE id = %lld", order), 1);
}

static void
order_with_key_runs_again(void)
{
	char token[1024], email[128], key[96];
	long long customer, order;
	struct call c;

	CU_ASSERT_FATAL((customer = it_customer(token, sizeof(token), email,
	    sizeof(email))) > 0);
	snprintf(key, sizeof(key), "Idempotency-Key: deadlock-%s", it_unique());
	order = deadlocked_order(token, customer, key, &c);
	CU_ASSERT_FATAL(order > 0);
	CU_ASSERT_EQUAL(c.status, 201);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM orders"
	    " WHERE customer_id = %lld", customer), 1);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM orders"
	    " WHERE id = %lld AND status = 'Paid'", order), 1);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM outbox"
	    " WHERE event_type = 'OrderPlaced' AND JSON_VALUE(payload,"
	    " '$.orderId') = %lld", order), 1);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM mypage"
	    " WHERE order_id = %lld AND customer_id = %lld", order, customer),
	    1);
}

static int
clean_suite(void)
{
	it_fault("consumer-pause-ms", NULL);
	it_fault("order-outcome-pause-ms", NULL);
	return 0;
}

void
add_deadlock_tests(void)
{
	CU_pSuite s = CU_add_suite("deadlock", clean_suite, clean_suite);

	CU_add_test(s, "a consumer's unit runs again and applies once",
	    consumer_runs_again);
	CU_add_test(s, "POST /orders without a key: 503, not run again",
	    order_without_key_not_run_again);
	CU_add_test(s, "POST /orders with a key: run again, one order",
	    order_with_key_runs_again);
}
