/*
 * test_ratelimit.c - the gateway's rate limits (README, "Rate limits"):
 * logins and signups per client address, orders placed per customer
 * token, answered by nginx with 429, Retry-After and a JSON error before
 * a program sees the request.
 *
 * The stack's limits come from FD_LIMIT_* (scripts/test.sh); with them in
 * the environment the counts are checked against them too.  The client
 * address is the X-Forwarded-For the gateway trusts from loopback; each
 * run uses addresses of its own (from the pid), so a repeated run finds
 * no state left by the last one.
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

#define ORDER_BODY	"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1}]," \
	"\"address\":\"서울 마포구 와우산로 94\",\"phone\":\"010-9876-5432\"}"
/* Requests sent at once while limited: each must be refused. */
#define LIMITED		10

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An FD_LIMIT_* setting: a burst, or a rate in requests per second. */
static long
burst(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? atol(v) : -1;
}

static double
rate(const char *name)
{
	const char *v = getenv(name);
	double n;
	char unit;

	if (v == NULL || sscanf(v, "%lfr/%c", &n, &unit) != 2 || n <= 0)
		return -1;
	return unit == 'm' ? n / 60 : n;
}

/* "X-Forwarded-For: <net>.N", N from the pid: this run's own client. */
static void
client(char *buf, size_t sz, const char *net)
{
	snprintf(buf, sz, "X-Forwarded-For: %s.%d", net,
	    (int)(getpid() % 250) + 1);
}

/*
 * A 429 of the limiter: Retry-After in whole seconds (returned, or -1)
 * and the project's JSON error.
 */
static long
refused(const struct it_resp *r)
{
	char ra[32], ct[128], *end;
	long s;

	if (r->status != 429 || !it_is_error(r, "rate_limited") ||
	    it_header(r, "Content-Type", ct, sizeof(ct)) == NULL ||
	    strncmp(ct, "application/json", 16) != 0 ||
	    it_header(r, "Retry-After", ra, sizeof(ra)) == NULL)
		return -1;
	s = strtol(ra, &end, 10);
	return *end == '\0' && s >= 1 ? s : -1;
}

/* What the auth program counted for POST /auth/login, any status. */
static double
login_requests(void)
{
	static const char key[] = "fd_http_requests_total{context=\"auth\","
	    "route=\"POST /auth/login\",";
	struct it_resp r;
	const char *p;
	double n = 0;

	if (it_req(&r, "GET", "/auth/metrics", NULL, NULL, NULL) != 0)
		return -1;
	for (p = r.body; (p = strstr(p, key)) != NULL; p++)
		if ((p = strchr(p, '}')) != NULL)
			n += strtod(p + 1, NULL);
		else
			break;
	it_free(&r);
	return n;
}

static long
login_from(const char *xff, const char *body, struct it_resp *r)
{
	const char *hs[] = { "Content-Type: application/json", xff, NULL };

	if (it_req_raw(r, "POST", "/auth/login", hs, body, strlen(body)) != 0)
		return -1;
	return r->status;
}

static void
logins_limited_per_client(void)
{
	char token[1024], email[128], body[256], a[64], b[64];
	struct it_resp r;
	long st, ra = -1, served = 0, n, limit = burst("FD_LIMIT_LOGIN_BURST");
	double t0, t1, per_s = rate("FD_LIMIT_LOGIN_RATE"), before, window;
	int i;

	CU_ASSERT_FATAL(it_customer(token, sizeof(token), email,
	    sizeof(email)) > 0);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":"
	    "\"correct horse\"}", email);
	client(a, sizeof(a), "198.51.100");
	client(b, sizeof(b), "203.0.113");

	/* One client logs in again and again: served up to its burst. */
	t0 = now();
	for (n = 0; n < 500; n++) {
		st = login_from(a, body, &r);
		if (st == 429)
			ra = refused(&r);
		it_free(&r);
		if (st != 200)
			break;
		served++;
	}
	t1 = now();
	CU_ASSERT_EQUAL_FATAL(st, 429);
	CU_ASSERT(ra >= 1);
	printf("\n    logins from one address: %ld served (200), then 429 "
	    "(Retry-After %ld)", served, ra);
	if (limit >= 0 && per_s > 0) {
		/* burst + 1 at once, and what the rate refilled meanwhile */
		CU_ASSERT(served >= limit + 1);
		CU_ASSERT(served <= limit + 2 + (long)((t1 - t0) * per_s));
	}

	/* Limited (for 1/rate from the last one served): every further
	 * login of it is refused by the gateway, none reaches the program. */
	before = login_requests();
	for (i = 0, n = 0; i < LIMITED; i++) {
		st = login_from(a, body, &r);
		CU_ASSERT_EQUAL(st, 429);
		if (st == 429 && refused(&r) >= 1)
			n++;
		it_free(&r);
	}
	window = now() - t1;
	CU_ASSERT_EQUAL(n, LIMITED);
	CU_ASSERT_EQUAL(login_requests(), before);
	printf("; %d more refused (429) in %.0f ms", LIMITED, window * 1000);
	if (per_s > 0)
		CU_ASSERT(window < 1 / per_s);

	/* At the same moment another client is served... */
	CU_ASSERT_EQUAL(login_from(b, body, &r), 200);
	CU_ASSERT_PTR_NOT_NULL(it_str(&r, "token"));
	it_free(&r);
	/* ...and the limited one on other paths, its token too. */
	{
		const char *hs[] = { a, NULL };
		char auth[1100];
		const char *hm[] = { a, auth, NULL };

		CU_ASSERT_FATAL(it_req_raw(&r, "GET", "/stores", hs, NULL, 0)
		    == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		it_free(&r);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		CU_ASSERT_FATAL(it_req_raw(&r, "GET", "/auth/me", hm, NULL, 0)
		    == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		it_free(&r);
	}

	/* After Retry-After it is served again. */
	usleep((useconds_t)(ra > 0 ? ra : 1) * 1000000 + 100000);
	CU_ASSERT_EQUAL(login_from(a, body, &r), 200);
	CU_ASSERT_PTR_NOT_NULL(it_str(&r, "token"));
	it_free(&r);
	printf(", served again after %ld s\n", ra);
}

/* Signups count against the same per-client limit as logins. */
static void
signups_limited_per_client(void)
{
	const char *hs[] = { "Content-Type: application/json", NULL, NULL };
	char c[64], body[256];
	struct it_resp r;
	long st = 0, n, bad = 0;

	client(c, sizeof(c), "192.0.2");
	hs[1] = c;
	/* Invalid signups (400, nothing created) until the limit answers. */
	for (n = 0; n < 500; n++) {
		CU_ASSERT_FATAL(it_req_raw(&r, "POST", "/auth/signup", hs, "{}",
		    2) == 0);
		st = r.status;
		if (st == 429)
			CU_ASSERT(refused(&r) >= 1);
		it_free(&r);
		if (st != 400)
			break;
		bad++;
	}
	CU_ASSERT_EQUAL_FATAL(st, 429);
	printf("\n    signups from one address: %ld answered (400), then 429",
	    bad);
	if (burst("FD_LIMIT_LOGIN_BURST") >= 0)
		CU_ASSERT(bad >= burst("FD_LIMIT_LOGIN_BURST") + 1);
	/* A valid signup and a login from there are refused too. */
	snprintf(body, sizeof(body), "{\"email\":\"rl-%s@example.com\","
	    "\"password\":\"correct horse\",\"name\":\"손님\",\"phone\":"
	    "\"010-5555-0000\",\"address\":\"서울 마포구 1\"}", it_unique());
	CU_ASSERT_FATAL(it_req_raw(&r, "POST", "/auth/signup", hs, body,
	    strlen(body)) == 0);
	CU_ASSERT(refused(&r) >= 1);
	it_free(&r);
	CU_ASSERT_EQUAL(login_from(c, "{\"email\":\"nobody@example.com\","
	    "\"password\":\"correct horse\"}", &r), 429);
	it_free(&r);
	printf("\n");
}

/* POST /orders; returns the status (and Retry-After via ra if 429). */
static long
order(const char *header, const char *body, long *ra)
{
	const char *hs[] = { "Content-Type: application/json", header, NULL };
	struct it_resp r;
	long st;

	if (it_req_raw(&r, "POST", "/orders", hs, body, strlen(body)) != 0)
		return -1;
	st = r.status;
	if (st == 429 && ra != NULL)
		*ra = refused(&r);
	it_free(&r);
	return st;
}

/* Orders of a customer: GET /orders, and all rows in each database. */
static long
listed(const char *token)
{
	struct it_resp r;
	json_object *a;
	long n = -1;

	if (it_req(&r, "GET", "/orders", token, NULL, NULL) != 0)
		return -1;
	if (r.status == 200 && r.json != NULL &&
	    json_object_object_get_ex(r.json, "orders", &a) &&
	    json_object_is_type(a, json_type_array))
		n = (long)json_object_array_length(a);
	it_free(&r);
	return n;
}

static long long
rows(const char *ctx, const char *table, long long customer)
{
	MYSQL *m = it_db(ctx);
	long long n;

	if (m == NULL)
		return -1;
	n = it_db_int(m, "SELECT COUNT(*) FROM %s WHERE customer_id = %lld",
	    table, customer);
	mysql_close(m);
	return n;
}

static void
orders_limited_per_customer(void)
{
	char tx[1024], ty[1024], email[128], ax[1100], ay[1100], cx[1100],
	    lx[1100];
	long long x, y;
	long st = 0, ra = -1, n, answered = 0, limit = burst(
	    "FD_LIMIT_ORDER_BURST");
	double t1, window, per_s = rate("FD_LIMIT_ORDER_RATE");
	int i;

	CU_ASSERT_FATAL((x = it_customer(tx, sizeof(tx), email,
	    sizeof(email))) > 0);
	CU_ASSERT_FATAL((y = it_customer(ty, sizeof(ty), email,
	    sizeof(email))) > 0);
	snprintf(ax, sizeof(ax), "Authorization: Bearer %s", tx);
	snprintf(ay, sizeof(ay), "Authorization: Bearer %s", ty);
	snprintf(cx, sizeof(cx), "Cookie: fd_token=%s", tx);
	snprintf(lx, sizeof(lx), "Authorization: bearer %s", tx);

	/* One order placed and paid. */
	CU_ASSERT_EQUAL_FATAL(order(ax, ORDER_BODY, NULL), 201);

	/* Up to the burst with orders the program refuses at once (400:
	 * nothing is placed), then the limit answers. */
	for (n = 0; n < (limit > 0 ? limit : 100) + 1000; n++) {
		st = order(ax, "{}", &ra);
		if (st != 400)
			break;
		answered++;
	}
	t1 = now();
	CU_ASSERT_EQUAL_FATAL(st, 429);
	CU_ASSERT(ra >= 1);
	if (limit >= 0)
		CU_ASSERT(answered >= limit);	/* and the 1 placed before */
	printf("\n    orders of one customer: 1 placed, %ld refused by the "
	    "program (400), then 429 (Retry-After %ld)", answered, ra);

	/* Limited: real orders are refused, whichever way the token comes,
	 * and nothing is placed or paid. */
	for (i = 0, n = 0; i < LIMITED; i++) {
		const char *h = i % 3 == 0 ? ax : i % 3 == 1 ? cx : lx;
		long r = -1;

		st = order(h, ORDER_BODY, &r);
		CU_ASSERT_EQUAL(st, 429);
		if (st == 429 && r >= 1)
			n++;
	}
	window = now() - t1;
	CU_ASSERT_EQUAL(n, LIMITED);
	printf("; %d real orders refused (429) in %.0f ms", LIMITED,
	    window * 1000);
	if (per_s > 0)
		CU_ASSERT(window < 1 / per_s);
	/* Another customer is served meanwhile; reading is not limited. */
	CU_ASSERT_EQUAL(order(ay, ORDER_BODY, NULL), 201);
	CU_ASSERT_EQUAL(listed(tx), 1);
	CU_ASSERT_EQUAL(rows("order", "orders", x), 1);
	CU_ASSERT_EQUAL(rows("payment", "payments", x), 1);
	CU_ASSERT_EQUAL(rows("order", "orders", y), 1);

	/* After Retry-After the customer orders again. */
	usleep((useconds_t)(ra > 0 ? ra : 1) * 1000000 + 100000);
	CU_ASSERT_EQUAL(order(ax, ORDER_BODY, NULL), 201);
	CU_ASSERT_EQUAL(listed(tx), 2);
	CU_ASSERT_EQUAL(rows("payment", "payments", x), 2);
	printf(", placed again after %ld s\n", ra);
}

/* No token: never counted by the order limit; the program answers 401. */
static void
orders_without_token_not_limited(void)
{
	long st = 0, i, limit = burst("FD_LIMIT_ORDER_BURST");

	for (i = 0; i < (limit > 0 ? limit : 100) + 50; i++)
		if ((st = order("Accept: application/json", ORDER_BODY, NULL))
		    != 401)
			break;
	CU_ASSERT_EQUAL(st, 401);
}

void
add_ratelimit_tests(void)
{
	CU_pSuite s = CU_add_suite("ratelimit", NULL, NULL);

	CU_add_test(s, "logins limited per client address",
	    logins_limited_per_client);
	CU_add_test(s, "signups count against the same limit",
	    signups_limited_per_client);
	CU_add_test(s, "orders limited per customer, nothing placed",
	    orders_limited_per_customer);
	CU_add_test(s, "orders without a token are not counted",
	    orders_without_token_not_limited);
}
