/*
 * cluster_load.c - the order load of the cluster tests (tests/cluster/
 * run.sh and its scenarios): THREADS customers, each signed up and logged
 * in through the gateway, placing orders (or reading one) in a loop for
 * SECONDS, and one line written per answer so that the test can check
 * every 201 afterwards:
 *
 *	cluster_load -u URL -c THREADS -d SECONDS -o FILE [-p PREFIX]
 *	    [-m MIX] [-r]
 *
 *	FILE:  <ms since start> <status> <orderId or 0> <Retry-After 0|1>
 *	       <kind> <customer> <Idempotency-Key or ->
 *
 * MIX says what each customer does, customer i the letter i (mod its
 * length): k places orders with an Idempotency-Key of their own (the
 * default, "k"), n places them without one, g reads (GET /orders/{id} of
 * an order it placed first, with a key, and GET /myPages in turn).
 * Status 0 is no answer within 10 s (35 s for an order without a key,
 * which the gateway holds up to 30 s) : a hang, or a connection refused
 * or reset.  Without -r no request is retried here: the test wants to
 * see each answer the gateway gave.  With -r a keyed order that did not
 * end (no answer, 5xx, 409 "in progress") is sent again with the same
 * key, as a client told to retry would, until it ends or 60 s have gone:
 * each attempt is a line.  SIGTERM ends the load early (what is in
 * flight is answered and written first).  Exits 0 when it ran, 1 when a
 * customer could not log in, 2 on bad usage.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS	32
#define REQ_TIMEOUT_MS	10000L
#define ONCE_TIMEOUT_MS	35000L	/* a keyless POST /orders: 30 s at nginx */
#define RETRY_FOR_S	60.0	/* -r: a key is tried again this long */
#define ORDER_BODY	"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1}]," \
			"\"card\":\"4111111111111111\"," \
			"\"address\":\"서울 마포구 1\",\"phone\":\"010-1234-5678\"}"

struct resp {
	long	 status;
	int	 retry_after;
	size_t	 len;
	char	 body[4096];
};

static const char *base;
static const char *prefix = "cl";
static const char *mix = "k";
static int retry_keyed;
static double seconds = 10, t0;
static FILE *out;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int failed;
static volatile sig_atomic_t ending;	/* SIGTERM: the load ends now */

static void
on_term(int sig)
{
	(void)sig;
	ending = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct resp *r = arg;
	size_t k = size * n, room = sizeof(r->body) - 1 - r->len;

	memcpy(r->body + r->len, p, k < room ? k : room);
	r->len += k < room ? k : room;
	r->body[r->len] = '\0';
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct resp *r = arg;

	if (size * n > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		r->retry_after = 1;
	return size * n;
}

/* One request, a POST of body or a GET (body NULL); fills r (status 0:
 * no answer within timeout_ms). */
static void
request(CURL *c, const char *path, const char *body, const char *auth,
    const char *idem, long timeout_ms, struct resp *r)
{
	struct curl_slist *h = NULL;
	char url[512];

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s%s", base, path);
	h = curl_slist_append(h, "Content-Type: application/json");
	if (auth != NULL)
		h = curl_slist_append(h, auth);
	if (idem != NULL)
		h = curl_slist_append(h, idem);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	else
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(h);
}

/* The JSON number after "key": in s, or 0. */
static long long
json_num(const char *s, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\":", key);
	return (p = strstr(s, k)) != NULL ? atoll(p + strlen(k)) : 0;
}

/* One line of FILE for the answer r to a request sent at t. */
static void
record(double t, const struct resp *r, int kind, int idx, const char *key)
{
	pthread_mutex_lock(&out_lock);
	fprintf(out, "%ld %ld %lld %d %c %d %s\n", (long)((t - t0) * 1000),
	    r->status, r->status == 201 ? json_num(r->body, "orderId") : 0,
	    r->retry_after, kind, idx, key);
	pthread_mutex_unlock(&out_lock);
}

/* A keyed order that has not ended: no answer, a 5xx, or 409 while
 * another request holds its key (order_domain.c's messages). */
static int
unfinished(const struct resp *r)
{
	return r->status == 0 || r->status >= 500 || (r->status == 409 &&
	    strstr(r->body, "in progress") != NULL);
}

static void *
customer(void *arg)
{
	int idx = (int)(long)arg, tries, kind = mix[idx % strlen(mix)];
	char body[512], auth[1200], idem[128], key[96], path[64];
	long long order_id = 0;
	double tk;
	const char *tok, *end;
	struct resp r;
	CURL *c = curl_easy_init();
	double t;
	long n = 0;

	snprintf(body, sizeof(body), "{\"email\":\"%s-%d-%ld@cluster.test\","
	    "\"password\":\"cluster-pass-1\",\"name\":\"손님\","
	    "\"phone\":\"010-1234-5678\",\"address\":\"서울 마포구 1\"}",
	    prefix, idx, (long)getpid());
	request(c, "/auth/signup", body, NULL, NULL, REQ_TIMEOUT_MS, &r);
	snprintf(body, sizeof(body), "{\"email\":\"%s-%d-%ld@cluster.test\","
	    "\"password\":\"cluster-pass-1\"}", prefix, idx, (long)getpid());
	for (tries = 0; tries < 20; tries++) {
		request(c, "/auth/login", body, NULL, NULL, REQ_TIMEOUT_MS, &r);
		if (r.status == 200)
			break;
		usleep(250000);
	}
	if (r.status != 200 || (tok = strstr(r.body, "\"token\":\"")) == NULL ||
	    (end = strchr(tok + 9, '"')) == NULL) {
		fprintf(stderr, "cluster_load: login %d: %ld %s\n", idx,
		    r.status, r.body);
		failed = 1;
		curl_easy_cleanup(c);
		return NULL;
	}
	snprintf(auth, sizeof(auth), "Authorization: Bearer %.*s",
	    (int)(end - tok - 9), tok + 9);
	while ((t = now()) - t0 < seconds && !ending) {
		if (kind == 'n') {
			request(c, "/orders", ORDER_BODY, auth, NULL,
			    ONCE_TIMEOUT_MS, &r);
			record(t, &r, kind, idx, "-");
		} else if (kind == 'g' && order_id > 0) {
			if (n++ % 2 == 0)
				snprintf(path, sizeof(path), "/orders/%lld",
				    order_id);
			else
				snprintf(path, sizeof(path), "/myPages");
			request(c, path, NULL, auth, NULL, REQ_TIMEOUT_MS, &r);
			record(t, &r, kind, idx, "-");
		} else {
			snprintf(key, sizeof(key), "%s-%d-%ld-%ld", prefix,
			    idx, (long)getpid(), n++);
			snprintf(idem, sizeof(idem), "Idempotency-Key: %s", key);
			tk = t;
			for (;;) {
				request(c, "/orders", ORDER_BODY, auth, idem,
				    REQ_TIMEOUT_MS, &r);
				record(t, &r, 'k', idx, key);
				if (!retry_keyed || !unfinished(&r) ||
				    now() - tk > RETRY_FOR_S || ending)
					break;
				usleep(200000);
				t = now();
			}
			if (r.status == 201 && kind == 'g')
				order_id = json_num(r.body, "orderId");
		}
		if (r.status != 201 && r.status != 200)
			usleep(100000);	/* as a client told to retry would */
	}
	curl_easy_cleanup(c);
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t tid[MAX_THREADS];
	const char *file = NULL;
	int c, threads = 4, i;

	while ((c = getopt(argc, argv, "u:c:d:o:p:m:r")) != -1)
		switch (c) {
		case 'u': base = optarg; break;
		case 'c': threads = atoi(optarg); break;
		case 'd': seconds = atof(optarg); break;
		case 'o': file = optarg; break;
		case 'p': prefix = optarg; break;
		case 'm': mix = optarg; break;
		case 'r': retry_keyed = 1; break;
		default: return 2;
		}
	if (base == NULL || file == NULL || threads < 1 ||
	    threads > MAX_THREADS || seconds <= 0 || *mix == '\0' ||
	    strspn(mix, "kng") != strlen(mix)) {
		fprintf(stderr, "usage: cluster_load -u URL -c THREADS "
		    "-d SECONDS -o FILE [-p PREFIX] [-m k|n|g...] [-r]\n");
		return 2;
	}
	if ((out = fopen(file, "w")) == NULL) {
		perror(file);
		return 2;
	}
	setvbuf(out, NULL, _IOLBF, 0);
	signal(SIGTERM, on_term);
	curl_global_init(CURL_GLOBAL_ALL);
	t0 = now();
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, customer, (void *)(long)i);
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	fclose(out);
	curl_global_cleanup();
	return failed;
}
