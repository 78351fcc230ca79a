/*
 * test_mypage.c - MyPage: the customer's view, fed by events, read through
 * memcached, as JSON and HTML, with ETags; never older than a change that
 * has returned, also when a slow reader refills the cache after a writer
 * or memcached never saw a change's invalidation, and served from MariaDB
 * when memcached is gone.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

static char cust[1024], owner[1024];
static long long cust_id;

static const char body[] = "{\"storeId\":1,\"items\":[{\"menuId\":1,"
    "\"qty\":2},{\"menuId\":2,\"qty\":1}],\"address\":\"대구 중구 1\","
    "\"phone\":\"010-7777-8888\"}";

static int
init_suite(void)
{
	char email[128];

	if ((cust_id = it_customer(cust, sizeof(cust), email,
	    sizeof(email))) <= 0)
		return -1;
	return it_login("owner1@fishdelivery.test", "fish-owner-1", owner,
	    sizeof(owner));
}

/* The order's entry in GET /myPages/{id}: status, or "" if absent. */
static const char *
view_field(long long id, const char *field, char *buf, size_t sz)
{
	char path[64];

	snprintf(path, sizeof(path), "/myPages/%lld", id);
	return it_get_str(path, cust, field, buf, sz);
}

/* Waits (bounded) for field of the order's view to read want. */
static int
wait_field(long long id, const char *field, const char *want)
{
	char buf[64];
	int t;

	for (t = 0; t < 100; t++) {
		if (strcmp(view_field(id, field, buf, sizeof(buf)), want) == 0)
			return 0;
		usleep(100000);
	}
	fprintf(stderr, "order %lld: %s is '%s', not '%s'\n", id, field, buf,
	    want);
	return -1;
}

static void
placed_order_is_there_at_once(void)
{
	struct it_resp r;
	char buf[64];
	long long id = it_place(cust, body);
	json_object *orders, *o, *v;

	CU_ASSERT_FATAL(id > 0);
	/* No wait: the request that placed it has returned. */
	CU_ASSERT_STRING_EQUAL(view_field(id, "status", buf, sizeof(buf)),
	    "Paid");
	CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "orders", &orders));
	o = json_object_array_get_idx(orders, 0);
	CU_ASSERT(json_object_object_get_ex(o, "orderId", &v) &&
	    json_object_get_int64(v) == id);
	CU_ASSERT(json_object_object_get_ex(o, "storeName", &v) &&
	    strcmp(json_object_get_string(v), "바다횟집") == 0);
	CU_ASSERT(json_object_object_get_ex(o, "amount", &v) &&
	    json_object_get_int64(v) == 2 * 25000 + 22000);
	CU_ASSERT(json_object_object_get_ex(o, "items", &v) &&
	    json_object_array_length(v) == 2);
	it_free(&r);
	/* PayApproved arrives through the relay. */
	CU_ASSERT(wait_field(id, "payment", "approved") == 0);
}

static int
owner_patch(const char *path, const char *status)
{
	struct it_resp r;
	char b[64];
	long st;

	/* Accepting asks for the estimate, rejecting for a reason code
	 * (SPEC: readyInMinutes, reasonCode). */
	snprintf(b, sizeof(b), "{\"status\":\"%s\"%s}", status,
	    strcmp(status, "Accepted") == 0 ? ",\"readyInMinutes\":30" :
	    strcmp(status, "Rejected") == 0 ? ",\"reasonCode\":\"other\"" : "");
	if (it_req(&r, "PATCH", path, owner, b, NULL) != 0)
		return -1;
	st = r.status;
	it_free(&r);
	return (int)st;
}

/* The store's ticket for the order, once the relay has made it (the
 * owner's list is oldest first: page through it). */
static long long
ticket_of(long long order_id)
{
	struct it_resp r;
	json_object *ts, *t, *v;
	char path[96];
	long long id = -1, after;
	size_t i, n;
	int tries;

	for (tries = 0; tries < 100 && id < 0; tries++) {
		after = 0;
		do {
			snprintf(path, sizeof(path), "/fishstores?status=Paid&"
			    "limit=500%s%lld", after ? "&after=" : "&x=", after);
			if (after == 0)
				snprintf(path, sizeof(path),
				    "/fishstores?status=Paid&limit=500");
			n = 0;
			if (it_req(&r, "GET", path, owner, NULL, NULL) == 0 &&
			    json_object_object_get_ex(r.json, "tickets", &ts)) {
				n = json_object_array_length(ts);
				for (i = 0; i < n; i++) {
					t = json_object_array_get_idx(ts, i);
					if (json_object_object_get_ex(t, "ticketId",
					    &v))
						after = json_object_get_int64(v);
					if (json_object_object_get_ex(t, "orderId",
					    &v) && json_object_get_int64(v) ==
					    order_id)
						id = after;
				}
			}
			it_free(&r);
		} while (id < 0 && n == 500);
		if (id < 0)
			usleep(100000);
	}
	return id;
}

static long long
delivery_of(long long order_id)
{
	struct it_resp r;
	json_object *ds, *d, *v;
	size_t i;
	int tries;
	long long id = -1;

	for (tries = 0; tries < 100 && id < 0; tries++) {
		if (it_req(&r, "GET", "/deliveries?limit=500", owner, NULL,
		    NULL) == 0 &&
		    json_object_object_get_ex(r.json, "deliveries", &ds))
			for (i = 0; i < json_object_array_length(ds); i++) {
				d = json_object_array_get_idx(ds, i);
				if (json_object_object_get_ex(d, "orderId", &v) &&
				    json_object_get_int64(v) == order_id &&
				    json_object_object_get_ex(d, "deliveryId", &v))
					id = json_object_get_int64(v);
			}
		it_free(&r);
		if (id < 0)
			usleep(100000);
	}
	return id;
}

static void
follows_the_whole_lifecycle(void)
{
	long long id = it_place(cust, body), ticket, dlv;
	char path[64];
	struct it_resp r;
	json_object *tl;

	CU_ASSERT_FATAL(id > 0);
	CU_ASSERT_FATAL((ticket = ticket_of(id)) > 0);
	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	CU_ASSERT_EQUAL(owner_patch(path, "Accepted"), 200);
	CU_ASSERT(wait_field(id, "status", "Accepted") == 0);
	CU_ASSERT_EQUAL(owner_patch(path, "Prepared"), 200);
	/* Prepared, then the courier starts at once. */
	CU_ASSERT(wait_field(id, "status", "DeliveryStarted") == 0);
	CU_ASSERT(wait_field(id, "delivery", "started") == 0);
	CU_ASSERT_FATAL((dlv = delivery_of(id)) > 0);
	snprintf(path, sizeof(path), "/deliveries/%lld", dlv);
	CU_ASSERT_EQUAL(owner_patch(path, "Delivered"), 200);
	CU_ASSERT(wait_field(id, "status", "Delivered") == 0);
	CU_ASSERT(wait_field(id, "delivery", "delivered") == 0);
	/* PayApproved comes from payment's outbox, in no order with the
	 * store's and the courier's events (a relay that missed its wake-up
	 * polls within FD_RELAY_POLL_MS). */
	CU_ASSERT(wait_field(id, "payment", "approved") == 0);
	/* Every step has its time. */
	snprintf(path, sizeof(path), "/myPages/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT(json_object_object_get_ex(r.json, "timeline", &tl) &&
	    json_object_array_length(tl) == 6);
	CU_ASSERT(strstr(r.body, "\"step\":\"Delivered\"") != NULL);
	CU_ASSERT(strstr(r.body, "\"label\":\"배달 완료\"") != NULL);
	it_free(&r);
	/* The order's own status agrees. */
	snprintf(path, sizeof(path), "/orders/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Delivered");
	it_free(&r);
}

static void
cancel_shows_at_once_then_refund(void)
{
	long long id = it_place(cust, body);
	char path[64], buf[64];
	struct it_resp r;

	CU_ASSERT_FATAL(id > 0);
	snprintf(path, sizeof(path), "/orders/%lld/cancel", id);
	CU_ASSERT_FATAL(it_req(&r, "POST", path, cust,
	    "{\"reason\":\"<script>alert(1)</script> 취소\"}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	CU_ASSERT_STRING_EQUAL(view_field(id, "status", buf, sizeof(buf)),
	    "Canceled");
	CU_ASSERT(wait_field(id, "payment", "refunded") == 0);
	/* The page prints the customer's reason escaped. */
	{
		char cookie[1200];
		const char *hs[] = { cookie, NULL };
		snprintf(cookie, sizeof(cookie), "Cookie: fd_token=%s", cust);
		CU_ASSERT_FATAL(it_req_raw(&r, "GET", "/mypage", hs, NULL, 0) == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		CU_ASSERT(strstr(r.body, "<script>alert(1)") == NULL);
		CU_ASSERT(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;")
		    != NULL);
		CU_ASSERT(strstr(r.body, "주문 취소") != NULL);
		CU_ASSERT(strstr(r.body, "Canceled") != NULL);
		it_free(&r);
	}
}

/*
 * One vocabulary: the words /mypage shows for a status, a step or a
 * payment, and its site header, are ui/vocab.tsv's and ui/header.html's,
 * the one source the static pages take theirs from too (scripts/ui.sh).
 * Read here from the source files, not from what the program was built
 * with, so that a label written anywhere else fails.
 */
struct word {
	char	name[32], ko[96], en[96];
};

/* $FD_ROOT/rel, malloc'd and NUL-terminated, or NULL. */
static char *
ui_file(const char *rel)
{
	const char *root = getenv("FD_ROOT");
	char path[512], *buf;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root ? root : ".", rel);
	if ((f = fopen(path, "r")) == NULL || (buf = malloc(65536)) == NULL) {
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ui/vocab.tsv into w: the number of words, or -1. */
static int
vocab_load(struct word *w, int max)
{
	char *text = ui_file("ui/vocab.tsv"), *line, *save, *t1, *t2;
	int n = 0;

	if (text == NULL)
		return -1;
	for (line = strtok_r(text, "\n", &save); line != NULL && n < max;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line == '#' || (t1 = strchr(line, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL)
			continue;
		snprintf(w[n].name, sizeof(w[n].name), "%.*s",
		    (int)(t1 - line), line);
		snprintf(w[n].ko, sizeof(w[n].ko), "%.*s", (int)(t2 - t1 - 1),
		    t1 + 1);
		snprintf(w[n].en, sizeof(w[n].en), "%s", t2 + 1);
		n++;
	}
	free(text);
	return n;
}

static const struct word *
word_of(const struct word *w, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(w[i].name, name) == 0)
			return &w[i];
	return NULL;
}

static void
mypage_speaks_the_vocabulary(void)
{
	static const char *shown[] = { "Paid", "PayApproved", "Accepted",
	    "Prepared", "DeliveryStarted", "Delivered", "Canceled", "Rejected",
	    "Refunded", "Approved" };
	struct word w[64];
	const struct word *x;
	struct it_resp r;
	json_object *orders, *o, *v, *tl, *t;
	char cookie[1200], path[64], pair[256], *hdr, *want, *who, *p, *ko, *en;
	const char *hs[] = { cookie, NULL };
	long long id = it_place(cust, body), ticket;
	size_t i, j, k;
	int n, pairs = 0;

	CU_ASSERT_FATAL((n = vocab_load(w, 64)) >= 14);
	/* A rejected order beside the suite's delivered and canceled ones. */
	CU_ASSERT_FATAL(id > 0);
	CU_ASSERT_FATAL((ticket = ticket_of(id)) > 0);
	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	CU_ASSERT_EQUAL(owner_patch(path, "Rejected"), 200);
	CU_ASSERT(wait_field(id, "status", "Rejected") == 0);
	CU_ASSERT(wait_field(id, "payment", "refunded") == 0);

	/* The header greets by the profile's name, once order has it. */
	CU_ASSERT_EQUAL(it_wait_profile(cust_id, 1, 10), 1);
	snprintf(cookie, sizeof(cookie), "Cookie: fd_token=%s", cust);
	CU_ASSERT_FATAL(it_req_raw(&r, "GET", "/mypage", hs, NULL, 0) == 0);
	CU_ASSERT_EQUAL_FATAL(r.status, 200);
	/* Every Korean word with its English is a pair of the source. */
	for (p = r.body; (p = strstr(p, "<span lang=\"ko\">")) != NULL; ) {
		ko = p + 16;
		if ((p = strstr(ko, "</span> <span lang=\"en\">")) == NULL)
			break;
		en = p + 24;
		if ((p = strstr(en, "</span>")) == NULL)
			break;
		for (k = 0; k < (size_t)n; k++)
			if (strlen(w[k].ko) == (size_t)(en - 24 - ko) &&
			    strncmp(w[k].ko, ko, en - 24 - ko) == 0 &&
			    strlen(w[k].en) == (size_t)(p - en) &&
			    strncmp(w[k].en, en, p - en) == 0)
				break;
		if (k == (size_t)n)
			fprintf(stderr, "/mypage: \"%.*s\" / \"%.*s\" is not "
			    "in ui/vocab.tsv\n", (int)(en - 24 - ko), ko,
			    (int)(p - en), en);
		CU_ASSERT(k < (size_t)n);
		pairs++;
	}
	CU_ASSERT(pairs > 10);
	/* ... and each status, step and payment the orders went through. */
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(x = word_of(w, n, shown[i]));
		snprintf(pair, sizeof(pair), "<span lang=\"ko\">%s</span> "
		    "<span lang=\"en\">%s</span>", x->ko, x->en);
		if (strstr(r.body, pair) == NULL)
			fprintf(stderr, "/mypage: no %s\n", pair);
		CU_ASSERT(strstr(r.body, pair) != NULL);
	}
	/* The header is ui/header.html's, MyPage marked current. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(hdr = ui_file("ui/header.html"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = strstr(hdr, "<a href=\"/mypage\""));
	CU_ASSERT_PTR_NOT_NULL_FATAL(want = malloc(strlen(hdr) + 32));
	sprintf(want, "%.*s<a href=\"/mypage\" aria-current=\"page\"%s",
	    (int)(p - hdr), hdr, p + strlen("<a href=\"/mypage\""));
	/* ... its "who" box saying the customer's name (it_customer's). */
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = strstr(want,
	    "id=\"who\" aria-live=\"polite\">"));
	p += strlen("id=\"who\" aria-live=\"polite\">");
	CU_ASSERT_PTR_NOT_NULL_FATAL(who = malloc(strlen(want) + 64));
	sprintf(who, "%.*s<a id=\"who-text\" href=\"/profile.html\">손님 님"
	    "</a>%s", (int)(p - want), want, p);
	free(want);
	want = who;
	if (strstr(r.body, want) == NULL)
		fprintf(stderr, "/mypage: the header is not ui/header.html's\n");
	CU_ASSERT(strstr(r.body, want) != NULL);
	free(want);
	free(hdr);
	it_free(&r);

	/* The JSON's Korean is the same. */
	CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "orders", &orders));
	for (i = 0; i < json_object_array_length(orders); i++) {
		o = json_object_array_get_idx(orders, i);
		CU_ASSERT_FATAL(json_object_object_get_ex(o, "status", &v));
		x = word_of(w, n, json_object_get_string(v));
		CU_ASSERT_PTR_NOT_NULL_FATAL(x);
		CU_ASSERT(json_object_object_get_ex(o, "statusKo", &v) &&
		    strcmp(json_object_get_string(v), x->ko) == 0);
		CU_ASSERT_FATAL(json_object_object_get_ex(o, "timeline", &tl));
		for (j = 0; j < json_object_array_length(tl); j++) {
			t = json_object_array_get_idx(tl, j);
			CU_ASSERT_FATAL(json_object_object_get_ex(t, "step", &v));
			x = word_of(w, n, json_object_get_string(v));
			CU_ASSERT_PTR_NOT_NULL_FATAL(x);
			CU_ASSERT(json_object_object_get_ex(t, "label", &v) &&
			    strcmp(json_object_get_string(v), x->ko) == 0);
		}
	}
	it_free(&r);
}

static void
etag_and_304(void)
{
	struct it_resp r;
	char etag[96], etag2[96], inm[128];
	const char *hs[3];
	char auth[1200];

	CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_PTR_NOT_NULL_FATAL(it_header(&r, "ETag", etag, sizeof(etag)));
	it_free(&r);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", cust);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	hs[0] = auth;
	hs[1] = inm;
	hs[2] = NULL;
	CU_ASSERT_FATAL(it_req_raw(&r, "GET", "/myPages", hs, NULL, 0) == 0);
	CU_ASSERT_EQUAL(r.status, 304);
	CU_ASSERT_EQUAL(r.len, 0);
	it_free(&r);
	/* A change: the old tag no longer matches. */
	CU_ASSERT_FATAL(it_place(cust, body) > 0);
	CU_ASSERT_FATAL(it_req_raw(&r, "GET", "/myPages", hs, NULL, 0) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_PTR_NOT_NULL(it_header(&r, "ETag", etag2, sizeof(etag2)));
	CU_ASSERT_STRING_NOT_EQUAL(etag, etag2);
	it_free(&r);
}

static void
only_the_customer(void)
{
	char other[1024], email[128], path[64];
	struct it_resp r;
	long long id = it_place(cust, body);

	CU_ASSERT_FATAL(id > 0);
	CU_ASSERT_FATAL(it_customer(other, sizeof(other), email,
	    sizeof(email)) > 0);
	snprintf(path, sizeof(path), "/myPages/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, other, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", other, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(strstr(r.body, "\"orders\":[]") != NULL);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", owner, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	it_free(&r);
	/* The page without a login sends the browser to log in. */
	CU_ASSERT_FATAL(it_req(&r, "GET", "/mypage", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 303);
	{
		char loc[256];
		CU_ASSERT_PTR_NOT_NULL(it_header(&r, "Location", loc, sizeof(loc)));
		CU_ASSERT(strncmp(loc, "/login.html", 11) == 0);
	}
	it_free(&r);
}

/*
 * The race: a reader reads the view, a writer changes it and returns, and
 * only then does the reader store what it read in the cache.  A read
 * after the writer returned must show the change.
 */
struct slow {
	long		 status;
};

static void *
slow_reader(void *arg)
{
	struct slow *s = arg;
	struct it_resp r;

	if (it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0)
		s->status = r.status;
	it_free(&r);
	return NULL;
}

static void
slow_refill_never_serves_the_old_state(void)
{
	long long id = it_place(cust, body);
	char path[64], buf[64];
	struct it_resp r;
	struct slow s = { 0 };
	pthread_t th;

	CU_ASSERT_FATAL(id > 0);
	/* Let the cached copy be gone, so the reader renders from MariaDB. */
	it_fault("mypage-slow-fill-ms", "800");
	pthread_create(&th, NULL, slow_reader, &s);
	usleep(300000);		/* it has read the view and now waits */
	it_fault("mypage-slow-fill-ms", NULL);
	snprintf(path, sizeof(path), "/orders/%lld/cancel", id);
	CU_ASSERT_FATAL(it_req(&r, "POST", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	pthread_join(th, NULL);		/* the old page is in the cache now */
	CU_ASSERT_EQUAL(s.status, 200);
	/* Reads after the cancel returned: never Paid again, many times. */
	{
		int i, stale = 0;
		for (i = 0; i < 20; i++)
			if (strcmp(view_field(id, "status", buf, sizeof(buf)),
			    "Canceled") != 0)
				stale++;
		CU_ASSERT_EQUAL(stale, 0);
	}
	CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0);
	CU_ASSERT(strstr(r.body, "\"status\":\"Canceled\"") != NULL);
	it_free(&r);
}

static pid_t
memcached_pid(void)
{
	const char *var = getenv("FD_VAR");
	char path[1024];
	FILE *f;
	long pid = -1;

	snprintf(path, sizeof(path), "%s/run/memcached.pid", var ? var :
	    "var/test");
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return (pid_t)pid;
}

static double
cache_count(const char *result)
{
	struct it_resp r;
	char key[96];
	const char *p;
	double v = -1;

	snprintf(key, sizeof(key), "fd_mypage_cache_total{result=\"%s\"} ",
	    result);
	if (it_req(&r, "GET", "/order/metrics", NULL, NULL, NULL) == 0 &&
	    (p = strstr(r.body, key)) != NULL)
		v = strtod(p + strlen(key), NULL);
	it_free(&r);
	return v;
}

/* A line of GET /order/metrics by its name and labels ("name "), or -1. */
static double
cache_metric(const char *key)
{
	struct it_resp r;
	char line[128];
	const char *p;
	double v = -1;

	/* At a line's start: not the name in its # HELP. */
	snprintf(line, sizeof(line), "\n%s", key);
	if (it_req(&r, "GET", "/order/metrics", NULL, NULL, NULL) == 0 &&
	    (p = strstr(r.body, line)) != NULL)
		v = strtod(p + strlen(line), NULL);
	it_free(&r);
	return v;
}

static void
served_without_memcached(void)
{
	struct it_resp r;
	pid_t pid = memcached_pid();
	double hits0, misses0;
	int i;

	/* Warm: a second read is a hit (unless an event of this customer's
	 * orders, still on its way through a relay, changed the page in
	 * between: then the next pair). */
	for (i = 0; i < 50; i++) {
		CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL,
		    NULL) == 0);
		it_free(&r);
		hits0 = cache_count("hit");
		CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL,
		    NULL) == 0);
		it_free(&r);
		if (cache_count("hit") >= hits0 + 1)
			break;
		usleep(100000);
	}
	CU_ASSERT(i < 50);

	CU_ASSERT_FATAL(pid > 0);
	CU_ASSERT_FATAL(kill(pid, SIGSTOP) == 0);	/* not answering */
	misses0 = cache_count("miss");
	for (i = 0; i < 3; i++) {
		CU_ASSERT(it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		CU_ASSERT(strstr(r.body, "\"orders\":[{") != NULL);
		it_free(&r);
	}
	CU_ASSERT(cache_count("miss") >= misses0 + 3);
	kill(pid, SIGCONT);
	/* And it is used again once it answers. */
	for (i = 0; i < 50; i++) {
		hits0 = cache_count("hit");
		CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL,
		    NULL) == 0);
		it_free(&r);
		if (cache_count("hit") > hits0)
			break;
		usleep(100000);
	}
	CU_ASSERT(i < 50);
}

/*
 * An invalidation memcached never sees.  A worker whose connection to
 * memcached times out reconnects; if that connect times out too,
 * libmemcached refuses every call of that worker without sending it for 1
 * to 2 s (MEMCACHED_BEHAVIOR_RETRY_TIMEOUT: "server is disabled until timed
 * retry"), even once memcached answers again.  A change committed by such a
 * worker leaves the customer's counter as it was, and a stopped memcached
 * alone does not show it (the kernel queues the increment, which memcached
 * applies when it resumes).  So memcached is stopped with its accept queue
 * full, as a memcached that cannot keep up with connections is: every
 * worker reads once and goes into the back-off, the customer cancels, and
 * memcached answers again still holding the page from before the cancel
 * and a counter nobody raised.  Every read, during the back-off and after
 * it, must show the cancel (the refund's event, which would raise the
 * counter again, held back meanwhile).
 */
#define MC_FILL		1500	/* over memcached's -b 1024 and somaxconn */
#define MC_READERS	12	/* 3 x FD_WORKERS (4): every worker reads */

static void *
mc_reader(void *arg)
{
	struct it_resp r;

	(void)arg;
	if (it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0)
		it_free(&r);
	return NULL;
}

/* Fills memcached's accept queue (memcached stopped): n sockets in fds. */
static int
mc_fill(int *fds, int max)
{
	const char *port = getenv("FD_MC_PORT");
	struct sockaddr_in a;
	int n;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(port ? port : "21311"));
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	for (n = 0; n < max; n++) {
		if ((fds[n] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
		    0)) < 0)
			break;
		(void)connect(fds[n], (struct sockaddr *)&a, sizeof(a));
	}
	return n;
}

/* The order's status in the list GET /myPages, or "". */
static const char *
list_status(long long id, char *buf, size_t sz)
{
	struct it_resp r;
	json_object *orders, *o, *v;
	size_t i, n;

	buf[0] = '\0';
	if (it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0 &&
	    r.status == 200 && r.json != NULL &&
	    json_object_object_get_ex(r.json, "orders", &orders)) {
		n = json_object_array_length(orders);
		for (i = 0; i < n; i++) {
			o = json_object_array_get_idx(orders, i);
			if (json_object_object_get_ex(o, "orderId", &v) &&
			    json_object_get_int64(v) == id &&
			    json_object_object_get_ex(o, "status", &v)) {
				snprintf(buf, sz, "%s", json_object_get_string(v));
				break;
			}
		}
	}
	it_free(&r);
	return buf;
}

/* sv CMD on one of the stack's services; 0 on success. */
static int
sv(const char *cmd, const char *service)
{
	const char *var = getenv("FD_VAR");
	char line[1200];

	snprintf(line, sizeof(line), "sv -w 30 %s '%s/service/%s' >/dev/null",
	    cmd, var ? var : "var/test", service);
	return system(line) == 0 ? 0 : -1;
}

/* full: the record of unconfirmed invalidations is full (a test hook):
 * the customer is not in it, and every read must miss until memcached is
 * flushed. */
static void
lost_invalidation(int full)
{
	long long id = it_place(cust, body);
	pid_t pid = memcached_pid(), guard;
	pthread_t th[MC_READERS];
	struct it_resp r;
	struct timespec t0, t;
	char path[64], buf[64];
	static int fds[MC_FILL];
	int i, nfd, reads = 0, stale = 0, cancel_status = 0;
	double hits0, unconfirmed0;

	CU_ASSERT_FATAL(id > 0);
	CU_ASSERT_FATAL(pid > 0);
	/* PayApproved through its relay first: no event of this order's on
	 * its way while memcached is stopped. */
	CU_ASSERT_FATAL(wait_field(id, "payment", "approved") == 0);
	/* Both pages cached as Paid: a second read is a hit. */
	snprintf(path, sizeof(path), "/myPages/%lld", id);
	for (i = 0; i < 50; i++) {
		CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL,
		    NULL) == 0);
		it_free(&r);
		CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
		it_free(&r);
		hits0 = cache_count("hit");
		CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
		it_free(&r);
		if (cache_count("hit") >= hits0 + 1)
			break;
	}
	CU_ASSERT_FATAL(i < 50);

	unconfirmed0 = cache_metric("fd_mypage_cache_unconfirmed_total ");
	/* Whatever happens below, memcached runs again within 10 s. */
	if ((guard = fork()) == 0) {
		sleep(10);
		kill(pid, SIGCONT);
		_exit(0);
	}
	CU_ASSERT_FATAL(guard > 0);
	/* The refund's PayCanceled waits: no later change of the customer's
	 * raises the counter while the reads below run.  From here to its
	 * sv up nothing returns early. */
	CU_ASSERT(sv("down", "relay-payment") == 0);
	if (full)
		it_fault("mypage-pending-full", "1");
	kill(pid, SIGSTOP);
	nfd = mc_fill(fds, MC_FILL);
	usleep(100000);
	/* Every worker times out, fails to reconnect, and backs off. */
	for (i = 0; i < MC_READERS; i++)
		pthread_create(&th[i], NULL, mc_reader, NULL);
	for (i = 0; i < MC_READERS; i++)
		pthread_join(th[i], NULL);
	snprintf(buf, sizeof(buf), "/orders/%lld/cancel", id);
	if (it_req(&r, "POST", buf, cust, NULL, NULL) == 0) {
		cancel_status = (int)r.status;
		it_free(&r);
	}
	kill(pid, SIGCONT);
	kill(guard, SIGKILL);
	waitpid(guard, NULL, 0);
	for (i = 0; i < nfd; i++)
		close(fds[i]);
	it_fault("mypage-pending-full", NULL);
	CU_ASSERT_EQUAL(cancel_status, 200);
	/* The window was there: memcached did not confirm the cancel's. */
	CU_ASSERT(cache_metric("fd_mypage_cache_unconfirmed_total ") >=
	    unconfirmed0 + 1);

	/* Reads for 4 s, past libmemcached's back-off: always Canceled. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (strcmp(view_field(id, "status", buf, sizeof(buf)),
		    "Canceled") != 0)
			stale++;
		if (strcmp(list_status(id, buf, sizeof(buf)), "Canceled") != 0)
			stale++;
		reads += 2;
		usleep(50000);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < 4);
	if (stale > 0)
		fprintf(stderr, "order %lld: %d of %d reads after the cancel"
		    " returned showed the order before it\n", id, stale, reads);
	CU_ASSERT_EQUAL(stale, 0);
	CU_ASSERT(sv("up", "relay-payment") == 0);
	/* Confirmed, the cache is used again: nothing pending, and a second
	 * read is a hit. */
	for (i = 0; i < 50; i++) {
		CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
		it_free(&r);
		hits0 = cache_count("hit");
		CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
		it_free(&r);
		if (cache_count("hit") >= hits0 + 1 &&
		    cache_metric("fd_mypage_cache_pending ") == 0)
			break;
		usleep(100000);
	}
	CU_ASSERT(i < 50);
}

static void
lost_invalidation_never_serves_the_old_state(void)
{
	lost_invalidation(0);
}

static void
lost_invalidation_record_full(void)
{
	lost_invalidation(1);
}

/*
 * Events of one order come from different outboxes and arrive in any
 * order: whichever starts the row, the view ends the same, a status never
 * moves back, a refund is never undone by a late approval, and nobody sees
 * the row before OrderPlaced says whose it is.
 */
/*
 * Posts a batch (its events' JSON texts, comma-separated) to the order
 * context the way the relay does: the HTTP status, and the results'
 * statuses in st (at most nst).
 */
static long
post_order_events(const char *events, char st[][16], size_t nst)
{
	const char *internal = getenv("FD_INTERNAL_URL"), *old = getenv("FD_URL");
	char saved[512], path[] = "/order/internal/events", *req;
	struct it_resp r;
	json_object *res, *v;
	long code = -1;
	size_t i, n = strlen(events) + 32;

	for (i = 0; i < nst; i++)
		st[i][0] = '\0';
	if ((req = malloc(n)) == NULL)
		return -1;
	snprintf(saved, sizeof(saved), "%s", old ? old : "");
	setenv("FD_URL", internal ? internal : "http://127.0.0.1:18089", 1);
	snprintf(req, n, "{\"events\":[%s]}", events);
	if (it_req(&r, "POST", path, NULL, req, NULL) == 0) {
		code = r.status;
		if (r.json != NULL &&
		    json_object_object_get_ex(r.json, "results", &res))
			for (i = 0; i < nst &&
			    i < json_object_array_length(res); i++)
				if (json_object_object_get_ex(
				    json_object_array_get_idx(res, i), "status",
				    &v))
					snprintf(st[i], sizeof(st[i]), "%s",
					    json_object_get_string(v));
	}
	it_free(&r);
	free(req);
	if (old != NULL)
		setenv("FD_URL", saved, 1);
	else
		unsetenv("FD_URL");
	return code;
}

static long
post_order_event(const char *event, char *st, size_t stsz)
{
	char one[1][16];
	long code = post_order_events(event, one, 1);

	snprintf(st, stsz, "%s", one[0]);
	return code;
}

/* Applies one event of the order to the order context: its result. */
static const char *
order_event(char *st, size_t stsz, const char *id, const char *type,
    long long order, const char *at, const char *extra)
{
	char ev[1536];

	snprintf(ev, sizeof(ev), "{\"eventId\":\"%s\",\"eventType\":\"%s\","
	    "\"occurredAt\":\"%s\",\"orderId\":%lld%s}", id, type, at, order,
	    extra);
	if (post_order_event(ev, st, stsz) != 200)
		snprintf(st, stsz, "http error");
	return st;
}

/* The time of the order's timeline step, or "" if it has none. */
static const char *
step_at(json_object *o, const char *step)
{
	json_object *tl, *t, *v;
	size_t i;

	if (!json_object_object_get_ex(o, "timeline", &tl))
		return "";
	for (i = 0; i < json_object_array_length(tl); i++) {
		t = json_object_array_get_idx(tl, i);
		if (json_object_object_get_ex(t, "step", &v) &&
		    strcmp(json_object_get_string(v), step) == 0 &&
		    json_object_object_get_ex(t, "at", &v))
			return json_object_get_string(v);
	}
	return "";
}

/*
 * The time of minute MIN of the next hour, as an event carries it
 * (VIEW 0: milliseconds) or the view answers it (VIEW 1: microseconds).
 * In the future, so that the relay's purge of orphan rows, which goes by
 * their steps' times, never takes the row before OrderPlaced names its
 * customer.  Eight buffers: one assertion compares two.
 */
static const char *
any_at(int min, int view)
{
	static char buf[8][64];
	static int next;
	static time_t t;	/* one hour for the whole test */
	char *b = buf[next++ % 8];
	struct tm tm;

	if (t == 0)
		t = time(NULL) + 3600;
	gmtime_r(&t, &tm);
	snprintf(b, sizeof(buf[0]), "%04d-%02d-%02dT%02d:%02d:00.%sZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, min,
	    view ? "000000" : "000");
	return b;
}

static void
events_in_any_order(void)
{
	/* An order id no real order will have. */
	long long order = 9000000000000LL + (long long)time(NULL) * 1000 +
	    (long long)(getpid() % 1000);
	char st[64], path[64], extra[1024], ids[9][48];
	struct it_resp r;
	json_object *v;
	int i;

	for (i = 0; i < 9; i++)
		snprintf(ids[i], sizeof(ids[i]), "00000000-0000-4000-8000-%012lld",
		    (order * 10 + i) % 1000000000000LL);
	snprintf(path, sizeof(path), "/myPages/%lld", order);

	/* The approval first: a row nobody can see yet. */
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[0],
	    "PayApproved", order, any_at(1, 0),
	    ",\"paymentId\":1,\"amount\":72000"), "applied");
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	/* The same event again: applied once. */
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[0],
	    "PayApproved", order, any_at(1, 0),
	    ",\"paymentId\":1,\"amount\":72000"), "duplicate");
	/* The courier before the store; the store's step, late, is not
	 * taken back to, but its time is on the timeline. */
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[1],
	    "DeliveryStarted", order, any_at(4, 0),
	    ",\"deliveryId\":1"), "applied");
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[2],
	    "OrderTaken", order, any_at(2, 0),
	    ",\"ticketId\":1"), "applied");
	/* OrderPlaced last: now the customer's. */
	snprintf(extra, sizeof(extra), ",\"customerId\":%lld,\"storeId\":1,"
	    "\"items\":[{\"menuId\":1,\"name\":\"광어\",\"qty\":2,\"price\":"
	    "25000},{\"menuId\":2,\"name\":\"우럭\",\"qty\":1,\"price\":22000}],"
	    "\"amount\":72000,\"address\":\"대구 중구 1\",\"phone\":"
	    "\"010-7777-8888\"", cust_id);
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[3],
	    "OrderPlaced", order, any_at(0, 0), extra), "applied");
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL_FATAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "DeliveryStarted");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "payment"), "approved");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "delivery"), "started");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "storeName"), "바다횟집");
	CU_ASSERT_EQUAL(it_int(&r, "amount"), 72000);
	CU_ASSERT(json_object_object_get_ex(r.json, "items", &v) &&
	    json_object_array_length(v) == 2);
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "Paid"),
	    any_at(0, 1));
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "PayApproved"),
	    any_at(1, 1));
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "DeliveryStarted"),
	    any_at(4, 1));
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "Accepted"),
	    any_at(2, 1));
	it_free(&r);

	/* Refunded, then a late approval: still refunded, its time kept.
	 * These name the customer, as payment's events do now (the first
	 * approval above did not, as an older release's): applied without
	 * reading the row, and the page just read is stale at once. */
	snprintf(extra, sizeof(extra), ",\"paymentId\":1,\"amount\":72000,"
	    "\"customerId\":%lld", cust_id);
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[4],
	    "PayCanceled", order, any_at(5, 0), extra),
	    "applied");
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[5],
	    "PayApproved", order, any_at(6, 0), extra),
	    "applied");
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL_FATAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "payment"), "refunded");
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "Refunded"),
	    any_at(5, 1));
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "PayApproved"),
	    any_at(1, 1));
	it_free(&r);
	/* Delivered is final: a cancel after it changes nothing. */
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[6],
	    "DeliveryCompleted", order, any_at(7, 0),
	    ",\"deliveryId\":1"), "applied");
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[7],
	    "OrderCanceled", order, any_at(8, 0),
	    ",\"reason\":\"too late\""), "applied");
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL_FATAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status"), "Delivered");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "payment"), "refunded");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "delivery"), "delivered");
	CU_ASSERT(json_object_object_get_ex(r.json, "reason", &v) && v == NULL);
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "PayApproved"),
	    any_at(1, 1));
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "Refunded"),
	    any_at(5, 1));
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "Delivered"),
	    any_at(7, 1));
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "Canceled"), "");
	it_free(&r);

	/* A courier cancel after delivery: the step is noted, the state not. */
	CU_ASSERT_STRING_EQUAL(order_event(st, sizeof(st), ids[8],
	    "DeliveryCanceled", order, any_at(9, 0),
	    ",\"deliveryId\":1"), "applied");
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "delivery"), "delivered");
	CU_ASSERT_STRING_EQUAL(step_at(r.json, "DeliveryCanceled"),
	    any_at(9, 1));
	it_free(&r);
}

/*
 * A relayed batch is applied in one unit of work, its inbox rows written
 * for many events at a time: every event once, in the batch's order, and
 * those seen before, also earlier in the same batch, answered as
 * duplicates.
 */
#define BATCH_N	20
static void
batch_applied_once_each(void)
{
	static char evs[BATCH_N + 2][512], batch[(BATCH_N + 3) * 512];
	char st[BATCH_N + 3][16];
	long long base = 9100000000000LL + (long long)time(NULL) * 1000 +
	    (long long)(getpid() % 1000);
	MYSQL *m = it_db("order");
	time_t t = time(NULL);
	char at[32];
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	/* Now: rows of no order older than FD_MYPAGE_ORPHAN_RETENTION_S
	 * (300 s in make test) are the relay's to purge, any moment. */
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%S.000Z", gmtime(&t));
	for (i = 0; i < BATCH_N + 2; i++)
		snprintf(evs[i], sizeof(evs[i]), "{\"eventId\":"
		    "\"00000000-0000-4000-9000-%012lld\",\"eventType\":"
		    "\"PayApproved\",\"occurredAt\":"
		    "\"%s\",\"orderId\":%lld,"
		    "\"paymentId\":1,\"amount\":1000}",
		    (base * 100 + (long long)i) % 1000000000000LL, at,
		    base + (long long)i);
	/* More than one chunk of new events: each applied. */
	batch[0] = '\0';
	for (i = 0; i < BATCH_N; i++) {
		strcat(batch, i ? "," : "");
		strcat(batch, evs[i]);
	}
	CU_ASSERT_EQUAL(post_order_events(batch, st, BATCH_N), 200);
	for (i = 0; i < BATCH_N; i++)
		CU_ASSERT_STRING_EQUAL(st[i], "applied");
	/* The same again with a new one last: the rest were seen. */
	strcat(batch, ",");
	strcat(batch, evs[BATCH_N]);
	CU_ASSERT_EQUAL(post_order_events(batch, st, BATCH_N + 1), 200);
	for (i = 0; i < BATCH_N; i++)
		CU_ASSERT_STRING_EQUAL(st[i], "duplicate");
	CU_ASSERT_STRING_EQUAL(st[BATCH_N], "applied");
	/* A new event twice in one batch, beside one seen before. */
	snprintf(batch, sizeof(batch), "%s,%s,%s", evs[BATCH_N + 1],
	    evs[BATCH_N + 1], evs[0]);
	CU_ASSERT_EQUAL(post_order_events(batch, st, 3), 200);
	CU_ASSERT_STRING_EQUAL(st[0], "applied");
	CU_ASSERT_STRING_EQUAL(st[1], "duplicate");
	CU_ASSERT_STRING_EQUAL(st[2], "duplicate");
	/* Each one applied: a row per order, approved, and an inbox row. */
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM mypage WHERE"
	    " order_id BETWEEN %lld AND %lld AND payment_state = 'approved'"
	    " AND paid_at IS NOT NULL", base, base + BATCH_N + 1),
	    BATCH_N + 2);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM inbox WHERE"
	    " event_id BETWEEN '00000000-0000-4000-9000-%012lld' AND"
	    " '00000000-0000-4000-9000-%012lld'",
	    (base * 100) % 1000000000000LL,
	    (base * 100 + BATCH_N + 1) % 1000000000000LL), BATCH_N + 2);
	mysql_close(m);
}

void
add_mypage_tests(void)
{
	CU_pSuite s = CU_add_suite("mypage", init_suite, NULL);

	CU_add_test(s, "a placed order is there at once",
	    placed_order_is_there_at_once);
	CU_add_test(s, "follows the whole lifecycle", follows_the_whole_lifecycle);
	CU_add_test(s, "a cancel shows at once, then the refund",
	    cancel_shows_at_once_then_refund);
	CU_add_test(s, "/mypage speaks ui/vocab.tsv and ui/header.html",
	    mypage_speaks_the_vocabulary);
	CU_add_test(s, "ETag and 304", etag_and_304);
	CU_add_test(s, "only the customer sees it", only_the_customer);
	CU_add_test(s, "a slow refill never serves the old state",
	    slow_refill_never_serves_the_old_state);
	CU_add_test(s, "served without memcached", served_without_memcached);
	CU_add_test(s, "a lost invalidation never serves the old state",
	    lost_invalidation_never_serves_the_old_state);
	CU_add_test(s, "... nor when its record is full",
	    lost_invalidation_record_full);
	CU_add_test(s, "events in any order", events_in_any_order);
	CU_add_test(s, "a batch: every event once", batch_applied_once_each);
}
