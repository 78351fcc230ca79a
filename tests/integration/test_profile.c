/*
 * test_profile.c - the customer's profile (GET and PATCH /auth/me) and
 * how it reaches the order context: auth's CustomerRegistered and
 * CustomerProfileChanged, through auth's outbox and relay, into order's
 * customer replica, which an order without address or phone takes them
 * from.  Applied once, never backwards, and orders naming an address are
 * taken while auth or its relay is down.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it.h"

#define ITEMS	"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1}]"
/* it_customer()'s signup. */
#define SIGNUP_ADDRESS	"서울 마포구 1"
#define SIGNUP_PHONE	"010-5555-0000"

static int
clean_suite(void)
{
	/* Whatever a failed test left stopped. */
	(void)it_sv("up", "auth");
	(void)it_sv("up", "relay-auth");
	return it_wait_ready("auth", 20);
}

/* A text column of a query on ctx's database, into buf ("" if none). */
static const char *
db_str(const char *ctx, char *buf, size_t sz, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static const char *
db_str(const char *ctx, char *buf, size_t sz, const char *fmt, ...)
{
	MYSQL *m = it_db(ctx);
	MYSQL_RES *res;
	MYSQL_ROW row;
	va_list ap;
	char *sql;
	int n;

	buf[0] = '\0';
	va_start(ap, fmt);
	n = vasprintf(&sql, fmt, ap);
	va_end(ap);
	if (m == NULL || n < 0) {
		if (m != NULL)
			mysql_close(m);
		return buf;
	}
	if (mysql_query(m, sql) == 0 && (res = mysql_store_result(m)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
			snprintf(buf, sz, "%s", row[0]);
		mysql_free_result(res);
	}
	free(sql);
	mysql_close(m);
	return buf;
}

/* POST /orders; the status, and the order's id in *id (201). */
static long
place(const char *token, const char *body, long long *id)
{
	struct it_resp r;
	long st = -1;

	*id = -1;
	if (it_req(&r, "POST", "/orders", token, body, NULL) == 0) {
		st = r.status;
		if (st == 201)
			*id = it_int(&r, "orderId");
	}
	it_free(&r);
	return st;
}

/* A string field of GET /orders/{id} into buf ("" if none). */
static const char *
order_field(const char *token, long long id, const char *field, char *buf,
    size_t sz)
{
	char path[64];

	snprintf(path, sizeof(path), "/orders/%lld", id);
	return it_get_str(path, token, field, buf, sz);
}

static long
patch_me(const char *token, const char *body, struct it_resp *out)
{
	struct it_resp r;
	long st = -1;

	if (it_req(&r, "PATCH", "/auth/me", token, body, NULL) == 0)
		st = r.status;
	if (out != NULL)
		*out = r;
	else
		it_free(&r);
	return st;
}

/* GET /auth/me: the customer's own profile, as signup gave it. */
static void
me_shows_the_profile(void)
{
	char tok[1024], email[128], owner[1024];
	struct it_resp r;
	long long id;

	CU_ASSERT_FATAL((id = it_customer(tok, sizeof(tok), email,
	    sizeof(email))) > 0);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/auth/me", tok, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "userId"), id);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "role"), "customer");
	CU_ASSERT(it_str(&r, "email") != NULL &&
	    strcmp(it_str(&r, "email"), email) == 0);
	CU_ASSERT(it_str(&r, "name") != NULL &&
	    strcmp(it_str(&r, "name"), "손님") == 0);
	CU_ASSERT(it_str(&r, "phone") != NULL &&
	    strcmp(it_str(&r, "phone"), SIGNUP_PHONE) == 0);
	CU_ASSERT(it_str(&r, "address") != NULL &&
	    strcmp(it_str(&r, "address"), SIGNUP_ADDRESS) == 0);
	CU_ASSERT(it_str(&r, "storeId") == NULL);
	it_free(&r);

	/* An owner: the store, a name, no address (not theirs to show). */
	CU_ASSERT_FATAL(it_login("owner1@fishdelivery.test", "fish-owner-1",
	    owner, sizeof(owner)) == 0);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/auth/me", owner, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "role"), "owner");
	CU_ASSERT_EQUAL(it_int(&r, "storeId"), 1);
	CU_ASSERT(it_str(&r, "name") != NULL);
	CU_ASSERT(it_str(&r, "address") == NULL);
	it_free(&r);
	/* Owners have no profile to change here. */
	CU_ASSERT_EQUAL(patch_me(owner, "{\"name\":\"사장\"}", NULL), 403);
	CU_ASSERT_EQUAL(patch_me(NULL, "{\"name\":\"누구\"}", NULL), 401);
}

/* Signup, then an order without address or phone: the signup's. */
static void
signup_profile_is_the_default(void)
{
	char tok[1024], email[128], buf[256];
	long long id, order;

	CU_ASSERT_FATAL((id = it_customer(tok, sizeof(tok), email,
	    sizeof(email))) > 0);
	/* CustomerRegistered, written with the account, once. */
	CU_ASSERT_EQUAL(it_ctx_int("auth", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = 'CustomerRegistered'",
	    id), 1);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(id, 1, 10), 1);
	CU_ASSERT_EQUAL(place(tok, ITEMS "}", &order), 201);
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "address", buf,
	    sizeof(buf)), SIGNUP_ADDRESS);
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "phone", buf,
	    sizeof(buf)), SIGNUP_PHONE);
	/* One missing: the other is the request's. */
	CU_ASSERT_EQUAL(place(tok, ITEMS ",\"address\":\"대전 서구 9\"}",
	    &order), 201);
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "address", buf,
	    sizeof(buf)), "대전 서구 9");
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "phone", buf,
	    sizeof(buf)), SIGNUP_PHONE);
	/* An address given for one order is not the profile's. */
	CU_ASSERT_EQUAL(place(tok, ITEMS "}", &order), 201);
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "address", buf,
	    sizeof(buf)), SIGNUP_ADDRESS);
}

/* PATCH /auth/me, then an order: the new profile's. */
static void
changed_profile_is_the_default(void)
{
	char tok[1024], email[128], buf[256];
	struct it_resp r;
	long long id, order;

	CU_ASSERT_FATAL((id = it_customer(tok, sizeof(tok), email,
	    sizeof(email))) > 0);
	CU_ASSERT_EQUAL_FATAL(patch_me(tok, "{\"address\":\"부산 해운대구 "
	    "달맞이길 30\",\"name\":\"김바다\"}", &r), 200);
	/* The answer is the profile as it is now. */
	CU_ASSERT(it_str(&r, "address") != NULL &&
	    strcmp(it_str(&r, "address"), "부산 해운대구 달맞이길 30") == 0);
	CU_ASSERT(it_str(&r, "name") != NULL &&
	    strcmp(it_str(&r, "name"), "김바다") == 0);
	CU_ASSERT(it_str(&r, "phone") != NULL &&
	    strcmp(it_str(&r, "phone"), SIGNUP_PHONE) == 0);
	CU_ASSERT_EQUAL(it_int(&r, "userId"), id);
	it_free(&r);
	CU_ASSERT_STRING_EQUAL(it_get_str("/auth/me", tok, "name", buf,
	    sizeof(buf)), "김바다");
	/* Its event, in the same commit, one version on. */
	CU_ASSERT_EQUAL(it_ctx_int("auth", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = 'CustomerProfileChanged'",
	    id), 1);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(id, 2, 10), 2);
	CU_ASSERT_EQUAL(place(tok, ITEMS "}", &order), 201);
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "address", buf,
	    sizeof(buf)), "부산 해운대구 달맞이길 30");
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "phone", buf,
	    sizeof(buf)), SIGNUP_PHONE);

	/* The phone alone; a change to what it already is makes no event. */
	CU_ASSERT_EQUAL(patch_me(tok, "{\"phone\":\"+82 10 9999 0000\"}",
	    NULL), 200);
	CU_ASSERT_EQUAL(patch_me(tok, "{\"phone\":\"+82 10 9999 0000\"}",
	    NULL), 200);
	CU_ASSERT_EQUAL(it_ctx_int("auth", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld'", id), 3);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(id, 3, 10), 3);
	CU_ASSERT_EQUAL(place(tok, ITEMS "}", &order), 201);
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "phone", buf,
	    sizeof(buf)), "+82 10 9999 0000");
}

/* GET /mypage with the page cookie: its body (malloc'd) or NULL. */
static char *
mypage(const char *token)
{
	struct it_resp r;
	char cookie[1200];
	char *body = NULL;

	snprintf(cookie, sizeof(cookie), "Cookie: fd_token=%s", token);
	if (it_req(&r, "GET", "/mypage", NULL, NULL, cookie) == 0 &&
	    r.status == 200)
		body = strdup(r.body);
	it_free(&r);
	return body;
}

/*
 * /mypage, rendered by the order context, greets the customer by the
 * replica's name, escaped; a change of name makes its cached page stale.
 */
static void
mypage_header_says_the_name(void)
{
	char tok[1024], email[128], *page;
	long long id;

	CU_ASSERT_FATAL((id = it_customer(tok, sizeof(tok), email,
	    sizeof(email))) > 0);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(id, 1, 10), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page = mypage(tok));
	CU_ASSERT(strstr(page, "<a id=\"who-text\" href=\"/profile.html\">"
	    "손님 님</a>") != NULL);
	free(page);
	CU_ASSERT_EQUAL_FATAL(patch_me(tok, "{\"name\":\"<b>김&이</b>\"}",
	    NULL), 200);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(id, 2, 10), 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page = mypage(tok));
	CU_ASSERT(strstr(page, ">&lt;b&gt;김&amp;이&lt;/b&gt; 님</a>") != NULL);
	CU_ASSERT(strstr(page, "<b>김") == NULL);
	CU_ASSERT(strstr(page, "손님 님") == NULL);
	free(page);
}

/* POSTs one event to order's internal endpoint; its result's status. */
static const char *
deliver(const char *event, char *status, size_t sz)
{
	struct it_resp r;
	json_object *res, *v;
	char *body;
	size_t n = strlen(event) + 32;

	status[0] = '\0';
	if ((body = malloc(n)) == NULL)
		return status;
	snprintf(body, n, "{\"events\":[%s]}", event);
	it_internal(1);
	if (it_req(&r, "POST", "/order/internal/events", NULL, body,
	    NULL) == 0 && r.json != NULL &&
	    json_object_object_get_ex(r.json, "results", &res) &&
	    json_object_array_length(res) == 1 &&
	    json_object_object_get_ex(json_object_array_get_idx(res, 0),
	    "status", &v))
		snprintf(status, sz, "%s", json_object_get_string(v));
	it_internal(0);
	it_free(&r);
	free(body);
	return status;
}

/*
 * The events applied once and never backwards: a redelivery (the same
 * eventId) is a duplicate, and an older version arriving after a newer
 * one (a dead letter replayed late, say) changes nothing.
 */
static void
profile_events_once_never_backwards(void)
{
	char tok[1024], email[128], buf[256], v2[2048], late[2048], st[32];
	char id2[64], *p;
	long long id, order;

	CU_ASSERT_FATAL((id = it_customer(tok, sizeof(tok), email,
	    sizeof(email))) > 0);
	CU_ASSERT_EQUAL_FATAL(patch_me(tok, "{\"address\":\"둘째 주소 2\"}",
	    NULL), 200);
	CU_ASSERT_EQUAL_FATAL(patch_me(tok, "{\"address\":\"셋째 주소 3\"}",
	    NULL), 200);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(id, 3, 10), 3);

	/* Version 2's event as auth wrote it, and its id. */
	db_str("auth", v2, sizeof(v2), "SELECT payload FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = 'CustomerProfileChanged'"
	    " AND JSON_VALUE(payload, '$.profileVersion') = 2", id);
	CU_ASSERT_FATAL(strstr(v2, "둘째 주소 2") != NULL);
	db_str("auth", id2, sizeof(id2), "SELECT event_id FROM outbox WHERE"
	    " aggregate_key = '%lld' AND JSON_VALUE(payload,"
	    " '$.profileVersion') = 2", id);
	CU_ASSERT_FATAL(strlen(id2) == 36);

	/* Delivered again: acknowledged, not applied (the inbox). */
	CU_ASSERT_STRING_EQUAL(deliver(v2, st, sizeof(st)), "duplicate");
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM inbox WHERE"
	    " event_id = '%s'", id2), 1);

	/* The same older profile as an event order never saw: applied
	 * (acknowledged), and the newer profile stays. */
	snprintf(late, sizeof(late), "%s", v2);
	CU_ASSERT_FATAL((p = strstr(late, id2)) != NULL);
	{
		char fresh[40];
		snprintf(fresh, sizeof(fresh), "0badcafe-0000-4000-8000-%012lld",
		    id % 1000000000000LL);
		memcpy(p, fresh, 36);
	}
	CU_ASSERT_STRING_EQUAL(deliver(late, st, sizeof(st)), "applied");
	CU_ASSERT_EQUAL(it_wait_profile(id, 3, 1), 3);
	CU_ASSERT_STRING_EQUAL(db_str("order", buf, sizeof(buf), "SELECT"
	    " address FROM customer_replica WHERE customer_id = %lld", id),
	    "셋째 주소 3");
	CU_ASSERT_EQUAL(place(tok, ITEMS "}", &order), 201);
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "address", buf,
	    sizeof(buf)), "셋째 주소 3");
}

/*
 * While auth's relay is stopped signups still work, and so do orders that
 * name an address, also with auth itself down (the token is checked by
 * order alone); without one the customer has no profile there yet: 400.
 * The profile arrives when the relay is back.
 */
static void
orders_taken_while_auth_relay_is_down(void)
{
	char tok[1024], email[128], buf[256];
	long long id = -1, order;
	long st;

	CU_ASSERT_FATAL(it_sv("down", "relay-auth") == 0);
	id = it_customer(tok, sizeof(tok), email, sizeof(email));
	CU_ASSERT(id > 0);
	CU_ASSERT(it_sv("down", "auth") == 0);
	if (id > 0) {
		CU_ASSERT_EQUAL(place(tok, ITEMS ",\"address\":\"광주 북구 5\","
		    "\"phone\":\"010-3333-4444\"}", &order), 201);
		CU_ASSERT_STRING_EQUAL(order_field(tok, order, "address", buf,
		    sizeof(buf)), "광주 북구 5");
		st = place(tok, ITEMS "}", &order);
		CU_ASSERT_EQUAL(st, 400);
		CU_ASSERT_EQUAL(it_wait_profile(id, 1, 1), -1);
	}
	CU_ASSERT(it_sv("up", "auth") == 0);
	CU_ASSERT(it_sv("up", "relay-auth") == 0);
	CU_ASSERT_FATAL(id > 0);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(id, 1, 15), 1);
	CU_ASSERT_EQUAL(place(tok, ITEMS "}", &order), 201);
	CU_ASSERT_STRING_EQUAL(order_field(tok, order, "address", buf,
	    sizeof(buf)), SIGNUP_ADDRESS);
	CU_ASSERT_EQUAL(it_wait_ready("auth", 20), 0);
}

/* Bad input: 400 with a message, and nothing changed anywhere. */
static void
bad_profile_input_is_400_and_changes_nothing(void)
{
	static const char *const bodies[] = {
		"{}",
		"{\"name\":\"\"}",
		"{\"name\":\"   \"}",
		"{\"name\":null}",
		"{\"name\":7}",
		"{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaa\"}",
		"{\"name\":\"탭\\t이름\"}",
		"{\"phone\":\"call me now\"}",
		"{\"phone\":\"010-1234-\"}",
		"{\"phone\":\"1234567\"}",
		"{\"phone\":\"0101234567890123\"}",
		"{\"address\":\"\"}",
		"{\"address\":\" \"}",
		"{\"address\":\"서울\",\"email\":\"x@y.z\"}",
		"{\"address\":[\"서울\"]}",
		"{\"name\":\"김\",\"phone\":\"bad\"}",
		"{\"name\":\"ok\"} trailing",
		"not json",
	};
	char tok[1024], email[128], buf[256];
	struct it_resp r;
	long long id;
	size_t i;

	CU_ASSERT_FATAL((id = it_customer(tok, sizeof(tok), email,
	    sizeof(email))) > 0);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		CU_ASSERT_FATAL(it_req(&r, "PATCH", "/auth/me", tok, bodies[i],
		    NULL) == 0);
		if (r.status != 400 || !it_is_error(&r, "bad_request"))
			fprintf(stderr, "PATCH /auth/me %s: %ld %s\n", bodies[i],
			    r.status, r.body);
		CU_ASSERT_EQUAL(r.status, 400);
		CU_ASSERT(it_is_error(&r, "bad_request"));
		it_free(&r);
	}
	/* Nothing changed: the profile, its version, its events. */
	CU_ASSERT_STRING_EQUAL(it_get_str("/auth/me", tok, "name", buf,
	    sizeof(buf)), "손님");
	CU_ASSERT_STRING_EQUAL(it_get_str("/auth/me", tok, "phone", buf,
	    sizeof(buf)), SIGNUP_PHONE);
	CU_ASSERT_STRING_EQUAL(it_get_str("/auth/me", tok, "address", buf,
	    sizeof(buf)), SIGNUP_ADDRESS);
	CU_ASSERT_EQUAL(it_ctx_int("auth", "SELECT profile_version FROM"
	    " accounts WHERE id = %lld", id), 1);
	CU_ASSERT_EQUAL(it_ctx_int("auth", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld'", id), 1);
}

void
add_profile_tests(void)
{
	CU_pSuite s = CU_add_suite("profile", NULL, clean_suite);

	CU_add_test(s, "GET /auth/me shows the profile",
	    me_shows_the_profile);
	CU_add_test(s, "signup, then an order without address uses the signup's",
	    signup_profile_is_the_default);
	CU_add_test(s, "PATCH /auth/me, then an order uses the new profile",
	    changed_profile_is_the_default);
	CU_add_test(s, "profile events applied once, never backwards",
	    profile_events_once_never_backwards);
	CU_add_test(s, "orders taken while auth's relay is down; profile later",
	    orders_taken_while_auth_relay_is_down);
	CU_add_test(s, "/mypage's header says the name, after a change too",
	    mypage_header_says_the_name);
	CU_add_test(s, "bad profile input is 400 and changes nothing",
	    bad_profile_input_is_400_and_changes_nothing);
}
