/*
 * fd_server.c - the prefork server: the master, the worker loop, the
 * deploy's re-exec and the drain.  What a worker does with one request
 * is fd_dispatch.c's.
 *
 * The master opens the FastCGI socket, maps the shared metrics, forks
 * FD_WORKERS workers and replaces any that die (as php-fpm and nginx do).
 *
 * SIGTERM stops it gracefully: the master removes the socket's name (no
 * new connection can reach it), then asks every worker to stop.  A worker
 * finishes the request it is in, then serves whatever connections are
 * still queued on the socket, and only then exits; nothing accepted by
 * the kernel on our behalf is cut.
 *
 * SIGHUP deploys a new build without dropping a request: the master execs
 * its program file again (the same pid, for the supervisor), handing the
 * listening socket, the metrics and its workers' pids to the new image in
 * the environment.  The new master forks new workers; each says it is
 * ready (initialised, database answering) before it accepts anything.
 * Only when all are ready are the old workers told to stop, and they
 * drain as above while the new ones already serve the same socket.  If
 * the new build never gets ready, the new workers go and the old stay.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_addr.h"
#include "fd_auth.h"
#include "fd_cli.h"
#include "fd_dispatch.h"
#include "fd_http.h"
#include "fd_metrics.h"
#include "fd_proc.h"
#include "fd_server.h"

#define MAX_WORKERS	64

static char **self_argv;	/* to exec the new build on SIGHUP */
static volatile sig_atomic_t stopping, reloading;
static int ready_fd = -1;	/* a new worker's "ready" goes here */
static int ready_rd = -1;	/* the master's end, closed in workers */

/*
 * A worker told to stop may be blocked in accept(): the signal interrupts
 * it (no SA_RESTART), and if it came just before the call, the alarm it
 * sets interrupts it a second later.
 */
static void
on_worker_term(int sig)
{
	(void)sig;
	stopping = 1;
	alarm(1);
}

static void
on_worker_alarm(int sig)
{
	(void)sig;
	if (stopping)
		alarm(1);
}

static void
on_master_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT)
		stopping = 1;
	else if (sig == SIGHUP)
		reloading = 1;
}

static void
set_signal(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);	/* no SA_RESTART: accept() must wake */
}

/* A connection waits on the socket (a worker that stops serves it). */
static int
queued(int listen_fd)
{
	struct pollfd p = { .fd = listen_fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/*
 * A new build's worker waits until its database answers, then tells the
 * master; 0 when it did, -1 when told to stop first (it serves nothing).
 */
static int
say_ready(const struct fd_app *app)
{
	int rc = 0;

	if (ready_fd < 0)
		return 0;
	while (!stopping && app->ready != NULL && app->ready() != 0)
		usleep(200000);
	if (stopping || write(ready_fd, "r", 1) != 1)
		rc = -1;
	close(ready_fd);
	ready_fd = -1;
	return rc;
}

static void __attribute__((noreturn))
worker(const struct fd_app *app, int listen_fd)
{
	FCGX_Request rq;
	sigset_t none;
	int rc;

	set_signal(SIGTERM, on_worker_term);
	set_signal(SIGINT, on_worker_term);
	set_signal(SIGALRM, on_worker_alarm);
	set_signal(SIGHUP, SIG_IGN);
	set_signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Die with the master, even if it was killed -9. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);
	if (ready_rd >= 0)
		close(ready_rd);

	if (app->init != NULL && app->init() != 0) {
		fd_log("worker init failed");
		exit(1);
	}
	/* Interrupted accepts return, so that a stop is seen. */
	FCGX_InitRequest(&rq, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (say_ready(app) == 0 && (!stopping || queued(listen_fd))) {
		if ((rc = FCGX_Accept_r(&rq)) < 0) {
			if (rc == -EINTR)
				continue;
			fd_log("accept: %s", strerror(-rc));
			break;
		}
		fd_dispatch(app, &rq);
		FCGX_Finish_r(&rq);
	}
	FCGX_Free(&rq, 1);
	if (app->fini != NULL)
		app->fini();
	exit(0);
}

static pid_t
spawn(const struct fd_app *app, int listen_fd)
{
	pid_t pid = fork();

	if (pid == 0)
		worker(app, listen_fd);
	if (pid < 0)
		fd_log("fork: %s", strerror(errno));
	return pid;
}

/* The socket a previous build of this master handed over, or -1. */
static int
inherited_socket(void)
{
	int fd = fd_env_fd("FD_LISTEN_FD"), listening = 0;
	socklen_t len = sizeof(listening);

	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
	    &len) != 0 || !listening)
		return -1;
	return fd;
}

/* The previous build's workers, from FD_OLD_WORKERS ("pid,pid,..."). */
static int
old_workers(pid_t *old, int max)
{
	const char *s = fd_env("FD_OLD_WORKERS", "");
	char *end;
	long v;
	int n = 0;

	while (*s != '\0' && n < max) {
		v = strtol(s, &end, 10);
		if (end == s)
			break;
		if (v > 1)
			old[n++] = (pid_t)v;
		s = *end == ',' ? end + 1 : end;
	}
	unsetenv("FD_OLD_WORKERS");
	return n;
}

/* Forks n workers; with readiness wanted, each writes a byte when ready. */
static int
spawn_all(const struct fd_app *app, int listen_fd, pid_t *pids, int n,
    int want_ready)
{
	int p[2] = { -1, -1 }, i;

	if (want_ready && pipe(p) != 0)
		return -1;
	ready_fd = p[1];
	ready_rd = p[0];
	for (i = 0; i < n; i++)
		pids[i] = spawn(app, listen_fd);
	ready_fd = ready_rd = -1;
	if (p[1] >= 0)
		close(p[1]);
	return p[0];
}

/* Waits until n workers said ready; 0 if they all did in time. */
static int
await_ready(int rfd, int n, double seconds)
{
	double deadline = fd_now_s() + seconds;
	struct pollfd p = { .fd = rfd, .events = POLLIN };
	char buf[MAX_WORKERS];
	ssize_t got;

	while (n > 0 && fd_now_s() < deadline) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((got = read(rfd, buf, sizeof(buf))) <= 0)
			break;	/* every write end closed: some died unready */
		n -= (int)got;
	}
	close(rfd);
	return n > 0 ? -1 : 0;
}

/* SIGTERM to each pid, then waits up to FD_DRAIN_SECONDS; KILLs the rest. */
static void
drain(pid_t *pids, int n)
{
	double deadline = fd_now_s() + fd_env_int("FD_DRAIN_SECONDS", 10);
	int i, alive, status;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (alive = n; alive > 0 && fd_now_s() < deadline; ) {
		for (alive = 0, i = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			if (waitpid(pids[i], &status, WNOHANG) == pids[i])
				pids[i] = 0;
			else
				alive++;
		}
		if (alive)
			usleep(10000);
	}
	for (i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], &status, 0);
			pids[i] = 0;
		}
}

/*
 * A deploy, in the master: exec the program file again with the socket,
 * the metrics and the workers' pids in the environment.  Returns only if
 * the exec failed; the old build then carries on.
 */
static void
reexec(int listen_fd, const pid_t *pids, int n)
{
	char num[16], list[MAX_WORKERS * 12] = "";
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
			    "%s%d", *list ? "," : "", (int)pids[i]);
	snprintf(num, sizeof(num), "%d", listen_fd);
	setenv("FD_LISTEN_FD", num, 1);
	setenv("FD_OLD_WORKERS", list, 1);
	snprintf(num, sizeof(num), "%d", fd_metrics_fd());
	setenv("FD_METRICS_FD", num, 1);
	fcntl(listen_fd, F_SETFD, 0);
	fd_log("deploy: executing %s", self_argv[0]);
	/* Signals stay blocked across exec: none is lost on the way. */
	execv(self_argv[0], self_argv);
	fd_log("deploy: cannot execute %s (%s); the running build stays",
	    self_argv[0], strerror(errno));
	unsetenv("FD_LISTEN_FD");
	unsetenv("FD_OLD_WORKERS");
	unsetenv("FD_METRICS_FD");
	fcntl(listen_fd, F_SETFD, FD_CLOEXEC);
}

static int
serve(const struct fd_app *app)
{
	const char *path = fd_env("FD_SOCKET", NULL);
	long long n = fd_env_int("FD_WORKERS", 4);
	pid_t pids[MAX_WORKERS], old[MAX_WORKERS], pid;
	sigset_t block, unblocked;
	int fd, status, i, nold, rfd, tcp;

	if (path == NULL) {
		fd_log("FD_SOCKET is not set");
		return 1;
	}
	if (n < 1 || n > MAX_WORKERS)
		n = 4;
	if (FCGX_Init() != 0 || fd_metrics_init(app->nroutes) != 0)
		return 1;
	if (app->master_init != NULL && app->master_init() != 0)
		return 1;
	nold = old_workers(old, MAX_WORKERS);
	/*
	 * FD_SOCKET is a unix socket's path, or "host:port" (":port" for
	 * every address) when nginx is on another host: libfcgi listens on
	 * TCP then, and takes connections only from the addresses in
	 * FCGI_WEB_SERVER_ADDRS when that is set (the gateways).
	 */
	tcp = fd_addr_is_tcp(path);
	if ((fd = inherited_socket()) < 0) {
		if (!tcp)
			unlink(path);
		if ((fd = FCGX_OpenSocket(path, 1024)) < 0) {
			fd_log("cannot listen on %s", path);
			return 1;
		}
		/* the directory guards it; nginx may be another user */
		if (!tcp)
			chmod(path, 0666);
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);

	/* Signals are only taken inside sigsuspend(), so no wake-up is
	 * lost.  (After a deploy's exec they arrive here still blocked.) */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGCHLD);
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGHUP);
	set_signal(SIGTERM, on_master_signal);
	set_signal(SIGINT, on_master_signal);
	set_signal(SIGCHLD, on_master_signal);
	set_signal(SIGHUP, on_master_signal);
	signal(SIGPIPE, SIG_IGN);

	rfd = spawn_all(app, fd, pids, (int)n, nold > 0);
	if (nold > 0) {
		if (await_ready(rfd, (int)n, (double)fd_env_int(
		    "FD_READY_SECONDS", 30)) == 0) {
			fd_log("deploy: %lld new workers ready; the %d old "
			    "ones drain", n, nold);
			for (i = 0; i < nold; i++)
				kill(old[i], SIGTERM);	/* reaped below */
		} else {
			fd_log("deploy: the new workers are not ready; the old "
			    "ones stay");
			drain(pids, (int)n);
			for (i = 0; i < n; i++)
				pids[i] = i < nold ? old[i] : 0;
		}
	}
	fd_log("listening on %s with %lld workers", path, n);

	while (!stopping) {
		sigsuspend(&unblocked);
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < n && pids[i] != pid; i++)
				continue;
			if (i == n || stopping)
				continue;	/* an old build's, or stopping */
			fd_log("worker %d ended (status %d), replacing it",
			    (int)pid, status);
			fd_metrics_worker_restart();
			pids[i] = spawn(app, fd);
		}
		if (reloading && !stopping) {
			reloading = 0;
			reexec(fd, pids, (int)n);
		}
	}

	/*
	 * No new connection from here on; the queued ones are served.  A TCP
	 * listener has no name to remove: it takes connections until its
	 * workers have gone, and nginx sends the requests refused after that
	 * to the other hosts (a rolling deploy uses SIGHUP, which keeps the
	 * socket, and loses none).
	 */
	fd_log("stopping: draining workers");
	if (!tcp)
		unlink(path);
	drain(pids, (int)n);
	close(fd);
	fd_log("stopped");
	return 0;
}

int
fd_main(const struct fd_app *app, int argc, char **argv,
    const struct fd_cli *cli)
{
	int rc;

	fd_log_name(app->name);
	self_argv = argv;
	if (sodium_init() < 0 || fd_auth_load_key() != 0)
		return 1;
	if (argc < 2)
		return serve(app);
	if (cli == NULL) {
		fprintf(stderr, "usage: %s (a FastCGI server; no arguments)\n",
		    argv[0]);
		return 2;
	}
	if (app->init != NULL && app->init() != 0)
		return 1;
	rc = fd_cli_run(cli, argc - 1, argv + 1);
	if (app->fini != NULL)
		app->fini();
	return rc;
}
