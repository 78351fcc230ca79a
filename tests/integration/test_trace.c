/*
 * test_trace.c - one order followed through every context: the trace id a
 * client (or nginx) gives a request goes onto the payment call and into
 * every event it causes, and into the events those events cause.
 */
#include <CUnit/CUnit.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it.h"

static char cust[1024], owner[1024];

static int
init_suite(void)
{
	char email[128];

	if (it_customer(cust, sizeof(cust), email, sizeof(email)) <= 0)
		return -1;
	return it_login("owner1@fishdelivery.test", "fish-owner-1", owner,
	    sizeof(owner));
}

/* Waits (bounded) until the query counts at least one row. */
static int
wait_row(MYSQL *m, const char *sql)
{
	int t;

	for (t = 0; t < 100; t++) {
		mysql_commit(m);
		if (it_db_int(m, "%s", sql) >= 1)
			return 0;
		usleep(100000);
	}
	return -1;
}

static long
patch(const char *path, const char *body, const char *trace)
{
	struct it_resp r;
	char hdr[128];
	long st;

	snprintf(hdr, sizeof(hdr), "X-Request-Id: %s", trace);
	if (it_req(&r, "PATCH", path, owner, body, hdr) != 0)
		return -1;
	st = r.status;
	it_free(&r);
	return st;
}

static void
one_order_through_every_context(void)
{
	char t1[64], t2[64], hdr[128], path[64], line[256], sql[512];
	struct it_resp r;
	long long id, ticket;
	MYSQL *o = it_db("order"), *p = it_db("payment"),
	    *f = it_db("fishstore"), *d = it_db("delivery");
	FILE *log;
	char logpath[1024];
	int found = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	snprintf(t1, sizeof(t1), "trace-%s", it_unique());
	snprintf(t2, sizeof(t2), "trace-%s", it_unique());
	snprintf(hdr, sizeof(hdr), "X-Request-Id: %s", t1);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", cust, "{\"storeId\":1,"
	    "\"items\":[{\"menuId\":5,\"qty\":1}],\"address\":\"광주 1\","
	    "\"phone\":\"010-4444-5555\"}", hdr) == 0);
	CU_ASSERT_EQUAL_FATAL(r.status, 201);
	id = it_int(&r, "orderId");
	it_free(&r);

	/* Into the order's event and, through the payment call, payment's. */
	CU_ASSERT_EQUAL(it_db_int(o, "SELECT COUNT(*) FROM outbox WHERE "
	    "event_type = 'OrderPlaced' AND aggregate_key = '%lld' AND "
	    "JSON_VALUE(payload, '$.traceId') = '%s'", id, t1), 1);
	CU_ASSERT_EQUAL(it_db_int(p, "SELECT COUNT(*) FROM outbox WHERE "
	    "event_type = 'PayApproved' AND aggregate_key = '%lld' AND "
	    "JSON_VALUE(payload, '$.traceId') = '%s'", id, t1), 1);

	/* The owner's steps carry their own request's trace, and the courier's
	 * DeliveryStarted, caused by OrderPrepared, carries that one. */
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM tickets WHERE "
	    "order_id = %lld", id);
	CU_ASSERT_FATAL(wait_row(f, sql) == 0);
	ticket = it_db_int(f, "SELECT id FROM tickets WHERE order_id = %lld", id);
	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	CU_ASSERT_EQUAL(patch(path, "{\"status\":\"Accepted\","
	    "\"readyInMinutes\":20}", t2), 200);
	CU_ASSERT_EQUAL(patch(path, "{\"status\":\"Prepared\"}", t2), 200);
	CU_ASSERT_EQUAL(it_db_int(f, "SELECT COUNT(*) FROM outbox WHERE "
	    "event_type = 'OrderPrepared' AND aggregate_key = '%lld' AND "
	    "JSON_VALUE(payload, '$.traceId') = '%s'", id, t2), 1);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM outbox WHERE "
	    "event_type = 'DeliveryStarted' AND JSON_VALUE(payload, "
	    "'$.traceId') = '%s' AND aggregate_key = '%lld'", t2, id);
	CU_ASSERT(wait_row(d, sql) == 0);

	/* And the internal gateway logged the payment call under it. */
	snprintf(logpath, sizeof(logpath), "%s/log/internal-access.log",
	    getenv("FD_VAR") ? getenv("FD_VAR") : "var/test");
	usleep(1200000);	/* nginx flushes its log buffer every second */
	if ((log = fopen(logpath, "r")) != NULL) {
		while (fgets(line, sizeof(line), log) != NULL)
			if (strstr(line, "POST /payments") != NULL &&
			    strstr(line, t1) != NULL)
				found = 1;
		fclose(log);
	}
	CU_ASSERT(found);
	mysql_close(o);
	mysql_close(p);
	mysql_close(f);
	mysql_close(d);
}

static void
a_malformed_trace_is_replaced(void)
{
	struct it_resp r;
	long long id;
	MYSQL *o = it_db("order");

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", cust, "{\"storeId\":1,"
	    "\"items\":[{\"menuId\":5,\"qty\":1}]}",
	    "X-Request-Id: <script>x") == 0);
	CU_ASSERT_EQUAL_FATAL(r.status, 201);
	id = it_int(&r, "orderId");
	it_free(&r);
	/* nginx's own id instead: 32 hex digits. */
	CU_ASSERT_EQUAL(it_db_int(o, "SELECT COUNT(*) FROM outbox WHERE "
	    "event_type = 'OrderPlaced' AND aggregate_key = '%lld' AND "
	    "JSON_VALUE(payload, '$.traceId') REGEXP '^[0-9a-f]{32}$'", id), 1);
	mysql_close(o);
}

void
add_trace_tests(void)
{
	CU_pSuite s = CU_add_suite("trace", init_suite, NULL);

	CU_add_test(s, "one order followed through every context",
	    one_order_through_every_context);
	CU_add_test(s, "a malformed trace id is replaced",
	    a_malformed_trace_is_replaced);
}
