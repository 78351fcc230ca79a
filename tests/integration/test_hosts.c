/*
 * test_hosts.c - the programs on any host (issue 18): the database over
 * TCP from a host list (a dead and a silent host skipped within the
 * connect timeout, TLS refused rather than dropped when required), the
 * programs' own connections over the transport the stack was started
 * with, and memcached as a pool where every key has one server whatever
 * order a host lists them in, and keeps it when another server dies.
 * The library calls are the ones the programs make (lib/fd_db.c,
 * lib/fd_mc.c), against the stack's real MariaDB and memcached.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <mysql.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fd_db.h"
#include "fd_events.h"
#include "fd_mc.h"
#include "it.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A TCP port that accepts connections (the kernel does) and never says a
 * word: a frozen or cut-off database host.  Its fd, port in *port. */
static int
silent_listener(int *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(fd, 8) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* The order context's credentials for fd_db.c, as stack.sh gives them. */
static int
db_env(void)
{
	char pass[128];

	if (it_db_pass("order", pass, sizeof(pass)) != 0)
		return -1;
	setenv("FD_DB_USER", "fd_order", 1);
	setenv("FD_DB_NAME", "fd_order", 1);
	setenv("FD_DB_PASS", pass, 1);
	return 0;
}

/* FD_DB_HOSTS as the stack was started with ("" for the unix socket). */
static char stack_hosts[256];

static void
db_env_clear(void)
{
	if (*stack_hosts)
		setenv("FD_DB_HOSTS", stack_hosts, 1);
	else
		unsetenv("FD_DB_HOSTS");
	unsetenv("FD_DB_TLS");
	unsetenv("FD_DB_CONNECT_TIMEOUT");
	unsetenv("FD_DB_READ_TIMEOUT");
}

/* Over TCP: the connection's own host column says so. */
static int
on_tcp(void)
{
	struct fd_q q;
	char host[128] = "";
	int ok = 0;

	if (fd_db_begin() != FD_DB_OK)
		return 0;
	if (fd_q_exec(&q, "SELECT HOST FROM information_schema.PROCESSLIST"
	    " WHERE ID = CONNECTION_ID()", "") == FD_DB_OK &&
	    fd_q_out(&q, "s", host, sizeof(host)) == FD_DB_OK &&
	    fd_q_fetch(&q) == 1)
		ok = strncmp(host, "127.0.0.1:", 10) == 0;
	fd_q_close(&q);
	fd_db_rollback();
	if (!ok)
		fprintf(stderr, "connection's host: '%s'\n", host);
	return ok;
}

static void
db_host_list(void)
{
	const char *dbport = getenv("FD_DB_PORT");
	char list[256];
	double t0, t;
	int quiet, port = 0;

	CU_ASSERT_FATAL(dbport != NULL && db_env() == 0);
	CU_ASSERT_FATAL((quiet = silent_listener(&port)) >= 0);
	/* Refused, then silent, then the real one. */
	snprintf(list, sizeof(list), "127.0.0.1:1, 127.0.0.1:%d,127.0.0.1:%s",
	    port, dbport);
	setenv("FD_DB_HOSTS", list, 1);
	setenv("FD_DB_CONNECT_TIMEOUT", "1", 1);
	setenv("FD_DB_READ_TIMEOUT", "1", 1);
	fd_db_fini();
	fd_db_init();
	t0 = now();
	CU_ASSERT_EQUAL(fd_db_ping(), 0);
	t = now() - t0;
	/* The silent host costs its timeout (Connector/C reads the greeting
	 * up to three times), no more. */
	CU_ASSERT(t < 4.5);
	CU_ASSERT(on_tcp());
	fd_db_fini();
	fd_db_init();
	/* The next connection starts with the host that answered last. */
	t0 = now();
	CU_ASSERT_EQUAL(fd_db_ping(), 0);
	CU_ASSERT(now() - t0 < 0.5);
	fd_db_fini();
	close(quiet);
	db_env_clear();
	fd_db_init();
}

static void
db_tls_required(void)
{
	const char *dbport = getenv("FD_DB_PORT");
	char list[64];

	CU_ASSERT_FATAL(dbport != NULL && db_env() == 0);
	/* The test server has no certificate: required TLS must refuse to
	 * go on in plain text. */
	snprintf(list, sizeof(list), "127.0.0.1:%s", dbport);
	setenv("FD_DB_HOSTS", list, 1);
	setenv("FD_DB_TLS", "1", 1);
	fd_db_fini();
	fd_db_init();
	CU_ASSERT_NOT_EQUAL(fd_db_ping(), 0);
	fd_db_fini();
	unsetenv("FD_DB_TLS");
	fd_db_init();
	CU_ASSERT_EQUAL(fd_db_ping(), 0);	/* the same without TLS */
	fd_db_fini();
	db_env_clear();
	fd_db_init();
}

static struct st_mysql *db_tcp(void);

/* This process's fd_db connection id, or -1. */
static long long
own_id(void)
{
	struct fd_q q;
	long long id = -1;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	if (fd_q_exec(&q, "SELECT CONNECTION_ID()", "") != FD_DB_OK ||
	    fd_q_out(&q, "l", &id) != FD_DB_OK || fd_q_fetch(&q) != 1)
		id = -1;
	fd_q_close(&q);
	fd_db_rollback();
	return id;
}

/*
 * A connection closed while idle (a router cutting the sessions of a node
 * it marked down, a server killing it) is noticed before the next unit of
 * work, which then runs on a new connection instead of failing.
 */
static void
idle_connection_cut(void)
{
	struct st_mysql *m;
	long long id, again;
	char sql[64];

	CU_ASSERT_FATAL(db_env() == 0);
	db_env_clear();
	if (*stack_hosts == '\0')
		setenv("FD_DB_SOCKET", getenv("FD_DB_SOCKET") ?
		    getenv("FD_DB_SOCKET") : "", 1);
	fd_db_fini();
	fd_db_init();
	CU_ASSERT_FATAL((id = own_id()) > 0);
	/* KILL needs the same account: fd_order@127.0.0.1 over TCP. */
	m = *stack_hosts ? db_tcp() : it_db("order");
	CU_ASSERT_FATAL(m != NULL);
	snprintf(sql, sizeof(sql), "KILL CONNECTION %lld", id);
	CU_ASSERT_EQUAL(mysql_query(m, sql), 0);
	mysql_close(m);
	usleep(100000);
	again = own_id();
	CU_ASSERT(again > 0 && again != id);
	fd_db_fini();
	fd_db_init();
}

/* A connection as fd_order over TCP to the stack's MariaDB, or NULL. */
static struct st_mysql *
db_tcp(void)
{
	const char *dbport = getenv("FD_DB_PORT");
	unsigned int tcp = MYSQL_PROTOCOL_TCP;
	char pass[128];
	MYSQL *m;

	if (dbport == NULL || it_db_pass("order", pass, sizeof(pass)) != 0 ||
	    (m = mysql_init(NULL)) == NULL)
		return NULL;
	mysql_options(m, MYSQL_OPT_PROTOCOL, &tcp);
	if (mysql_real_connect(m, "127.0.0.1", "fd_order", pass, "fd_order",
	    (unsigned int)atoi(dbport), NULL, 0) == NULL) {
		fprintf(stderr, "connect over TCP: %s\n", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

/*
 * The programs' own connections use the transport the stack was started
 * with (make test: TCP first, the unix socket under the sanitizers).  A
 * user sees only the threads of its own account, and fd_order@localhost
 * and fd_order@127.0.0.1 are two: each is asked over its own transport.
 */
static void
programs_transport(void)
{
	struct st_mysql *s = it_db("order"), *t = db_tcp();
	long long tcp = 0, sock = 0;
	int i;

	CU_ASSERT_FATAL(s != NULL && t != NULL);
	/* Workers connect lazily, and after make test's switch from TCP to
	 * the socket the old build's connections may still be going: ask
	 * until the configured transport shows, 10 s at most. */
	for (i = 0; i < 20; i++) {
		CU_ASSERT_EQUAL(it_wait_ready("order", 10), 0);
		tcp = it_db_int(t, "SELECT COUNT(*) FROM"
		    " information_schema.PROCESSLIST WHERE USER = 'fd_order'"
		    " AND HOST LIKE '127.0.0.1:%%' AND ID <> CONNECTION_ID()");
		sock = it_db_int(s, "SELECT COUNT(*) FROM"
		    " information_schema.PROCESSLIST WHERE USER = 'fd_order'"
		    " AND HOST = 'localhost' AND ID <> CONNECTION_ID()");
		if (*stack_hosts ? tcp > 0 && sock == 0 : sock > 0 && tcp == 0)
			break;
		usleep(500000);
	}
	if (*stack_hosts) {
		CU_ASSERT(tcp > 0);
		CU_ASSERT_EQUAL(sock, 0);
	} else {
		CU_ASSERT_EQUAL(tcp, 0);
		CU_ASSERT(sock > 0);
	}
	if (i == 20)
		fprintf(stderr, "fd_order connections: %lld TCP, %lld socket\n",
		    tcp, sock);
	mysql_close(s);
	mysql_close(t);
}

#define KEYS	300

/* A memcached of the test's own beside the stack's; its pid, or -1. */
static pid_t
second_memcached(int port)
{
	char cmd[512], path[256];
	const char *var = getenv("FD_VAR");
	FILE *f;
	pid_t pid = -1;
	int i;

	snprintf(path, sizeof(path), "%s/run/memcached-test.pid",
	    var ? var : "var/test");
	unlink(path);
	snprintf(cmd, sizeof(cmd), "memcached -d -l 127.0.0.1 -p %d -U 0 -m 8"
	    " %s -P '%s'", port, getuid() == 0 ? "-u root" : "", path);
	if (system(cmd) != 0)
		return -1;
	for (i = 0; i < 50 && pid < 0; i++) {
		if ((f = fopen(path, "r")) != NULL) {
			if (fscanf(f, "%d", &pid) != 1)
				pid = -1;
			fclose(f);
		}
		if (pid < 0)
			usleep(100000);
	}
	usleep(200000);
	return pid;
}

/* 1 when key is stored on the one server at port. */
static int
held_by(int port, const char *key)
{
	char one[64];
	memcached_st *m;
	memcached_return_t rc;
	uint32_t flags;
	size_t len;
	char *v;

	snprintf(one, sizeof(one), "127.0.0.1:%d", port);
	if ((m = fd_mc_pool(one)) == NULL)
		return 0;
	v = memcached_get(m, key, strlen(key), &len, &flags, &rc);
	memcached_free(m);
	free(v);
	return v != NULL;
}

static void
memcached_pool(void)
{
	const char *mcport = getenv("FD_MC_PORT");
	char ab[128], ba[128], abc[192], key[64], *v;
	memcached_st *p, *q, *r;
	memcached_return_t rc;
	uint32_t flags;
	size_t len;
	int a, b, i, on_a = 0, on_b = 0, both = 0, found = 0, moved = 0;
	int lost = 0, elsewhere = 0;
	pid_t pid;

	CU_ASSERT_FATAL(mcport != NULL);
	a = atoi(mcport);
	b = a + 7;
	CU_ASSERT_FATAL((pid = second_memcached(b)) > 0);
	snprintf(ab, sizeof(ab), "127.0.0.1:%d,127.0.0.1:%d", a, b);
	snprintf(ba, sizeof(ba), "127.0.0.1:%d 127.0.0.1:%d", b, a);
	/* A third server named but never started: keys it would take. */
	snprintf(abc, sizeof(abc), "%s,127.0.0.1:%d", ab, b + 1);
	p = fd_mc_pool(ab);
	q = fd_mc_pool(ba);
	r = fd_mc_pool(abc);
	CU_ASSERT_FATAL(p != NULL && q != NULL && r != NULL);
	for (i = 0; i < KEYS; i++) {
		snprintf(key, sizeof(key), "hosts-test:%d:%s", i, it_unique());
		CU_ASSERT(memcached_set(p, key, strlen(key), "x", 1, 60, 0) ==
		    MEMCACHED_SUCCESS);
		a = atoi(mcport);
		on_a += held_by(a, key);
		on_b += held_by(b, key);
		both += held_by(a, key) && held_by(b, key);
		/* Another host listing the same servers the other way round. */
		v = memcached_get(q, key, strlen(key), &len, &flags, &rc);
		found += v != NULL;
		free(v);
		/* A server added moves only the keys it takes (about 1/3). */
		moved += strcmp(memcached_server_name(memcached_server_by_key(
		    p, key, strlen(key), &rc)), "127.0.0.1") != 0 ||
		    memcached_server_port(memcached_server_by_key(p, key,
		    strlen(key), &rc)) != memcached_server_port(
		    memcached_server_by_key(r, key, strlen(key), &rc));
	}
	fprintf(stderr, "pool: %d keys on a, %d on b, %d on both, %d found by"
	    " the other order, %d of %d move to a third server\n", on_a, on_b,
	    both, found, moved, KEYS);
	CU_ASSERT_EQUAL(on_a + on_b, KEYS);
	CU_ASSERT_EQUAL(both, 0);
	CU_ASSERT(on_a > KEYS / 5 && on_b > KEYS / 5);
	CU_ASSERT_EQUAL(found, KEYS);
	CU_ASSERT(moved < KEYS / 2);

	/* b dies: its keys fail (a miss, an invalidation not confirmed) and
	 * are never stored on a instead, where a page could outlive its
	 * invalidation once b is back. */
	kill(pid, SIGKILL);
	usleep(200000);
	for (i = 0; i < 60; i++) {
		snprintf(key, sizeof(key), "hosts-dead:%d:%s", i, it_unique());
		if (memcached_server_port(memcached_server_by_key(p, key,
		    strlen(key), &rc)) != (in_port_t)b)
			continue;
		rc = memcached_set(p, key, strlen(key), "y", 1, 60, 0);
		lost += rc != MEMCACHED_SUCCESS;
		elsewhere += held_by(atoi(mcport), key);
	}
	CU_ASSERT(lost > 0);
	CU_ASSERT_EQUAL(elsewhere, 0);
	memcached_free(p);
	memcached_free(q);
	memcached_free(r);
}

/* A UDP socket on 127.0.0.1, port in *port; -1 on error. */
static int
udp_socket(int *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* What arrives on fd within a second, into buf; "" if nothing. */
static const char *
datagram(int fd, char *buf, size_t sz)
{
	struct timeval tv = { 1, 0 };
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(fd, buf, sz - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/*
 * A commit's wake-up reaches the relay on every host FD_RELAY_WAKE names
 * (here two "hosts" on loopback ports), in a forked process as a worker
 * is, since fd_relay_notify() resolves its targets once per process.
 */
static void
relay_wake_every_host(void)
{
	char list[128], a[16], b[16];
	int fa, fb, pa = 0, pb = 0, status;
	pid_t pid;

	CU_ASSERT_FATAL((fa = udp_socket(&pa)) >= 0);
	CU_ASSERT_FATAL((fb = udp_socket(&pb)) >= 0);
	snprintf(list, sizeof(list), "127.0.0.1:%d,localhost:%d", pa, pb);
	if ((pid = fork()) == 0) {
		setenv("FD_RELAY_WAKE", list, 1);
		fd_relay_notify(5);
		_exit(0);
	}
	CU_ASSERT_FATAL(pid > 0);
	waitpid(pid, &status, 0);
	CU_ASSERT_STRING_EQUAL(datagram(fa, a, sizeof(a)), "5");
	CU_ASSERT_STRING_EQUAL(datagram(fb, b, sizeof(b)), "5");
	close(fa);
	close(fb);
}

/* A TCP port on 127.0.0.1 nobody uses now: the kernel picks it for a TCP
 * socket bound to port 0 (a UDP port, as this took before, may be a TCP
 * connection's: the payment program then could not bind it). */
static int
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd, port = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* GET /payment/health from the FastCGI server at addr (cgi-fcgi, as
 * nginx would ask it); 1 when it answered Status 200. */
static int
fcgi_health(const char *addr)
{
	char cmd[512], out[4096];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "env -i REQUEST_METHOD=GET "
	    "DOCUMENT_URI=/payment/health REQUEST_URI=/payment/health "
	    "SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 "
	    "timeout 5 cgi-fcgi -bind -connect %s 2>&1", addr);
	if ((p = popen(cmd, "r")) == NULL)
		return 0;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	return strstr(out, "Status: 200") != NULL ||
	    (strstr(out, "Status:") == NULL && strstr(out, "\"ok\"") != NULL);
}

/* The payment program on a TCP address of its own; its pid, or -1. */
static pid_t
payment_on_tcp(const char *addr, const char *allowed)
{
	const char *build = getenv("FD_BUILD"), *etc = getenv("FD_ETC");
	char prog[512], secret[512], pass[128];
	pid_t pid;

	if (build == NULL || etc == NULL ||
	    it_db_pass("payment", pass, sizeof(pass)) != 0)
		return -1;
	snprintf(prog, sizeof(prog), "%s/cgi-bin/payment.fcgi", build);
	snprintf(secret, sizeof(secret), "%s/jwt.secret", etc);
	if ((pid = fork()) == 0) {
		setenv("FD_SOCKET", addr, 1);
		setenv("FD_WORKERS", "1", 1);
		setenv("FD_JWT_SECRET_FILE", secret, 1);
		setenv("FD_DB_NAME", "fd_payment", 1);
		setenv("FD_DB_USER", "fd_payment", 1);
		setenv("FD_DB_PASS", pass, 1);
		if (allowed != NULL)
			setenv("FCGI_WEB_SERVER_ADDRS", allowed, 1);
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/*
 * FD_SOCKET "host:port": the program serves FastCGI over TCP (nginx on
 * another host), and with FCGI_WEB_SERVER_ADDRS only to those addresses.
 */
static void
fastcgi_on_tcp(void)
{
	char addr[64];
	pid_t pid;
	int i, ok = 0, status;

	snprintf(addr, sizeof(addr), "127.0.0.1:%d", free_port());
	CU_ASSERT_FATAL((pid = payment_on_tcp(addr, NULL)) > 0);
	for (i = 0; i < 50 && !ok; i++) {
		usleep(100000);
		ok = fcgi_health(addr);
	}
	CU_ASSERT(ok);
	kill(pid, SIGTERM);
	CU_ASSERT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);

	/* Only the gateway's address may connect: not this one. */
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", free_port());
	CU_ASSERT_FATAL((pid = payment_on_tcp(addr, "10.88.0.10")) > 0);
	usleep(1000000);
	CU_ASSERT(!fcgi_health(addr));
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

void
add_hosts_tests(void)
{
	CU_pSuite s = CU_add_suite("hosts", NULL, NULL);
	const char *h = getenv("FD_DB_HOSTS");

	snprintf(stack_hosts, sizeof(stack_hosts), "%s", h ? h : "");

	CU_add_test(s, "database: a host list over TCP", db_host_list);
	CU_add_test(s, "database: TLS required is never dropped",
	    db_tls_required);
	CU_add_test(s, "an idle connection cut is replaced",
	    idle_connection_cut);
	CU_add_test(s, "the programs use the stack's transport",
	    programs_transport);
	CU_add_test(s, "memcached: a pool, one server per key",
	    memcached_pool);
	CU_add_test(s, "relay wake-ups reach every host",
	    relay_wake_every_host);
	CU_add_test(s, "FastCGI on a TCP address", fastcgi_on_tcp);
}
