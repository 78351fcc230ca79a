/*
 * test_push.c - the live streams, GET /events/customer and /events/store
 * (Server-Sent Events held by nginx's nchan, published by the contexts
 * after their commits), read through the gateway as a browser's
 * EventSource would: libcurl with Accept: text/event-stream, every wait
 * bounded.
 *
 *   - a customer's stream carries each change of their own orders and
 *     never another customer's;
 *   - an owner's stream carries its own store's tickets and deliveries and
 *     never another store's;
 *   - a stream cut and reopened with Last-Event-ID gets everything it
 *     missed, once, in order;
 *   - no token, a forged, an expired or another role's token gets no
 *     stream (401/403 JSON), nor does a request that is not an
 *     EventSource's (400); the public gateway refuses to publish.
 */
#include <CUnit/CUnit.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fd_jwt.h"
#include "it.h"

static char owner1[1024], owner2[1024];

static int
init_suite(void)
{
	if (it_login("owner1@fishdelivery.test", "fish-owner-1", owner1,
	    sizeof(owner1)) != 0 ||
	    it_login("owner2@fishdelivery.test", "fish-owner-2", owner2,
	    sizeof(owner2)) != 0)
		return -1;
	return 0;
}

/* One open stream: its bytes so far, read by pumping a curl multi. */
struct sse {
	CURLM			*m;
	CURL			*e;
	struct curl_slist	*h;
	char			*buf;
	size_t			 len;
	int			 running;
};

static size_t
sse_collect(char *p, size_t size, size_t n, void *arg)
{
	struct sse *s = arg;
	char *nb = realloc(s->buf, s->len + size * n + 1);

	if (nb == NULL)
		return 0;
	s->buf = nb;
	memcpy(s->buf + s->len, p, size * n);
	s->len += size * n;
	s->buf[s->len] = '\0';
	return size * n;
}

/* Reads what has come, for up to ms; returns when the stream ended. */
static void
sse_pump(struct sse *s, int ms)
{
	int nfds;

	curl_multi_perform(s->m, &s->running);
	if (s->running)
		curl_multi_poll(s->m, NULL, 0, ms, &nfds);
	curl_multi_perform(s->m, &s->running);
}

/*
 * Opens path with token (NULL: none) and last_id (NULL: none); returns 0
 * once nchan has taken the subscription (its ": hi" comment came), so a
 * change made after it is on the stream.
 */
static int
sse_open(struct sse *s, const char *path, const char *token,
    const char *last_id)
{
	char url[512], hdr[1200];
	long long until;
	struct timespec ts;

	memset(s, 0, sizeof(*s));
	if ((s->m = curl_multi_init()) == NULL || (s->e = curl_easy_init()) ==
	    NULL)
		return -1;
	snprintf(url, sizeof(url), "%s%s", getenv("FD_URL") ? getenv("FD_URL") :
	    "http://127.0.0.1:18088", path);
	s->h = curl_slist_append(s->h, "Accept: text/event-stream");
	if (token != NULL) {
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", token);
		s->h = curl_slist_append(s->h, hdr);
	}
	if (last_id != NULL) {
		snprintf(hdr, sizeof(hdr), "Last-Event-ID: %s", last_id);
		s->h = curl_slist_append(s->h, hdr);
	}
	curl_easy_setopt(s->e, CURLOPT_URL, url);
	curl_easy_setopt(s->e, CURLOPT_HTTPHEADER, s->h);
	curl_easy_setopt(s->e, CURLOPT_WRITEFUNCTION, sse_collect);
	curl_easy_setopt(s->e, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->e, CURLOPT_TIMEOUT, 60L);	/* a bound, always */
	curl_multi_add_handle(s->m, s->e);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	until = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + 5000;
	do {
		sse_pump(s, 50);
		if (s->buf != NULL && strstr(s->buf, ": hi") != NULL)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &ts);
	} while (s->running && ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 <
	    until);
	return -1;
}

/* 1 once the stream has carried needle, within ms; 0 if not. */
static int
sse_wait(struct sse *s, const char *needle, int ms)
{
	struct timespec ts;
	long long until;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	until = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + ms;
	for (;;) {
		if (s->buf != NULL && strstr(s->buf, needle) != NULL)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (!s->running ||
		    ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 >= until)
			return 0;
		sse_pump(s, 50);
	}
}

static int
sse_has(const struct sse *s, const char *needle)
{
	return s->buf != NULL && strstr(s->buf, needle) != NULL;
}

static void
sse_close(struct sse *s)
{
	if (s->m != NULL && s->e != NULL)
		curl_multi_remove_handle(s->m, s->e);
	if (s->e != NULL)
		curl_easy_cleanup(s->e);
	if (s->m != NULL)
		curl_multi_cleanup(s->m);
	curl_slist_free_all(s->h);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

/* The id: line of the last message carried so far, into out. */
static int
sse_last_id(const struct sse *s, char *out, size_t sz)
{
	const char *p, *last = NULL;
	size_t n;

	for (p = s->buf; p != NULL && (p = strstr(p, "\nid: ")) != NULL; p++)
		last = p + 5;
	if (last == NULL)
		return -1;
	n = strcspn(last, "\r\n");
	if (n >= sz)
		return -1;
	memcpy(out, last, n);
	out[n] = '\0';
	return 0;
}

/* How many times needle is on the stream. */
static int
sse_count(const struct sse *s, const char *needle)
{
	const char *p;
	int n = 0;

	for (p = s->buf; p != NULL && (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* An order at store, of its first item not sold out; its id or -1. */
static long long
place_at(const char *token, long long store)
{
	struct it_resp r;
	char path[64], body[256];
	long long menu = -1;
	size_t i, n;

	snprintf(path, sizeof(path), "/stores/%lld/menu", store);
	if (it_req(&r, "GET", path, NULL, NULL, NULL) == 0 && r.status == 200) {
		struct json_object *items;

		if (json_object_object_get_ex(r.json, "items", &items)) {
			n = json_object_array_length(items);
			for (i = 0; i < n && menu < 0; i++) {
				struct json_object *it =
				    json_object_array_get_idx(items, i), *v;

				if (json_object_object_get_ex(it, "soldOut",
				    &v) && !json_object_get_boolean(v) &&
				    json_object_object_get_ex(it, "menuId", &v))
					menu = json_object_get_int64(v);
			}
		}
	}
	it_free(&r);
	if (menu < 0)
		return -1;
	snprintf(body, sizeof(body), "{\"storeId\":%lld,\"items\":[{\"menuId\":"
	    "%lld,\"qty\":1}],\"card\":\"4111111111111111\",\"address\":"
	    "\"서울 중구 1\",\"phone\":\"010-1111-2222\"}", store, menu);
	return it_place(token, body);
}

/* The owner's step on the ticket of order; 0 when answered 200. */
static int
step(const char *owner, long long order, const char *status)
{
	struct it_resp r;
	char path[64], body[64];
	long long ticket;
	int i, rc = -1;

	/* The ticket comes by the relay: wait for it. */
	for (i = 0, ticket = -1; i < 100 && ticket <= 0; i++) {
		ticket = it_ctx_int("fishstore",
		    "SELECT id FROM tickets WHERE order_id = %lld", order);
		if (ticket <= 0)
			usleep(50000);
	}
	if (ticket <= 0)
		return -1;
	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	/* Accepting says when the food will be ready (SPEC). */
	snprintf(body, sizeof(body), "{\"status\":\"%s\"%s}", status,
	    strcmp(status, "Accepted") == 0 ? ",\"readyInMinutes\":10" : "");
	if (it_req(&r, "PATCH", path, owner, body, NULL) == 0)
		rc = r.status == 200 ? 0 : -1;
	it_free(&r);
	return rc;
}

/* The message a customer's stream carries for order in status. */
static void
customer_msg(char *out, size_t sz, long long order, const char *status)
{
	snprintf(out, sz, "data: {\"orderId\":%lld,\"status\":\"%s\",\"at\":\"",
	    order, status);
}

/* A customer sees each change of their own orders within a second, and
 * nothing of another customer's, on a stream of their own. */
static void
customer_sees_own_orders_only(void)
{
	char a[1024], b[1024], email[128], want[128], other[64];
	struct sse sa, sb;
	long long oa, ob;

	CU_ASSERT_FATAL(it_customer(a, sizeof(a), email, sizeof(email)) > 0);
	CU_ASSERT_FATAL(it_customer(b, sizeof(b), email, sizeof(email)) > 0);
	CU_ASSERT_FATAL(sse_open(&sa, "/events/customer", a, NULL) == 0);
	CU_ASSERT_FATAL(sse_open(&sb, "/events/customer", b, NULL) == 0);
	CU_ASSERT_FATAL((oa = place_at(a, 1)) > 0);
	customer_msg(want, sizeof(want), oa, "Paid");
	CU_ASSERT(sse_wait(&sa, want, 1000));
	/* The owner accepts: the customer's stream says so, from the order
	 * context's MyPage once it applied OrderTaken. */
	CU_ASSERT_FATAL(step(owner1, oa, "Accepted") == 0);
	customer_msg(want, sizeof(want), oa, "Accepted");
	CU_ASSERT(sse_wait(&sa, want, 2000));
	/* B's own order reaches B: by then A's would have too. */
	CU_ASSERT_FATAL((ob = place_at(b, 1)) > 0);
	customer_msg(want, sizeof(want), ob, "Paid");
	CU_ASSERT(sse_wait(&sb, want, 1000));
	snprintf(other, sizeof(other), "\"orderId\":%lld,", oa);
	CU_ASSERT(!sse_has(&sb, other));
	snprintf(other, sizeof(other), "\"orderId\":%lld,", ob);
	CU_ASSERT(sse_wait(&sa, other, 300) == 0);
	sse_close(&sa);
	sse_close(&sb);
}

/* An owner sees its store's new and changed tickets and its deliveries,
 * and never another store's. */
static void
owner_sees_own_store_only(void)
{
	char c[1024], email[128], want[160], other[64];
	struct sse s1, s2;
	long long o1, o2;

	CU_ASSERT_FATAL(it_customer(c, sizeof(c), email, sizeof(email)) > 0);
	CU_ASSERT_FATAL(sse_open(&s1, "/events/store", owner1, NULL) == 0);
	CU_ASSERT_FATAL(sse_open(&s2, "/events/store", owner2, NULL) == 0);
	CU_ASSERT_FATAL((o1 = place_at(c, 1)) > 0);
	/* The new ticket, made by fishstore from OrderPlaced. */
	snprintf(want, sizeof(want), "\"orderId\":%lld,\"status\":\"Paid\"", o1);
	CU_ASSERT(sse_wait(&s1, want, 2000));
	CU_ASSERT_FATAL(step(owner1, o1, "Accepted") == 0);
	snprintf(want, sizeof(want), "\"orderId\":%lld,\"status\":\"Accepted\"",
	    o1);
	CU_ASSERT(sse_wait(&s1, want, 1000));
	CU_ASSERT_FATAL(step(owner1, o1, "Prepared") == 0);
	/* The delivery that OrderPrepared starts, from the delivery context. */
	snprintf(want, sizeof(want), "\"type\":\"delivery\",\"deliveryId\":");
	CU_ASSERT(sse_wait(&s1, want, 2000));
	snprintf(want, sizeof(want), "\"orderId\":%lld,\"status\":"
	    "\"DeliveryStarted\"", o1);
	CU_ASSERT(sse_wait(&s1, want, 2000));
	/* Store 2's own order reaches owner 2: by then store 1's would. */
	CU_ASSERT_FATAL((o2 = place_at(c, 2)) > 0);
	snprintf(want, sizeof(want), "\"orderId\":%lld,\"status\":\"Paid\"", o2);
	CU_ASSERT(sse_wait(&s2, want, 2000));
	snprintf(other, sizeof(other), "\"orderId\":%lld,", o1);
	CU_ASSERT(!sse_has(&s2, other));
	snprintf(other, sizeof(other), "\"orderId\":%lld,", o2);
	CU_ASSERT(sse_wait(&s1, other, 300) == 0);
	sse_close(&s1);
	sse_close(&s2);
}

/* A stream cut and reopened with the last id it had gets every message
 * it missed meanwhile, once each and in order, and nothing from before. */
static void
resumed_stream_misses_nothing(void)
{
	char c[1024], email[128], want[128], last[64];
	const char *acc, *pre, *dst;
	struct sse s;
	long long o;

	CU_ASSERT_FATAL(it_customer(c, sizeof(c), email, sizeof(email)) > 0);
	CU_ASSERT_FATAL(sse_open(&s, "/events/customer", c, NULL) == 0);
	CU_ASSERT_FATAL((o = place_at(c, 1)) > 0);
	customer_msg(want, sizeof(want), o, "Paid");
	CU_ASSERT_FATAL(sse_wait(&s, want, 1000));
	CU_ASSERT_FATAL(sse_last_id(&s, last, sizeof(last)) == 0);
	sse_close(&s);		/* the cut */

	/* Three changes while no stream is open. */
	CU_ASSERT_FATAL(step(owner1, o, "Accepted") == 0);
	CU_ASSERT_FATAL(step(owner1, o, "Prepared") == 0);
	customer_msg(want, sizeof(want), o, "DeliveryStarted");
	{
		int i, seen = 0;

		/* Wait until the order context has it (MyPage, read back). */
		for (i = 0; i < 40 && !seen; i++) {
			char path[64], st[32];

			snprintf(path, sizeof(path), "/myPages/%lld", o);
			seen = strcmp(it_get_str(path, c, "status", st,
			    sizeof(st)), "DeliveryStarted") == 0;
			if (!seen)
				usleep(50000);
		}
		CU_ASSERT_FATAL(seen);
	}

	/* Reopened as EventSource does: Last-Event-ID. */
	CU_ASSERT_FATAL(sse_open(&s, "/events/customer", c, last) == 0);
	CU_ASSERT(sse_wait(&s, want, 1000));
	customer_msg(want, sizeof(want), o, "Accepted");
	acc = strstr(s.buf, want);
	customer_msg(want, sizeof(want), o, "Prepared");
	pre = strstr(s.buf, want);
	customer_msg(want, sizeof(want), o, "DeliveryStarted");
	dst = strstr(s.buf, want);
	CU_ASSERT(acc != NULL && pre != NULL && dst != NULL);
	CU_ASSERT(acc < pre && pre < dst);
	/* Once each; what it had before the cut is not sent again. */
	CU_ASSERT_EQUAL(sse_count(&s, "\"status\":\"Accepted\""), 1);
	customer_msg(want, sizeof(want), o, "Paid");
	CU_ASSERT(!sse_has(&s, want));
	sse_close(&s);

	/* Without Last-Event-ID a stream starts at the next message. */
	CU_ASSERT_FATAL(sse_open(&s, "/events/customer", c, NULL) == 0);
	sse_pump(&s, 300);
	CU_ASSERT(!sse_has(&s, "data: "));
	sse_close(&s);
}

/* A request for a stream answered with JSON (no stream): status and code. */
static void
expect_refused(const char *path, const char *token, const char *accept,
    long status, const char *code)
{
	const char *h[3];
	char auth[1200];
	struct it_resp r;
	char ct[128];
	int n = 0;

	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		h[n++] = auth;
	}
	if (accept != NULL)
		h[n++] = accept;
	h[n] = NULL;
	CU_ASSERT_FATAL(it_req_raw(&r, "GET", path, h, NULL, 0) == 0);
	CU_ASSERT_EQUAL(r.status, status);
	CU_ASSERT(it_is_error(&r, code));
	CU_ASSERT(it_header(&r, "Content-Type", ct, sizeof(ct)) != NULL &&
	    strstr(ct, "application/json") != NULL);
	if (r.status != status)
		fprintf(stderr, "GET %s: %ld %s\n", path, r.status, r.body);
	it_free(&r);
}

/* No stream without the right token: none, forged, expired, another
 * role's; not for a request that is not an EventSource's; and nobody
 * publishes through the public gateway. */
static void
bad_tokens_get_no_stream(void)
{
	static const char sse[] = "Accept: text/event-stream";
	char c[1024], email[128], secret[256], bad[1200], want[96];
	struct fd_claims cl;
	struct it_resp r;
	struct sse s;
	long long uid, now = (long long)time(NULL);
	char *dot;

	CU_ASSERT_FATAL((uid = it_customer(c, sizeof(c), email,
	    sizeof(email))) > 0);
	CU_ASSERT_FATAL(it_read_etc("jwt.secret", secret, sizeof(secret)) == 0);

	expect_refused("/events/customer", NULL, sse, 401, "unauthorized");
	expect_refused("/events/store", NULL, sse, 401, "unauthorized");
	/* Forged: the customer's token with another signature. */
	snprintf(bad, sizeof(bad), "%s", c);
	dot = strrchr(bad, '.');
	CU_ASSERT_FATAL(dot != NULL && dot[1] != '\0');
	dot[1] = dot[1] == 'A' ? 'B' : 'A';
	expect_refused("/events/customer", bad, sse, 401, "unauthorized");
	/* Signed with a key that is not ours, for the same customer. */
	memset(&cl, 0, sizeof(cl));
	cl.sub = uid;
	cl.role = FD_ROLE_CUSTOMER;
	cl.iat = now;
	cl.exp = now + 600;
	CU_ASSERT_FATAL(fd_jwt_sign((const unsigned char *)
	    "an attacker's key of some length 12345", 38, &cl, bad,
	    sizeof(bad)) == 0);
	expect_refused("/events/customer", bad, sse, 401, "unauthorized");
	/* Correctly signed but expired. */
	cl.iat = now - 7200;
	cl.exp = now - 3600;
	CU_ASSERT_FATAL(fd_jwt_sign((const unsigned char *)secret,
	    strlen(secret), &cl, bad, sizeof(bad)) == 0);
	expect_refused("/events/customer", bad, sse, 401, "unauthorized");
	/* An owner token signed for store 2 but expired. */
	cl.role = FD_ROLE_OWNER;
	cl.store = 2;
	CU_ASSERT_FATAL(fd_jwt_sign((const unsigned char *)secret,
	    strlen(secret), &cl, bad, sizeof(bad)) == 0);
	expect_refused("/events/store", bad, sse, 401, "unauthorized");
	/* Another role's stream. */
	expect_refused("/events/customer", owner1, sse, 403, "forbidden");
	expect_refused("/events/store", c, sse, 403, "forbidden");
	/* Not an EventSource. */
	expect_refused("/events/customer", c, NULL, 400, "bad_request");
	/* The control: the same customer's real token gets a stream. */
	CU_ASSERT_FATAL(sse_open(&s, "/events/customer", c, NULL) == 0);

	/* The publisher is on the internal gateway only: the public one
	 * refuses, and the stream carries nothing of it. */
	snprintf(bad, sizeof(bad), "/push/customer/%lld", uid);
	CU_ASSERT_FATAL(it_req(&r, "POST", bad, NULL,
	    "{\"orderId\":1,\"status\":\"Delivered\",\"at\":\"x\"}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	snprintf(bad, sizeof(bad), "/_push/customer/%lld", uid);
	CU_ASSERT_FATAL(it_req_raw(&r, "GET", bad,
	    (const char *[]){ sse, NULL }, NULL, 0) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	snprintf(want, sizeof(want), "\"status\":\"Delivered\"");
	CU_ASSERT(sse_wait(&s, want, 300) == 0);
	sse_close(&s);
}

void
add_push_tests(void)
{
	CU_pSuite s = CU_add_suite("push", init_suite, NULL);

	CU_add_test(s, "customer_sees_own_orders_only",
	    customer_sees_own_orders_only);
	CU_add_test(s, "owner_sees_own_store_only", owner_sees_own_store_only);
	CU_add_test(s, "resumed_stream_misses_nothing",
	    resumed_stream_misses_nothing);
	CU_add_test(s, "bad_tokens_get_no_stream", bad_tokens_get_no_stream);
}
