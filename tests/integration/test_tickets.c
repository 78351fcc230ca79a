/*
 * test_tickets.c - the store's tickets and the deliveries, driven by
 * events delivered as the relay would (POST $FD_INTERNAL_URL/{ctx}/
 * internal/events) and by the owners' requests through the gateway.
 *
 * A relay may run in the stack: it then carries fishstore's OrderPrepared
 * to delivery (and the rest to order and payment) by itself.  So these
 * tests deliver what they need themselves, accept "applied" or
 * "duplicate" where the relay may have been first, and read states with
 * a bounded wait.  Order ids are large and unique per run: the order
 * context never sees these orders.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

static char owner1[1024], owner2[1024], customer[1024];
static MYSQL *fs, *dl, *py;	/* as fd_fishstore, fd_delivery, fd_payment */

static int
init_suite(void)
{
	char email[128];

	if (it_login("owner1@fishdelivery.test", "fish-owner-1", owner1,
	    sizeof(owner1)) != 0 ||
	    it_login("owner2@fishdelivery.test", "fish-owner-2", owner2,
	    sizeof(owner2)) != 0 ||
	    it_customer(customer, sizeof(customer), email, sizeof(email)) <= 0)
		return -1;
	if ((fs = it_db("fishstore")) == NULL ||
	    (dl = it_db("delivery")) == NULL || (py = it_db("payment")) == NULL)
		return -1;
	return 0;
}

static int
clean_suite(void)
{
	if (fs != NULL)
		mysql_close(fs);
	if (dl != NULL)
		mysql_close(dl);
	if (py != NULL)
		mysql_close(py);
	fs = dl = py = NULL;
	return 0;
}

/* An order id no other run uses: 9e14 + seconds * 1000 + a counter. */
static long long
new_order(void)
{
	static long long base;
	static int seq;

	if (base == 0)
		base = 900000000000000LL + (long long)(time(NULL) % 99999999) *
		    1000;
	return base + seq++ % 1000;
}

/*
 * Posts one event (its JSON object text, with eventId and eventType) to
 * ctx the way the relay does, at $FD_URL, which the caller pointed at the
 * internal gateway.  Returns the HTTP status; the first result's status
 * and error are copied out.
 */
static long
post_event(const char *ctx, const char *event, char *status, size_t ssz,
    char *error, size_t esz)
{
	char path[96], *body;
	struct it_resp r;
	json_object *res, *first, *v;
	long code = -1;
	size_t n;

	if (status != NULL)
		*status = '\0';
	if (error != NULL)
		*error = '\0';
	n = strlen(event) + 32;
	if ((body = malloc(n)) == NULL)
		return -1;
	snprintf(body, n, "{\"events\":[%s]}", event);
	snprintf(path, sizeof(path), "/%s/internal/events", ctx);
	if (it_req(&r, "POST", path, NULL, body, NULL) == 0) {
		code = r.status;
		if (r.json != NULL &&
		    json_object_object_get_ex(r.json, "results", &res) &&
		    json_object_is_type(res, json_type_array) &&
		    json_object_array_length(res) > 0) {
			first = json_object_array_get_idx(res, 0);
			if (status != NULL &&
			    json_object_object_get_ex(first, "status", &v))
				snprintf(status, ssz, "%s",
				    json_object_get_string(v));
			if (error != NULL &&
			    json_object_object_get_ex(first, "error", &v))
				snprintf(error, esz, "%s",
				    json_object_get_string(v));
		}
		it_free(&r);
	}
	free(body);
	return code;
}

/*
 * it_http.c reads FD_URL per request: point it at the internal gateway
 * (and back).  Not thread-safe: threads run between the two.
 */
static char saved_url[512];
static int had_url;

static void
go_internal(void)
{
	const char *internal = getenv("FD_INTERNAL_URL"), *old = getenv("FD_URL");

	had_url = old != NULL;
	if (old != NULL)
		snprintf(saved_url, sizeof(saved_url), "%s", old);
	setenv("FD_URL", internal ? internal : "http://127.0.0.1:18089", 1);
}

static void
go_public(void)
{
	if (had_url)
		setenv("FD_URL", saved_url, 1);
	else
		unsetenv("FD_URL");
}

/* post_event() through the internal gateway. */
static long
deliver(const char *ctx, const char *event, char *status, size_t ssz,
    char *error, size_t esz)
{
	long code;

	go_internal();
	code = post_event(ctx, event, status, ssz, error, esz);
	go_public();
	return code;
}

/* Delivers and returns 1 if the event was applied (or had been). */
static int
delivered(const char *ctx, const char *event)
{
	char st[32];

	return deliver(ctx, event, st, sizeof(st), NULL, 0) == 200 &&
	    (strcmp(st, "applied") == 0 || strcmp(st, "duplicate") == 0);
}

static void
placed_event(char *buf, size_t sz, const char *id, long long order,
    long long store)
{
	snprintf(buf, sz, "{\"eventId\":\"%s\",\"eventType\":\"OrderPlaced\","
	    "\"occurredAt\":\"2026-01-01T00:00:00.000Z\",\"orderId\":%lld,"
	    "\"customerId\":42,\"storeId\":%lld,\"items\":["
	    "{\"menuId\":1,\"name\":\"광어\",\"qty\":2,\"price\":25000},"
	    "{\"menuId\":3,\"name\":\"연어\",\"qty\":1,\"price\":18000}],"
	    "\"amount\":68000,\"address\":\"서울 종로구 1\","
	    "\"phone\":\"010-1234-5678\"}", id, order, store);
}

static void
canceled_event(char *buf, size_t sz, const char *id, long long order,
    const char *reason)
{
	snprintf(buf, sz, "{\"eventId\":\"%s\",\"eventType\":\"OrderCanceled\","
	    "\"occurredAt\":\"2026-01-01T00:00:00.000Z\",\"orderId\":%lld,"
	    "\"reason\":\"%s\"}", id, order, reason);
}

/* A fresh order placed at store; returns its ticket id (or -1). */
static long long
place(long long order, long long store)
{
	char id[37], ev[1024];

	it_uuid(id);
	placed_event(ev, sizeof(ev), id, order, store);
	if (!delivered("fishstore", ev))
		return -1;
	return it_db_int(fs, "SELECT id FROM tickets WHERE order_id = %lld",
	    order);
}

/* The first column of the first row as text; 0, or -1 if none. */
static int
db_str(MYSQL *m, char *buf, size_t sz, const char *fmt, ...)
{
	char sql[1024];
	MYSQL_RES *res;
	MYSQL_ROW row;
	va_list ap;
	int rc = -1;

	*buf = '\0';
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (mysql_query(m, sql) != 0 || (res = mysql_store_result(m)) == NULL) {
		fprintf(stderr, "db_str: %s: %s\n", sql, mysql_error(m));
		return -1;
	}
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL) {
		snprintf(buf, sz, "%s", row[0]);
		rc = 0;
	}
	mysql_free_result(res);
	return rc;
}

/* Polls a count until it is want (at most ~5 s); returns the last. */
static long long
await_int(MYSQL *m, long long want, const char *fmt, long long order)
{
	long long n = -1;
	int i;

	for (i = 0; i < 100; i++) {
		if ((n = it_db_int(m, fmt, order)) == want)
			break;
		usleep(50000);
	}
	return n;
}

static long long
events_of(MYSQL *m, const char *type, long long order)
{
	return it_db_int(m, "SELECT COUNT(*) FROM outbox WHERE event_type = '%s'"
	    " AND aggregate_key = '%lld'", type, order);
}

static long
patch(const char *path, const char *tok, const char *body, struct it_resp *r)
{
	if (it_req(r, "PATCH", path, tok, body, NULL) != 0)
		return -1;
	return r->status;
}

/* PATCHes and frees; the status, or -1. */
static long
patch_status(const char *path, const char *tok, const char *body)
{
	struct it_resp r;
	long s = patch(path, tok, body, &r);

	if (s >= 0)
		it_free(&r);
	return s;
}

static void
ticket_path(char *buf, size_t sz, long long tid)
{
	snprintf(buf, sz, "/fishstores/%lld", tid);
}

static void
placed_creates_one_ticket(void)
{
	char id[37], id2[37], ev[1024], st[32], path[96];
	struct it_resp r;
	json_object *arr, *t, *v;
	long long order = new_order(), tid;

	it_uuid(id);
	placed_event(ev, sizeof(ev), id, order, 1);
	CU_ASSERT_EQUAL(deliver("fishstore", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
	tid = it_db_int(fs, "SELECT id FROM tickets WHERE order_id = %lld", order);
	CU_ASSERT_FATAL(tid > 0);

	/* In owner1's list (this page starts at it), with all its fields. */
	snprintf(path, sizeof(path), "/fishstores?status=Paid&after=%lld&limit=1",
	    tid - 1);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner1, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "tickets", &arr) &&
	    json_object_array_length(arr) == 1);
	t = json_object_array_get_idx(arr, 0);
	CU_ASSERT(json_object_object_get_ex(t, "ticketId", &v) &&
	    json_object_get_int64(v) == tid);
	CU_ASSERT(json_object_object_get_ex(t, "orderId", &v) &&
	    json_object_get_int64(v) == order);
	CU_ASSERT(json_object_object_get_ex(t, "status", &v) &&
	    strcmp(json_object_get_string(v), "Paid") == 0);
	CU_ASSERT(json_object_object_get_ex(t, "amount", &v) &&
	    json_object_get_int64(v) == 68000);
	CU_ASSERT(json_object_object_get_ex(t, "items", &v) &&
	    json_object_array_length(v) == 2);
	CU_ASSERT(json_object_object_get_ex(t, "address", &v) &&
	    strcmp(json_object_get_string(v), "서울 종로구 1") == 0);
	CU_ASSERT(json_object_object_get_ex(t, "phone", &v) &&
	    strcmp(json_object_get_string(v), "010-1234-5678") == 0);
	CU_ASSERT(json_object_object_get_ex(t, "createdAt", &v) &&
	    json_object_get_string_len(v) > 0);
	CU_ASSERT(json_object_object_get_ex(t, "updatedAt", &v));
	CU_ASSERT(json_object_object_get_ex(t, "rejectReason", &v) && v == NULL);
	it_free(&r);

	ticket_path(path, sizeof(path), tid);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner1, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "orderId"), order);
	it_free(&r);
	/* Not owner2's: 404 on it, and absent from store 2's list. */
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner2, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	CU_ASSERT(it_is_error(&r, "not_found"));
	it_free(&r);
	snprintf(path, sizeof(path), "/fishstores?after=%lld&limit=1", tid - 1);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner2, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "storeId"), 2);
	if (json_object_object_get_ex(r.json, "tickets", &arr) &&
	    json_object_array_length(arr) > 0) {
		t = json_object_array_get_idx(arr, 0);
		CU_ASSERT(json_object_object_get_ex(t, "ticketId", &v) &&
		    json_object_get_int64(v) != tid);
	}
	it_free(&r);

	/* The same event again: acknowledged, not applied. */
	CU_ASSERT_EQUAL(deliver("fishstore", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "duplicate");
	/* The same order under another event id: still one ticket. */
	it_uuid(id2);
	placed_event(ev, sizeof(ev), id2, order, 1);
	CU_ASSERT_EQUAL(deliver("fishstore", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE"
	    " order_id = %lld", order), 1);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM ticket_items WHERE"
	    " ticket_id = %lld", tid), 2);
}

static void
list_pages_and_filters(void)
{
	struct it_resp r;
	json_object *arr, *t, *v;
	long long a, b, next;
	char path[128];
	size_t i;

	CU_ASSERT_FATAL((a = place(new_order(), 1)) > 0);
	CU_ASSERT_FATAL((b = place(new_order(), 1)) > 0);
	/* Oldest first, one per page: a, then b through nextAfter. */
	snprintf(path, sizeof(path), "/fishstores?after=%lld&limit=1", a - 1);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner1, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "tickets", &arr));
	t = json_object_array_get_idx(arr, 0);
	CU_ASSERT(t != NULL && json_object_object_get_ex(t, "ticketId", &v) &&
	    json_object_get_int64(v) == a);
	next = it_int(&r, "nextAfter");
	CU_ASSERT_EQUAL(next, a);
	it_free(&r);
	snprintf(path, sizeof(path), "/fishstores?after=%lld&limit=1", next);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner1, NULL, NULL) == 0);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "tickets", &arr));
	t = json_object_array_get_idx(arr, 0);
	CU_ASSERT(t != NULL && json_object_object_get_ex(t, "ticketId", &v) &&
	    json_object_get_int64(v) == b);
	it_free(&r);
	/* A filter returns only that status. */
	CU_ASSERT_FATAL(it_req(&r, "GET", "/fishstores?status=Canceled", owner1,
	    NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "tickets", &arr));
	for (i = 0; i < json_object_array_length(arr); i++) {
		t = json_object_array_get_idx(arr, i);
		CU_ASSERT(json_object_object_get_ex(t, "status", &v) &&
		    strcmp(json_object_get_string(v), "Canceled") == 0);
	}
	it_free(&r);
	/* Bad queries: 400. */
	{
		const char *bad[] = {
			"/fishstores?status=Bogus", "/fishstores?status=paid",
			"/fishstores?status=", "/fishstores?limit=0",
			"/fishstores?limit=501", "/fishstores?after=-1",
			"/fishstores?after=abc", "/fishstores?status="
			    "PaidPaidPaidPaidPaidPaidPaidPaidPaid",
			"/deliveries?status=Paid", "/deliveries?before=0",
			"/deliveries?limit=x",
		};
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			CU_ASSERT_FATAL(it_req(&r, "GET", bad[i], owner1, NULL,
			    NULL) == 0);
			if (r.status != 400)
				fprintf(stderr, "%s -> %ld\n", bad[i], r.status);
			CU_ASSERT_EQUAL(r.status, 400);
			CU_ASSERT(it_is_error(&r, "bad_request"));
			it_free(&r);
		}
	}
}

/*
 * The owner's two lists share one list handler (lib/fd_page.c): each bad
 * query is answered with the message naming what is wrong, checked in
 * the order status, cursor, limit; an empty page has a null cursor.
 */
static void
list_queries_say_why(void)
{
	static const struct {
		const char	*path;
		const char	*msg;
	} bad[] = {
		{ "/fishstores?status=Bogus", "status must be one of Paid, "
		    "Accepted, Prepared, Rejected, Canceled" },
		{ "/fishstores?status=PaidPaidPaidPaidPaidPaidPaidPaid",
		    "status must be one of Paid, Accepted, Prepared, Rejected, "
		    "Canceled" },
		{ "/fishstores?after=-1", "after must be a ticketId" },
		{ "/fishstores?limit=501", "limit must be 1 to 500" },
		{ "/fishstores?status=x&after=x&limit=x", "status must be one "
		    "of Paid, Accepted, Prepared, Rejected, Canceled" },
		{ "/fishstores?after=x&limit=x", "after must be a ticketId" },
		{ "/deliveries?status=Paid", "status must be one of "
		    "DeliveryStarted, Delivered, Canceled" },
		{ "/deliveries?before=0", "before must be a deliveryId" },
		{ "/deliveries?limit=0", "limit must be 1 to 500" },
		{ "/deliveries?status=x&before=x&limit=x", "status must be one "
		    "of DeliveryStarted, Delivered, Canceled" },
		{ "/deliveries?before=x&limit=x", "before must be a deliveryId" },
	};
	struct it_resp r;
	const char *m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_FATAL(it_req(&r, "GET", bad[i].path, owner1, NULL,
		    NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 400);
		m = it_str(&r, "error.message");
		if (m == NULL || strcmp(m, bad[i].msg) != 0)
			fprintf(stderr, "%s -> %s\n", bad[i].path, m ? m : "?");
		CU_ASSERT(m != NULL && strcmp(m, bad[i].msg) == 0);
		it_free(&r);
	}
	/* Past the last row: an empty page, no next one, the owner's store. */
	CU_ASSERT_FATAL(it_req(&r, "GET", "/fishstores?after=999999999999999",
	    owner1, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "storeId"), 1);
	CU_ASSERT(json_object_is_type(json_object_object_get(r.json,
	    "nextAfter"), json_type_null));
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(r.json,
	    "tickets")), 0);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/deliveries?before=1", owner1, NULL,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "storeId"), 1);
	CU_ASSERT(json_object_is_type(json_object_object_get(r.json,
	    "nextBefore"), json_type_null));
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(r.json,
	    "deliveries")), 0);
	it_free(&r);
}

/* Paid -> Accepted -> Prepared, then the delivery to Delivered. */
static void
owner_steps_emit_events(void)
{
	long long order = new_order(), tid, did;
	char path[96], payload[2048], st[32];
	struct it_resp r;

	CU_ASSERT_FATAL((tid = place(order, 1)) > 0);
	ticket_path(path, sizeof(path), tid);

	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Prepared\"}"),
	    409);
	CU_ASSERT_EQUAL(patch(path, owner1, "{\"status\":\"Accepted\",\"readyInMinutes\":30}", &r), 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Accepted");
	CU_ASSERT_EQUAL(it_int(&r, "ticketId"), tid);
	it_free(&r);
	CU_ASSERT_EQUAL(events_of(fs, "OrderTaken", order), 1);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT JSON_VALUE(payload, '$.ticketId')"
	    " FROM outbox WHERE event_type = 'OrderTaken' AND aggregate_key ="
	    " '%lld'", order), tid);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM outbox_deliveries d"
	    " JOIN outbox o ON o.id = d.outbox_id WHERE o.event_type ="
	    " 'OrderTaken' AND o.aggregate_key = '%lld' AND d.subscriber ="
	    " 'order'", order), 1);

	/* Repeating a step, or one that is not next: 409, no event. */
	CU_ASSERT_EQUAL(patch(path, owner1, "{\"status\":\"Accepted\",\"readyInMinutes\":30}", &r), 409);
	CU_ASSERT(it_is_error(&r, "conflict"));
	it_free(&r);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Rejected\",\"reasonCode\":\"other\"}"),
	    409);
	CU_ASSERT_EQUAL(events_of(fs, "OrderTaken", order), 1);
	CU_ASSERT_EQUAL(events_of(fs, "OrderRejected", order), 0);

	CU_ASSERT_EQUAL(patch(path, owner1, "{\"status\":\"Prepared\"}", &r), 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Prepared");
	it_free(&r);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Accepted\",\"readyInMinutes\":30}"),
	    409);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Prepared\"}"),
	    409);
	CU_ASSERT_EQUAL(events_of(fs, "OrderPrepared", order), 1);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT JSON_VALUE(payload, '$.storeId')"
	    " FROM outbox WHERE event_type = 'OrderPrepared' AND aggregate_key ="
	    " '%lld'", order), 1);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM outbox_deliveries d"
	    " JOIN outbox o ON o.id = d.outbox_id WHERE o.event_type ="
	    " 'OrderPrepared' AND o.aggregate_key = '%lld' AND d.subscriber IN"
	    " ('delivery', 'order')", order), 2);

	/* The OrderPrepared to delivery, as the relay does (it may have). */
	CU_ASSERT_FATAL(db_str(fs, payload, sizeof(payload), "SELECT payload FROM"
	    " outbox WHERE event_type = 'OrderPrepared' AND aggregate_key ="
	    " '%lld'", order) == 0);
	CU_ASSERT(delivered("delivery", payload));
	CU_ASSERT_EQUAL(deliver("delivery", payload, st, sizeof(st), NULL, 0),
	    200);
	CU_ASSERT_STRING_EQUAL(st, "duplicate");
	CU_ASSERT_EQUAL(await_int(dl, 1, "SELECT COUNT(*) FROM deliveries WHERE"
	    " order_id = %lld AND status = 'DeliveryStarted'", order), 1);
	did = it_db_int(dl, "SELECT id FROM deliveries WHERE order_id = %lld",
	    order);
	CU_ASSERT_FATAL(did > 0);
	CU_ASSERT_EQUAL(events_of(dl, "DeliveryStarted", order), 1);
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT JSON_VALUE(payload, '$.deliveryId')"
	    " FROM outbox WHERE event_type = 'DeliveryStarted' AND aggregate_key"
	    " = '%lld'", order), did);

	/* In owner1's deliveries (this page ends at it), not in owner2's. */
	snprintf(path, sizeof(path), "/deliveries?before=%lld&limit=1", did + 1);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner1, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	{
		json_object *arr, *d, *v;
		CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "deliveries",
		    &arr) && json_object_array_length(arr) == 1);
		d = json_object_array_get_idx(arr, 0);
		CU_ASSERT(json_object_object_get_ex(d, "deliveryId", &v) &&
		    json_object_get_int64(v) == did);
		CU_ASSERT(json_object_object_get_ex(d, "orderId", &v) &&
		    json_object_get_int64(v) == order);
		CU_ASSERT(json_object_object_get_ex(d, "status", &v) &&
		    strcmp(json_object_get_string(v), "DeliveryStarted") == 0);
		CU_ASSERT(json_object_object_get_ex(d, "address", &v) &&
		    strcmp(json_object_get_string(v), "서울 종로구 1") == 0);
	}
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/deliveries?status=DeliveryStarted",
	    owner1, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(strstr(r.body, "\"status\":\"Delivered\"") == NULL);
	it_free(&r);

	/* Only that store's owner, only once, only from DeliveryStarted. */
	snprintf(path, sizeof(path), "/deliveries/%lld", did);
	CU_ASSERT_EQUAL(patch_status(path, owner2, "{\"status\":\"Delivered\"}"),
	    404);
	CU_ASSERT_EQUAL(patch_status(path, customer, "{\"status\":\"Delivered\"}"),
	    403);
	CU_ASSERT_EQUAL(patch_status(path, NULL, "{\"status\":\"Delivered\"}"),
	    401);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Canceled\"}"),
	    400);
	CU_ASSERT_EQUAL(patch_status(path, owner1,
	    "{\"status\":\"DeliveryStarted\"}"), 400);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Delivered\","
	    "\"x\":1}"), 400);
	CU_ASSERT_EQUAL(events_of(dl, "DeliveryCompleted", order), 0);
	CU_ASSERT_EQUAL(patch(path, owner1, "{\"status\":\"Delivered\"}", &r),
	    200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Delivered");
	CU_ASSERT_EQUAL(it_int(&r, "deliveryId"), did);
	it_free(&r);
	CU_ASSERT_EQUAL(patch(path, owner1, "{\"status\":\"Delivered\"}", &r),
	    409);
	CU_ASSERT(it_is_error(&r, "conflict"));
	it_free(&r);
	CU_ASSERT_EQUAL(events_of(dl, "DeliveryCompleted", order), 1);

	/* Canceling a delivered order changes nothing here. */
	{
		char id[37], ev[512];
		it_uuid(id);
		canceled_event(ev, sizeof(ev), id, order, "too late");
		CU_ASSERT(delivered("delivery", ev));
	}
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT COUNT(*) FROM deliveries WHERE"
	    " order_id = %lld AND status = 'Delivered'", order), 1);
	CU_ASSERT_EQUAL(events_of(dl, "DeliveryCanceled", order), 0);
}

/* OrderCanceled: the ticket and the started delivery follow the order. */
static void
cancel_follows_order(void)
{
	long long order = new_order(), paid = new_order(), tid, did;
	char path[96], payload[2048], id[37], ev[512], st[32];
	struct it_resp r;

	CU_ASSERT_FATAL((tid = place(order, 1)) > 0);
	ticket_path(path, sizeof(path), tid);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Accepted\",\"readyInMinutes\":30}"),
	    200);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Prepared\"}"),
	    200);
	CU_ASSERT_FATAL(db_str(fs, payload, sizeof(payload), "SELECT payload FROM"
	    " outbox WHERE event_type = 'OrderPrepared' AND aggregate_key ="
	    " '%lld'", order) == 0);
	CU_ASSERT(delivered("delivery", payload));
	CU_ASSERT_EQUAL(await_int(dl, 1, "SELECT COUNT(*) FROM deliveries WHERE"
	    " order_id = %lld", order), 1);

	it_uuid(id);
	canceled_event(ev, sizeof(ev), id, order, "changed my mind");
	CU_ASSERT_EQUAL(deliver("fishstore", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
	CU_ASSERT_EQUAL(deliver("delivery", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
	CU_ASSERT_EQUAL(deliver("delivery", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "duplicate");

	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner1, NULL, NULL) == 0);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Canceled");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "cancelReason"), "changed my mind");
	it_free(&r);
	CU_ASSERT_EQUAL(patch(path, owner1, "{\"status\":\"Accepted\",\"readyInMinutes\":30}", &r), 409);
	CU_ASSERT(strstr(r.body, "canceled") != NULL);
	it_free(&r);

	did = it_db_int(dl, "SELECT id FROM deliveries WHERE order_id = %lld",
	    order);
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT COUNT(*) FROM deliveries WHERE"
	    " id = %lld AND status = 'Canceled'", did), 1);
	CU_ASSERT_EQUAL(events_of(dl, "DeliveryCanceled", order), 1);
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT JSON_VALUE(payload, '$.deliveryId')"
	    " FROM outbox WHERE event_type = 'DeliveryCanceled' AND aggregate_key"
	    " = '%lld'", order), did);
	snprintf(path, sizeof(path), "/deliveries/%lld", did);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Delivered\"}"),
	    409);
	CU_ASSERT_EQUAL(events_of(dl, "DeliveryCompleted", order), 0);

	/* A Paid ticket is canceled too; fishstore announces nothing. */
	CU_ASSERT_FATAL((tid = place(paid, 1)) > 0);
	it_uuid(id);
	canceled_event(ev, sizeof(ev), id, paid, "oops");
	CU_ASSERT(delivered("fishstore", ev));
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE id ="
	    " %lld AND status = 'Canceled'", tid), 1);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld'", paid), 0);
}

/* OrderCanceled applied before OrderPlaced / OrderPrepared. */
static void
canceled_before_placed(void)
{
	long long order = new_order(), tid, did;
	char id[37], ev[1024], st[32];
	struct it_resp r;
	char path[96];

	it_uuid(id);
	canceled_event(ev, sizeof(ev), id, order, "canceled early");
	CU_ASSERT_EQUAL(deliver("fishstore", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
	CU_ASSERT_EQUAL(deliver("delivery", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE"
	    " order_id = %lld", order), 0);
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT COUNT(*) FROM deliveries WHERE"
	    " order_id = %lld", order), 0);

	CU_ASSERT_FATAL((tid = place(order, 1)) > 0);
	ticket_path(path, sizeof(path), tid);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner1, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Canceled");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "cancelReason"), "canceled early");
	it_free(&r);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Accepted\",\"readyInMinutes\":30}"),
	    409);

	/* An OrderPrepared that crossed the cancellation: never started. */
	it_uuid(id);
	snprintf(ev, sizeof(ev), "{\"eventId\":\"%s\",\"eventType\":"
	    "\"OrderPrepared\",\"occurredAt\":\"2026-01-01T00:00:00.000Z\","
	    "\"orderId\":%lld,\"ticketId\":%lld,\"storeId\":1,\"address\":"
	    "\"서울 종로구 1\",\"phone\":\"010-1234-5678\"}", id, order, tid);
	CU_ASSERT_EQUAL(deliver("delivery", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
	did = it_db_int(dl, "SELECT id FROM deliveries WHERE order_id = %lld AND"
	    " status = 'Canceled'", order);
	CU_ASSERT(did > 0);
	CU_ASSERT_EQUAL(events_of(dl, "DeliveryStarted", order), 0);
	CU_ASSERT_EQUAL(events_of(dl, "DeliveryCanceled", order), 0);
}

static void
reject_with_reason(void)
{
	long long order = new_order(), plain = new_order(), tid;
	char path[96], reason[256];
	struct it_resp r;

	CU_ASSERT_FATAL((tid = place(order, 1)) > 0);
	ticket_path(path, sizeof(path), tid);
	CU_ASSERT_EQUAL(patch(path, owner1, "{\"status\":\"Rejected\","
	    "\"reasonCode\":\"sold_out\",\"reason\":\"광어 품절\"}", &r), 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Rejected");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "rejectReason"), "광어 품절");
	it_free(&r);
	CU_ASSERT_EQUAL(events_of(fs, "OrderRejected", order), 1);
	CU_ASSERT(db_str(fs, reason, sizeof(reason), "SELECT JSON_VALUE(payload,"
	    " '$.reason') FROM outbox WHERE event_type = 'OrderRejected' AND"
	    " aggregate_key = '%lld'", order) == 0);
	CU_ASSERT_STRING_EQUAL(reason, "광어 품절");
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM outbox_deliveries d"
	    " JOIN outbox o ON o.id = d.outbox_id WHERE o.event_type ="
	    " 'OrderRejected' AND o.aggregate_key = '%lld' AND d.subscriber IN"
	    " ('payment', 'order')", order), 2);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Accepted\",\"readyInMinutes\":30}"),
	    409);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Rejected\",\"reasonCode\":\"other\"}"),
	    409);
	CU_ASSERT_EQUAL(events_of(fs, "OrderRejected", order), 1);
	CU_ASSERT_EQUAL(events_of(fs, "OrderTaken", order), 0);

	/* Without a reason: the default one. */
	CU_ASSERT_FATAL((tid = place(plain, 1)) > 0);
	ticket_path(path, sizeof(path), tid);
	CU_ASSERT_EQUAL(patch_status(path, owner1, "{\"status\":\"Rejected\",\"reasonCode\":\"other\"}"),
	    200);
	/* No text: the code alone says why (reason null). */
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM outbox WHERE"
	    " event_type = 'OrderRejected' AND aggregate_key = '%lld' AND"
	    " JSON_VALUE(payload, '$.reasonCode') = 'other' AND"
	    " JSON_TYPE(JSON_EXTRACT(payload, '$.reason')) = 'NULL'", plain), 1);
}

static void
who_may_see_and_step(void)
{
	long long order = new_order(), tid;
	char path[96];
	struct it_resp r;

	CU_ASSERT_FATAL((tid = place(order, 1)) > 0);
	ticket_path(path, sizeof(path), tid);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/fishstores", customer, NULL,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT(it_is_error(&r, "forbidden"));
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/fishstores", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/deliveries", customer, NULL,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/deliveries", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	it_free(&r);
	CU_ASSERT_EQUAL(patch_status(path, customer, "{\"status\":\"Accepted\",\"readyInMinutes\":30}"),
	    403);
	CU_ASSERT_EQUAL(patch_status(path, NULL, "{\"status\":\"Accepted\",\"readyInMinutes\":30}"),
	    401);
	CU_ASSERT_EQUAL(patch(path, owner2, "{\"status\":\"Accepted\",\"readyInMinutes\":30}", &r), 404);
	CU_ASSERT(it_is_error(&r, "not_found"));
	it_free(&r);
	CU_ASSERT_EQUAL(patch_status("/fishstores/999999999999", owner1,
	    "{\"status\":\"Accepted\",\"readyInMinutes\":30}"), 404);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE id ="
	    " %lld AND status = 'Paid'", tid), 1);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld'", order), 0);
}

static void
bad_bodies_change_nothing(void)
{
	static char long_reason[1024];
	const char *bodies[] = {
		"{}", "{\"status\":\"Paid\"}", "{\"status\":\"Canceled\"}",
		"{\"status\":\"accepted\"}", "{\"status\":\"\"}",
		"{\"status\":1}", "{\"status\":null}", "{\"status\":[\"Accepted\"]}",
		"{\"status\":\"Accepted\",\"reason\":\"why not\"}",
		"{\"status\":\"Rejected\",\"reason\":\"\"}",
		"{\"status\":\"Rejected\",\"reason\":7}",
		"{\"status\":\"Accepted\",\"x\":1}", "not json",
		"{\"status\":\"Accepted\"}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":0}",
		"{\"status\":\"Rejected\"}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"busy\"}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"no_response\"}",
		"{\"status\":\"Accepted\"}{}", "{\"status\":\"Accepted\",}",
		"[\"Accepted\"]", long_reason,
	};
	long long order = new_order(), tid;
	char path[96];
	struct it_resp r;
	size_t i;

	/* 201 characters of reason: one too many. */
	strcpy(long_reason, "{\"status\":\"Rejected\",\"reasonCode\":"
	    "\"other\",\"reason\":\"");
	for (i = 0; i < 201; i++)
		strcat(long_reason, "가");
	strcat(long_reason, "\"}");

	CU_ASSERT_FATAL((tid = place(order, 1)) > 0);
	ticket_path(path, sizeof(path), tid);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		CU_ASSERT_FATAL(patch(path, owner1, bodies[i], &r) >= 0);
		if (r.status != 400)
			fprintf(stderr, "body %zu -> %ld %s\n", i, r.status,
			    r.body);
		CU_ASSERT_EQUAL(r.status, 400);
		CU_ASSERT(it_is_error(&r, "bad_request"));
		it_free(&r);
	}
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE id ="
	    " %lld AND status = 'Paid' AND reject_reason IS NULL", tid), 1);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld'", order), 0);
	/* 200 characters is fine. */
	strcpy(long_reason, "{\"status\":\"Rejected\",\"reasonCode\":"
	    "\"other\",\"reason\":\"");
	for (i = 0; i < 200; i++)
		strcat(long_reason, "가");
	strcat(long_reason, "\"}");
	CU_ASSERT_EQUAL(patch_status(path, owner1, long_reason), 200);
}

/*
 * OrderPlaced and OrderCanceled of the same orders applied at the same
 * time by two processes (say, a dead letter replayed beside the live
 * stream): every ticket must end Canceled.  A deadlock between the two
 * answers "retry", which the relay would redeliver: so does this test.
 */
#define RACE_ORDERS	24

struct racer {
	const char	*ctx;
	char		 events[RACE_ORDERS][1024];
	int		 failed;
};

static void *
race_run(void *arg)
{
	struct racer *rc = arg;
	char st[32];
	int i, tries;

	for (i = 0; i < RACE_ORDERS; i++) {
		for (tries = 0; tries < 50; tries++) {
			if (post_event(rc->ctx, rc->events[i], st, sizeof(st),
			    NULL, 0) == 200 && (strcmp(st, "applied") == 0 ||
			    strcmp(st, "duplicate") == 0))
				break;
			usleep(10000);
		}
		if (tries == 50)
			rc->failed++;
	}
	it_done();
	return NULL;
}

/* Runs a and b at once; 0 if each event applied in the end. */
static int
race(struct racer *a, struct racer *b)
{
	pthread_t ta, tb;
	int ok;

	go_internal();
	ok = pthread_create(&ta, NULL, race_run, a) == 0;
	if (ok && pthread_create(&tb, NULL, race_run, b) != 0) {
		race_run(b);
	}
	if (ok)
		pthread_join(ta, NULL);
	else
		race_run(a);
	if (ok)
		pthread_join(tb, NULL);
	go_public();
	return a->failed + b->failed;
}

static void
cancel_races_placement(void)
{
	static struct racer placer, placer_dl, canceler, canceler_dl;
	long long orders[RACE_ORDERS], first;
	char id[37];
	int i;

	placer.ctx = canceler.ctx = "fishstore";
	placer_dl.ctx = canceler_dl.ctx = "delivery";
	for (i = 0; i < RACE_ORDERS; i++) {
		orders[i] = new_order();
		it_uuid(id);
		placed_event(placer.events[i], sizeof(placer.events[i]), id,
		    orders[i], 1);
		it_uuid(id);
		snprintf(placer_dl.events[i], sizeof(placer_dl.events[i]),
		    "{\"eventId\":\"%s\",\"eventType\":\"OrderPrepared\","
		    "\"orderId\":%lld,\"ticketId\":%d,\"storeId\":1,\"address\":"
		    "\"서울 종로구 1\",\"phone\":\"010-1234-5678\"}", id, orders[i],
		    i + 1);
		it_uuid(id);
		canceled_event(canceler.events[i], sizeof(canceler.events[i]), id,
		    orders[i], "race");
		memcpy(canceler_dl.events[i], canceler.events[i],
		    sizeof(canceler.events[i]));
	}
	first = orders[0];
	CU_ASSERT_EQUAL(race(&placer, &canceler), 0);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE"
	    " order_id BETWEEN %lld AND %lld AND status = 'Canceled'", first,
	    first + RACE_ORDERS - 1), RACE_ORDERS);
	CU_ASSERT_EQUAL(race(&placer_dl, &canceler_dl), 0);
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT COUNT(*) FROM deliveries WHERE"
	    " order_id BETWEEN %lld AND %lld AND status = 'Canceled'", first,
	    first + RACE_ORDERS - 1), RACE_ORDERS);
	/* A delivery announced as started was announced as canceled too. */
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT COUNT(*) FROM outbox WHERE"
	    " event_type = 'DeliveryStarted' AND CAST(aggregate_key AS UNSIGNED)"
	    " BETWEEN %lld AND %lld", first, first + RACE_ORDERS - 1),
	    it_db_int(dl, "SELECT COUNT(*) FROM outbox WHERE event_type ="
	    " 'DeliveryCanceled' AND CAST(aggregate_key AS UNSIGNED) BETWEEN"
	    " %lld AND %lld", first, first + RACE_ORDERS - 1));
}

/*
 * The same race, lined up: the OrderCanceled's unit of work is held open
 * (a test hook) after each of its statements, and the placement is
 * applied meanwhile, once while the cancellation is recorded but the
 * ticket not yet looked for, once after both but before the commit.
 * Each event is redelivered until it applies, as the relay would after a
 * deadlock ("retry").
 */
#define HOLD_MS		400

struct poster {
	const char	*ctx;
	const char	*event;
	int		 ok;
};

static void *
post_until_applied(void *arg)
{
	struct poster *p = arg;
	char st[32];
	int tries;

	for (tries = 0; tries < 100 && !p->ok; tries++) {
		if (post_event(p->ctx, p->event, st, sizeof(st), NULL, 0) == 200 &&
		    (strcmp(st, "applied") == 0 || strcmp(st, "duplicate") == 0))
			p->ok = 1;
		else
			usleep(20000);
	}
	it_done();
	return NULL;
}

/* Cancels on a thread, places offset_ms later; 0 if both applied. */
static int
interleave(const char *ctx, const char *hook, const char *placed,
    const char *canceled, int offset_ms)
{
	struct poster c = { ctx, canceled, 0 }, p = { ctx, placed, 0 };
	char hold[16];
	pthread_t t;

	snprintf(hold, sizeof(hold), "%d", HOLD_MS);
	it_fault(hook, hold);
	go_internal();
	if (pthread_create(&t, NULL, post_until_applied, &c) != 0) {
		go_public();
		it_fault(hook, NULL);
		return -1;
	}
	usleep((useconds_t)offset_ms * 1000);
	post_until_applied(&p);
	pthread_join(t, NULL);
	go_public();
	it_fault(hook, NULL);
	return c.ok && p.ok ? 0 : -1;
}

static void
cancel_interleavings(void)
{
	static const int offsets[] = { HOLD_MS / 3, HOLD_MS * 3 / 2 };
	char placed[1024], canceled[512], id[37];
	long long order;
	size_t i;

	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		order = new_order();
		it_uuid(id);
		placed_event(placed, sizeof(placed), id, order, 1);
		it_uuid(id);
		canceled_event(canceled, sizeof(canceled), id, order, "lined up");
		CU_ASSERT_EQUAL(interleave("fishstore", "store-cancel-pause-ms",
		    placed, canceled, offsets[i]), 0);
		CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE"
		    " order_id = %lld AND status = 'Canceled'", order), 1);

		it_uuid(id);
		snprintf(placed, sizeof(placed), "{\"eventId\":\"%s\",\"eventType\""
		    ":\"OrderPrepared\",\"orderId\":%lld,\"ticketId\":1,"
		    "\"storeId\":1,\"address\":\"서울 종로구 1\",\"phone\":"
		    "\"010-1234-5678\"}", id, order);
		it_uuid(id);
		canceled_event(canceled, sizeof(canceled), id, order, "lined up");
		CU_ASSERT_EQUAL(interleave("delivery", "dlv-cancel-pause-ms",
		    placed, canceled, offsets[i]), 0);
		CU_ASSERT_EQUAL(it_db_int(dl, "SELECT COUNT(*) FROM deliveries WHERE"
		    " order_id = %lld AND status = 'Canceled'", order), 1);
		CU_ASSERT_EQUAL(events_of(dl, "DeliveryStarted", order),
		    events_of(dl, "DeliveryCanceled", order));
	}
}

/* Events that can never apply: failed, with why, and nothing stored. */
static void
poison_events_fail(void)
{
	char id[37], ev[1024], st[32], err[256], tag[64];
	long long order = new_order();
	struct {
		const char	*ctx;
		const char	*fmt;	/* %s eventId, %s tag */
	} cases[] = {
		{ "fishstore", "{\"eventId\":\"%s\",\"eventType\":\"OrderPlaced\","
		    "\"customerId\":42,\"storeId\":1,\"items\":[{\"menuId\":1,"
		    "\"name\":\"광어\",\"qty\":1,\"price\":25000}],\"amount\":25000,"
		    "\"address\":\"%s\",\"phone\":\"010-1234-5678\"}" },
		{ "fishstore", "{\"eventId\":\"%s\",\"eventType\":\"OrderPlaced\","
		    "\"orderId\":\"12\",\"customerId\":42,\"storeId\":1,\"items\":"
		    "[{\"menuId\":1,\"name\":\"광어\",\"qty\":1,\"price\":25000}],"
		    "\"amount\":25000,\"address\":\"%s\",\"phone\":\"010\"}" },
		{ "fishstore", "{\"eventId\":\"%s\",\"eventType\":\"OrderPlaced\","
		    "\"orderId\":ORDER,\"customerId\":42,\"storeId\":999999,"
		    "\"items\":[{\"menuId\":1,\"name\":\"광어\",\"qty\":1,\"price\":"
		    "25000}],\"amount\":25000,\"address\":\"%s\",\"phone\":\"010\"}" },
		{ "fishstore", "{\"eventId\":\"%s\",\"eventType\":\"OrderPlaced\","
		    "\"orderId\":ORDER,\"customerId\":42,\"storeId\":1,\"items\":[],"
		    "\"amount\":0,\"address\":\"%s\",\"phone\":\"010\"}" },
		{ "fishstore", "{\"eventId\":\"%s\",\"eventType\":\"OrderPlaced\","
		    "\"orderId\":ORDER,\"customerId\":42,\"storeId\":1,\"items\":"
		    "[{\"menuId\":1,\"name\":\"광어\",\"qty\":0,\"price\":25000}],"
		    "\"amount\":0,\"address\":\"%s\",\"phone\":\"010\"}" },
		{ "fishstore", "{\"eventId\":\"%s\",\"eventType\":\"OrderCanceled\","
		    "\"reason\":\"%s\"}" },
		{ "delivery", "{\"eventId\":\"%s\",\"eventType\":\"OrderPrepared\","
		    "\"orderId\":ORDER,\"ticketId\":1,\"address\":\"%s\","
		    "\"phone\":\"010\"}" },
		{ "delivery", "{\"eventId\":\"%s\",\"eventType\":\"OrderCanceled\","
		    "\"orderId\":-5,\"reason\":\"%s\"}" },
	};
	char fmt[1024], *p;
	size_t i;

	snprintf(tag, sizeof(tag), "poison-%lld", order);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* ORDER stands for this test's order id. */
		snprintf(fmt, sizeof(fmt), "%s", cases[i].fmt);
		if ((p = strstr(fmt, "ORDER")) != NULL) {
			char rest[1024];
			snprintf(rest, sizeof(rest), "%s", p + 5);
			snprintf(p, sizeof(fmt) - (size_t)(p - fmt), "%lld%s",
			    order, rest);
		}
		it_uuid(id);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(ev, sizeof(ev), fmt, id, tag);
#pragma GCC diagnostic pop
		CU_ASSERT_EQUAL(deliver(cases[i].ctx, ev, st, sizeof(st), err,
		    sizeof(err)), 200);
		if (strcmp(st, "failed") != 0)
			fprintf(stderr, "case %zu -> %s\n", i, st);
		CU_ASSERT_STRING_EQUAL(st, "failed");
		CU_ASSERT(strlen(err) > 0);
		/* Rolled back: not even the inbox remembers it. */
		CU_ASSERT_EQUAL(it_db_int(strcmp(cases[i].ctx, "fishstore") == 0 ?
		    fs : dl, "SELECT COUNT(*) FROM inbox WHERE event_id = '%s'",
		    id), 0);
	}
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM tickets WHERE"
	    " address = '%s' OR order_id = %lld", tag, order), 0);
	CU_ASSERT_EQUAL(it_db_int(fs, "SELECT COUNT(*) FROM canceled_orders"
	    " WHERE reason = '%s'", tag), 0);
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT COUNT(*) FROM deliveries WHERE"
	    " order_id = %lld", order), 0);
	CU_ASSERT_EQUAL(it_db_int(dl, "SELECT COUNT(*) FROM canceled_orders"
	    " WHERE order_id = -5 OR reason = '%s'", tag), 0);
}

/*
 * One OrderCanceled, one verdict in every subscriber (lib/fd_event_order.c
 * decodes it for all three): a reason of 200 characters is taken, one of
 * 201 or one that is not text is refused by fishstore, delivery and
 * payment alike (payment once refunded with the event's name in its
 * place), and so is an orderId out of 1..10^15-1.
 */
static void
canceled_one_rule_set(void)
{
	static const char *const ctx[] = { "fishstore", "delivery", "payment" };
	char id[37], ev[2048], st[32], err[256], r200[640], r201[640];
	struct {
		const char	*fmt;		/* %s eventId, %lld order */
		const char	*want;
	} cases[] = {
		{ "{\"eventId\":\"%s\",\"eventType\":\"OrderCanceled\","
		    "\"orderId\":%lld,\"reason\":\"R200\"}", "applied" },
		{ "{\"eventId\":\"%s\",\"eventType\":\"OrderCanceled\","
		    "\"orderId\":%lld,\"reason\":\"R201\"}", "failed" },
		{ "{\"eventId\":\"%s\",\"eventType\":\"OrderCanceled\","
		    "\"orderId\":%lld,\"reason\":5}", "failed" },
		{ "{\"eventId\":\"%s\",\"eventType\":\"OrderCanceled\","
		    "\"orderId\":%lld,\"reason\":[\"x\"]}", "failed" },
		{ "{\"eventId\":\"%s\",\"eventType\":\"OrderCanceled\","
		    "\"orderId\":1%lld,\"reason\":\"too big\"}", "failed" },
	};
	char fmt[512], *p;
	size_t i, c;
	long long order;

	memset(r200, 'x', 200);
	r200[200] = '\0';
	memset(r201, 'y', 201);
	r201[201] = '\0';
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (c = 0; c < sizeof(ctx) / sizeof(ctx[0]); c++) {
			/* A fresh order (9e14 + ...): "1%lld" is >= 10^15. */
			order = new_order();
			snprintf(fmt, sizeof(fmt), "%s", cases[i].fmt);
			/* R200, R201: the reason, by %s. */
			if ((p = strstr(fmt, "R20")) != NULL) {
				memmove(p + 2, p + 4, strlen(p + 4) + 1);
				memcpy(p, "%s", 2);
			}
			it_uuid(id);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			if (p != NULL)
				snprintf(ev, sizeof(ev), fmt, id, order,
				    strstr(cases[i].fmt, "R201") ? r201 : r200);
			else
				snprintf(ev, sizeof(ev), fmt, id, order);
#pragma GCC diagnostic pop
			CU_ASSERT_EQUAL(deliver(ctx[c], ev, st, sizeof(st), err,
			    sizeof(err)), 200);
			if (strcmp(st, cases[i].want) != 0)
				fprintf(stderr, "%s case %zu: %s (%s), want %s\n",
				    ctx[c], i, st, err, cases[i].want);
			CU_ASSERT_STRING_EQUAL(st, cases[i].want);
			if (strcmp(cases[i].want, "failed") == 0) {
				CU_ASSERT(strlen(err) > 0);
				/* Rolled back: not even the inbox has it. */
				CU_ASSERT_EQUAL(it_db_int(c == 0 ? fs : c == 1 ?
				    dl : py, "SELECT COUNT(*) FROM inbox WHERE"
				    " event_id = '%s'", id), 0);
			}
		}
}

/*
 * fishstore's and delivery's events, one verdict in every subscriber
 * (lib/fd_event_store.c and lib/fd_event_delivery.c decode them for all):
 * OrderRejected's reason of 200 characters is taken by order and payment,
 * one of 201 characters, a reasonCode that is none of SPEC's or an
 * orderId of 10^15 refused by both (payment once put its reasonCode in
 * the reason's place, order kept a reason of up to 800 bytes); an
 * OrderPrepared for an orderId of 10^15 is refused by delivery and order
 * (delivery made a delivery of it); OrderTaken with a readyBy that is no
 * time, MenuItemChanged of a storeId of 10^15, DeliveryStarted without
 * its deliveryId and CancelRefused with a 201-character reason are
 * refused by order (all were applied).  A refusal keeps nothing, not
 * even the inbox row.
 */
static void
store_events_one_rule_set(void)
{
	static const char *const both[] = { "order", "payment", NULL },
	    *const prep[] = { "delivery", "order", NULL },
	    *const order[] = { "order", NULL };
	char id[37], ev[2048], st[32], err[256], r200[640], r201[640];
	const struct {
		const char *const *ctx;
		const char	*fmt;	/* %s eventId, %lld order, %s reason */
		const char	*want;
	} cases[] = {
		{ both, "{\"eventId\":\"%s\",\"eventType\":\"OrderRejected\","
		    "\"orderId\":%lld,\"ticketId\":1,\"reasonCode\":\"other\","
		    "\"reason\":\"%s\"}", "applied" },
		{ both, "{\"eventId\":\"%s\",\"eventType\":\"OrderRejected\","
		    "\"orderId\":%lld,\"ticketId\":1,\"reasonCode\":\"other\","
		    "\"reason\":\"%s\"}", "failed" },
		{ both, "{\"eventId\":\"%s\",\"eventType\":\"OrderRejected\","
		    "\"orderId\":%lld,\"ticketId\":1,\"reasonCode\":\"bogus\","
		    "\"reason\":null%s}", "failed" },
		{ both, "{\"eventId\":\"%s\",\"eventType\":\"OrderRejected\","
		    "\"orderId\":1%lld,\"ticketId\":1,\"reasonCode\":"
		    "\"closing\",\"reason\":null%s}", "failed" },
		{ prep, "{\"eventId\":\"%s\",\"eventType\":\"OrderPrepared\","
		    "\"orderId\":1%lld,\"ticketId\":1,\"storeId\":1,"
		    "\"address\":\"서울 종로구 1\",\"phone\":\"010-1234-5678\"%s}",
		    "failed" },
		{ order, "{\"eventId\":\"%s\",\"eventType\":\"OrderTaken\","
		    "\"orderId\":%lld,\"ticketId\":1,\"readyBy\":\"soon\"%s}",
		    "failed" },
		{ order, "{\"eventId\":\"%s\",\"eventType\":"
		    "\"MenuItemChanged\",\"storeId\":1%lld,\"menuId\":"
		    "999999999999990,"
		    "\"name\":\"광어\",\"price\":1000,\"soldOut\":false%s}",
		    "failed" },
		{ order, "{\"eventId\":\"%s\",\"eventType\":"
		    "\"DeliveryStarted\",\"orderId\":%lld%s}", "failed" },
		{ order, "{\"eventId\":\"%s\",\"eventType\":\"CancelRefused\","
		    "\"orderId\":%lld,\"ticketStatus\":\"Prepared\","
		    "\"reason\":\"%s\"}", "failed" },
	};
	MYSQL *db[3] = { NULL, NULL, NULL };
	const char *const names[3] = { "order", "payment", "delivery" };
	const char *reason;
	size_t i, c, k;
	long long o, big_deliveries, big_menu;

	for (k = 0; k < 3; k++)
		db[k] = it_db(names[k]);
	CU_ASSERT_FATAL(db[0] != NULL && db[1] != NULL && db[2] != NULL);
	/* What an earlier run (of a build that took them) left. */
	big_deliveries = it_db_int(db[2], "SELECT COUNT(*) FROM deliveries"
	    " WHERE order_id >= 1000000000000000");
	big_menu = it_db_int(db[0], "SELECT COUNT(*) FROM menu_replica"
	    " WHERE store_id >= 1000000000000000");
	memset(r200, 'x', 200);
	r200[200] = '\0';
	memset(r201, 'y', 201);
	r201[201] = '\0';
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (c = 0; cases[i].ctx[c] != NULL; c++) {
			/* A fresh order (9e14 + ...): "1%lld" is >= 10^15. */
			o = new_order();
			/* The 201 characters for the cases meant to fail on
			 * them (1 and 8), 200 for the one that takes them. */
			reason = i == 0 ? r200 : i == 1 || i == 8 ? r201 : "";
			it_uuid(id);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			snprintf(ev, sizeof(ev), cases[i].fmt, id, o, reason);
#pragma GCC diagnostic pop
			CU_ASSERT_EQUAL(deliver(cases[i].ctx[c], ev, st,
			    sizeof(st), err, sizeof(err)), 200);
			if (strcmp(st, cases[i].want) != 0)
				fprintf(stderr, "%s case %zu: %s (%s), want %s\n",
				    cases[i].ctx[c], i, st, err, cases[i].want);
			CU_ASSERT_STRING_EQUAL(st, cases[i].want);
			if (strcmp(cases[i].want, "failed") != 0)
				continue;
			CU_ASSERT(strlen(err) > 0);
			/* Rolled back: not even the inbox has it. */
			for (k = 0; k < 3; k++)
				if (strcmp(names[k], cases[i].ctx[c]) == 0)
					CU_ASSERT_EQUAL(it_db_int(db[k],
					    "SELECT COUNT(*) FROM inbox WHERE"
					    " event_id = '%s'", id), 0);
		}
	/* Nothing of the refused ones stayed anywhere. */
	CU_ASSERT_EQUAL(it_db_int(db[2], "SELECT COUNT(*) FROM deliveries"
	    " WHERE order_id >= 1000000000000000"), big_deliveries);
	CU_ASSERT_EQUAL(it_db_int(db[0], "SELECT COUNT(*) FROM menu_replica"
	    " WHERE store_id >= 1000000000000000"), big_menu);
	for (k = 0; k < 3; k++)
		mysql_close(db[k]);
}

/* Events a context does not subscribe to are acknowledged, ignored. */
static void
other_events_ignored(void)
{
	char id[37], ev[512], st[32];

	it_uuid(id);
	snprintf(ev, sizeof(ev), "{\"eventId\":\"%s\",\"eventType\":"
	    "\"PayApproved\",\"orderId\":%lld,\"paymentId\":1,\"amount\":1}",
	    id, new_order());
	CU_ASSERT_EQUAL(deliver("fishstore", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
	it_uuid(id);
	snprintf(ev, sizeof(ev), "{\"eventId\":\"%s\",\"eventType\":"
	    "\"OrderTaken\",\"orderId\":%lld,\"ticketId\":1}", id, new_order());
	CU_ASSERT_EQUAL(deliver("delivery", ev, st, sizeof(st), NULL, 0), 200);
	CU_ASSERT_STRING_EQUAL(st, "applied");
}

static void
metrics_show_the_outbox(void)
{
	struct it_resp r;

	CU_ASSERT_FATAL(it_req(&r, "GET", "/fishstore/metrics", NULL, NULL,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(strstr(r.body, "fd_outbox_backlog{context=\"fishstore\","
	    "subscriber=\"delivery\"}") != NULL);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/delivery/metrics", NULL, NULL,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(strstr(r.body, "fd_outbox_dead_letters{context=\"delivery\","
	    "subscriber=\"order\"}") != NULL);
	it_free(&r);
}

void
add_tickets_tests(void)
{
	CU_pSuite s = CU_add_suite("tickets", init_suite, clean_suite);

	CU_add_test(s, "OrderPlaced creates one ticket per order",
	    placed_creates_one_ticket);
	CU_add_test(s, "tickets page oldest first and filter by status",
	    list_pages_and_filters);
	CU_add_test(s, "list queries say what is wrong", list_queries_say_why);
	CU_add_test(s, "Accepted, Prepared, delivery started and Delivered",
	    owner_steps_emit_events);
	CU_add_test(s, "OrderCanceled cancels the ticket and the delivery",
	    cancel_follows_order);
	CU_add_test(s, "a cancellation applied first wins",
	    canceled_before_placed);
	CU_add_test(s, "a cancellation racing its placement wins",
	    cancel_races_placement);
	CU_add_test(s, "a cancellation held open still wins",
	    cancel_interleavings);
	CU_add_test(s, "Rejected carries its reason", reject_with_reason);
	CU_add_test(s, "only the store's owner sees and steps its tickets",
	    who_may_see_and_step);
	CU_add_test(s, "bad bodies get 400 and change nothing",
	    bad_bodies_change_nothing);
	CU_add_test(s, "poison events fail and store nothing",
	    poison_events_fail);
	CU_add_test(s, "one OrderCanceled, one verdict everywhere",
	    canceled_one_rule_set);
	CU_add_test(s, "fishstore's and delivery's events, one verdict "
	    "everywhere", store_events_one_rule_set);
	CU_add_test(s, "other events are ignored", other_events_ignored);
	CU_add_test(s, "metrics show the outbox", metrics_show_the_outbox);
}
