/*
 * relay_main.c - the relay of one context's outbox.
 *
 *   relay                     run: deliver to every subscriber until SIGTERM
 *   relay dead [SUBSCRIBER]   list dead letters
 *   relay replay all|ID [SUBSCRIBER]
 *                             send dead letters again (attempts reset)
 *
 * Configuration from the environment: FD_RELAY_CONTEXT (whose outbox),
 * FD_DB_* (that context's database and user), FD_INTERNAL_URL (where the
 * subscribers are), FD_RELAY_PORT and FD_RELAY_BIND (where wake-ups come),
 * and FD_RELAY_BATCH, _LEASE_S,
 * _POLL_MS, _MAX_ATTEMPTS, _BACKOFF_MS, _BACKOFF_MAX_MS, _RETENTION_S,
 * _HOUSEKEEP_S, _TIMEOUT_MS; FD_RELAY_METRICS_SOCKET, where a child
 * serves the relay's Prometheus text (relay_metrics.c) over FastCGI; and
 * the retentions of the context's other rows, FD_INBOX_RETENTION_S,
 * FD_IDEM_RETENTION_S, FD_CANCELED_RETENTION_S and
 * FD_MYPAGE_ORPHAN_RETENTION_S (relay_purge.c).
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fd_db.h"
#include "fd_events.h"
#include "fd_proc.h"
#include "relay.h"

#define MAXSUBS	8
#define MAXTABLES	8

static volatile int stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void
config(struct relay_cfg *c)
{
	c->context = fd_env("FD_RELAY_CONTEXT", "order");
	c->batch = (int)fd_env_int("FD_RELAY_BATCH", 500);
	if (c->batch < 1 || c->batch > RELAY_MAX_BATCH)
		c->batch = 500;
	c->lease_s = (int)fd_env_int("FD_RELAY_LEASE_S", 30);
	c->poll_ms = (int)fd_env_int("FD_RELAY_POLL_MS", 500);
	c->max_attempts = (int)fd_env_int("FD_RELAY_MAX_ATTEMPTS", 5);
	c->backoff_ms = fd_env_int("FD_RELAY_BACKOFF_MS", 100);
	c->backoff_max_ms = fd_env_int("FD_RELAY_BACKOFF_MAX_MS", 10000);
	c->retention_s = (int)fd_env_int("FD_RELAY_RETENTION_S", 3600);
	c->housekeep_ms = 1000 * fd_env_int("FD_RELAY_HOUSEKEEP_S", 60);
	if (c->housekeep_ms < 1000)
		c->housekeep_ms = 1000;
	c->url = fd_env("FD_INTERNAL_URL", "http://127.0.0.1:8089");
	c->timeout_ms = fd_env_int("FD_RELAY_TIMEOUT_MS", 10000);
}

/* The UDP socket producers' fd_relay_notify() reaches; -1 if none. */
static int
wake_socket(void)
{
	long long port = fd_env_int("FD_RELAY_PORT", 0);
	struct sockaddr_in a;
	int fd, one = 1;

	if (port <= 0 || port > 65535)
		return -1;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) < 0)
		return -1;
	/* A second relay of the same context may bind it too. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	/* FD_RELAY_BIND: this host's address when the programs on other
	 * hosts wake it too (FD_RELAY_WAKE); loopback otherwise. */
	if (inet_pton(AF_INET, fd_env("FD_RELAY_BIND", "127.0.0.1"),
	    &a.sin_addr) != 1) {
		fd_log("relay: FD_RELAY_BIND is not an IPv4 address");
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		fd_log("relay: cannot bind wake-up port %lld: %s", port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* fork(); the child dies with the master, even one killed -9. */
static pid_t
fork_child(void)
{
	pid_t pid, master = getpid();

	if ((pid = fork()) == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != master)	/* it died before the prctl */
			_exit(0);
	}
	return pid;
}

static pid_t
spawn(struct relay_cfg *cfg, const char *sub, int *wake_w)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork_child()) == 0) {
		close(p[1]);
		signal(SIGTERM, on_term);
		signal(SIGINT, on_term);
		cfg->subscriber = sub;
		if (fd_db_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT))
			_exit(1);
		fd_log("relay %s -> %s: delivering", cfg->context, sub);
		relay_deliver(cfg, p[0], &stop);
		relay_send_fini();
		curl_global_cleanup();
		fd_db_fini();
		exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -1;
	}
	*wake_w = p[1];
	return pid;
}

/* The metrics responder, a child like the deliverers; -1 if none. */
static pid_t
spawn_metrics(const struct relay_cfg *cfg)
{
	const char *path = fd_env("FD_RELAY_METRICS_SOCKET", NULL);
	pid_t pid;

	if (path == NULL)
		return -1;
	if ((pid = fork_child()) == 0) {
		if (relay_metrics_serve(cfg->context, path) == 0)
			_exit(0);
		sleep(1);	/* replaced by the master: not in a tight loop */
		_exit(1);
	}
	return pid;
}

static int
serve(void)
{
	struct relay_cfg cfg;
	const char *subs[MAXSUBS + 1], *tables[MAXTABLES];
	pid_t pids[MAXSUBS], mpid;
	int wake_w[MAXSUBS], ufd, status;
	size_t n, ntables, i;
	char buf[64];
	struct pollfd pfd;
	pid_t pid;

	config(&cfg);
	n = fd_context_subscribers(cfg.context, subs, MAXSUBS);
	if (n == 0) {
		fd_log("relay: %s publishes no events", cfg.context);
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	cfg.outbox_keeper = subs[0];
	ufd = wake_socket();
	relay_purge_config(&cfg);
	ntables = relay_purge_tables(cfg.context, tables, MAXTABLES);
	if (relay_metrics_init(subs, n, tables, ntables) != 0)
		return 1;
	mpid = spawn_metrics(&cfg);
	for (i = 0; i < n; i++)
		pids[i] = spawn(&cfg, subs[i], &wake_w[i]);
	fd_log("relay %s: %zu subscribers, wake-ups on port %lld", cfg.context,
	    n, fd_env_int("FD_RELAY_PORT", 0));

	pfd.fd = ufd;
	pfd.events = POLLIN;
	while (!stop) {
		/* Wake-ups are forwarded to every deliverer. */
		if (poll(&pfd, ufd >= 0 ? 1 : 0, 200) > 0) {
			/* Each datagram names its subscribers as a bit mask
			 * (fd_relay_notify); anything else wakes them all. */
			unsigned mask = 0, m;
			ssize_t got;
			while ((got = recv(ufd, buf, sizeof(buf) - 1, 0)) > 0) {
				buf[got] = '\0';
				m = (unsigned)strtoul(buf, NULL, 10);
				mask |= m ? m : ~0u;
			}
			for (i = 0; i < n; i++)
				if (mask & fd_subscriber_bit(subs[i]))
					(void)write(wake_w[i], "!", 1);
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid == mpid && !stop) {
				fd_log("relay %s: metrics responder ended "
				    "(status %d), replacing it", cfg.context,
				    status);
				mpid = spawn_metrics(&cfg);
			}
			for (i = 0; i < n; i++)
				if (pids[i] == pid && !stop) {
					fd_log("relay %s -> %s: deliverer ended "
					    "(status %d), replacing it", cfg.context,
					    subs[i], status);
					relay_metrics_restart(subs[i]);
					close(wake_w[i]);
					pids[i] = spawn(&cfg, subs[i], &wake_w[i]);
				}
		}
	}
	if (mpid > 0) {
		kill(mpid, SIGTERM);
		waitpid(mpid, &status, 0);
	}
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], &status, 0);
	fd_log("relay %s: stopped", cfg.context);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *sub;
	int rc;

	if (argc < 2)
		return serve();
	if (fd_db_init() != 0)
		return 1;
	if (strcmp(argv[1], "dead") == 0) {
		rc = relay_dead_list(argc > 2 ? argv[2] : "");
		if (rc >= 0)
			fprintf(stderr, "%d dead letter(s)\n", rc);
	} else if (strcmp(argv[1], "replay") == 0 && argc > 2) {
		sub = argc > 3 ? argv[3] : "";
		rc = relay_dead_replay(sub, strcmp(argv[2], "all") == 0 ? 0 :
		    atoll(argv[2]));
		if (rc >= 0)
			printf("%d event(s) sent again\n", rc);
	} else {
		fprintf(stderr, "usage: relay [dead [SUBSCRIBER] | replay "
		    "all|ID [SUBSCRIBER]]\n");
		rc = -2;
	}
	fd_db_fini();
	return rc == -2 ? 2 : rc < 0 ? 1 : 0;
}
