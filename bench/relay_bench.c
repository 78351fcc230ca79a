/*
 * relay_bench.c - the relay's latency and throughput, on the bench stack.
 *
 *   relay_bench latency SECONDS RATE     events at RATE/s into fishstore's
 *       outbox (MenuItemChanged for the order subscriber, harmless upserts
 *       of menu ids far above the demo's), each committed alone and
 *       followed by the wake-up datagram the programs send; then, from the
 *       databases, commit -> subscriber-commit latency p50/p99 (outbox
 *       created_at to the subscriber's inbox applied_at).
 *   relay_bench backlog N               with the fishstore relay stopped
 *       by the caller: N events written in batches; prints nothing but the
 *       first outbox id; the caller starts the relay and runs
 *   relay_bench drain FIRST N           waits until those N are applied
 *       and prints events/s.
 *
 * Connects as the MariaDB admin through $FD_DB_SOCKET (unix_socket auth as
 * this OS user) to read both databases; FD_RELAY_PORT is fishstore's relay
 * wake-up port, or FD_RELAY_WAKE lists fishstore's relays on every host
 * of the cluster (bench/case/cluster.sh: FD_DB_SOCKET is then the
 * writer node's).  Loopback or the cluster's bridge only, bounded in time.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <mysql.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lat.h"

#define MENU_BASE	800000000LL	/* far from any demo menu id */

static MYSQL *
connect_admin(void)
{
	struct passwd *pw = getpwuid(getuid());
	MYSQL *m = mysql_init(NULL);

	if (m == NULL || mysql_real_connect(m, NULL, pw ? pw->pw_name : "root",
	    NULL, NULL, 0, getenv("FD_DB_SOCKET"), 0) == NULL) {
		fprintf(stderr, "relay_bench: connect: %s\n",
		    m ? mysql_error(m) : "no memory");
		exit(1);
	}
	return m;
}

static void
q(MYSQL *m, const char *sql)
{
	if (mysql_query(m, sql) != 0) {
		fprintf(stderr, "relay_bench: %s: %s\n", sql, mysql_error(m));
		exit(1);
	}
}

static long long
scalar(MYSQL *m, const char *sql)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	long long v = -1;

	q(m, sql);
	if ((r = mysql_store_result(m)) != NULL) {
		if ((row = mysql_fetch_row(r)) != NULL && row[0] != NULL)
			v = atoll(row[0]);
		mysql_free_result(r);
	}
	return v;
}

/* One event for subscriber "order", in the caller's transaction. */
static void
event(MYSQL *m, long long n)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "INSERT INTO fd_fishstore.outbox (event_id,"
	    " event_type, aggregate_key, payload) SELECT u, 'MenuItemChanged',"
	    " 'bench:%lld', CONCAT('{\"eventId\":\"', u, '\",\"eventType\":"
	    "\"MenuItemChanged\",\"storeId\":2,\"menuId\":%lld,\"name\":\"bench\","
	    "\"price\":1000,\"soldOut\":false}') FROM (SELECT UUID() AS u) x",
	    n % 1000, MENU_BASE + n % 1000);
	q(m, sql);
	snprintf(sql, sizeof(sql), "INSERT INTO fd_fishstore.outbox_deliveries"
	    " (outbox_id, subscriber, akey) VALUES (LAST_INSERT_ID(), 'order',"
	    " 'bench:%lld')", n % 1000);
	q(m, sql);
}

/*
 * The relays to wake, as the programs have them: FD_RELAY_WAKE
 * ("a.b.c.d:port,...", numeric: the cluster's app hosts, whose relays
 * share the deliveries) or else 127.0.0.1:FD_RELAY_PORT.  Parsed once.
 */
#define MAX_WAKE	8
static struct sockaddr_in wake_to[MAX_WAKE];
static int n_wake = -1;

static void
wake_targets(void)
{
	const char *list = getenv("FD_RELAY_WAKE"), *port;
	char buf[512], *s, *save = NULL, *colon;

	n_wake = 0;
	if (list != NULL && *list != '\0' && strlen(list) < sizeof(buf)) {
		snprintf(buf, sizeof(buf), "%s", list);
		for (s = strtok_r(buf, ",", &save); s != NULL &&
		    n_wake < MAX_WAKE; s = strtok_r(NULL, ",", &save)) {
			if ((colon = strrchr(s, ':')) == NULL)
				continue;
			*colon = '\0';
			memset(&wake_to[n_wake], 0, sizeof(wake_to[0]));
			wake_to[n_wake].sin_family = AF_INET;
			wake_to[n_wake].sin_port = htons((unsigned short)
			    atoi(colon + 1));
			if (inet_pton(AF_INET, s, &wake_to[n_wake].sin_addr) == 1)
				n_wake++;
		}
		return;
	}
	if ((port = getenv("FD_RELAY_PORT")) == NULL)
		return;
	memset(&wake_to[0], 0, sizeof(wake_to[0]));
	wake_to[0].sin_family = AF_INET;
	wake_to[0].sin_port = htons((unsigned short)atoi(port));
	wake_to[0].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n_wake = 1;
}

static void
wake(void)
{
	static int fd = -1;
	int i;

	if (n_wake < 0)
		wake_targets();
	if (fd < 0)
		fd = socket(AF_INET, SOCK_DGRAM, 0);
	/* The order subscriber's bit, as fd_relay_notify() sends it. */
	for (i = 0; i < n_wake; i++)
		(void)sendto(fd, "2", 1, 0, (struct sockaddr *)&wake_to[i],
		    sizeof(wake_to[i]));
}

/* The bench's menu ids out of the replica again. */
static void
cleanup(MYSQL *m)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "DELETE FROM fd_order.menu_replica WHERE"
	    " menu_id >= %lld", MENU_BASE);
	q(m, sql);
	q(m, "COMMIT");
}

/*
 * Waits until the relay has recorded every delivery from first on as done
 * (a cheap index range, polled every 10 ms), then checks once that the
 * subscriber's inbox holds all n events.
 */
static int
wait_applied(MYSQL *m, long long first, long long n, double limit_ms)
{
	char pending[512], applied[512];
	double t0 = lat_now_ms();

	snprintf(pending, sizeof(pending), "SELECT COUNT(*) FROM"
	    " fd_fishstore.outbox_deliveries WHERE subscriber = 'order' AND"
	    " state IN ('pending', 'inflight') AND outbox_id >= %lld", first);
	snprintf(applied, sizeof(applied), "SELECT COUNT(*) FROM"
	    " fd_fishstore.outbox o JOIN fd_order.inbox i ON i.event_id ="
	    " o.event_id WHERE o.id >= %lld AND o.aggregate_key LIKE 'bench:%%'",
	    first);
	while (lat_now_ms() - t0 < limit_ms) {
		q(m, "COMMIT");		/* a fresh snapshot each time */
		if (scalar(m, pending) == 0)
			return scalar(m, applied) >= n ? 0 : -1;
		usleep(10000);
	}
	return -1;
}

static int
latency(double seconds, double rate)
{
	MYSQL *m = connect_admin();
	struct lat l = { NULL, 0, 0, 0 };
	long long first, n = 0, v;
	double t0, next;
	char sql[512];
	MYSQL_RES *r;
	MYSQL_ROW row;

	mysql_autocommit(m, 0);
	first = scalar(m, "SELECT COALESCE(MAX(id), 0) + 1 FROM "
	    "fd_fishstore.outbox");
	t0 = next = lat_now_ms();
	while (lat_now_ms() - t0 < seconds * 1000) {
		while (lat_now_ms() < next)
			usleep(200);
		event(m, n++);
		q(m, "COMMIT");
		wake();
		next += 1000.0 / rate;
	}
	if (wait_applied(m, first, n, 30000) != 0) {
		fprintf(stderr, "relay_bench: not all %lld events applied\n", n);
		return 1;
	}
	snprintf(sql, sizeof(sql), "SELECT TIMESTAMPDIFF(MICROSECOND,"
	    " o.created_at, i.applied_at) FROM fd_fishstore.outbox o JOIN"
	    " fd_order.inbox i ON i.event_id = o.event_id WHERE o.id >= %lld AND"
	    " o.aggregate_key LIKE 'bench:%%'", first);
	q(m, sql);
	r = mysql_store_result(m);
	while (r != NULL && (row = mysql_fetch_row(r)) != NULL) {
		v = atoll(row[0]);
		lat_add(&l, (double)v / 1000.0);
	}
	if (r != NULL)
		mysql_free_result(r);
	lat_sort(&l);
	printf("relay latency: %lld events at %.0f/s, commit -> subscriber "
	    "commit p50 %.2f ms p99 %.2f ms max %.2f ms\n", n, rate,
	    lat_pct(&l, 50), lat_pct(&l, 99), lat_pct(&l, 100));
	free(l.ms);
	cleanup(m);
	mysql_close(m);
	return 0;
}

static int
backlog(long long n)
{
	MYSQL *m = connect_admin();
	long long i, first;

	mysql_autocommit(m, 0);
	first = scalar(m, "SELECT COALESCE(MAX(id), 0) + 1 FROM "
	    "fd_fishstore.outbox");
	for (i = 0; i < n; i++) {
		event(m, i);
		if (i % 500 == 499)
			q(m, "COMMIT");
	}
	q(m, "COMMIT");
	printf("%lld\n", first);
	mysql_close(m);
	return 0;
}

static int
drain(long long first, long long n)
{
	MYSQL *m = connect_admin();
	double t0 = lat_now_ms(), ms;

	mysql_autocommit(m, 1);
	if (wait_applied(m, first, n, 120000) != 0) {
		fprintf(stderr, "relay_bench: backlog not drained in 120 s\n");
		return 1;
	}
	ms = lat_now_ms() - t0;
	printf("relay throughput: %lld events drained in %.0f ms: %.0f events/s\n",
	    n, ms, (double)n * 1000.0 / ms);
	cleanup(m);
	mysql_close(m);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "latency") == 0)
		return latency(atof(argv[2]), atof(argv[3]));
	if (argc == 3 && strcmp(argv[1], "backlog") == 0)
		return backlog(atoll(argv[2]));
	if (argc == 4 && strcmp(argv[1], "drain") == 0)
		return drain(atoll(argv[2]), atoll(argv[3]));
	fprintf(stderr, "usage: relay_bench latency SECONDS RATE | backlog N |"
	    " drain FIRST N\n");
	return 2;
}
