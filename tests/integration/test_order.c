/*
 * test_order.c - placing, reading and cancelling orders through the
 * gateway, with the real payment program behind order's synchronous call.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it.h"

static char cust[1024], other[1024];
static long long cust_id;

static int
init_suite(void)
{
	char email[128];

	if ((cust_id = it_customer(cust, sizeof(cust), email, sizeof(email))) <= 0)
		return -1;
	return it_customer(other, sizeof(other), email, sizeof(email)) > 0 ? 0 : -1;
}

#define ADDR	",\"address\":\"서울 마포구 와우산로 94\",\"phone\":\"010-9876-5432\""

/* POST /orders; returns the status, fills the order id (or 0). */
static long
place(const char *token, const char *body, const char *key, long long *id,
    long long *amount)
{
	struct it_resp r;
	char hdr[128];
	long status;

	if (key != NULL)
		snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);
	if (it_req(&r, "POST", "/orders", token, body, key ? hdr : NULL) != 0)
		return -1;
	status = r.status;
	if (id != NULL)
		*id = status == 201 ? it_int(&r, "orderId") : 0;
	if (amount != NULL)
		*amount = status == 201 ? it_int(&r, "amount") : 0;
	if (status == 201 && strcmp(it_str(&r, "status"), "Paid") != 0)
		status = -2;
	it_free(&r);
	return status;
}

/* A string field of GET /orders/{id} as its customer sees it, or "". */
static const char *
order_field(const char *token, long long id, const char *field)
{
	static __thread char value[256];
	char path[64];

	snprintf(path, sizeof(path), "/orders/%lld", id);
	return it_get_str(path, token, field, value, sizeof(value));
}

static const char *
payment_status(const char *token, long long order_id, long long *amount)
{
	static __thread char status[32];
	struct it_resp r;
	char path[64];

	snprintf(path, sizeof(path), "/payments?orderId=%lld", order_id);
	status[0] = '\0';
	if (it_req(&r, "GET", path, token, NULL, NULL) == 0 && r.status == 200 &&
	    it_str(&r, "status") != NULL) {
		snprintf(status, sizeof(status), "%s", it_str(&r, "status"));
		if (amount != NULL)
			*amount = it_int(&r, "amount");
	}
	it_free(&r);
	return status;
}

static void
place_and_read(void)
{
	struct it_resp r;
	long long id, amount, paid = 0;
	json_object *items, *it, *v;
	char path[64];

	/* 2 x 광어 25000 + 1 x 방어 40000, priced by the server. */
	CU_ASSERT_EQUAL_FATAL(place(cust, "{\"storeId\":1,\"items\":[{\"menuId\":1,"
	    "\"qty\":2},{\"menuId\":5,\"qty\":1}]" ADDR ",\"card\":"
	    "\"4111-1111-1111-1111\"}", NULL, &id, &amount), 201);
	CU_ASSERT(id > 0);
	CU_ASSERT_EQUAL(amount, 2 * 25000 + 40000);

	snprintf(path, sizeof(path), "/orders/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Paid");
	CU_ASSERT_EQUAL(it_int(&r, "amount"), amount);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "address"), "서울 마포구 와우산로 94");
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "items", &items));
	CU_ASSERT_EQUAL(json_object_array_length(items), 2);
	it = json_object_array_get_idx(items, 0);
	CU_ASSERT(json_object_object_get_ex(it, "name", &v) &&
	    strcmp(json_object_get_string(v), "광어") == 0);
	CU_ASSERT(json_object_object_get_ex(it, "price", &v) &&
	    json_object_get_int64(v) == 25000);
	it_free(&r);

	/* Exactly that money was taken. */
	CU_ASSERT_STRING_EQUAL(payment_status(cust, id, &paid), "Approved");
	CU_ASSERT_EQUAL(paid, amount);

	/* Listed for its customer, invisible to anyone else. */
	CU_ASSERT_FATAL(it_req(&r, "GET", "/orders", cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(strstr(r.body, "\"orderId\":") != NULL);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, other, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	CU_ASSERT_STRING_EQUAL(payment_status(other, id, NULL), "");

	/* A second order without them takes the profile's (signup's in
	 * it_customer), not the first order's. */
	CU_ASSERT_EQUAL(it_wait_profile(cust_id, 1, 10), 1);
	CU_ASSERT_EQUAL(place(cust, "{\"storeId\":2,\"items\":[{\"menuId\":12,"
	    "\"qty\":3}]}", NULL, &id, &amount), 201);
	CU_ASSERT_EQUAL(amount, 3 * 18000);
	CU_ASSERT_STRING_EQUAL(order_field(cust, id, "address"), "서울 마포구 1");
	CU_ASSERT_STRING_EQUAL(order_field(cust, id, "phone"), "010-5555-0000");
	/* A new address only: the phone is the profile's, and the next
	 * order without either goes to the profile's address again. */
	CU_ASSERT_EQUAL(place(cust, "{\"storeId\":1,\"items\":[{\"menuId\":1,"
	    "\"qty\":1}],\"address\":\"부산 해운대구 1\"}", NULL, &id, NULL),
	    201);
	CU_ASSERT_STRING_EQUAL(order_field(cust, id, "address"), "부산 해운대구 1");
	CU_ASSERT_STRING_EQUAL(order_field(cust, id, "phone"), "010-5555-0000");
	CU_ASSERT_EQUAL(place(cust, "{\"storeId\":1,\"items\":[{\"menuId\":1,"
	    "\"qty\":1}]}", NULL, &id, NULL), 201);
	CU_ASSERT_STRING_EQUAL(order_field(cust, id, "address"), "서울 마포구 1");
	CU_ASSERT_STRING_EQUAL(order_field(cust, id, "phone"), "010-5555-0000");
}

static long long
visible_orders(const char *token)
{
	struct it_resp r;
	json_object *arr;
	long long n = -1;

	if (it_req(&r, "GET", "/orders", token, NULL, NULL) == 0 &&
	    json_object_object_get_ex(r.json, "orders", &arr))
		n = (long long)json_object_array_length(arr);
	it_free(&r);
	return n;
}

/*
 * An order without address or phone while the order context knows no
 * profile of the customer (auth's event has not arrived: its relay is
 * down, say; here the replica's row is removed) must say where to: 400,
 * and nothing placed.
 */
static void
no_address_anywhere_is_400(void)
{
	char token[1024], email[128], sql[128];
	long long id = 0, cid;
	MYSQL *m;

	CU_ASSERT_FATAL((cid = it_customer(token, sizeof(token), email,
	    sizeof(email))) > 0);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(cid, 1, 10), 1);
	CU_ASSERT_FATAL((m = it_db("order")) != NULL);
	snprintf(sql, sizeof(sql), "DELETE FROM customer_replica WHERE"
	    " customer_id = %lld", cid);
	CU_ASSERT(mysql_query(m, sql) == 0 && mysql_affected_rows(m) == 1);
	mysql_close(m);
	CU_ASSERT_EQUAL(it_wait_profile(cid, 1, 0), -1);
	CU_ASSERT_EQUAL(place(token, "{\"storeId\":1,\"items\":[{\"menuId\":1,"
	    "\"qty\":1}]}", NULL, &id, NULL), 400);
	CU_ASSERT_EQUAL(visible_orders(token), 0);
}

static void
declined_card_places_nothing(void)
{
	long long before = visible_orders(cust);
	struct it_resp r;

	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", cust, "{\"storeId\":1,"
	    "\"items\":[{\"menuId\":2,\"qty\":1}],\"card\":\"4000000000000002\"}",
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 402);
	CU_ASSERT(it_is_error(&r, "payment_declined"));
	it_free(&r);
	CU_ASSERT_EQUAL(visible_orders(cust), before);
}

static void
bad_orders_change_nothing(void)
{
	const char *bodies[] = {
		"{\"storeId\":1,\"items\":[]}",
		"{\"storeId\":1}",
		"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":0}]}",
		"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":100}]}",
		"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1},"
		    "{\"menuId\":1,\"qty\":2}]}",
		"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1}],"
		    "\"amount\":1}",
		"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1,\"price\":1}]}",
		"{\"storeId\":1,\"items\":[{\"menuId\":\"1\",\"qty\":1}]}",
		"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1}],"
		    "\"card\":\"4111-1111-1111-abcd\"}",
		"{\"storeId\":1,\"items\":{\"menuId\":1}}",
		"{\"storeId\":0,\"items\":[{\"menuId\":1,\"qty\":1}]}",
	};
	long long before = visible_orders(cust);
	size_t i;
	long st;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		st = place(cust, bodies[i], NULL, NULL, NULL);
		if (st != 400)
			fprintf(stderr, "body %s: %ld\n", bodies[i], st);
		CU_ASSERT_EQUAL(st, 400);
	}
	/* Items of another store, or unknown: 409. */
	CU_ASSERT_EQUAL(place(cust, "{\"storeId\":1,\"items\":[{\"menuId\":8,"
	    "\"qty\":1}]}", NULL, NULL, NULL), 409);
	CU_ASSERT_EQUAL(place(cust, "{\"storeId\":1,\"items\":[{\"menuId\":"
	    "999999,\"qty\":1}]}", NULL, NULL, NULL), 409);
	/* Owners do not order. */
	{
		char owner[1024];
		CU_ASSERT_FATAL(it_login("owner1@fishdelivery.test",
		    "fish-owner-1", owner, sizeof(owner)) == 0);
		CU_ASSERT_EQUAL(place(owner, "{\"storeId\":1,\"items\":[{"
		    "\"menuId\":1,\"qty\":1}]}", NULL, NULL, NULL), 403);
	}
	CU_ASSERT_EQUAL(place(NULL, "{\"storeId\":1,\"items\":[{\"menuId\":1,"
	    "\"qty\":1}]}", NULL, NULL, NULL), 401);
	CU_ASSERT_EQUAL(visible_orders(cust), before);
}

/*
 * The owner marks item 11 of store 2, and the order context's replica
 * follows by MenuItemChanged through the relay: waited for until the relay
 * has recorded the delivery done, which is after the order program
 * answered it, so after what it does once the change is committed.
 */
static void
mark_sold_out(MYSQL *fs, MYSQL *m, const char *owner, int sold)
{
	struct it_resp r;
	char body[32];
	int i;

	snprintf(body, sizeof(body), "{\"soldOut\":%s}", sold ? "true" : "false");
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/11", owner, body,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	for (i = 0; i < 200 && (it_db_int(fs, "SELECT COUNT(*) FROM"
	    " outbox_deliveries WHERE subscriber = 'order' AND akey = 'menu:11'"
	    " AND state <> 'done'") != 0 || it_db_int(m, "SELECT sold_out FROM"
	    " menu_replica WHERE menu_id = 11") != sold); i++)
		usleep(50000);
	CU_ASSERT_FATAL(i < 200);
}

/*
 * Sold out at the store is 409 at the next order: every worker keeps the
 * menus it priced from (order_menu.c), so they are all warmed first, and
 * each must see the change as soon as the replica has it.
 */
static void
sold_out_is_409(void)
{
	static const char body[] = "{\"storeId\":2,\"items\":[{\"menuId\":11,"
	    "\"qty\":1}]}";
	MYSQL *m = it_db("order"), *fs = it_db("fishstore");
	char owner[1024];
	long long before = visible_orders(cust);
	int i, placed = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_FATAL(it_login("owner2@fishdelivery.test", "fish-owner-2",
	    owner, sizeof(owner)) == 0);
	for (i = 0; i < 12; i++)
		placed += place(cust, body, NULL, NULL, NULL) == 201;
	CU_ASSERT_EQUAL(placed, 12);
	mark_sold_out(fs, m, owner, 1);
	for (i = 0; i < 8; i++)
		CU_ASSERT_EQUAL(place(cust, body, NULL, NULL, NULL), 409);
	mark_sold_out(fs, m, owner, 0);
	for (i = 0; i < 8; i++)
		placed += place(cust, body, NULL, NULL, NULL) == 201;
	CU_ASSERT_EQUAL(placed, 20);
	mysql_close(fs);
	mysql_close(m);
	/* GET /orders lists the newest 100. */
	CU_ASSERT_EQUAL(visible_orders(cust), before + placed > 100 ? 100 :
	    before + placed);
}

static void
idempotency_key_replays(void)
{
	char key[64], body[256];
	long long id1, id2, a1, a2;
	struct it_resp r;
	char hdr[128], replay[16];

	snprintf(key, sizeof(key), "key-%s", it_unique());
	snprintf(body, sizeof(body), "{\"storeId\":1,\"items\":[{\"menuId\":4,"
	    "\"qty\":1}]" ADDR "}");
	CU_ASSERT_EQUAL_FATAL(place(cust, body, key, &id1, &a1), 201);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", cust, body, hdr) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	id2 = it_int(&r, "orderId");
	a2 = it_int(&r, "amount");
	CU_ASSERT_PTR_NOT_NULL(it_header(&r, "Idempotent-Replayed", replay,
	    sizeof(replay)));
	it_free(&r);
	CU_ASSERT_EQUAL(id1, id2);
	CU_ASSERT_EQUAL(a1, a2);
	/* The same key for another request. */
	CU_ASSERT_EQUAL(place(cust, "{\"storeId\":1,\"items\":[{\"menuId\":4,"
	    "\"qty\":2}]" ADDR "}", key, NULL, NULL), 409);
	/* Keys are per customer: another customer's same key is theirs. */
	CU_ASSERT_EQUAL(place(other, body, key, &id2, NULL), 201);
	CU_ASSERT_NOT_EQUAL(id1, id2);
	/* A declined answer is replayed as declined. */
	snprintf(key, sizeof(key), "declined-%s", it_unique());
	snprintf(body, sizeof(body), "{\"storeId\":1,\"items\":[{\"menuId\":4,"
	    "\"qty\":1}],\"card\":\"4000 0000 0000 0002\"}");
	CU_ASSERT_EQUAL(place(cust, body, key, NULL, NULL), 402);
	CU_ASSERT_EQUAL(place(cust, body, key, NULL, NULL), 402);
	/* A malformed key. */
	CU_ASSERT_EQUAL(place(cust, body, "has space", NULL, NULL), 400);
}

struct racer {
	const char	*key;
	long		 status;
	long long	 id;
};

static void *
race(void *arg)
{
	struct racer *rc = arg;

	rc->status = place(cust, "{\"storeId\":2,\"items\":[{\"menuId\":7,"
	    "\"qty\":2}]}", rc->key, &rc->id, NULL);
	return NULL;
}

static void
idempotency_key_race(void)
{
	struct racer rs[8];
	pthread_t th[8];
	char key[64];
	MYSQL *m;
	size_t i;

	snprintf(key, sizeof(key), "race-%s", it_unique());
	for (i = 0; i < 8; i++) {
		rs[i].key = key;
		pthread_create(&th[i], NULL, race, &rs[i]);
	}
	for (i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 8; i++) {
		CU_ASSERT_EQUAL(rs[i].status, 201);
		CU_ASSERT_EQUAL(rs[i].id, rs[0].id);
	}
	/* One order and one charge behind all eight answers. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("order"));
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM idempotency_keys "
	    "WHERE idem_key = '%s'", key), 1);
	mysql_close(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("payment"));
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM payments WHERE "
	    "customer_id = %lld AND order_id = %lld", cust_id, rs[0].id), 1);
	mysql_close(m);
}

static void
cancel_while_allowed(void)
{
	struct it_resp r;
	long long id;
	char path[64];
	MYSQL *m;

	CU_ASSERT_EQUAL_FATAL(place(cust, "{\"storeId\":1,\"items\":[{\"menuId\":"
	    "3,\"qty\":1}]}", NULL, &id, NULL), 201);
	snprintf(path, sizeof(path), "/orders/%lld/cancel", id);
	/* Not someone else's. */
	CU_ASSERT_FATAL(it_req(&r, "POST", path, other, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "POST", path, cust,
	    "{\"reason\":\"잘못 주문했어요\"}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Canceled");
	it_free(&r);
	/* Too late now. */
	CU_ASSERT_FATAL(it_req(&r, "POST", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT(it_is_error(&r, "conflict"));
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders/999999999/cancel", cust,
	    NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	/* Its event was committed with it, once. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("order"));
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM outbox WHERE "
	    "event_type = 'OrderCanceled' AND aggregate_key = '%lld'", id), 1);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM outbox WHERE "
	    "event_type = 'OrderPlaced' AND aggregate_key = '%lld'", id), 1);
	mysql_close(m);
	snprintf(path, sizeof(path), "/orders/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Canceled");
	it_free(&r);
}

/* 20 customers, 10 orders each, all at once. */
#define NCUST	20
#define NEACH	10

struct shopper {
	char		 token[1024];
	long long	 id;
	long long	 orders[NEACH];
	long		 status[NEACH];
};

static void *
shop(void *arg)
{
	struct shopper *s = arg;
	int i;

	for (i = 0; i < NEACH; i++)
		s->status[i] = place(s->token, "{\"storeId\":1,\"items\":[{"
		    "\"menuId\":1,\"qty\":1},{\"menuId\":2,\"qty\":1}]" ADDR "}",
		    NULL, &s->orders[i], NULL);
	return NULL;
}

static void
parallel_orders_one_payment_each(void)
{
	static struct shopper s[NCUST];
	pthread_t th[NCUST];
	char email[128], ids[NCUST * 24];
	long long placed = 0, approved, amount;
	size_t i, j, off = 0;
	MYSQL *m;

	for (i = 0; i < NCUST; i++)
		CU_ASSERT_FATAL((s[i].id = it_customer(s[i].token,
		    sizeof(s[i].token), email, sizeof(email))) > 0);
	for (i = 0; i < NCUST; i++)
		pthread_create(&th[i], NULL, shop, &s[i]);
	for (i = 0; i < NCUST; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NCUST; i++) {
		off += (size_t)snprintf(ids + off, sizeof(ids) - off, "%s%lld",
		    i ? "," : "", s[i].id);
		for (j = 0; j < NEACH; j++) {
			CU_ASSERT(s[i].status[j] == 201 || s[i].status[j] == 503);
			if (s[i].status[j] != 201)
				continue;
			placed++;
			/* Every 201: its payment, approved, for its amount. */
			amount = 0;
			CU_ASSERT_STRING_EQUAL(payment_status(s[i].token,
			    s[i].orders[j], &amount), "Approved");
			CU_ASSERT_EQUAL(amount, 25000 + 22000);
		}
	}
	printf("\n    %lld of %d orders placed\n", placed, NCUST * NEACH);
	CU_ASSERT(placed >= NCUST * NEACH * 9 / 10);
	/* Every approved payment of these customers: exactly one order. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("payment"));
	approved = it_db_int(m, "SELECT COUNT(*) FROM payments WHERE customer_id"
	    " IN (%s) AND status = 'Approved'", ids);
	mysql_close(m);
	CU_ASSERT_EQUAL(approved, placed);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("order"));
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM orders WHERE "
	    "customer_id IN (%s) AND status = 'Paid'", ids), placed);
	mysql_close(m);
}

void
add_order_tests(void)
{
	CU_pSuite s = CU_add_suite("order", init_suite, NULL);

	CU_add_test(s, "place an order and read it", place_and_read);
	CU_add_test(s, "no address given nor known: 400",
	    no_address_anywhere_is_400);
	CU_add_test(s, "declined card places nothing",
	    declined_card_places_nothing);
	CU_add_test(s, "bad orders are 4xx and change nothing",
	    bad_orders_change_nothing);
	CU_add_test(s, "sold out is 409", sold_out_is_409);
	CU_add_test(s, "Idempotency-Key replays", idempotency_key_replays);
	CU_add_test(s, "Idempotency-Key race: one order", idempotency_key_race);
	CU_add_test(s, "cancel while Paid, then 409", cancel_while_allowed);
	CU_add_test(s, "200 parallel orders: one payment each",
	    parallel_orders_one_payment_each);
}
