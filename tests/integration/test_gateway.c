/*
 * test_gateway.c - the nginx gateway: routing, JSON errors, the body cap,
 * internal paths, static files, and every context's operator routes.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "it.h"

static const char *const contexts[] = {
	"auth", "order", "payment", "fishstore", "delivery"
};

static void
unknown_path_is_json_404(void)
{
	const char *paths[] = { "/nope", "/stores/", "/stores/abc/menu",
	    "/stores/01/menu", "/auth/nothing", "/orders/x/y/z" };
	struct it_resp r;
	size_t i;
	char ct[128];

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		CU_ASSERT_FATAL(it_req(&r, "GET", paths[i], NULL, NULL, NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 404);
		CU_ASSERT(it_is_error(&r, "not_found"));
		CU_ASSERT_PTR_NOT_NULL(it_header(&r, "Content-Type", ct, sizeof(ct)));
		CU_ASSERT(strstr(ct, "application/json") != NULL);
		it_free(&r);
	}
}

static void
health_ready_metrics_everywhere(void)
{
	struct it_resp r;
	char path[64], ct[128];
	size_t i;

	for (i = 0; i < sizeof(contexts) / sizeof(contexts[0]); i++) {
		snprintf(path, sizeof(path), "/%s/health", contexts[i]);
		CU_ASSERT_FATAL(it_req(&r, "GET", path, NULL, NULL, NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "ok");
		CU_ASSERT_STRING_EQUAL(it_str(&r, "context"), contexts[i]);
		it_free(&r);

		snprintf(path, sizeof(path), "/%s/ready", contexts[i]);
		CU_ASSERT_FATAL(it_req(&r, "GET", path, NULL, NULL, NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "ready");
		it_free(&r);

		snprintf(path, sizeof(path), "/%s/metrics", contexts[i]);
		CU_ASSERT_FATAL(it_req(&r, "GET", path, NULL, NULL, NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		CU_ASSERT(strstr(it_header(&r, "Content-Type", ct, sizeof(ct)),
		    "text/plain") != NULL);
		/* The ready call above was counted, with its latency. */
		CU_ASSERT(strstr(r.body, "fd_http_requests_total{context=") != NULL);
		CU_ASSERT(strstr(r.body, "route=\"ready\",status=\"200\"}") != NULL);
		CU_ASSERT(strstr(r.body,
		    "fd_http_request_duration_seconds_bucket{") != NULL);
		CU_ASSERT(strstr(r.body, "le=\"+Inf\"}") != NULL);
		it_free(&r);
	}
}

/* Counters are shared by every worker: N requests add exactly N. */
static double
metric(const char *body, const char *line_prefix)
{
	const char *p = strstr(body, line_prefix);

	return p ? strtod(p + strlen(line_prefix), NULL) : 0;
}

static void
metrics_count_every_request(void)
{
	const char *key = "fd_http_requests_total{context=\"fishstore\","
	    "route=\"GET /stores\",status=\"200\"} ";
	struct it_resp r;
	double before, after;
	int i;

	CU_ASSERT_FATAL(it_req(&r, "GET", "/fishstore/metrics", NULL, NULL,
	    NULL) == 0);
	before = metric(r.body, key);
	it_free(&r);
	for (i = 0; i < 25; i++) {
		CU_ASSERT_FATAL(it_req(&r, "GET", "/stores", NULL, NULL, NULL) == 0);
		it_free(&r);
	}
	CU_ASSERT_FATAL(it_req(&r, "GET", "/fishstore/metrics", NULL, NULL,
	    NULL) == 0);
	after = metric(r.body, key);
	it_free(&r);
	CU_ASSERT_DOUBLE_EQUAL(after - before, 25, 0.1);
}

static void
body_cap_is_413_json(void)
{
	size_t n = 20000;
	char *big = malloc(n + 1);
	struct it_resp r;

	CU_ASSERT_FATAL(big != NULL);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/signup", NULL, big, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 413);
	CU_ASSERT(it_is_error(&r, "body_too_large"));
	it_free(&r);
	free(big);
}

static void
internal_paths_refused(void)
{
	const char *cases[][2] = {
		{ "POST", "/payments" },
		{ "PUT", "/payments" },
		{ "POST", "/order/internal/events" },
		{ "POST", "/internal/events" },
		{ "GET", "/fishstore/internal/x" },
	};
	struct it_resp r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_FATAL(it_req(&r, cases[i][0], cases[i][1], NULL, "{}",
		    NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 403);
		CU_ASSERT(it_is_error(&r, "forbidden"));
		it_free(&r);
	}
}

static void
wrong_method_is_405_with_allow(void)
{
	struct it_resp r;
	char allow[64];

	CU_ASSERT_FATAL(it_req(&r, "DELETE", "/stores", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 405);
	CU_ASSERT(it_is_error(&r, "method_not_allowed"));
	CU_ASSERT_PTR_NOT_NULL(it_header(&r, "Allow", allow, sizeof(allow)));
	CU_ASSERT_STRING_EQUAL(allow, "GET");
	it_free(&r);
}

static void
body_must_be_json(void)
{
	const char *hs[] = { "Content-Type: text/plain", NULL };
	struct it_resp r;
	const char *body = "{\"email\":\"a@b.cd\",\"password\":\"xxxxxxxx\"}";

	CU_ASSERT_FATAL(it_req_raw(&r, "POST", "/auth/login", hs, body,
	    strlen(body)) == 0);
	CU_ASSERT_EQUAL(r.status, 415);
	CU_ASSERT(it_is_error(&r, "unsupported_media_type"));
	it_free(&r);
}

static void
static_files_served(void)
{
	struct it_resp r;
	char ct[128];

	CU_ASSERT_FATAL(it_req(&r, "GET", "/", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(strstr(it_header(&r, "Content-Type", ct, sizeof(ct)),
	    "text/html") != NULL);
	CU_ASSERT(strstr(r.body, "fishdelivery") != NULL);
	it_free(&r);
}

void
add_gateway_tests(void)
{
	CU_pSuite s = CU_add_suite("gateway", NULL, NULL);

	CU_add_test(s, "unknown paths are JSON 404", unknown_path_is_json_404);
	CU_add_test(s, "health, ready, metrics on every context",
	    health_ready_metrics_everywhere);
	CU_add_test(s, "metrics count requests across workers",
	    metrics_count_every_request);
	CU_add_test(s, "oversize body is 413 JSON", body_cap_is_413_json);
	CU_add_test(s, "internal paths refused", internal_paths_refused);
	CU_add_test(s, "wrong method is 405 with Allow",
	    wrong_method_is_405_with_allow);
	CU_add_test(s, "non-JSON body is 415", body_must_be_json);
	CU_add_test(s, "htdocs served", static_files_served);
}
