/*
 * bare_fcgi.c - the baseline for benchmarks: a libfcgi responder that does
 * nothing but answer a fixed body, prefork like ours (lib/fd_server.c).
 * `make bench` puts it behind the same nginx as the real programs, so the
 * gap between it and a real route is what the route itself costs.
 *
 *	bare_fcgi SOCKET WORKERS SIZE [memcached HOST:PORT]
 *
 * With "memcached" it is the baseline of a cached read (MyPage): the master
 * stores a value of SIZE bytes once, under a key of its own, and every
 * request then does ONE memcached_get of it (libmemcached, one connection
 * per worker, set up as order_cache.c sets its own) and answers what it
 * got.  A get that fails answers 500, so the benchmark counts it as bad.
 *
 * The answer carries the same headers as fd_reply_json() so that nginx does
 * the same work for it.  SIGTERM or SIGINT to the master stops the workers
 * and removes the socket; a worker also dies with its master (even -9), so a
 * benchmark that is interrupted leaves nothing behind.
 */
#include <errno.h>
#include <fcgiapp.h>
#include <libmemcached/memcached.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS	64
#define MAX_SIZE	(16 * 1024 * 1024)
#define MC_MAX_SIZE	(1024 * 1024)	/* memcached's default item limit */

static const char *mc_server;	/* "HOST:PORT"; NULL: a fixed body */
static char mc_key[64];

/* A client of mc_server, tuned as order_cache.c tunes its own; NULL on
 * error. */
static memcached_st *
mc_open(void)
{
	memcached_st *mc;
	const char *colon = strrchr(mc_server, ':');
	char host[256];
	long port;

	if (colon == NULL || colon == mc_server ||
	    (size_t)(colon - mc_server) >= sizeof(host))
		return NULL;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - mc_server),
	    mc_server);
	port = strtol(colon + 1, NULL, 10);
	if (port < 1 || port > 65535 || (mc = memcached_create(NULL)) == NULL)
		return NULL;
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, 100);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, 100);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, 1);
	if (memcached_server_add(mc, host, (in_port_t)port) !=
	    MEMCACHED_SUCCESS) {
		memcached_free(mc);
		return NULL;
	}
	return mc;
}

/* Answers one request with the value of mc_key, 500 if the get failed. */
static void
answer_mc(memcached_st *mc, FCGX_Request *rq)
{
	static const char fail[] = "Status: 500 Internal Server Error\r\n"
	    "Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n";
	memcached_return_t rc;
	uint32_t flags;
	size_t len;
	char head[256], *val;
	int hlen;

	val = memcached_get(mc, mc_key, strlen(mc_key), &len, &flags, &rc);
	if (val == NULL) {
		FCGX_PutStr(fail, (int)sizeof(fail) - 1, rq->out);
		return;
	}
	hlen = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Length: %lu\r\n\r\n", (unsigned long)len);
	FCGX_PutStr(head, hlen, rq->out);
	FCGX_PutStr(val, (int)len, rq->out);
	free(val);
}

/* Stores body (len bytes) under a key of this process's, once, with no
 * expiry: the workers read it.  0 = OK. */
static int
mc_store(const char *body, size_t len)
{
	memcached_st *mc;
	memcached_return_t rc;

	snprintf(mc_key, sizeof(mc_key), "bench:bare:%ld", (long)getpid());
	if ((mc = mc_open()) == NULL) {
		fprintf(stderr, "bare_fcgi: bad memcached server '%s'\n",
		    mc_server);
		return -1;
	}
	rc = memcached_set(mc, mc_key, strlen(mc_key), body, len, 0, 0);
	if (rc != MEMCACHED_SUCCESS)
		fprintf(stderr, "bare_fcgi: cannot set %s on %s: %s\n", mc_key,
		    mc_server, memcached_strerror(mc, rc));
	memcached_free(mc);
	return rc == MEMCACHED_SUCCESS ? 0 : -1;
}

static void __attribute__((noreturn))
worker(int fd, const char *head, int hlen, const char *body, int blen)
{
	FCGX_Request rq;
	memcached_st *mc = NULL;
	sigset_t none;

	/* Default dispositions: SIGTERM ends a worker at once. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);

	/* Each worker its own connection, opened at the first get. */
	if (mc_server != NULL && (mc = mc_open()) == NULL)
		_exit(1);
	FCGX_InitRequest(&rq, fd, 0);
	while (FCGX_Accept_r(&rq) >= 0) {
		if (mc != NULL)
			answer_mc(mc, &rq);
		else {
			FCGX_PutStr(head, hlen, rq.out);
			if (blen > 0)
				FCGX_PutStr(body, blen, rq.out);
		}
		FCGX_Finish_r(&rq);
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	const char *path;
	pid_t pids[MAX_WORKERS];
	memcached_st *mc;
	char head[256], *body, *end;
	long workers, size;
	sigset_t set;
	int fd, hlen, i, sig;

	if ((argc != 4 && argc != 6) ||
	    (argc == 6 && strcmp(argv[4], "memcached") != 0)) {
		fprintf(stderr, "usage: bare_fcgi SOCKET WORKERS SIZE "
		    "[memcached HOST:PORT]\n");
		return 2;
	}
	if (argc == 6)
		mc_server = argv[5];
	path = argv[1];
	errno = 0;
	workers = strtol(argv[2], &end, 10);
	if (errno != 0 || *end != '\0' || workers < 1 || workers > MAX_WORKERS) {
		fprintf(stderr, "bare_fcgi: WORKERS must be 1..%d\n", MAX_WORKERS);
		return 2;
	}
	size = strtol(argv[3], &end, 10);
	if (errno != 0 || *end != '\0' || size < 0 || size > MAX_SIZE) {
		fprintf(stderr, "bare_fcgi: SIZE must be 0..%d\n", MAX_SIZE);
		return 2;
	}
	if (mc_server != NULL && size > MC_MAX_SIZE) {
		fprintf(stderr, "bare_fcgi: SIZE must be 0..%d with memcached\n",
		    MC_MAX_SIZE);
		return 2;
	}

	if ((body = malloc((size_t)size + 1)) == NULL)
		return 1;
	memset(body, 'x', (size_t)size);
	/* FCGX_FPrintF knows no %zu (STYLE.md): snprintf, then FCGX_PutStr. */
	hlen = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Length: %ld\r\n\r\n", size);
	if (hlen < 0 || (size_t)hlen >= sizeof(head))
		return 1;
	if (mc_server != NULL && mc_store(body, (size_t)size) != 0)
		return 1;

	if (FCGX_Init() != 0)
		return 1;
	unlink(path);
	if ((fd = FCGX_OpenSocket(path, 1024)) < 0) {
		fprintf(stderr, "bare_fcgi: cannot listen on %s\n", path);
		return 1;
	}
	chmod(path, 0666);	/* nginx workers may be another user */

	/* The master takes its signals with sigwait(); workers reset them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	for (i = 0; i < workers; i++) {
		if ((pids[i] = fork()) == 0)
			worker(fd, head, hlen, body, (int)size);
		if (pids[i] < 0) {
			perror("bare_fcgi: fork");
			workers = i;
			goto out;
		}
	}
	/* Run until told to stop, or until a worker dies (then stop too). */
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			break;
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGCHLD && waitpid(-1, NULL, WNOHANG) > 0) {
			fprintf(stderr, "bare_fcgi: a worker died; stopping\n");
			break;
		}
	}
out:
	for (i = 0; i < workers; i++)
		kill(pids[i], SIGTERM);
	while (wait(NULL) > 0)
		continue;
	unlink(path);
	if (mc_server != NULL && (mc = mc_open()) != NULL) {
		memcached_delete(mc, mc_key, strlen(mc_key), 0);
		memcached_free(mc);
	}
	free(body);
	return 0;
}
