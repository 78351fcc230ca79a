/*
 * test_store_ops.c - a store's operations through the gateway (issue 17
 * items 1 and 2): the owner opens, closes and pauses store 2 and sets
 * its minimum and fee (PATCH /stores/{id}); fishstore's StoreChanged
 * reaches the order context's store replica through the relay, and
 * POST /orders answers from it: 409 store_closed while closed or paused
 * (also while fishstore is down), 409 below_minimum, and the fee added.
 * Every test leaves store 2 open, without minimum or fee.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

static char owner1[1024], owner2[1024];

#define ADDR	",\"address\":\"서울 종로구 종로 1\",\"phone\":\"010-3333-4444\""
/* 전어 18,000 at store 2. */
#define ONE	"{\"storeId\":2,\"items\":[{\"menuId\":12,\"qty\":1}]" ADDR "}"
#define TWO	"{\"storeId\":2,\"items\":[{\"menuId\":12,\"qty\":2}]" ADDR "}"

/* PATCH /stores/{store} with body as token; the status (-1: no answer). */
static long
patch(const char *token, long long store, const char *body)
{
	struct it_resp r;
	char path[64];
	long st = -1;

	snprintf(path, sizeof(path), "/stores/%lld", store);
	if (it_req(&r, "PATCH", path, token, body, NULL) == 0)
		st = r.status;
	if (st >= 400 && !it_is_error(&r, st == 400 ? "bad_request" :
	    st == 401 ? "unauthorized" : st == 403 ? "forbidden" : "not_found"))
		st = -2;	/* not the JSON error it must be */
	it_free(&r);
	return st;
}

/* The version fishstore has of store 2 (-1: none, or no such column). */
static long long
store_version(void)
{
	return it_ctx_int("fishstore", "SELECT version FROM stores WHERE id = 2");
}

/*
 * Waits until the order context's replica has store 2 as fishstore has
 * it: its StoreChanged delivered to order (the relay records it done
 * after order answered, so after order's workers were told) and the
 * replica's version equal to fishstore's.  0 when it does within 10 s.
 */
static int
replicated(void)
{
	MYSQL *m = it_db("order"), *fs = it_db("fishstore");
	long long v;
	int i, ok = 0;

	for (i = 0; m != NULL && fs != NULL && i < 200 && !ok; i++) {
		v = it_db_int(fs, "SELECT version FROM stores WHERE id = 2");
		ok = v >= 0 && it_db_int(fs, "SELECT COUNT(*) FROM"
		    " outbox_deliveries WHERE subscriber = 'order' AND"
		    " akey = 'store:2' AND state <> 'done'") == 0 &&
		    it_db_int(m, "SELECT version FROM store_replica WHERE"
		    " store_id = 2") == v;
		if (!ok)
			usleep(50000);
	}
	if (fs != NULL)
		mysql_close(fs);
	if (m != NULL)
		mysql_close(m);
	return ok ? 0 : -1;
}

/* Store 2 open, no minimum, no fee, as every test leaves it. */
static int
reset(void)
{
	return patch(owner2, 2, "{\"open\":true,\"minOrder\":0,"
	    "\"deliveryFee\":0}") == 200 && replicated() == 0 ? 0 : -1;
}

static int
init_suite(void)
{
	if (it_login("owner1@fishdelivery.test", "fish-owner-1", owner1,
	    sizeof(owner1)) != 0 ||
	    it_login("owner2@fishdelivery.test", "fish-owner-2", owner2,
	    sizeof(owner2)) != 0)
		return -1;
	(void)reset();	/* the tests say it when this fails */
	return 0;
}

static int
clean_suite(void)
{
	(void)it_sv("up", "fishstore");
	(void)it_wait_ready("fishstore", 20);
	(void)reset();
	return 0;
}

/* A UTC time s seconds from now, as the API takes it. */
static void
utc_in(long long s, char *buf, size_t sz)
{
	time_t t = time(NULL) + (time_t)s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Store 2 as GET /stores shows it, into r (caller frees); its object. */
static json_object *
store2(struct it_resp *r)
{
	json_object *stores, *s, *v;
	size_t i;

	if (it_req(r, "GET", "/stores", NULL, NULL, NULL) != 0 ||
	    r->status != 200 ||
	    !json_object_object_get_ex(r->json, "stores", &stores))
		return NULL;
	for (i = 0; i < json_object_array_length(stores); i++) {
		s = json_object_array_get_idx(stores, i);
		if (json_object_object_get_ex(s, "storeId", &v) &&
		    json_object_get_int64(v) == 2)
			return s;
	}
	return NULL;
}

/* A string field, or "(none)": never NULL, to compare. */
static const char *
sfield(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) && v != NULL &&
	    json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "(none)";
}

static const char *
rstr(const struct it_resp *r, const char *path)
{
	const char *v = it_str(r, path);

	return v != NULL ? v : "(none)";
}

static long long
ifield(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_int) ? json_object_get_int64(v) :
	    -1;
}

/* POST /orders; the status, with the answer kept in r (caller frees). */
static long
order(struct it_resp *r, const char *token, const char *body)
{
	if (it_req(r, "POST", "/orders", token, body, NULL) != 0)
		return -1;
	return r->status;
}

static long
order_status(const char *token, const char *body)
{
	struct it_resp r;
	long st = order(&r, token, body);

	it_free(&r);
	return st;
}

static void
stores_show_operations(void)
{
	struct it_resp r;
	json_object *stores, *s, *v;
	size_t i;

	CU_ASSERT_FATAL(it_req(&r, "GET", "/stores", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "stores", &stores));
	for (i = 0; i < json_object_array_length(stores); i++) {
		s = json_object_array_get_idx(stores, i);
		CU_ASSERT(json_object_object_get_ex(s, "open", &v) &&
		    json_object_is_type(v, json_type_boolean));
		CU_ASSERT(json_object_object_get_ex(s, "pausedUntil", &v));
		CU_ASSERT(json_object_object_get_ex(s, "closedReason", &v));
		CU_ASSERT(ifield(s, "minOrder") >= 0);
		CU_ASSERT(ifield(s, "deliveryFee") >= 0);
		CU_ASSERT_STRING_NOT_EQUAL(sfield(s, "state"), "(none)");
	}
	it_free(&r);
	s = store2(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(sfield(s, "state"), "open");
	CU_ASSERT(json_object_object_get_ex(s, "pausedUntil", &v) && v == NULL);
	CU_ASSERT(json_object_object_get_ex(s, "closedReason", &v) && v == NULL);
	it_free(&r);
}

static void
only_the_owner(void)
{
	char cust[1024], email[128];
	long long v = store_version();

	CU_ASSERT_FATAL(it_customer(cust, sizeof(cust), email,
	    sizeof(email)) > 0);
	CU_ASSERT_EQUAL(patch(NULL, 2, "{\"open\":false}"), 401);
	CU_ASSERT_EQUAL(patch(cust, 2, "{\"open\":false}"), 403);
	CU_ASSERT_EQUAL(patch(owner1, 2, "{\"open\":false}"), 403);
	CU_ASSERT_EQUAL(patch(owner2, 999999, "{\"open\":false}"), 403);
	CU_ASSERT_EQUAL(store_version(), v);
}

static void
bad_input_changes_nothing(void)
{
	char past[32], future[32], far[32], body[160];
	const char *bad[] = {
		"{}", "{\"minOrder\":-1}", "{\"minOrder\":1000001}",
		"{\"minOrder\":99999999999999}", "{\"deliveryFee\":-500}",
		"{\"deliveryFee\":100001}", "{\"deliveryFee\":1.5}",
		"{\"open\":\"no\"}", "{\"closedReason\":\"쉬는 날\"}",
		"{\"closedReason\":\"\"}", "{\"shop\":1}",
		"{\"pausedUntil\":\"2026-12-06 10:00:00\"}",
		"{\"pausedUntil\":\"2099-12-06T10:00:00+09:00\"}",
		"{\"pausedUntil\":\"2099-02-30T10:00:00Z\"}",
		"{\"pausedUntil\":1893456000}", NULL, NULL, NULL,
	};
	struct it_resp r;
	json_object *s;
	long long v = store_version();
	size_t i;

	CU_ASSERT_FATAL(v >= 0);
	utc_in(-60, past, sizeof(past));
	utc_in(600, future, sizeof(future));
	utc_in(8 * 86400, far, sizeof(far));
	for (i = 0; bad[i] != NULL; i++)
		CU_ASSERT_EQUAL(patch(owner2, 2, bad[i]), 400);
	/* A pause in the past, beyond a week, or with a close. */
	snprintf(body, sizeof(body), "{\"pausedUntil\":\"%s\"}", past);
	CU_ASSERT_EQUAL(patch(owner2, 2, body), 400);
	snprintf(body, sizeof(body), "{\"pausedUntil\":\"%s\"}", far);
	CU_ASSERT_EQUAL(patch(owner2, 2, body), 400);
	snprintf(body, sizeof(body), "{\"open\":false,\"pausedUntil\":\"%s\"}",
	    future);
	CU_ASSERT_EQUAL(patch(owner2, 2, body), 400);
	/* One bad field refuses the whole change. */
	CU_ASSERT_EQUAL(patch(owner2, 2, "{\"minOrder\":20000,"
	    "\"deliveryFee\":-1}"), 400);
	/* Nothing changed, no event. */
	CU_ASSERT_EQUAL(store_version(), v);
	CU_ASSERT_EQUAL(it_ctx_int("fishstore", "SELECT COUNT(*) FROM"
	    " outbox_deliveries WHERE akey = 'store:2' AND state <> 'done'"), 0);
	s = store2(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(sfield(s, "state"), "open");
	CU_ASSERT_EQUAL(ifield(s, "minOrder"), 0);
	CU_ASSERT_EQUAL(ifield(s, "deliveryFee"), 0);
	it_free(&r);
}

/*
 * Closed: every order worker refuses at once, though each priced store 2
 * before (its copy of the menu and the store, order_menu.c); open again,
 * every one takes orders.
 */
static void
closed_refuses_orders(void)
{
	char cust[1024], email[128];
	struct it_resp r;
	json_object *s;
	int i, ok = 0;

	CU_ASSERT_FATAL(it_customer(cust, sizeof(cust), email,
	    sizeof(email)) > 0);
	for (i = 0; i < 8; i++)
		ok += order_status(cust, ONE) == 201;
	CU_ASSERT_EQUAL(ok, 8);
	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, "{\"open\":false,"
	    "\"closedReason\":\"오늘은 쉽니다\"}"), 200);
	CU_ASSERT_FATAL(replicated() == 0);
	s = store2(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(sfield(s, "state"), "closed");
	CU_ASSERT_STRING_EQUAL(sfield(s, "closedReason"), "오늘은 쉽니다");
	it_free(&r);
	for (i = 0; i < 8; i++) {
		CU_ASSERT_EQUAL(order(&r, cust, ONE), 409);
		CU_ASSERT(it_is_error(&r, "store_closed"));
		CU_ASSERT_STRING_EQUAL(rstr(&r, "error.closedReason"),
		    "오늘은 쉽니다");
		it_free(&r);
	}
	CU_ASSERT_FATAL(reset() == 0);
	for (i = 0, ok = 0; i < 8; i++)
		ok += order_status(cust, ONE) == 201;
	CU_ASSERT_EQUAL(ok, 8);
}

/* Paused for a few seconds: refused, then taken when the pause ends by
 * itself, with no event in between. */
static void
pause_ends_by_itself(void)
{
	char cust[1024], email[128], until[32], body[128];
	struct it_resp r;
	json_object *s;
	long long v;
	time_t end;

	CU_ASSERT_FATAL(it_customer(cust, sizeof(cust), email,
	    sizeof(email)) > 0);
	utc_in(4, until, sizeof(until));
	end = time(NULL) + 4;
	snprintf(body, sizeof(body), "{\"pausedUntil\":\"%s\",\"closedReason\":"
	    "\"주문이 밀렸어요\"}", until);
	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, body), 200);
	CU_ASSERT_FATAL(replicated() == 0);
	v = store_version();
	s = store2(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(sfield(s, "state"), "paused");
	CU_ASSERT_STRING_EQUAL(sfield(s, "pausedUntil"), until);
	CU_ASSERT_STRING_EQUAL(sfield(s, "closedReason"), "주문이 밀렸어요");
	it_free(&r);
	CU_ASSERT_EQUAL(order(&r, cust, ONE), 409);
	CU_ASSERT(it_is_error(&r, "store_closed"));
	CU_ASSERT_STRING_EQUAL(rstr(&r, "error.pausedUntil"), until);
	it_free(&r);
	while (time(NULL) <= end)
		usleep(100000);
	CU_ASSERT_EQUAL(order_status(cust, ONE), 201);
	CU_ASSERT_EQUAL(store_version(), v);	/* nothing had to happen */
	s = store2(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(sfield(s, "state"), "open");
	it_free(&r);
	CU_ASSERT(reset() == 0);
}

/* The replica answers while fishstore is down. */
static void
closed_while_fishstore_down(void)
{
	char cust[1024], email[128];
	struct it_resp r;

	CU_ASSERT_FATAL(it_customer(cust, sizeof(cust), email,
	    sizeof(email)) > 0);
	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, "{\"open\":false}"), 200);
	CU_ASSERT_FATAL(replicated() == 0);
	CU_ASSERT_FATAL(it_sv("down", "fishstore") == 0);
	CU_ASSERT_EQUAL(order(&r, cust, ONE), 409);
	CU_ASSERT(it_is_error(&r, "store_closed"));
	it_free(&r);
	CU_ASSERT(it_sv("up", "fishstore") == 0);
	CU_ASSERT(it_wait_ready("fishstore", 20) == 0);
	CU_ASSERT(reset() == 0);
	CU_ASSERT_EQUAL(order_status(cust, ONE), 201);
}

/* The customer's view of order id: GET /orders/{id}. */
static void
check_order(const char *token, long long id, long long items, long long fee)
{
	struct it_resp r;
	json_object *orders, *o;
	char path[64];
	size_t i;
	int seen = 0;

	snprintf(path, sizeof(path), "/orders/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, token, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "itemsAmount"), items);
	CU_ASSERT_EQUAL(it_int(&r, "deliveryFee"), fee);
	CU_ASSERT_EQUAL(it_int(&r, "amount"), items + fee);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/orders", token, NULL, NULL) == 0);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "orders", &orders));
	for (i = 0; i < json_object_array_length(orders); i++) {
		o = json_object_array_get_idx(orders, i);
		if (ifield(o, "orderId") != id)
			continue;
		seen = 1;
		CU_ASSERT_EQUAL(ifield(o, "itemsAmount"), items);
		CU_ASSERT_EQUAL(ifield(o, "deliveryFee"), fee);
		CU_ASSERT_EQUAL(ifield(o, "amount"), items + fee);
	}
	CU_ASSERT(seen);
	it_free(&r);
	/* What payment charged. */
	snprintf(path, sizeof(path), "/payments?orderId=%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, token, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(it_int(&r, "amount"), items + fee);
	it_free(&r);
}

static void
minimum_and_fee(void)
{
	char cust[1024], email[128];
	struct it_resp r;
	json_object *s;
	long long id, id2;

	CU_ASSERT_FATAL(it_customer(cust, sizeof(cust), email,
	    sizeof(email)) > 0);
	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, "{\"minOrder\":30000,"
	    "\"deliveryFee\":3000}"), 200);
	CU_ASSERT_FATAL(replicated() == 0);
	s = store2(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(ifield(s, "minOrder"), 30000);
	CU_ASSERT_EQUAL(ifield(s, "deliveryFee"), 3000);
	it_free(&r);
	/* 18,000 of items (+ 3,000 fee) is below 30,000 of items. */
	CU_ASSERT_EQUAL(order(&r, cust, ONE), 409);
	CU_ASSERT(it_is_error(&r, "below_minimum"));
	CU_ASSERT_EQUAL(it_int(&r, "error.minOrder"), 30000);
	CU_ASSERT_PTR_NOT_NULL(strstr(rstr(&r, "error.message"), "30,000"));
	it_free(&r);
	/* 36,000 of items: the fee is added and charged. */
	CU_ASSERT_EQUAL_FATAL(order(&r, cust, TWO), 201);
	id = it_int(&r, "orderId");
	CU_ASSERT_EQUAL(it_int(&r, "itemsAmount"), 36000);
	CU_ASSERT_EQUAL(it_int(&r, "deliveryFee"), 3000);
	CU_ASSERT_EQUAL(it_int(&r, "amount"), 39000);
	it_free(&r);
	check_order(cust, id, 36000, 3000);
	/* A later change does not rewrite the order. */
	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, "{\"minOrder\":0,"
	    "\"deliveryFee\":5000}"), 200);
	CU_ASSERT_FATAL(replicated() == 0);
	check_order(cust, id, 36000, 3000);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT min_order FROM orders"
	    " WHERE id = %lld", id), 30000);
	CU_ASSERT_EQUAL_FATAL(order(&r, cust, ONE), 201);
	id2 = it_int(&r, "orderId");
	CU_ASSERT_EQUAL(it_int(&r, "amount"), 23000);
	it_free(&r);
	check_order(cust, id2, 18000, 5000);
	CU_ASSERT(reset() == 0);
}

/* A retry with the same Idempotency-Key answers the same parts. */
static void
replay_answers_the_parts(void)
{
	char cust[1024], email[128];
	struct it_resp r;
	long long id;

	CU_ASSERT_FATAL(it_customer(cust, sizeof(cust), email,
	    sizeof(email)) > 0);
	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, "{\"deliveryFee\":2500}"), 200);
	CU_ASSERT_FATAL(replicated() == 0);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", cust, ONE,
	    "Idempotency-Key: store-ops-replay") == 0);
	CU_ASSERT_EQUAL_FATAL(r.status, 201);
	id = it_int(&r, "orderId");
	it_free(&r);
	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, "{\"deliveryFee\":4000}"), 200);
	CU_ASSERT_FATAL(replicated() == 0);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", cust, ONE,
	    "Idempotency-Key: store-ops-replay") == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_EQUAL(it_int(&r, "orderId"), id);
	CU_ASSERT_EQUAL(it_int(&r, "itemsAmount"), 18000);
	CU_ASSERT_EQUAL(it_int(&r, "deliveryFee"), 2500);
	CU_ASSERT_EQUAL(it_int(&r, "amount"), 20500);
	it_free(&r);
	CU_ASSERT(reset() == 0);
}

/* A StoreChanged older than the replica's changes nothing (a replayed
 * dead letter, say): applied through the internal endpoint. */
static void
replica_never_backwards(void)
{
	struct it_resp r;
	char body[600];
	long long v;

	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, "{\"deliveryFee\":1000}"), 200);
	CU_ASSERT_FATAL(replicated() == 0);
	v = store_version();
	CU_ASSERT_FATAL(v >= 1);
	snprintf(body, sizeof(body), "{\"events\":[{\"eventId\":"
	    "\"5f0c0000-0000-4000-8000-%012lld\",\"eventType\":\"StoreChanged\","
	    "\"occurredAt\":\"2026-01-01T00:00:00Z\",\"storeId\":2,\"name\":"
	    "\"노량진 수산\",\"open\":false,\"pausedUntil\":null,"
	    "\"closedReason\":\"old\",\"minOrder\":0,\"deliveryFee\":9000,"
	    "\"version\":%lld}]}", (long long)time(NULL), v - 1);
	it_internal(1);
	CU_ASSERT(it_req(&r, "POST", "/order/internal/events", NULL, body,
	    NULL) == 0);
	it_internal(0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT delivery_fee FROM"
	    " store_replica WHERE store_id = 2"), 1000);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT is_open FROM"
	    " store_replica WHERE store_id = 2"), 1);
	CU_ASSERT(reset() == 0);
}

/* StoreChanged events of store 2 in fishstore's outbox. */
static long long
store_events(void)
{
	return it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox WHERE"
	    " event_type = 'StoreChanged' AND aggregate_key = 'store:2'");
}

/* A change writes one StoreChanged with its version; none changes none. */
static void
one_event_per_change(void)
{
	struct it_resp r;
	long long n = store_events(), v = store_version();

	CU_ASSERT_FATAL(n >= 0 && v >= 0);
	CU_ASSERT_EQUAL_FATAL(patch(owner2, 2, "{\"deliveryFee\":1500}"), 200);
	CU_ASSERT_EQUAL(store_events(), n + 1);
	CU_ASSERT_EQUAL(store_version(), v + 1);
	CU_ASSERT_EQUAL(it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox"
	    " WHERE aggregate_key = 'store:2' AND payload LIKE"
	    " '%%\"deliveryFee\":1500%%' AND payload LIKE '%%\"version\":%lld%%'",
	    v + 1), 1);
	/* The same again: 200, the store as it is, nothing written. */
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2", owner2,
	    "{\"deliveryFee\":1500}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "deliveryFee"), 1500);
	it_free(&r);
	CU_ASSERT_EQUAL(store_events(), n + 1);
	CU_ASSERT_EQUAL(store_version(), v + 1);
	CU_ASSERT(reset() == 0);
}

/* An item not on the store's menu is 409 sold_out, SPEC's code. */
static void
unknown_item_is_sold_out(void)
{
	char cust[1024], email[128];
	struct it_resp r;

	CU_ASSERT_FATAL(it_customer(cust, sizeof(cust), email,
	    sizeof(email)) > 0);
	CU_ASSERT_EQUAL(order(&r, cust, "{\"storeId\":2,\"items\":[{\"menuId\":"
	    "1,\"qty\":1}]" ADDR "}"), 409);	/* item 1 is store 1's */
	CU_ASSERT(it_is_error(&r, "sold_out"));
	it_free(&r);
}

void
add_store_ops_tests(void)
{
	CU_pSuite s = CU_add_suite("store_ops", init_suite, clean_suite);

	CU_add_test(s, "stores show their operations", stores_show_operations);
	CU_add_test(s, "only the owner changes a store", only_the_owner);
	CU_add_test(s, "bad input changes nothing", bad_input_changes_nothing);
	CU_add_test(s, "closed refuses orders", closed_refuses_orders);
	CU_add_test(s, "a pause ends by itself", pause_ends_by_itself);
	CU_add_test(s, "closed while fishstore is down",
	    closed_while_fishstore_down);
	CU_add_test(s, "minimum and fee", minimum_and_fee);
	CU_add_test(s, "a replay answers the parts", replay_answers_the_parts);
	CU_add_test(s, "the replica never goes backwards",
	    replica_never_backwards);
	CU_add_test(s, "an unknown item is sold_out", unknown_item_is_sold_out);
	CU_add_test(s, "one StoreChanged per change", one_event_per_change);
}
