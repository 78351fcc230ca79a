/*
 * order_cache.c - MyPage through memcached (libmemcached), the view table
 * being the source of truth.  Advisory: any error is a miss, never a
 * failure, and is counted.
 *
 * "mpv:<customer>" is a counter that every committed change of the
 * customer's view raises (incr, after the commit, before the request that
 * made the change returns).  A page is stored as "mp:<customer>:<kind>"
 * tagged with the counter's value read BEFORE its rows were read, and is
 * served only while the counter still has that value.  So a slow reader
 * that rendered an old state and stores it late stores it under an old
 * value no read accepts, and a read that starts after a change returned
 * never sees a page from before it.  A counter that is missing (evicted,
 * memcached restarted) is created with a random value, unlike any old tag.
 *
 * An invalidation memcached did not confirm is not dropped.  After one
 * failed connect libmemcached refuses every call of that worker for 1 to 2
 * s without sending it (RETRY_TIMEOUT), also once memcached answers the
 * other workers again, and an increment that timed out may never have
 * arrived: the counter then keeps the value the page from before the change
 * carries, and that page would be served for up to TTL.  So the customer is
 * recorded in memory all the workers share (order_cache_shm_init) until an
 * increment or delete of their counter succeeds, and until then none of
 * their reads uses the cache, to take a page or to store one.  While nothing
 * is pending a read pays one atomic load for it, and a hit still makes no
 * query.  When the record is full, every read misses until a flush of all
 * of memcached (it holds MyPage only) succeeds.  What is pending when the
 * program is stopped is retried as its workers exit; a new program started
 * while memcached is unreachable does not know it (README, "MyPage").
 */
#include <libmemcached/memcached.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_fault.h"
#include "fd_mc.h"
#include "fd_proc.h"
#include "order.h"

#define TTL	3600
#define PENDING	1024	/* customers with an unconfirmed invalidation */
#define DRAIN	4	/* others' retried by a read that settled its own */

/* A customer whose pages must not be used: 0 is a free slot. */
struct pending {
	long long		 customer;
	unsigned long long	 ticket;	/* when recorded: order */
};

struct counters {
	uint64_t		 hits, misses, errors, stale, unconfirmed;
	/* Slots in use, plus 1 while overflowed: written under lock, read
	 * without it by every read. */
	int			 busy;
	pthread_mutex_t		 lock;		/* robust, process-shared */
	unsigned long long	 ticket;
	unsigned long long	 overflow;	/* its ticket; 0: none */
	struct pending		 slot[PENDING];
};

static struct counters *shm;
static memcached_st *mc;

#define COUNT(f)	do { if (shm) __atomic_fetch_add(&shm->f, 1, \
			    __ATOMIC_RELAXED); } while (0)

static void
vkey(char *buf, size_t sz, long long customer)
{
	snprintf(buf, sz, "mpv:%lld", customer);
}

int
order_cache_shm_init(void)
{
	pthread_mutexattr_t a;
	int rc;

	if ((shm = fd_shared_alloc(sizeof(*shm))) == NULL)
		return -1;
	/* Robust: a worker that dies holding it must not stop the rest. */
	if (pthread_mutexattr_init(&a) != 0)
		return -1;
	rc = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) == 0 &&
	    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) == 0 &&
	    pthread_mutex_init(&shm->lock, &a) == 0 ? 0 : -1;
	pthread_mutexattr_destroy(&a);
	return rc;
}

static void
lock(void)
{
	if (pthread_mutex_lock(&shm->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&shm->lock);	/* slots stay valid */
}

static void
unlock(void)
{
	int busy = shm->overflow != 0, i;

	for (i = 0; i < PENDING; i++)
		busy += shm->slot[i].customer != 0;
	__atomic_store_n(&shm->busy, busy, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&shm->lock);
}

/* Records that customer's pages must not be used until confirmed. */
static void
pend(long long customer)
{
	/* Test builds: as if the record were full. */
	int i, full = fd_fault("mypage-pending-full") != 0;

	lock();
	shm->ticket++;
	for (i = 0; i < PENDING && shm->slot[i].customer != 0; i++)
		;
	if (full)
		i = PENDING;
	if (i < PENDING) {
		shm->slot[i].customer = customer;
		shm->slot[i].ticket = shm->ticket;
	} else
		shm->overflow = shm->ticket;
	unlock();
}

/*
 * Pages of customer (every customer's if 0) are made stale for sure: 0
 * when memcached confirmed it.  A timed-out increment may still arrive:
 * one more is harmless.
 */
static int
make_stale(long long customer)
{
	char vk[40];
	uint64_t v;
	memcached_return_t rc;

	if (customer == 0)
		return memcached_flush(mc, 0) == MEMCACHED_SUCCESS ? 0 : -1;
	vkey(vk, sizeof(vk), customer);
	rc = memcached_increment(mc, vk, strlen(vk), 1, &v);
	/* Missing is fine: no page can be current without it. */
	if (rc == MEMCACHED_SUCCESS || rc == MEMCACHED_NOTFOUND)
		return 0;
	COUNT(errors);
	/* Deleted is as good: its next value is random. */
	rc = memcached_delete(mc, vk, strlen(vk), 0);
	return rc == MEMCACHED_SUCCESS || rc == MEMCACHED_NOTFOUND ? 0 : -1;
}

/*
 * Retries what is pending for customer (0: nobody in particular) and up to
 * drain others: 1 if the customer's pages may be used (nothing of theirs,
 * nor an overflow, is pending any more).
 */
static int
settle(long long customer, int drain)
{
	unsigned long long mine = 0, over, t;
	long long other;
	int i, ok = 1;

	lock();
	over = shm->overflow;
	for (i = 0; i < PENDING && customer != 0; i++)
		if (shm->slot[i].customer == customer &&
		    shm->slot[i].ticket > mine)
			mine = shm->slot[i].ticket;
	pthread_mutex_unlock(&shm->lock);
	if (over != 0) {
		if (make_stale(0) != 0)
			return 0;
		/* Every page is gone: so is all that was pending then. */
		lock();
		if (shm->overflow == over)
			shm->overflow = 0;
		for (i = 0; i < PENDING; i++)
			if (shm->slot[i].ticket <= over)
				shm->slot[i].customer = 0;
		unlock();
	}
	if (mine != 0) {
		if (make_stale(customer) != 0)
			return 0;
		/* Only what was recorded before: a later change of theirs
		 * may have come after this increment. */
		lock();
		for (i = 0; i < PENDING; i++)
			if (shm->slot[i].customer == customer &&
			    shm->slot[i].ticket <= mine)
				shm->slot[i].customer = 0;
		unlock();
	}
	/* Others whose customers may not read soon, while it answers. */
	while (drain-- > 0 && ok) {
		lock();
		for (i = 0; i < PENDING && shm->slot[i].customer == 0; i++)
			;
		other = i < PENDING ? shm->slot[i].customer : 0;
		t = i < PENDING ? shm->slot[i].ticket : 0;
		pthread_mutex_unlock(&shm->lock);
		if (other == 0)
			break;
		if ((ok = make_stale(other) == 0)) {
			lock();
			if (shm->slot[i].customer == other &&
			    shm->slot[i].ticket == t)
				shm->slot[i].customer = 0;
			unlock();
		}
	}
	return 1;
}

int
order_cache_init(void)
{
	/*
	 * FD_MEMCACHED: one server or a pool (fd_mc.c); none or one not
	 * understood: no cache, every read a miss.  A cache that does not
	 * answer at once is treated as absent (fd_mc.c's timeouts).
	 */
	mc = fd_mc_pool(fd_env("FD_MEMCACHED", NULL));
	return 0;
}

void
order_cache_fini(void)
{
	/* A stopping program's last chance to confirm what is pending. */
	if (mc != NULL && shm != NULL &&
	    __atomic_load_n(&shm->busy, __ATOMIC_SEQ_CST) != 0)
		(void)settle(0, PENDING);
	if (mc != NULL)
		memcached_free(mc);
	mc = NULL;
}

/* The customer's counter, created (randomly) if missing; 0 on error. */
static long long
counter(long long customer)
{
	char vk[40], val[24], *got;
	memcached_return_t rc;
	uint32_t flags;
	size_t len;
	long long v = 0;
	int tries;

	vkey(vk, sizeof(vk), customer);
	for (tries = 0; tries < 3 && v == 0; tries++) {
		got = memcached_get(mc, vk, strlen(vk), &len, &flags, &rc);
		if (got != NULL) {
			v = strtoll(got, NULL, 10);
			free(got);
			break;
		}
		if (rc != MEMCACHED_NOTFOUND)
			return 0;
		/* 2^62 values: no old tag will match by chance. */
		v = (long long)(randombytes_random() | ((uint64_t)
		    randombytes_random() << 32)) & 0x3fffffffffffffffLL;
		snprintf(val, sizeof(val), "%lld", v);
		rc = memcached_add(mc, vk, strlen(vk), val, strlen(val), 0, 0);
		if (rc != MEMCACHED_SUCCESS)
			v = 0;	/* another got in first: read theirs */
	}
	return v;
}

int
order_cache_get(long long customer, const char *kind, long long *version,
    char **page, size_t *len, char etag[40])
{
	char vk[40], pk[64], *end;
	const char *keys[2] = { vk, pk }, *val, *sp, *nl;
	size_t lens[2], vlen;
	memcached_result_st *res;
	memcached_return_t rc;
	long long cur = 0, pv = -1;

	*version = 0;
	*page = NULL;
	*len = 0;
	if (mc == NULL) {
		COUNT(misses);
		return 0;
	}
	/* Someone's invalidation unconfirmed: theirs confirmed first. */
	if (shm != NULL && __atomic_load_n(&shm->busy, __ATOMIC_SEQ_CST) != 0 &&
	    !settle(customer, DRAIN)) {
		COUNT(misses);
		return 0;	/* *version 0: nothing stored either */
	}
	vkey(vk, sizeof(vk), customer);
	snprintf(pk, sizeof(pk), "mp:%lld:%s", customer, kind);
	lens[0] = strlen(vk);
	lens[1] = strlen(pk);
	if (memcached_mget(mc, keys, lens, 2) != MEMCACHED_SUCCESS) {
		COUNT(errors);
		COUNT(misses);
		return 0;
	}
	while ((res = memcached_fetch_result(mc, NULL, &rc)) != NULL) {
		val = memcached_result_value(res);
		vlen = memcached_result_length(res);
		if (strcmp(memcached_result_key_value(res), vk) == 0) {
			cur = strtoll(val, &end, 10);
			if (end == val)
				cur = 0;
		} else if ((sp = memchr(val, ' ', vlen)) != NULL &&
		    (nl = memchr(sp, '\n', vlen - (size_t)(sp - val))) != NULL &&
		    nl - sp - 1 < 40) {
			/* "<version> <etag>\n<page>" */
			pv = strtoll(val, NULL, 10);
			memcpy(etag, sp + 1, (size_t)(nl - sp - 1));
			etag[nl - sp - 1] = '\0';
			*len = vlen - (size_t)(nl + 1 - val);
			if ((*page = malloc(*len + 1)) != NULL)
				memcpy(*page, nl + 1, *len);
		}
		memcached_result_free(res);
	}
	/* The fetch ended on an error (a timeout, say): count it. */
	if (rc != MEMCACHED_END && rc != MEMCACHED_SUCCESS &&
	    rc != MEMCACHED_NOTFOUND)
		COUNT(errors);
	if (cur != 0 && pv == cur && *page != NULL) {
		COUNT(hits);
		*version = cur;
		return 1;
	}
	if (*page != NULL)
		COUNT(stale);
	free(*page);
	*page = NULL;
	*len = 0;
	COUNT(misses);
	/* Read before the rows are: the tag a page rendered now may carry. */
	*version = cur != 0 ? cur : counter(customer);
	return 0;
}

void
order_cache_put(long long customer, const char *kind, long long version,
    const char *etag, const char *page, size_t len)
{
	char pk[64], head[96], *val;
	int n;

	if (mc == NULL || version == 0)
		return;
	snprintf(pk, sizeof(pk), "mp:%lld:%s", customer, kind);
	n = snprintf(head, sizeof(head), "%lld %s\n", version, etag);
	if (n < 0 || (size_t)n >= sizeof(head) ||
	    (val = malloc((size_t)n + len)) == NULL)
		return;
	memcpy(val, head, (size_t)n);
	memcpy(val + n, page, len);
	if (memcached_set(mc, pk, strlen(pk), val, (size_t)n + len, TTL, 0) !=
	    MEMCACHED_SUCCESS)
		COUNT(errors);
	free(val);
}

void
order_cache_invalidate(long long customer)
{
	if (mc == NULL || make_stale(customer) == 0)
		return;
	/* Before the request that made the change returns. */
	COUNT(unconfirmed);
	if (shm != NULL)
		pend(customer);
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
	    "fd_mypage_cache_total{result=\"error\"} %llu\n"
	    "# HELP fd_mypage_cache_unconfirmed_total Invalidations memcached"
	    " did not confirm (the customer's reads miss until one is).\n"
	    "# TYPE fd_mypage_cache_unconfirmed_total counter\n"
	    "fd_mypage_cache_unconfirmed_total %llu\n"
	    "# HELP fd_mypage_cache_pending Customers whose reads miss until"
	    " an invalidation is confirmed (+1 while the record is full).\n"
	    "# TYPE fd_mypage_cache_pending gauge\n"
	    "fd_mypage_cache_pending %d\n",
	    (unsigned long long)__atomic_load_n(&shm->hits, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&shm->misses, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&shm->stale, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&shm->errors, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&shm->unconfirmed,
	    __ATOMIC_RELAXED),
	    __atomic_load_n(&shm->busy, __ATOMIC_RELAXED));
}
