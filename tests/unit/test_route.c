/*
 * test_route.c - the pure parts of fd_http.c: matching paths against route
 * patterns, reading the query string, and the one error table.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "fd_auth.h"
#include "fd_err.h"
#include "fd_http.h"
#include "unit.h"

/* ids[] on the heap, exactly FD_MAX_IDS long: ASan sees a write past it. */
static long long *
new_ids(void)
{
	long long *ids = malloc(FD_MAX_IDS * sizeof(*ids));
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ids);
	for (i = 0; i < FD_MAX_IDS; i++)
		ids[i] = -1;
	return ids;
}

static void
literal_patterns(void)
{
	static const struct {
		const char	*pattern, *path;
		int		 want;
	} rows[] = {
		{ "/stores", "/stores", 1 },
		{ "/auth/signup", "/auth/signup", 1 },
		{ "/stores", "/stores/", 0 },
		{ "/stores", "/store", 0 },
		{ "/stores", "/storesx", 0 },
		{ "/stores", "/Stores", 0 },
		{ "/stores", "//stores", 0 },
		{ "/stores", "/stores?x=1", 0 },
		{ "/stores", "", 0 },
		{ "/stores", "/", 0 },
		{ "/auth/login", "/auth/signup", 0 },
	};
	long long *ids = new_ids();
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		UNIT_CHECK(fd_route_match(rows[i].pattern, rows[i].path, ids) ==
		    rows[i].want, "%s vs %s: want %d", rows[i].pattern,
		    rows[i].path, rows[i].want);
	/* Nothing captured without {id}. */
	for (i = 0; i < FD_MAX_IDS; i++)
		CU_ASSERT_EQUAL(ids[i], -1);
	free(ids);
}

static void
captures_ids(void)
{
	long long *ids = new_ids();

	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}/menu", "/stores/1/menu",
	    ids), 1);
	CU_ASSERT_EQUAL(ids[0], 1);
	CU_ASSERT_EQUAL(ids[1], -1);

	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}/menu/{id}",
	    "/stores/12/menu/3450", ids), 1);
	CU_ASSERT_EQUAL(ids[0], 12);
	CU_ASSERT_EQUAL(ids[1], 3450);

	CU_ASSERT_EQUAL(fd_route_match("/orders/{id}", "/orders/907", ids), 1);
	CU_ASSERT_EQUAL(ids[0], 907);
	CU_ASSERT_EQUAL(fd_route_match("/orders/{id}/cancel",
	    "/orders/10/cancel", ids), 1);
	CU_ASSERT_EQUAL(ids[0], 10);

	/* 15 digits: the most an id may have. */
	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}", "/stores/999999999999999",
	    ids), 1);
	CU_ASSERT_EQUAL(ids[0], 999999999999999LL);
	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}", "/stores/100000000000000",
	    ids), 1);
	CU_ASSERT_EQUAL(ids[0], 100000000000000LL);

	/* As many {id}s as FD_MAX_IDS. */
	CU_ASSERT_EQUAL(fd_route_match("/a/{id}/b/{id}/c/{id}/d/{id}",
	    "/a/1/b/22/c/333/d/4444", ids), 1);
	CU_ASSERT_EQUAL(ids[0], 1);
	CU_ASSERT_EQUAL(ids[1], 22);
	CU_ASSERT_EQUAL(ids[2], 333);
	CU_ASSERT_EQUAL(ids[3], 4444);
	free(ids);
}

static void
rejects_bad_ids(void)
{
	static const char *menu[] = {
		"/stores/0/menu",		/* zero is no id */
		"/stores/01/menu",		/* leading zero */
		"/stores/007/menu",
		"/stores/-1/menu",
		"/stores/+1/menu",
		"/stores/ 1/menu",
		"/stores/1 /menu",
		"/stores/1a/menu",
		"/stores/a1/menu",
		"/stores/0x1/menu",
		"/stores/1e3/menu",
		"/stores/1.0/menu",
		"/stores/%31/menu",
		"/stores//menu",
		"/stores/{id}/menu",
		"/stores/1000000000000000/menu",	/* 16 digits */
		"/stores/1234567890123456/menu",
		"/stores/1/menu/",			/* trailing slash */
		"/stores/1/",
		"/stores/1",
		"/stores/1/menux",
		"/stores/1/menu/2",
		"/stores/1/menu?x",
		"/stores/",
		"/stores",
		"",
	};
	long long *ids = new_ids();
	size_t i;

	for (i = 0; i < sizeof(menu) / sizeof(menu[0]); i++)
		UNIT_CHECK(fd_route_match("/stores/{id}/menu", menu[i], ids) == 0,
		    "'%s' matched /stores/{id}/menu", menu[i]);

	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}", "/stores/1/", ids), 0);
	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}", "/stores/12x", ids), 0);
	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}/menu/{id}",
	    "/stores/1/menu/0", ids), 0);
	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}/menu/{id}",
	    "/stores/1/menu/2/", ids), 0);
	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}/menu/{id}",
	    "/stores/1/menu/", ids), 0);
	/* Another route's path with an id in the same place. */
	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}", "/orders/1", ids), 0);
	/* More {id}s than there is room for: refused, never written. */
	CU_ASSERT_EQUAL(fd_route_match("/{id}/{id}/{id}/{id}/{id}", "/1/2/3/4/5",
	    ids), 0);
	free(ids);
}

static void
query_parameters(void)
{
	struct fd_req r;
	char buf[8];

	memset(&r, 0, sizeof(r));
	r.query = "status=Paid&orderId=42&empty=&flag&ab=1&a=x";
	CU_ASSERT_EQUAL(fd_query(&r, "status", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "Paid");
	CU_ASSERT_EQUAL(fd_query(&r, "orderId", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "42");
	CU_ASSERT_EQUAL(fd_query(&r, "empty", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	/* Whole names only: "a" is not "ab", "flag" has no value. */
	CU_ASSERT_EQUAL(fd_query(&r, "a", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "x");
	CU_ASSERT_EQUAL(fd_query(&r, "flag", buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(fd_query(&r, "order", buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(fd_query(&r, "missing", buf, sizeof(buf)), -1);
	/* A value that does not fit, with its NUL, is refused. */
	CU_ASSERT_EQUAL(fd_query(&r, "status", buf, 4), -1);
	CU_ASSERT_EQUAL(fd_query(&r, "status", buf, 5), 0);
	CU_ASSERT_STRING_EQUAL(buf, "Paid");
	r.query = NULL;
	CU_ASSERT_EQUAL(fd_query(&r, "status", buf, sizeof(buf)), -1);
	r.query = "";
	CU_ASSERT_EQUAL(fd_query(&r, "status", buf, sizeof(buf)), -1);
}

static void
error_table(void)
{
	static const struct {
		enum fd_err	 e;
		int		 status;
		const char	*code;
	} rows[] = {
		{ FD_OK,		200, "ok" },
		{ FD_E_BAD_INPUT,	400, "bad_request" },
		{ FD_E_UNAUTHORIZED,	401, "unauthorized" },
		{ FD_E_DECLINED,	402, "payment_declined" },
		{ FD_E_FORBIDDEN,	403, "forbidden" },
		{ FD_E_CROSS_SITE,	403, "cross_site" },
		{ FD_E_NOT_FOUND,	404, "not_found" },
		{ FD_E_METHOD,		405, "method_not_allowed" },
		{ FD_E_CONFLICT,	409, "conflict" },
		{ FD_E_TOO_LARGE,	413, "body_too_large" },
		{ FD_E_MEDIA_TYPE,	415, "unsupported_media_type" },
		{ FD_E_RATE_LIMITED,	429, "rate_limited" },
		{ FD_E_INTERNAL,	500, "internal" },
		{ FD_E_UNAVAILABLE,	503, "unavailable" },
	};
	size_t i, j;
	int seen[FD_E__MAX];

	/* Every value of the enum is in this test's table. */
	CU_ASSERT_EQUAL(sizeof(rows) / sizeof(rows[0]), FD_E__MAX);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		UNIT_CHECK(fd_err_status(rows[i].e) == rows[i].status,
		    "error %d: status %d, want %d", rows[i].e,
		    fd_err_status(rows[i].e), rows[i].status);
		UNIT_CHECK(fd_err_code(rows[i].e) != NULL &&
		    strcmp(fd_err_code(rows[i].e), rows[i].code) == 0,
		    "error %d: code %s, want %s", rows[i].e,
		    fd_err_code(rows[i].e) ? fd_err_code(rows[i].e) : "(null)",
		    rows[i].code);
		if ((size_t)rows[i].e < FD_E__MAX)
			seen[rows[i].e] = 1;
	}
	for (i = 0; i < FD_E__MAX; i++)
		UNIT_CHECK(seen[i], "error %zu is not in the test's table", i);

	/* Codes are stable identifiers: distinct, [a-z_], non-empty. */
	for (i = 0; i < FD_E__MAX; i++) {
		const char *c = fd_err_code((enum fd_err)i);

		UNIT_CHECK(c != NULL && *c != '\0' &&
		    strspn(c, "abcdefghijklmnopqrstuvwxyz_") == strlen(c),
		    "error %zu: code '%s'", i, c ? c : "(null)");
		for (j = 0; j < i; j++)
			UNIT_CHECK(strcmp(c, fd_err_code((enum fd_err)j)) != 0,
			    "errors %zu and %zu share code '%s'", j, i, c);
	}

	/* Out of range: an internal error, never a read past the table. */
	CU_ASSERT_EQUAL(fd_err_status(FD_E__MAX), 500);
	CU_ASSERT_STRING_EQUAL(fd_err_code(FD_E__MAX), "internal");
	CU_ASSERT_EQUAL(fd_err_status((enum fd_err)1000), 500);
	CU_ASSERT_STRING_EQUAL(fd_err_code((enum fd_err)1000), "internal");
}

/*
 * The CSRF rule for writes carried by the page cookie (fd_auth.c):
 * the site's own Origin, a same-origin Sec-Fetch-Site, or, with neither,
 * X-Requested-With.
 */
static void
cookie_write_rule(void)
{
	static const struct {
		const char	*origin, *fetch, *xrw, *host, *site;
		int		 ok;
	} rows[] = {
		{ "http://127.0.0.1:18088", NULL, NULL, "127.0.0.1:18088", NULL, 1 },
		{ "http://127.0.0.1:18088", "same-origin", NULL, "127.0.0.1:18088",
		    NULL, 1 },
		{ "HTTPS://Fish.Example", NULL, NULL, "fish.example", NULL, 1 },
		{ "https://fish.example", NULL, NULL, "fish.example:443", NULL, 1 },
		{ "http://fish.example", NULL, NULL, "fish.example:80", NULL, 1 },
		{ NULL, "same-origin", NULL, "fish.example", NULL, 1 },
		{ NULL, NULL, "fetch", "fish.example", NULL, 1 },
		{ NULL, NULL, "XMLHttpRequest", NULL, NULL, 1 },
		{ "https://fish.example", NULL, NULL, "gw:8080",
		    "https://fish.example", 1 },
		/* Refused. */
		{ NULL, NULL, NULL, "fish.example", NULL, 0 },
		{ NULL, NULL, "", "fish.example", NULL, 0 },
		{ "http://evil.example", NULL, "fetch", "fish.example", NULL, 0 },
		{ "http://evil.example", "same-origin", NULL, "fish.example", NULL,
		    0 },
		{ "http://fish.example.evil.example", NULL, NULL, "fish.example",
		    NULL, 0 },
		{ "http://fish.example:8080", NULL, NULL, "fish.example", NULL, 0 },
		{ "https://fish.example", NULL, NULL, "fish.example:80", NULL, 0 },
		{ "http://fish.example", NULL, NULL, "fish.example:443", NULL, 0 },
		{ "http://fish.example:80", NULL, NULL, "fish.example:8", NULL, 0 },
		{ "http://fish.example/", NULL, NULL, "fish.example", NULL, 0 },
		{ "null", NULL, NULL, "fish.example", NULL, 0 },
		{ "fish.example", NULL, NULL, "fish.example", NULL, 0 },
		{ "http://", NULL, NULL, "", NULL, 0 },
		{ "http://fish.example", NULL, NULL, NULL, NULL, 0 },
		{ "http://fish.example", "cross-site", NULL, "fish.example", NULL,
		    0 },
		{ NULL, "same-site", "fetch", "fish.example", NULL, 0 },
		{ NULL, "none", NULL, "fish.example", NULL, 0 },
		{ NULL, "cross-site", "fetch", "fish.example", NULL, 0 },
		{ "https://gw:8080", NULL, NULL, "gw:8080", "https://fish.example",
		    0 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		UNIT_CHECK(fd_cookie_write_ok(rows[i].origin, rows[i].fetch,
		    rows[i].xrw, rows[i].host, rows[i].site) == rows[i].ok,
		    "row %zu (Origin %s, Sec-Fetch-Site %s, Host %s): want %d",
		    i, rows[i].origin ? rows[i].origin : "-",
		    rows[i].fetch ? rows[i].fetch : "-",
		    rows[i].host ? rows[i].host : "-", rows[i].ok);
}

static const struct unit_test tests[] = {
	{ "literal patterns match exactly", literal_patterns },
	{ "{id} captures ids", captures_ids },
	{ "{id} refuses what is not an id", rejects_bad_ids },
	{ "query parameters", query_parameters },
	{ "every error maps to its status and code", error_table },
	{ "cookie writes: the site's own origin", cookie_write_rule },
};

/*
 * Found while writing the above, not fixed yet (see the report): the digit
 * loop of fd_route_match() multiplies before it counts, so 19 or more
 * digits overflow a long long (undefined behaviour; UBSan aborts).
 */
static void
bug_long_digit_run(void)
{
	long long *ids = new_ids();

	CU_ASSERT_EQUAL(fd_route_match("/stores/{id}/menu",
	    "/stores/99999999999999999999999999999999/menu", ids), 0);
	free(ids);
}

static const struct unit_test regressions[] = {
	{ "a long run of digits does not overflow", bug_long_digit_run },
};

void
add_route_tests(void)
{
	UNIT_SUITE("fd_http routes and errors", tests);
	UNIT_SUITE("fd_http regressions", regressions);
}
