/*
 * push_bench.c - the live streams under load, for `make bench` (case push):
 * STREAMS customers each hold GET /events/customer open through the
 * gateway (one libcurl multi, one connection each), then orders of those
 * customers are placed at RATE a second for SECONDS, and each order's
 * message is timed from its commit to its arrival on its customer's
 * stream.
 *
 *	push_bench -u URL -k JWT_SECRET_FILE -p NGINX_PIDFILE
 *	    [-n STREAMS] [-r RATE] [-d SECONDS] [-H HOLD]
 *
 * The customers are made up (ids from 3000000001): their tokens are signed
 * here with the stack's key, as auth would sign them, so that 2,000 of
 * them need no 2,000 signups (each an argon2 hash).  "Commit" is the
 * message's at, the order's OrderPlaced occurredAt, taken in the placing
 * transaction just before its commit: the time measured includes the
 * commit itself, so it is an upper bound.  Same machine, same clock.
 *
 * Every message on the streams is timed the same way, from its at (the
 * event's occurredAt, taken just before its commit) to its arrival: an
 * order's first message is its OrderPlaced's, published by the request
 * that placed it; the next ones are other contexts' events about it
 * (payment's PayApproved), which reach MyPage through their relay.
 *
 * Output, one line each:
 *	memory streams=N before_kb=K after_kb=K per_stream_kb=K
 *	result rps=R p50=MS p99=MS n=SENT ok=RECEIVED bad=B codes=201:N,...
 *	paths placed_n=N placed_p50=MS placed_p99=MS relayed_n=N ...
 *	holding SECONDS
 * memory: nginx's (master and workers) proportional set size before the
 * streams opened and with all open; how long opening took, and how many
 * subscriptions were refused and asked again.  result: R the orders placed a second,
 * p50/p99 commit -> client of every message, bad the orders not answered
 * 201 plus those whose first message did not arrive within 5 s of the
 * last answer.  paths: the same, the orders' first messages apart from
 * the relayed ones.  With PUSH_BENCH_TRACE=FILE every message is also
 * written there: orderId, at and arrival (ms since the epoch), the
 * message.  holding: the streams stay open
 * HOLD seconds more (while run.sh measures orders beside them), then it
 * exits.  Exits 1 when it could not run (streams not opened), 2 on usage.
 */
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "fd_jwt.h"
#include "lat.h"

#define BASE_ID		3000000001LL
#define MAX_STREAMS	10000
#define PLACERS		8
#define WAVE		100	/* streams opening at once */
#define SEEN		8	/* orders a stream remembers */
#define ORDER_BODY	"{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1}," \
			"{\"menuId\":2,\"qty\":1}],\"address\":\"서울 마포구 1\"," \
			"\"phone\":\"010-1234-5678\"}"

struct stream {
	CURL		*e;
	char		 buf[4096];	/* an unfinished line */
	size_t		 len;
	int		 open;		/* nchan's ": hi" came */
	long long	 seen[SEEN];	/* orders with a message here, */
	int		 nseen;		/* the last SEEN of them */
};

static const char *url;
static char (*tokens)[FD_JWT_MAX];
static struct stream *streams;
static CURLM *streams_multi;		/* the streams' (on_socket) */
static int nstreams, rate, seconds;
static struct lat lat;			/* the pump's: one thread */
static struct lat first, later;		/* the same, by kind of message */
static long firsts;			/* orders whose first message came */
static double last_msg;			/* lat_now_ms() of the last message */
static FILE *trace;			/* PUSH_BENCH_TRACE: every message */
static atomic_long received, sent, not201, placers_done;
static atomic_long codes[600];

static double
wall_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* "2026-12-06T19:37:38.851Z" -> ms since the epoch; -1 if not that. */
static double
iso_ms(const char *s)
{
	struct tm tm;
	int ms = 0;
	char *end;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*end == '.')
		ms = atoi(end + 1);
	return (double)timegm(&tm) * 1000.0 + ms;
}

/*
 * One line of a stream: a message's at, timed now.  An order's first
 * message on its stream is its OrderPlaced's, published by the request
 * that placed it; a later one is another context's event (payment's
 * PayApproved), which reaches MyPage through that context's relay: both
 * are commit -> client, told apart to say where the time goes.
 */
static void
line(struct stream *s, const char *l)
{
	const char *at, *oid;
	long long id = 0;
	double t, now;
	int i;

	if (strncmp(l, ": hi", 4) == 0)
		s->open = 1;
	if (strncmp(l, "data: ", 6) != 0 ||
	    (at = strstr(l, "\"at\":\"")) == NULL)
		return;
	if ((t = iso_ms(at + 6)) < 0)
		return;
	now = wall_ms();
	lat_add(&lat, now - t);
	received++;
	last_msg = lat_now_ms();
	if ((oid = strstr(l, "\"orderId\":")) != NULL)
		id = atoll(oid + 10);
	for (i = 0; i < s->nseen && i < SEEN && s->seen[i] != id; i++)
		continue;
	if (i < s->nseen && i < SEEN)
		lat_add(&later, now - t);
	else {
		lat_add(&first, now - t);
		firsts++;
		s->seen[s->nseen++ % SEEN] = id;
	}
	if (trace != NULL)
		fprintf(trace, "%lld %.3f %.3f %s\n", id, t, now, l + 6);
}

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	struct stream *s = arg;
	size_t i, all = size * n;

	for (i = 0; i < all; i++) {
		if (p[i] == '\n') {
			s->buf[s->len] = '\0';
			line(s, s->buf);
			s->len = 0;
		} else if (s->len + 1 < sizeof(s->buf))
			s->buf[s->len++] = p[i];
	}
	return all;
}

/*
 * The pump: libcurl's socket interface over one epoll set, so that a
 * message costs the work of its own stream.  curl_multi_perform() with
 * curl_multi_poll() visits every handle on every wake-up (a poll of each
 * socket, then a poll of all 2,000): some 2,000 system calls for each
 * message and every 20 ms while idle, a core's worth at 200 messages a
 * second, taken from the stack measured on the same cores (and the
 * messages waited for their turn in it).
 */
static int epfd = -1;
static double timer_at = -1;		/* lat_now_ms() when curl wants a call */

/* CURLMOPT_SOCKETFUNCTION: keep the epoll set as curl wants it. */
static int
on_socket(CURL *e, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct epoll_event ev;

	(void)e;
	(void)arg;
	memset(&ev, 0, sizeof(ev));
	ev.data.fd = s;
	if (what == CURL_POLL_REMOVE) {
		(void)epoll_ctl(epfd, EPOLL_CTL_DEL, s, NULL);
		return 0;
	}
	ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) |
	    (what & CURL_POLL_OUT ? EPOLLOUT : 0);
	/* sockp: NULL until curl_multi_assign() said it is in the set. */
	if (epoll_ctl(epfd, sockp == NULL ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, s,
	    &ev) != 0 && errno == EEXIST)
		(void)epoll_ctl(epfd, EPOLL_CTL_MOD, s, &ev);
	curl_multi_assign(streams_multi, s, &epfd);
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: -1 no timer, else in ms from now. */
static int
on_timer(CURLM *m, long ms, void *arg)
{
	(void)m;
	(void)arg;
	timer_at = ms < 0 ? -1 : lat_now_ms() + (double)ms;
	return 0;
}

/* The pump: reads every stream for ms, sleeping while none has data. */
static void
pump(CURLM *m, int ms)
{
	struct epoll_event ev[256];
	double until = lat_now_ms() + ms, now;
	int running, i, n, wait;

	while ((now = lat_now_ms()) < until) {
		wait = (int)(until - now) + 1;
		if (timer_at >= 0 && timer_at - now < wait)
			wait = timer_at > now ? (int)(timer_at - now) + 1 : 0;
		n = epoll_wait(epfd, ev, 256, wait);
		for (i = 0; i < n; i++)
			curl_multi_socket_action(m, ev[i].data.fd,
			    (ev[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
			    (ev[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
			    (ev[i].events & (EPOLLERR | EPOLLHUP) ?
			    CURL_CSELECT_ERR : 0), &running);
		if (timer_at >= 0 && lat_now_ms() >= timer_at) {
			timer_at = -1;
			curl_multi_socket_action(m, CURL_SOCKET_TIMEOUT, 0,
			    &running);
		}
	}
}

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* Sleeps until lat_now_ms() is ms: one wake-up, not a poll every 0.5 ms
 * (eight placers polling were 16,000 wake-ups a second on the stack's
 * cores). */
static void
sleep_until(double ms)
{
	struct timespec t;

	t.tv_sec = (time_t)(ms / 1000.0);
	t.tv_nsec = (long)((ms - (double)t.tv_sec * 1000.0) * 1e6);
	if (t.tv_nsec >= 1000000000L)
		t.tv_nsec = 999999999L;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) ==
	    EINTR)
		continue;
}

/* A placer: orders of customer k, k+PLACERS, ... paced to rate/PLACERS a
 * second, for seconds. */
static void *
placer(void *arg)
{
	long k = (long)arg, j, n = (long)rate * seconds;
	char auth[FD_JWT_MAX + 32], u[512];
	struct curl_slist *h;
	double start = lat_now_ms(), due;
	CURL *e = curl_easy_init();
	long st;

	snprintf(u, sizeof(u), "%s/orders", url);
	for (j = k; e != NULL && j < n; j += PLACERS) {
		due = start + (double)j * 1000.0 / rate;
		sleep_until(due);
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    tokens[j % nstreams]);
		h = curl_slist_append(NULL, auth);
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(e, CURLOPT_URL, u);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, ORDER_BODY);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 10000L);
		st = 0;
		if (curl_easy_perform(e) == CURLE_OK)
			curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &st);
		curl_slist_free_all(h);
		sent++;
		codes[st >= 0 && st < 600 ? st : 0]++;
		if (st != 201)
			not201++;
	}
	if (e != NULL)
		curl_easy_cleanup(e);
	placers_done++;
	return NULL;
}

/* nginx's master and its workers: their Pss, kB, from smaps_rollup. */
static long
nginx_pss(const char *pidfile)
{
	char path[64], l[256];
	long master = 0, total = 0, pid, ppid, kb;
	struct dirent *d;
	FILE *f;
	DIR *dir;

	if ((f = fopen(pidfile, "r")) == NULL)
		return -1;
	if (fscanf(f, "%ld", &master) != 1)
		master = 0;
	fclose(f);
	if (master <= 0 || (dir = opendir("/proc")) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		if ((pid = atol(d->d_name)) <= 0)
			continue;
		ppid = 0;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if ((f = fopen(path, "r")) != NULL) {
			/* pid (comm) state ppid: comm has no ')' here */
			if (fgets(l, sizeof(l), f) != NULL &&
			    strrchr(l, ')') != NULL)
				sscanf(strrchr(l, ')') + 2, "%*c %ld", &ppid);
			fclose(f);
		}
		if (pid != master && ppid != master)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", pid);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(l, sizeof(l), f) != NULL)
			if (sscanf(l, "Pss: %ld kB", &kb) == 1)
				total += kb;
		fclose(f);
	}
	closedir(dir);
	return total;
}

static int
usage(void)
{
	fprintf(stderr, "usage: push_bench -u URL -k JWT_SECRET_FILE -p "
	    "NGINX_PIDFILE [-n STREAMS] [-r RATE] [-d SECONDS] [-H HOLD]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *keyfile = NULL, *pidfile = NULL;
	char key[256], accept[] = "Accept: text/event-stream";
	struct curl_slist **hs;
	pthread_t th[PLACERS];
	long before, after, i, late, retried = 0;
	int c, hold = 0, opened = 0, added;
	struct fd_claims cl;
	size_t keylen;
	double t0, t1, el;
	CURLM *m;
	FILE *f;

	nstreams = 2000;
	rate = 200;
	seconds = 10;
	while ((c = getopt(argc, argv, "u:k:p:n:r:d:H:")) != -1)
		switch (c) {
		case 'u': url = optarg; break;
		case 'k': keyfile = optarg; break;
		case 'p': pidfile = optarg; break;
		case 'n': nstreams = atoi(optarg); break;
		case 'r': rate = atoi(optarg); break;
		case 'd': seconds = atoi(optarg); break;
		case 'H': hold = atoi(optarg); break;
		default: return usage();
		}
	if (url == NULL || keyfile == NULL || pidfile == NULL ||
	    nstreams < 1 || nstreams > MAX_STREAMS || rate < 1 ||
	    seconds < 1 || hold < 0)
		return usage();
	if ((f = fopen(keyfile, "r")) == NULL ||
	    fgets(key, sizeof(key), f) == NULL) {
		fprintf(stderr, "push_bench: cannot read %s\n", keyfile);
		return 1;
	}
	fclose(f);
	key[strcspn(key, "\r\n")] = '\0';
	keylen = strlen(key);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	tokens = calloc((size_t)nstreams, sizeof(*tokens));
	streams = calloc((size_t)nstreams, sizeof(*streams));
	hs = calloc((size_t)nstreams, sizeof(*hs));
	if (tokens == NULL || streams == NULL || hs == NULL ||
	    (m = curl_multi_init()) == NULL || (epfd = epoll_create1(0)) < 0)
		return 1;
	streams_multi = m;
	if (getenv("PUSH_BENCH_TRACE") != NULL &&
	    (trace = fopen(getenv("PUSH_BENCH_TRACE"), "w")) == NULL)
		return 1;
	curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, on_timer);

	before = nginx_pss(pidfile);
	for (i = 0; i < nstreams; i++) {
		char auth[FD_JWT_MAX + 32], u[512];

		memset(&cl, 0, sizeof(cl));
		cl.sub = BASE_ID + i;
		cl.role = FD_ROLE_CUSTOMER;
		cl.iat = (long long)time(NULL);
		cl.exp = cl.iat + 3600;
		if (fd_jwt_sign((const unsigned char *)key, keylen, &cl,
		    tokens[i], sizeof(tokens[i])) != 0)
			return 1;
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    tokens[i]);
		hs[i] = curl_slist_append(NULL, auth);
		hs[i] = curl_slist_append(hs[i], accept);
		snprintf(u, sizeof(u), "%s/events/customer", url);
		streams[i].e = curl_easy_init();
		curl_easy_setopt(streams[i].e, CURLOPT_URL, u);
		curl_easy_setopt(streams[i].e, CURLOPT_HTTPHEADER, hs[i]);
		curl_easy_setopt(streams[i].e, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(streams[i].e, CURLOPT_WRITEDATA, &streams[i]);
		curl_easy_setopt(streams[i].e, CURLOPT_TIMEOUT, (long)(seconds +
		    hold + 180));
	}
	/*
	 * Opened WAVE at a time, as clients arrive rather than all in one
	 * instant: each subscription asks the order program first, whose
	 * socket's backlog a herd of 2,000 overflows (nginx then answers 502
	 * and that stream is asked again).  All open, or give up after 120 s.
	 */
	t0 = lat_now_ms();
	added = 0;
	do {
		CURLMsg *msg;
		int left;

		for (; added < nstreams && added - opened < WAVE; added++)
			curl_multi_add_handle(m, streams[added].e);
		pump(m, 100);
		while ((msg = curl_multi_info_read(m, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE) {
				/* Refused or cut before it opened: again. */
				for (i = 0; i < added; i++)
					if (streams[i].e == msg->easy_handle)
						break;
				curl_multi_remove_handle(m, msg->easy_handle);
				if (i < added) {
					streams[i].open = 0;
					streams[i].len = 0;
					retried++;
				}
				curl_multi_add_handle(m, msg->easy_handle);
			}
		for (opened = 0, i = 0; i < added; i++)
			opened += streams[i].open;
	} while (opened < nstreams && lat_now_ms() - t0 < 120000);
	if (opened < nstreams) {
		fprintf(stderr, "push_bench: %d of %d streams opened\n", opened,
		    nstreams);
		return 1;
	}
	pump(m, 1000);		/* settled */
	after = nginx_pss(pidfile);
	printf("memory streams=%d before_kb=%ld after_kb=%ld "
	    "per_stream_kb=%.1f opened_in_s=%.1f retried=%ld\n", nstreams,
	    before, after, (double)(after - before) / nstreams,
	    (lat_now_ms() - t0) / 1000.0 - 1.0, retried);
	fflush(stdout);

	/* The orders, paced; the pump reads meanwhile and 5 s after. */
	t0 = lat_now_ms();
	for (i = 0; i < PLACERS; i++)
		pthread_create(&th[i], NULL, placer, (void *)i);
	/*
	 * The pump reads until the placers are done (a message must not wait
	 * for a placer that is late), then until every order's first message
	 * came and none came for a second (another context's events follow
	 * through its relay), 5 s at most.
	 */
	while (placers_done < PLACERS)
		pump(m, 10);
	el = (lat_now_ms() - t0) / 1000.0;
	for (i = 0; i < PLACERS; i++)
		pthread_join(th[i], NULL);
	t1 = lat_now_ms();
	while (lat_now_ms() - t1 < 5000 && (firsts < sent - not201 ||
	    lat_now_ms() - last_msg < 1000))
		pump(m, 10);
	lat_sort(&lat);
	lat_sort(&first);
	lat_sort(&later);
	late = (long)(sent - not201) - firsts;
	printf("result rps=%.1f p50=%.2f p99=%.2f n=%ld ok=%ld bad=%ld "
	    "codes=", (double)sent / el, lat_pct(&lat, 50), lat_pct(&lat, 99),
	    (long)sent, (long)received, (long)not201 + (late > 0 ? late : 0));
	for (c = 0, i = 0; i < 600; i++)
		if (codes[i] > 0)
			printf("%s%ld:%ld", c++ ? "," : "", i, (long)codes[i]);
	printf("\n");
	printf("paths placed_n=%zu placed_p50=%.2f placed_p99=%.2f "
	    "relayed_n=%zu relayed_p50=%.2f relayed_p99=%.2f\n", first.n,
	    lat_pct(&first, 50), lat_pct(&first, 99), later.n,
	    lat_pct(&later, 50), lat_pct(&later, 99));
	if (hold > 0) {
		printf("holding %d\n", hold);
		fflush(stdout);
		pump(m, hold * 1000);
	}
	for (i = 0; i < nstreams; i++) {
		curl_multi_remove_handle(m, streams[i].e);
		curl_easy_cleanup(streams[i].e);
		curl_slist_free_all(hs[i]);
	}
	curl_multi_cleanup(m);
	free(lat.ms);
	free(first.ms);
	free(later.ms);
	if (trace != NULL)
		fclose(trace);
	free(tokens);
	free(streams);
	free(hs);
	curl_global_cleanup();
	return 0;
}
