/*
 * cluster_load.c - the order load of the cluster tests (tests/cluster/
 * run.sh): THREADS customers, each signed up and logged in through the
 * gateway, placing orders in a loop for SECONDS, and one line written per
 * answer so that the test can check every 201 afterwards:
 *
 *	cluster_load -u URL -c THREADS -d SECONDS -o FILE [-p PREFIX]
 *
 *	FILE:  <ms since start> <status> <orderId or 0> <Retry-After 0|1>
 *
 * Status 0 is no answer within 10 s (a hang, or a connection refused or
 * reset).  Each request carries an Idempotency-Key of its own and is never
 * retried here: the test wants to see each answer the gateway gave.  Exits
 * 0 when it ran, 1 when a customer could not log in, 2 on bad usage.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS	32
#define REQ_TIMEOUT_MS	10000L
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
static double seconds = 10, t0;
static FILE *out;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int failed;

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

/* One request; fills r (status 0: no answer). */
static void
request(CURL *c, const char *path, const char *body, const char *auth,
    const char *idem, struct resp *r)
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
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, REQ_TIMEOUT_MS);
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

static void *
customer(void *arg)
{
	int idx = (int)(long)arg, tries;
	char body[512], auth[1200], idem[128];
	const char *tok, *end;
	struct resp r;
	CURL *c = curl_easy_init();
	double t;
	long n = 0;

	snprintf(body, sizeof(body), "{\"email\":\"%s-%d-%ld@cluster.test\","
	    "\"password\":\"cluster-pass-1\",\"name\":\"손님\","
	    "\"phone\":\"010-1234-5678\",\"address\":\"서울 마포구 1\"}",
	    prefix, idx, (long)getpid());
	request(c, "/auth/signup", body, NULL, NULL, &r);
	snprintf(body, sizeof(body), "{\"email\":\"%s-%d-%ld@cluster.test\","
	    "\"password\":\"cluster-pass-1\"}", prefix, idx, (long)getpid());
	for (tries = 0; tries < 20; tries++) {
		request(c, "/auth/login", body, NULL, NULL, &r);
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
	while ((t = now()) - t0 < seconds) {
		snprintf(idem, sizeof(idem), "Idempotency-Key: %s-%d-%ld-%ld",
		    prefix, idx, (long)getpid(), n++);
		request(c, "/orders", ORDER_BODY, auth, idem, &r);
		pthread_mutex_lock(&out_lock);
		fprintf(out, "%ld %ld %lld %d\n", (long)((t - t0) * 1000),
		    r.status, r.status == 201 ? json_num(r.body, "orderId") : 0,
		    r.retry_after);
		pthread_mutex_unlock(&out_lock);
		if (r.status != 201)
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

	while ((c = getopt(argc, argv, "u:c:d:o:p:")) != -1)
		switch (c) {
		case 'u': base = optarg; break;
		case 'c': threads = atoi(optarg); break;
		case 'd': seconds = atof(optarg); break;
		case 'o': file = optarg; break;
		case 'p': prefix = optarg; break;
		default: return 2;
		}
	if (base == NULL || file == NULL || threads < 1 ||
	    threads > MAX_THREADS || seconds <= 0) {
		fprintf(stderr, "usage: cluster_load -u URL -c THREADS "
		    "-d SECONDS -o FILE [-p PREFIX]\n");
		return 2;
	}
	if ((out = fopen(file, "w")) == NULL) {
		perror(file);
		return 2;
	}
	setvbuf(out, NULL, _IOLBF, 0);
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
