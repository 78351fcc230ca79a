/*
 * test_payment.c - payments and refunds: the order context's internal
 * charge (idempotent per order, even when two calls race), the void that
 * reconciliation uses, refunds, the customer's view, the fault hooks, and
 * the events in fd_payment.outbox (read as the payment DB user).
 *
 * Internal calls go to $FD_INTERNAL_URL, the nginx server the order
 * context and the relay use; the public gateway must refuse them.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

#define RACERS	4

static char cust1[1024], cust2[1024], owner[1024];
static long long cust1_id, cust2_id;
static char *public_url;

static int
init_suite(void)
{
	char email[128];
	const char *u = getenv("FD_URL");

	free(public_url);
	public_url = strdup(u != NULL ? u : "http://127.0.0.1:18088");
	if (public_url == NULL)
		return -1;
	if ((cust1_id = it_customer(cust1, sizeof(cust1), email,
	    sizeof(email))) <= 0 ||
	    (cust2_id = it_customer(cust2, sizeof(cust2), email,
	    sizeof(email))) <= 0)
		return -1;
	return it_login("owner1@fishdelivery.test", "fish-owner-1", owner,
	    sizeof(owner));
}

static int
clean_suite(void)
{
	free(public_url);
	public_url = NULL;
	return 0;
}

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/*
 * Order ids no earlier run used: the test database lives as long as the
 * stack.  15 digits at most, as an {id} in a path may have.
 */
static long long
new_order(void)
{
	static long long base;
	static unsigned n;

	if (base == 0)
		base = (long long)time(NULL) * 100000 +
		    (long long)(getpid() % 100) * 1000;
	return base + n++ % 1000;
}

/*
 * it_http.c reads $FD_URL per request: point it at the internal server
 * around the calls that need it.  Not while other threads make requests.
 */
static void
use_internal(int on)
{
	const char *in = getenv("FD_INTERNAL_URL");

	setenv("FD_URL", on ? (in != NULL ? in : "http://127.0.0.1:18089") :
	    public_url, 1);
}

static int
ireq(struct it_resp *r, const char *method, const char *path,
    const char *body)
{
	int rc;

	use_internal(1);
	rc = it_req(r, method, path, NULL, body, NULL);
	use_internal(0);
	return rc;
}

static void
charge_body(char *buf, size_t sz, long long order, long long cust,
    long long amount, const char *card)
{
	if (card != NULL)
		snprintf(buf, sz, "{\"orderId\":%lld,\"customerId\":%lld,"
		    "\"amount\":%lld,\"card\":\"%s\"}", order, cust, amount, card);
	else
		snprintf(buf, sz, "{\"orderId\":%lld,\"customerId\":%lld,"
		    "\"amount\":%lld}", order, cust, amount);
}

/* POST /payments on the internal server. */
static int
charge(struct it_resp *r, long long order, long long cust, long long amount,
    const char *card)
{
	char body[256];

	charge_body(body, sizeof(body), order, cust, amount, card);
	return ireq(r, "POST", "/payments", body);
}

/* POST /payment/internal/{what}/{order}; the final status or NULL. */
static long
settle(const char *what, long long order, char *status, size_t sz)
{
	struct it_resp r;
	char path[96];
	long st;

	snprintf(path, sizeof(path), "/payment/internal/%s/%lld", what, order);
	if (ireq(&r, "POST", path, NULL) != 0)
		return -1;
	st = r.status;
	snprintf(status, sz, "%s", it_str(&r, "status") ? it_str(&r, "status") :
	    "");
	if (st == 200 && it_int(&r, "orderId") != order)
		st = -2;
	it_free(&r);
	return st;
}

static int
show(struct it_resp *r, long long order, const char *token)
{
	char path[96];

	snprintf(path, sizeof(path), "/payments?orderId=%lld", order);
	return it_req(r, "GET", path, token, NULL, NULL);
}

/* The payment database, as its own user (see test_isolation.c). */
static MYSQL *
payment_db(void)
{
	const char *sock = getenv("FD_DB_SOCKET");
	char pass[128];
	MYSQL *m;

	if (it_db_pass("payment", pass, sizeof(pass)) != 0 || sock == NULL ||
	    (m = mysql_init(NULL)) == NULL)
		return NULL;
	/* As the programs' sessions are (fd_db.c). */
	mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (mysql_real_connect(m, NULL, "fd_payment", pass, "fd_payment", 0,
	    sock, 0) == NULL) {
		fprintf(stderr, "connect as fd_payment: %s\n", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

/* How many events of type the outbox holds for order; -1 on error. */
static long long
events(const char *type, long long order)
{
	char sql[200];
	MYSQL *m;
	MYSQL_RES *res;
	MYSQL_ROW row;
	long long n = -1;

	if ((m = payment_db()) == NULL)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM outbox WHERE "
	    "event_type = '%s' AND aggregate_key = '%lld'", type, order);
	if (mysql_query(m, sql) == 0 && (res = mysql_store_result(m)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL)
			n = atoll(row[0]);
		mysql_free_result(res);
	}
	mysql_close(m);
	return n;
}

/* The first event of type for order, parsed; NULL if none. */
static json_object *
event(const char *type, long long order)
{
	char sql[200];
	MYSQL *m;
	MYSQL_RES *res;
	MYSQL_ROW row;
	json_object *o = NULL;

	if ((m = payment_db()) == NULL)
		return NULL;
	snprintf(sql, sizeof(sql), "SELECT payload FROM outbox WHERE "
	    "event_type = '%s' AND aggregate_key = '%lld' ORDER BY id LIMIT 1",
	    type, order);
	if (mysql_query(m, sql) == 0 && (res = mysql_store_result(m)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
			o = json_tokener_parse(row[0]);
		mysql_free_result(res);
	}
	mysql_close(m);
	return o;
}

static long long
jint(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

static int
jnull(const struct it_resp *r, const char *key)
{
	json_object *v;

	return r->json != NULL && json_object_object_get_ex(r->json, key, &v) &&
	    v == NULL;
}

static void
approve_then_replay(void)
{
	long long order = new_order(), pid;
	struct it_resp r;
	json_object *ev;

	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 38000,
	    "4242 4242 4242 4242") == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	pid = it_int(&r, "paymentId");
	CU_ASSERT(pid > 0);
	CU_ASSERT_EQUAL(it_int(&r, "orderId"), order);
	CU_ASSERT_EQUAL(it_int(&r, "amount"), 38000);
	CU_ASSERT(streq(it_str(&r, "status"), "Approved"));
	it_free(&r);

	/* A retry (the order context timed out, say) takes nothing more. */
	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 38000,
	    "4242 4242 4242 4242") == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "paymentId"), pid);
	CU_ASSERT(streq(it_str(&r, "status"), "Approved"));
	it_free(&r);

	/* The customer sees it: last four digits only. */
	CU_ASSERT_FATAL(show(&r, order, cust1) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "paymentId"), pid);
	CU_ASSERT_EQUAL(it_int(&r, "orderId"), order);
	CU_ASSERT_EQUAL(it_int(&r, "amount"), 38000);
	CU_ASSERT(streq(it_str(&r, "status"), "Approved"));
	CU_ASSERT(streq(it_str(&r, "cardLast4"), "4242"));
	CU_ASSERT(it_str(&r, "approvedAt") != NULL &&
	    strlen(it_str(&r, "approvedAt")) == 24);
	CU_ASSERT(jnull(&r, "refundedAt"));
	CU_ASSERT(strstr(r.body, "4242424242424242") == NULL);
	it_free(&r);

	/* One PayApproved, with what the order context's MyPage needs. */
	CU_ASSERT_EQUAL(events("PayApproved", order), 1);
	CU_ASSERT_EQUAL(events("PayCanceled", order), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev = event("PayApproved", order));
	CU_ASSERT_EQUAL(jint(ev, "paymentId"), pid);
	CU_ASSERT_EQUAL(jint(ev, "orderId"), order);
	CU_ASSERT_EQUAL(jint(ev, "amount"), 38000);
	json_object_put(ev);
}

static void
no_card_approves(void)
{
	long long order = new_order();
	struct it_resp r;

	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 100, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT(streq(it_str(&r, "status"), "Approved"));
	it_free(&r);
	CU_ASSERT_FATAL(show(&r, order, cust1) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(jnull(&r, "cardLast4"));
	it_free(&r);
}

static void
declined_and_replayed(void)
{
	long long order = new_order(), pid;
	struct it_resp r;

	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 52000,
	    "4000-0000-0000-0002") == 0);
	CU_ASSERT_EQUAL(r.status, 402);
	CU_ASSERT(it_is_error(&r, "payment_declined"));
	CU_ASSERT(streq(it_str(&r, "error.message"), "the card was declined"));
	CU_ASSERT(streq(it_str(&r, "status"), "Declined"));
	CU_ASSERT_EQUAL(it_int(&r, "orderId"), order);
	pid = it_int(&r, "paymentId");
	CU_ASSERT(pid > 0);
	it_free(&r);

	/* The same charge gets the same answer, whatever card it brings. */
	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 52000, "4000000000000002") ==
	    0);
	CU_ASSERT_EQUAL(r.status, 402);
	CU_ASSERT_EQUAL(it_int(&r, "paymentId"), pid);
	CU_ASSERT(streq(it_str(&r, "status"), "Declined"));
	it_free(&r);
	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 52000, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 402);
	it_free(&r);

	CU_ASSERT_FATAL(show(&r, order, cust1) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(streq(it_str(&r, "status"), "Declined"));
	CU_ASSERT(streq(it_str(&r, "cardLast4"), "0002"));
	CU_ASSERT(jnull(&r, "approvedAt"));
	it_free(&r);
	CU_ASSERT_EQUAL(events("PayApproved", order), 0);
}

static void
different_charge_conflicts(void)
{
	long long order = new_order();
	struct it_resp r;

	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 20000, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	it_free(&r);
	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 20001, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT(it_is_error(&r, "conflict"));
	CU_ASSERT(streq(it_str(&r, "status"), "Approved"));
	it_free(&r);
	CU_ASSERT_FATAL(charge(&r, order, cust2_id, 20000, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 409);
	it_free(&r);
	CU_ASSERT_EQUAL(events("PayApproved", order), 1);
}

struct racer {
	pthread_barrier_t	*go;
	long long		 order;
	long			 status;
	long long		 payment;
};

static void *
race(void *arg)
{
	struct racer *x = arg;
	struct it_resp r;
	char body[256];

	charge_body(body, sizeof(body), x->order, cust1_id, 45000, NULL);
	pthread_barrier_wait(x->go);
	if (it_req(&r, "POST", "/payments", NULL, body, NULL) != 0)
		return NULL;
	x->status = r.status;
	x->payment = it_int(&r, "paymentId");
	it_free(&r);
	return NULL;
}

/* Calls for one order racing each other: exactly one payment. */
static void
concurrent_charges_make_one_payment(void)
{
	pthread_barrier_t go;
	pthread_t t[RACERS];
	struct racer x[RACERS];
	long long order;
	int round, i, created;

	for (round = 0; round < 5; round++) {
		order = new_order();
		memset(x, 0, sizeof(x));
		pthread_barrier_init(&go, NULL, RACERS);
		use_internal(1);	/* before the threads: they read it */
		for (i = 0; i < RACERS; i++) {
			x[i].go = &go;
			x[i].order = order;
			pthread_create(&t[i], NULL, race, &x[i]);
		}
		for (i = 0; i < RACERS; i++)
			pthread_join(t[i], NULL);
		use_internal(0);
		pthread_barrier_destroy(&go);
		for (created = 0, i = 0; i < RACERS; i++) {
			CU_ASSERT(x[i].status == 201 || x[i].status == 200);
			CU_ASSERT(x[i].payment > 0);
			CU_ASSERT_EQUAL(x[i].payment, x[0].payment);
			created += x[i].status == 201;
		}
		CU_ASSERT_EQUAL(created, 1);
		CU_ASSERT_EQUAL(events("PayApproved", order), 1);
	}
}

/* Reconciliation found no order: a late charge must never approve. */
static void
void_of_unknown_order_blocks_it(void)
{
	long long order = new_order();
	struct it_resp r;
	char st[32];

	CU_ASSERT_EQUAL(settle("void", order, st, sizeof(st)), 200);
	CU_ASSERT(streq(st, "Voided"));
	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 30000, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT(it_is_error(&r, "conflict"));
	CU_ASSERT(streq(it_str(&r, "status"), "Voided"));
	it_free(&r);
	/* Again and again: nothing changes. */
	CU_ASSERT_EQUAL(settle("void", order, st, sizeof(st)), 200);
	CU_ASSERT(streq(st, "Voided"));
	CU_ASSERT_EQUAL(settle("refund", order, st, sizeof(st)), 200);
	CU_ASSERT(streq(st, "Voided"));
	/* A tombstone belongs to nobody. */
	CU_ASSERT_FATAL(show(&r, order, cust1) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	CU_ASSERT_EQUAL(events("PayApproved", order), 0);
	CU_ASSERT_EQUAL(events("PayCanceled", order), 0);
}

static void
void_of_approved_refunds(void)
{
	long long order = new_order(), pid;
	struct it_resp r;
	json_object *ev;
	char st[32];

	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 61000, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	pid = it_int(&r, "paymentId");
	it_free(&r);
	CU_ASSERT_EQUAL(settle("void", order, st, sizeof(st)), 200);
	CU_ASSERT(streq(st, "Refunded"));
	CU_ASSERT_EQUAL(settle("void", order, st, sizeof(st)), 200);
	CU_ASSERT(streq(st, "Refunded"));

	CU_ASSERT_FATAL(show(&r, order, cust1) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(streq(it_str(&r, "status"), "Refunded"));
	CU_ASSERT(it_str(&r, "approvedAt") != NULL);
	CU_ASSERT(it_str(&r, "refundedAt") != NULL &&
	    strlen(it_str(&r, "refundedAt")) == 24);
	CU_ASSERT(it_str(&r, "approvedAt") != NULL &&
	    it_str(&r, "refundedAt") != NULL &&
	    strcmp(it_str(&r, "approvedAt"), it_str(&r, "refundedAt")) <= 0);
	it_free(&r);

	/* The same charge after its refund is no replay. */
	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 61000, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT(streq(it_str(&r, "status"), "Refunded"));
	it_free(&r);

	CU_ASSERT_EQUAL(events("PayApproved", order), 1);
	CU_ASSERT_EQUAL(events("PayCanceled", order), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev = event("PayCanceled", order));
	CU_ASSERT_EQUAL(jint(ev, "orderId"), order);
	CU_ASSERT_EQUAL(jint(ev, "paymentId"), pid);
	CU_ASSERT_EQUAL(jint(ev, "amount"), 61000);
	json_object_put(ev);
}

static void
refunds_once(void)
{
	long long approved = new_order(), declined = new_order();
	struct it_resp r;
	char st[32], path[96];

	CU_ASSERT_EQUAL(settle("refund", new_order(), st, sizeof(st)), 404);

	CU_ASSERT_FATAL(charge(&r, approved, cust2_id, 15000, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	it_free(&r);
	snprintf(path, sizeof(path), "/payment/internal/refund/%lld", approved);
	CU_ASSERT_FATAL(ireq(&r, "POST", path, "{\"reason\":\"OrderCanceled\"}") ==
	    0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(streq(it_str(&r, "status"), "Refunded"));
	it_free(&r);
	/* A redelivered OrderCanceled gives nothing back twice. */
	CU_ASSERT_EQUAL(settle("refund", approved, st, sizeof(st)), 200);
	CU_ASSERT(streq(st, "Refunded"));
	CU_ASSERT_EQUAL(events("PayCanceled", approved), 1);

	CU_ASSERT_FATAL(charge(&r, declined, cust2_id, 15000,
	    "4000000000000002") == 0);
	CU_ASSERT_EQUAL(r.status, 402);
	it_free(&r);
	CU_ASSERT_EQUAL(settle("refund", declined, st, sizeof(st)), 200);
	CU_ASSERT(streq(st, "Declined"));
	CU_ASSERT_EQUAL(settle("void", declined, st, sizeof(st)), 200);
	CU_ASSERT(streq(st, "Declined"));
	CU_ASSERT_EQUAL(events("PayCanceled", declined), 0);

	/* The id is the whole request: a body is {} or nothing. */
	snprintf(path, sizeof(path), "/payment/internal/void/%lld", declined);
	CU_ASSERT_FATAL(ireq(&r, "POST", path, "{}") == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	CU_ASSERT_FATAL(ireq(&r, "POST", path, "{\"amount\":1}") == 0);
	CU_ASSERT_EQUAL(r.status, 400);
	it_free(&r);
}

static void
only_the_customer_sees_it(void)
{
	const char *queries[] = {
		"", "?orderId=", "?orderId=abc", "?orderId=0", "?orderId=-5",
		"?orderId=1e3", "?orderId=12x", "?orderId=99999999999999999999",
		"?order=12",
	};
	long long order = new_order();
	struct it_resp r;
	char path[96];
	size_t i;

	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 27000, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	it_free(&r);
	/* Another customer cannot tell it from an order with no payment. */
	CU_ASSERT_FATAL(show(&r, order, cust2) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	CU_ASSERT(it_is_error(&r, "not_found"));
	CU_ASSERT(strstr(r.body, "27000") == NULL);
	it_free(&r);
	CU_ASSERT_FATAL(show(&r, new_order(), cust2) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	CU_ASSERT_FATAL(show(&r, order, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	CU_ASSERT(it_is_error(&r, "unauthorized"));
	it_free(&r);
	CU_ASSERT_FATAL(show(&r, order, "not.a.token") == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	it_free(&r);
	/* Owners have no payments. */
	CU_ASSERT_FATAL(show(&r, order, owner) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		snprintf(path, sizeof(path), "/payments%s", queries[i]);
		CU_ASSERT_FATAL(it_req(&r, "GET", path, cust1, NULL, NULL) == 0);
		if (r.status != 400)
			fprintf(stderr, "query %s: %ld\n", queries[i], r.status);
		CU_ASSERT_EQUAL(r.status, 400);
		CU_ASSERT(it_is_error(&r, "bad_request"));
		it_free(&r);
	}
}

static void
bad_bodies_change_nothing(void)
{
	long long order = new_order();
	const char *tails[] = {
		"}",					/* no customerId, amount */
		",\"customerId\":%lld}",		/* no amount */
		",\"customerId\":%lld,\"amount\":-1}",
		",\"customerId\":%lld,\"amount\":0}",
		",\"customerId\":%lld,\"amount\":100000000001}",
		",\"customerId\":%lld,\"amount\":1.5}",
		",\"customerId\":%lld,\"amount\":\"100\"}",
		",\"customerId\":%lld,\"amount\":100,\"card\":\"abcdefghijklmn\"}",
		",\"customerId\":%lld,\"amount\":100,\"card\":\"4242\"}",
		",\"customerId\":%lld,\"amount\":100,\"card\":\"4242 4242 42x2\"}",
		",\"customerId\":%lld,\"amount\":100,\"card\":\"- - - - - - - \"}",
		",\"customerId\":%lld,\"amount\":100,\"card\":"
		    "\"42424242424242424242\"}",
		",\"customerId\":%lld,\"amount\":100,\"card\":4242424242424242}",
		",\"customerId\":%lld,\"amount\":100,\"tip\":1}",
		",\"customerId\":%lld,\"amount\":100}{}",
		",\"customerId\":%lld,\"amount\":100,}",
		",\"customerId\":0,\"amount\":100}",
	};
	struct it_resp r;
	char body[512], tail[256];
	size_t i;

	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(tail, sizeof(tail), tails[i], cust1_id);
		snprintf(body, sizeof(body), "{\"orderId\":%lld%s", order, tail);
		CU_ASSERT_FATAL(ireq(&r, "POST", "/payments", body) == 0);
		if (r.status != 400)
			fprintf(stderr, "body %s: %ld\n", body, r.status);
		CU_ASSERT_EQUAL(r.status, 400);
		CU_ASSERT(it_is_error(&r, "bad_request"));
		it_free(&r);
	}
	CU_ASSERT_FATAL(ireq(&r, "POST", "/payments", "not json") == 0);
	CU_ASSERT_EQUAL(r.status, 400);
	it_free(&r);
	CU_ASSERT_FATAL(ireq(&r, "POST", "/payments", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 400);
	it_free(&r);
	/* None of them left a payment behind: this one is the first. */
	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 100, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	it_free(&r);
}

static void
public_gateway_refuses_internal_calls(void)
{
	long long order = new_order();
	struct it_resp r;
	char body[256], path[96];

	charge_body(body, sizeof(body), order, cust1_id, 1000, NULL);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/payments", NULL, body, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/payments", cust1, body, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	snprintf(path, sizeof(path), "/payment/internal/void/%lld", order);
	CU_ASSERT_FATAL(it_req(&r, "POST", path, NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	snprintf(path, sizeof(path), "/payment/internal/refund/%lld", order);
	CU_ASSERT_FATAL(it_req(&r, "POST", path, NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	/* Nothing got through: the order is still unpaid. */
	CU_ASSERT_EQUAL(settle("refund", order, body, sizeof(body)), 404);
}

static int
arm(const char *name, const char *value)
{
	const char *dir = getenv("FD_FAULT_DIR");
	char path[1024];
	FILE *f;

	if (dir == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (value == NULL)
		return unlink(path);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "%s\n", value);
	return fclose(f);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The hooks the order context's breaker tests lean on (test builds). */
static void
fault_hooks(void)
{
	long long order = new_order();
	struct it_resp r;
	double t0, dt;
	long st;

	if (getenv("FD_FAULT_DIR") == NULL) {
		fprintf(stderr, "FD_FAULT_DIR unset: fault hooks not tested\n");
		return;
	}
	/* Armed, a charge fails without touching the database. */
	CU_ASSERT_FATAL(arm("payment-fail", "1") == 0);
	st = charge(&r, order, cust1_id, 9000, NULL) == 0 ? r.status : -1;
	if (st != -1)
		it_free(&r);
	arm("payment-fail", NULL);
	CU_ASSERT_EQUAL(st, 500);
	CU_ASSERT_EQUAL(events("PayApproved", order), 0);

	CU_ASSERT_FATAL(arm("payment-delay-ms", "300") == 0);
	t0 = now_s();
	st = charge(&r, order, cust1_id, 9000, NULL) == 0 ? r.status : -1;
	dt = now_s() - t0;
	if (st != -1)
		it_free(&r);
	arm("payment-delay-ms", NULL);
	CU_ASSERT_EQUAL(st, 201);
	CU_ASSERT(dt >= 0.3);

	/* Disarmed, it answers at once again. */
	t0 = now_s();
	CU_ASSERT_FATAL(charge(&r, order, cust1_id, 9000, NULL) == 0);
	dt = now_s() - t0;
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(dt < 0.3);
	it_free(&r);
}

void
add_payment_tests(void)
{
	CU_pSuite s = CU_add_suite("payment", init_suite, clean_suite);

	CU_add_test(s, "approve 201, replay 200, PayApproved once",
	    approve_then_replay);
	CU_add_test(s, "no card approves", no_card_approves);
	CU_add_test(s, "declined card 402, replay 402", declined_and_replayed);
	CU_add_test(s, "a different charge for the order is 409",
	    different_charge_conflicts);
	CU_add_test(s, "concurrent charges make one payment",
	    concurrent_charges_make_one_payment);
	CU_add_test(s, "void of an unknown order blocks a late charge",
	    void_of_unknown_order_blocks_it);
	CU_add_test(s, "void of an approved payment refunds it",
	    void_of_approved_refunds);
	CU_add_test(s, "refund once, no-op otherwise", refunds_once);
	CU_add_test(s, "only the customer sees the payment",
	    only_the_customer_sees_it);
	CU_add_test(s, "bad bodies are 400 and change nothing",
	    bad_bodies_change_nothing);
	CU_add_test(s, "the public gateway refuses internal calls",
	    public_gateway_refuses_internal_calls);
	CU_add_test(s, "fault hooks: fail and delay", fault_hooks);
}
