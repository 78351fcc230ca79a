/*
 * order_load.c - the order placement load of `make bench`: THREADS threads,
 * each a customer of its own with a libcurl easy handle of its own (so one
 * kept-alive connection to the gateway each), POST /orders in a loop.
 *
 *	order_load [-c THREADS] [-d SECONDS] [-w WARMUP] [-r REQUESTS]
 *	    [-x STATUS] [-u URL]
 *
 * Thread i logs in as bench-<i>@example.com, signing the customer up the
 * first time, so that runs against the same stack reuse their customers.
 * Then all start together: WARMUP seconds are not counted, SECONDS are.  A
 * request counts when it both started and ended inside the measured time.
 * With -r the run instead stops after REQUESTS answers, all counted, with no
 * warm-up (run.sh opens the payment breaker that way with -c 1 -r 30).
 *
 * -x is the status every answer should have: 201, an order placed (the
 * default), or 503, the breaker's fallback, which must carry Retry-After
 * too.  rps counts the expected answers only; the latencies are those of
 * every answer.  The last line of the output is for run.sh:
 *
 *	result rps=R p50=MS p99=MS n=ANSWERS ok=N bad=N noretry=N codes=201:N,...
 *
 * (noretry: 503s without Retry-After; code 000: no answer at all.)
 * Loopback only (or the cluster's bridge on this machine: FD_CLUSTER_NET),
 * and every request gives up after 10 s, so a run is bounded.
 * Exits 0 when it ran (judging the answers is run.sh's job), 1 when it could
 * not (a login failed), 2 on bad usage.
 */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lat.h"

#define MAX_THREADS	256
#define MAX_STATUS	600
#define REQ_TIMEOUT_MS	10000L
#define LOGIN_TIMEOUT_MS 30000L
#define MAX_SHOWN	3	/* unexpected answers shown on stderr */
#define PASSWORD	"bench-password-1"
#define ORDER_BODY	"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1}," \
			"{\"menuId\":2,\"qty\":1}],\"address\":\"서울 마포구 1\"," \
			"\"phone\":\"010-1234-5678\"}"

struct resp {
	long	 status;	/* 0: no answer */
	int	 retry_after;	/* a Retry-After header came */
	size_t	 len;
	char	 body[2048];	/* the start of it, NUL-terminated */
};

struct worker {
	pthread_t	 tid;
	int		 idx;
	int		 ready;		/* logged in */
	CURL		*curl;
	char		 auth[1200];	/* "Authorization: Bearer <token>" */
	struct resp	 r;
	struct lat	 lat;
	unsigned long	 codes[MAX_STATUS];
	unsigned long	 noretry;
};

static const char *base = "http://127.0.0.1:28088";
static int expect = 201;
static long max_requests;		/* -r; 0: run by time */
static atomic_long started;
static atomic_int shown;
static int abort_run;			/* set by main between the barriers */
static double t_measure, t_end;		/* likewise */
static pthread_barrier_t logged_in, go;

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct resp *r = arg;
	size_t len = size * n, room = sizeof(r->body) - 1 - r->len;

	/* Keep the start only, but read it all: the connection is reused. */
	if (room > len)
		room = len;
	memcpy(r->body + r->len, p, room);
	r->len += room;
	r->body[r->len] = '\0';
	return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct resp *r = arg;
	size_t len = size * n;

	if (len >= 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		r->retry_after = 1;
	return len;
}

/* POSTs body to base + path on w's handle; the status, 0 with no answer. */
static long
post(struct worker *w, const char *path, const char *body,
    struct curl_slist *h, long timeout_ms)
{
	struct resp *r = &w->r;
	char url[1024];
	CURLcode rc;

	snprintf(url, sizeof(url), "%s%s", base, path);
	r->status = 0;
	r->retry_after = 0;
	r->len = 0;
	r->body[0] = '\0';
	curl_easy_setopt(w->curl, CURLOPT_URL, url);
	curl_easy_setopt(w->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(w->curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	if ((rc = curl_easy_perform(w->curl)) != CURLE_OK) {
		snprintf(r->body, sizeof(r->body), "(%s)", curl_easy_strerror(rc));
		return 0;
	}
	curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &r->status);
	return r->status;
}

/* Logs w's customer in, signing it up first if need be.  0 = OK. */
static int
login(struct worker *w)
{
	struct curl_slist *h = NULL;
	char email[64], creds[256], signup[512];
	const char *t;
	size_t n;
	int tries, rc = -1;

	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	snprintf(email, sizeof(email), "bench-%03d@example.com", w->idx);
	snprintf(creds, sizeof(creds), "{\"email\":\"%s\",\"password\":\""
	    PASSWORD "\"}", email);
	snprintf(signup, sizeof(signup), "{\"email\":\"%s\",\"password\":\""
	    PASSWORD "\",\"name\":\"벤치 손님\",\"phone\":\"010-1234-5678\","
	    "\"address\":\"서울 마포구 1\"}", email);
	for (tries = 0; ; tries++) {
		if (post(w, "/auth/login", creds, h, LOGIN_TIMEOUT_MS) == 200)
			break;
		if (w->r.status != 401 || tries > 0)
			goto err;
		/* Not a customer yet: sign up, once. */
		if (post(w, "/auth/signup", signup, h, LOGIN_TIMEOUT_MS) != 201)
			goto err;
	}
	if ((t = strstr(w->r.body, "\"token\":\"")) == NULL)
		goto err;
	t += 9;
	n = strcspn(t, "\"");
	if (n == 0 || t[n] != '"' || n > sizeof(w->auth) - 32)
		goto err;
	snprintf(w->auth, sizeof(w->auth), "Authorization: Bearer %.*s",
	    (int)n, t);
	rc = 0;
	goto out;
err:
	fprintf(stderr, "order_load: cannot log %s in: %ld %s\n", email,
	    w->r.status, w->r.body);
out:
	curl_slist_free_all(h);
	return rc;
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	struct curl_slist *h = NULL;
	double t0, t1;
	long st;
	int ok;

	w->ready = login(w) == 0;
	pthread_barrier_wait(&logged_in);
	pthread_barrier_wait(&go);	/* main sets the times in between */
	if (abort_run)
		return NULL;
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	h = curl_slist_append(h, w->auth);
	for (;;) {
		if (max_requests > 0) {
			if (atomic_fetch_add(&started, 1) >= max_requests)
				break;
		} else if (lat_now_ms() >= t_end)
			break;
		t0 = lat_now_ms();
		st = post(w, "/orders", ORDER_BODY, h, REQ_TIMEOUT_MS);
		t1 = lat_now_ms();
		if (max_requests == 0 && (t0 < t_measure || t1 > t_end))
			continue;	/* the warm-up, or past the end */
		w->codes[st >= 100 && st < MAX_STATUS ? st : 0]++;
		if (st == 503 && !w->r.retry_after)
			w->noretry++;
		lat_add(&w->lat, t1 - t0);
		ok = st == expect && (st != 503 || w->r.retry_after);
		if (!ok && atomic_fetch_add(&shown, 1) < MAX_SHOWN)
			fprintf(stderr, "order_load: unexpected answer %03ld%s: "
			    "%.300s\n", st, st == 503 && !w->r.retry_after ?
			    " without Retry-After" : "", w->r.body);
	}
	curl_slist_free_all(h);
	return NULL;
}

static long
number(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "order_load: %s must be %ld..%ld, not '%s'\n",
		    opt, min, max, s);
		exit(2);
	}
	return v;
}

/*
 * Loopback only, or the gateway of the cluster scripts/cluster.sh made on
 * this machine's own bridge (FD_CLUSTER_NET, bench/case/cluster.sh): the
 * load must never leave this machine.
 */
static int
loopback(const char *url)
{
	static const char *ok[] = { "http://127.", "http://localhost:",
	    "http://localhost/", "http://[::1]" };
	const char *net = getenv("FD_CLUSTER_NET");
	char pfx[64];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strncmp(url, ok[i], strlen(ok[i])) == 0)
			return 1;
	if (net != NULL && *net != '\0' && strlen(net) < 32 &&
	    strspn(net, "0123456789.") == strlen(net)) {
		snprintf(pfx, sizeof(pfx), "http://%s.", net);
		if (strncmp(url, pfx, strlen(pfx)) == 0)
			return 1;
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: order_load [-c THREADS] [-d SECONDS] "
	    "[-w WARMUP] [-r REQUESTS] [-x 201|503] [-u URL]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct worker *ws = NULL;
	struct lat all;
	unsigned long codes[MAX_STATUS], noretry = 0, ok, n;
	long threads = 16, seconds = 10, warmup = 2, i, j;
	double t_start, secs, rps;
	char sep;
	int c, ready = 0, rc = 1;

	while ((c = getopt(argc, argv, "c:d:r:u:w:x:")) != -1) {
		switch (c) {
		case 'c': threads = number("-c", optarg, 1, MAX_THREADS); break;
		case 'd': seconds = number("-d", optarg, 1, 3600); break;
		case 'r': max_requests = number("-r", optarg, 1, 1000000); break;
		case 'u': base = optarg; break;
		case 'w': warmup = number("-w", optarg, 0, 600); break;
		case 'x': expect = (int)number("-x", optarg, 100, 599); break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (!loopback(base)) {
		fprintf(stderr, "order_load: %s is not on this machine\n", base);
		return 2;
	}
	if (max_requests > 0)
		warmup = 0;

	memset(codes, 0, sizeof(codes));
	memset(&all, 0, sizeof(all));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	if ((ws = calloc((size_t)threads, sizeof(*ws))) == NULL ||
	    pthread_barrier_init(&logged_in, NULL, (unsigned)threads + 1) != 0 ||
	    pthread_barrier_init(&go, NULL, (unsigned)threads + 1) != 0)
		goto out;
	for (i = 0; i < threads; i++) {
		ws[i].idx = (int)i + 1;
		if ((ws[i].curl = curl_easy_init()) == NULL)
			goto out;
		curl_easy_setopt(ws[i].curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(ws[i].curl, CURLOPT_TCP_NODELAY, 1L);
		curl_easy_setopt(ws[i].curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
		curl_easy_setopt(ws[i].curl, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(ws[i].curl, CURLOPT_WRITEDATA, &ws[i].r);
		curl_easy_setopt(ws[i].curl, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(ws[i].curl, CURLOPT_HEADERDATA, &ws[i].r);
	}
	/* Barriers wait for every thread: start them all, or give up early. */
	for (i = 0; i < threads; i++)
		if (pthread_create(&ws[i].tid, NULL, run, &ws[i]) != 0) {
			fprintf(stderr, "order_load: cannot start thread %ld\n", i);
			exit(1);
		}

	pthread_barrier_wait(&logged_in);
	for (i = 0; i < threads; i++)
		ready += ws[i].ready;
	abort_run = ready != threads;
	t_start = lat_now_ms();
	t_measure = t_start + (double)warmup * 1000.0;
	t_end = t_measure + (double)seconds * 1000.0;
	pthread_barrier_wait(&go);
	for (i = 0; i < threads; i++)
		pthread_join(ws[i].tid, NULL);
	if (abort_run) {
		fprintf(stderr, "order_load: %d of %ld customers could not log "
		    "in\n", (int)threads - ready, threads);
		goto out;
	}
	secs = max_requests > 0 ? (lat_now_ms() - t_start) / 1000.0 :
	    (double)seconds;

	for (i = 0; i < threads; i++) {
		for (j = 0; j < MAX_STATUS; j++)
			codes[j] += ws[i].codes[j];
		noretry += ws[i].noretry;
		if (lat_move(&all, &ws[i].lat) != 0)
			goto out;
	}
	lat_sort(&all);
	n = (unsigned long)all.n;
	ok = codes[expect] - (expect == 503 ? noretry : 0);
	rps = secs > 0 ? (double)ok / secs : 0.0;

	printf("order_load: %ld threads, %s, POST %s/orders, expecting %d\n",
	    threads, max_requests > 0 ? "counted requests" : "timed", base,
	    expect);
	printf("  %lu answers in %.2f s, %lu expected: %.1f/s\n", n, secs, ok,
	    rps);
	printf("  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
	    lat_pct(&all, 50), lat_pct(&all, 90), lat_pct(&all, 99),
	    lat_pct(&all, 100));
	if (all.oom)
		printf("  (out of memory: some latencies were not kept)\n");
	printf("result rps=%.1f p50=%.3f p99=%.3f n=%lu ok=%lu bad=%lu "
	    "noretry=%lu codes=", rps, lat_pct(&all, 50), lat_pct(&all, 99), n,
	    ok, n - ok, noretry);
	sep = '\0';
	for (j = 0; j < MAX_STATUS; j++)
		if (codes[j] > 0) {
			if (sep)
				putchar(sep);
			printf("%03ld:%lu", j, codes[j]);
			sep = ',';
		}
	if (!sep)
		printf("-");
	putchar('\n');
	rc = 0;
out:
	if (ws != NULL)
		for (i = 0; i < threads; i++) {
			if (ws[i].curl != NULL)
				curl_easy_cleanup(ws[i].curl);
			free(ws[i].lat.ms);
		}
	free(ws);
	free(all.ms);
	curl_global_cleanup();
	return rc;
}
