/*
 * order_cache.c - MyPage through memcached (libmemcached), the view table
 * being the source of truth.  Advisory: any error is a miss, never a
 * failure, and is counted.
 *
 * Keys: "mpv:<customer>" holds the customer's current version, raised
 * (never lowered: gets/cas) after every committed change; a page is stored
 * under "mp:<customer>:<kind>" with the version it was rendered from.  One
 * multi-get of both answers a read: the page is served only if its version
 * is the current one.  A slow reader that rendered an old state can store
 * it, but under its old version, which no later read accepts; and as the
 * version is read before the rows, a page never claims more than it shows.
 */
#include <sys/mman.h>

#include <libmemcached/memcached.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_http.h"
#include "order.h"

#define TTL	86400

struct counters {
	uint64_t	 hits, misses, errors, stale;
};

static struct counters *shm;
static memcached_st *mc;

#define COUNT(f)	do { if (shm) __atomic_fetch_add(&shm->f, 1, \
			    __ATOMIC_RELAXED); } while (0)

int
order_cache_shm_init(void)
{
	void *p = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	shm = p;
	return 0;
}

int
order_cache_init(void)
{
	const char *servers = fd_env("FD_MEMCACHED", NULL);
	char host[256];
	const char *colon;
	long port = 11211;

	if (servers == NULL)
		return 0;	/* no cache configured: every read is a miss */
	colon = strrchr(servers, ':');
	snprintf(host, sizeof(host), "%.*s", colon ? (int)(colon - servers) :
	    (int)strlen(servers), servers);
	if (colon != NULL)
		port = strtol(colon + 1, NULL, 10);
	if ((mc = memcached_create(NULL)) == NULL)
		return 0;
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_SUPPORT_CAS, 1);
	/* A cache that does not answer at once is treated as absent. */
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, 100);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, 100);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, 1);
	if (memcached_server_add(mc, host, (in_port_t)port) !=
	    MEMCACHED_SUCCESS) {
		memcached_free(mc);
		mc = NULL;
	}
	return 0;
}

void
order_cache_fini(void)
{
	if (mc != NULL)
		memcached_free(mc);
	mc = NULL;
}

static void
vkey(char *buf, size_t sz, long long customer)
{
	snprintf(buf, sz, "mpv:%lld", customer);
}

int
order_cache_get(long long customer, const char *kind, long long *version,
    char **page, size_t *len)
{
	char vk[40], pk[64], *end;
	const char *keys[2] = { vk, pk };
	size_t lens[2];
	memcached_result_st *res;
	memcached_return_t rc;
	long long cur = 0, pv = -1;
	const char *val, *nl;
	size_t vlen;

	*version = 0;
	*page = NULL;
	*len = 0;
	if (mc == NULL) {
		COUNT(misses);
		return 0;
	}
	vkey(vk, sizeof(vk), customer);
	snprintf(pk, sizeof(pk), "mp:%lld:%s", customer, kind);
	lens[0] = strlen(vk);
	lens[1] = strlen(pk);
	if (memcached_mget(mc, keys, lens, 2) != MEMCACHED_SUCCESS) {
		COUNT(errors);
		return 0;
	}
	while ((res = memcached_fetch_result(mc, NULL, &rc)) != NULL) {
		val = memcached_result_value(res);
		vlen = memcached_result_length(res);
		if (strcmp(memcached_result_key_value(res), vk) == 0) {
			cur = strtoll(val, &end, 10);
			if (end == val)
				cur = 0;
		} else if ((nl = memchr(val, '\n', vlen)) != NULL) {
			/* "<version>\n<page>" */
			pv = strtoll(val, NULL, 10);
			if (pv > 0 && (*page = malloc(vlen)) != NULL) {
				*len = vlen - (size_t)(nl + 1 - val);
				memcpy(*page, nl + 1, *len);
			}
		}
		memcached_result_free(res);
	}
	*version = cur;
	if (cur > 0 && pv == cur && *page != NULL) {
		COUNT(hits);
		return 1;
	}
	if (*page != NULL)
		COUNT(stale);
	free(*page);
	*page = NULL;
	*len = 0;
	COUNT(misses);
	return 0;
}

void
order_cache_put(long long customer, const char *kind, long long version,
    const char *page, size_t len)
{
	char pk[64], head[32], *val;
	int n;

	if (mc == NULL || version <= 0)
		return;
	snprintf(pk, sizeof(pk), "mp:%lld:%s", customer, kind);
	n = snprintf(head, sizeof(head), "%lld\n", version);
	if ((val = malloc((size_t)n + len)) == NULL)
		return;
	memcpy(val, head, (size_t)n);
	memcpy(val + n, page, len);
	if (memcached_set(mc, pk, strlen(pk), val, (size_t)n + len, TTL, 0) !=
	    MEMCACHED_SUCCESS)
		COUNT(errors);
	free(val);
	/* A first reader (or one after an eviction) makes the version known. */
	order_cache_publish(customer, version);
}

void
order_cache_publish(long long customer, long long version)
{
	char vk[40], val[24], *cur;
	memcached_return_t rc;
	int tries;

	if (mc == NULL || version <= 0)
		return;
	vkey(vk, sizeof(vk), customer);
	snprintf(val, sizeof(val), "%lld", version);
	for (tries = 0; tries < 5; tries++) {
		const char *keys[1] = { vk };
		size_t lens[1] = { strlen(vk) };
		memcached_result_st *res;
		uint64_t cas;

		if (memcached_mget(mc, keys, lens, 1) != MEMCACHED_SUCCESS)
			break;
		res = memcached_fetch_result(mc, NULL, &rc);
		if (res == NULL) {
			/* Absent: add, which fails if another got in first. */
			while (memcached_fetch_result(mc, NULL, &rc) != NULL)
				continue;
			rc = memcached_add(mc, vk, strlen(vk), val, strlen(val),
			    TTL, 0);
			if (rc == MEMCACHED_SUCCESS)
				return;
			if (rc != MEMCACHED_NOTSTORED &&
			    rc != MEMCACHED_DATA_EXISTS)
				break;
			continue;
		}
		cas = memcached_result_cas(res);
		cur = strndup(memcached_result_value(res),
		    memcached_result_length(res));
		memcached_result_free(res);
		while (memcached_fetch_result(mc, NULL, &rc) != NULL)
			continue;
		if (cur != NULL && strtoll(cur, NULL, 10) >= version) {
			free(cur);
			return;		/* never lowered */
		}
		free(cur);
		rc = memcached_cas(mc, vk, strlen(vk), val, strlen(val), TTL, 0,
		    cas);
		if (rc == MEMCACHED_SUCCESS)
			return;
		if (rc != MEMCACHED_DATA_EXISTS)
			break;
	}
	/* Could not raise it: drop it, so no old page can match. */
	COUNT(errors);
	memcached_delete(mc, vk, strlen(vk), 0);
}

void
order_cache_metrics(FILE *f)
{
	if (shm == NULL)
		return;
	fprintf(f, "# HELP fd_mypage_cache_total MyPage reads by cache outcome"
	    " (stale: a page of an older version was found).\n"
	    "# TYPE fd_mypage_cache_total counter\n"
	    "fd_mypage_cache_total{result=\"hit\"} %llu\n"
	    "fd_mypage_cache_total{result=\"miss\"} %llu\n"
	    "fd_mypage_cache_total{result=\"stale\"} %llu\n"
	    "fd_mypage_cache_total{result=\"error\"} %llu\n",
	    (unsigned long long)__atomic_load_n(&shm->hits, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&shm->misses, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&shm->stale, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&shm->errors, __ATOMIC_RELAXED));
}
