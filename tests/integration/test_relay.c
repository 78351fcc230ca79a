/*
 * test_relay.c - the outbox relay on the real stack: nothing lost, nothing
 * applied twice, per-order order kept, with subscribers down, relays
 * killed -9, two relays at once, a poison event, and an event that commits
 * late with a lower id (the visibility gap).
 *
 * The test stack runs the relays with FD_RELAY_LEASE_S=2,
 * FD_RELAY_MAX_ATTEMPTS=3 and short backoffs (scripts/test.sh).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <mysql.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

static char cust[1024];

static const char order_body[] = "{\"storeId\":1,\"items\":[{\"menuId\":2,"
    "\"qty\":1}],\"address\":\"인천 중구 1\",\"phone\":\"010-3333-4444\"}";

static int
init_suite(void)
{
	char email[128];

	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	return it_customer(cust, sizeof(cust), email, sizeof(email)) > 0 ? 0 : -1;
}

/* Whatever a failed test left stopped is started again. */
static int
clean_suite(void)
{
	(void)it_sv("up", "fishstore");
	(void)it_sv("up", "delivery");
	return 0;
}

/* SIGKILL to a process and its children (a relay and its deliverers). */
static int
kill9_tree(pid_t top)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300], buf[512], *p;
	FILE *f;
	long ppid;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atol(e->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		ppid = -1;
		if (fgets(buf, sizeof(buf), f) != NULL &&
		    (p = strrchr(buf, ')')) != NULL)
			sscanf(p + 2, "%*c %ld", &ppid);
		fclose(f);
		if ((pid_t)ppid == top && kill(pid, SIGKILL) == 0)
			n++;
	}
	if (d != NULL)
		closedir(d);
	if (kill(top, SIGKILL) == 0)
		n++;
	return n;
}

/* Sum of a metric's series (all subscribers) in /{ctx}/metrics. */
static double
metric_sum(const char *ctx, const char *name)
{
	struct it_resp r;
	char path[64], key[96];
	const char *p;
	double sum = 0;

	snprintf(path, sizeof(path), "/%s/metrics", ctx);
	snprintf(key, sizeof(key), "\n%s{", name);
	if (it_req(&r, "GET", path, NULL, NULL, NULL) != 0 || r.status != 200) {
		it_free(&r);
		return -1;
	}
	for (p = r.body; (p = strstr(p, key)) != NULL; p++)
		sum += strtod(strchr(p, '}') + 1, NULL);
	it_free(&r);
	return sum;
}

/* One series of the order relay's own /relay/order/metrics; -1. */
static double
relay_metric(const char *series)
{
	struct it_resp r;
	const char *p;
	double v = -1;

	it_internal(1);
	if (it_req(&r, "GET", "/relay/order/metrics", NULL, NULL, NULL) == 0 &&
	    r.status == 200 && (p = strstr(r.body, series)) != NULL)
		v = strtod(p + strlen(series), NULL);
	it_internal(0);
	it_free(&r);
	return v;
}

/* Waits (bounded) until every context has delivered everything. */
static int
wait_drained(int seconds)
{
	static const char *const ctxs[] = { "order", "payment", "fishstore",
	    "delivery" };
	int t, i, busy;

	for (t = 0; t < seconds * 10; t++) {
		for (busy = 0, i = 0; i < 4; i++)
			if (metric_sum(ctxs[i], "fd_outbox_backlog") != 0)
				busy = 1;
		if (!busy)
			return 0;
		usleep(100000);
	}
	return -1;
}

/* Appends ids as "1,2,3" for SQL IN lists (test-made integers only). */
static char *
id_list(const long long *ids, size_t n)
{
	char *s = malloc(n * 21 + 2);
	size_t i, off = 0;

	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, 22, "%s%lld", i ? "," : "",
		    ids[i]);
	return s;
}

/* Tickets, and fishstore inbox rows of OrderPlaced, for these orders. */
static void
check_once_each(const long long *ids, size_t n)
{
	char *in = id_list(ids, n);
	MYSQL *m = it_db("fishstore");

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM tickets WHERE "
	    "order_id IN (%s)", in), (long long)n);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(DISTINCT order_id) FROM "
	    "tickets WHERE order_id IN (%s)", in), (long long)n);
	mysql_close(m);
	free(in);
}

/* GET /orders/{id}'s status as cust sees it is want, within 30 s. */
static int
wait_order_status(long long id, const char *want)
{
	char path[64], buf[32];
	int t;

	snprintf(path, sizeof(path), "/orders/%lld", id);
	for (t = 0; t < 300; t++) {
		if (strcmp(it_get_str(path, cust, "status", buf, sizeof(buf)),
		    want) == 0)
			return 0;
		usleep(100000);
	}
	return -1;
}

static void
subscriber_down_then_back(void)
{
	long long ids[20];
	struct it_resp r;
	char path[64];
	size_t i;

	CU_ASSERT_FATAL(wait_drained(30) == 0);
	CU_ASSERT_FATAL(it_sv("down", "fishstore") == 0);
	/* Orders are taken while the store's program is away, and their
	 * cancellations wait for the store to decide them. */
	for (i = 0; i < 20; i++) {
		ids[i] = it_place(cust, order_body);
		CU_ASSERT(ids[i] > 0);
	}
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "/orders/%lld/cancel", ids[i]);
		CU_ASSERT_FATAL(it_req(&r, "POST", path, cust, NULL, NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 202);
		it_free(&r);
	}
	usleep(500000);
	CU_ASSERT(metric_sum("order", "fd_outbox_backlog") >= 25);
	CU_ASSERT_EQUAL(it_ctx_int("payment", "SELECT COUNT(*) FROM payments"
	    " WHERE order_id IN (%lld, %lld, %lld, %lld, %lld) AND status ="
	    " 'Refunded'", ids[0], ids[1], ids[2], ids[3], ids[4]), 0);
	/* The store back, the courier away: confirmed and canceled, and the
	 * other subscribers are not held back: the OrderCanceled of the
	 * same orders reach payment (their refunds) while delivery's copies
	 * wait. */
	CU_ASSERT_FATAL(it_sv("down", "delivery") == 0);
	CU_ASSERT_FATAL(it_sv("up", "fishstore") == 0);
	for (i = 0; i < 5; i++)
		CU_ASSERT(wait_order_status(ids[i], "Canceled") == 0);
	{
		MYSQL *m = it_db("order");
		char *in = id_list(ids, 5), *all = id_list(ids, 20);
		long long left = -1;
		int t;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_PTR_NOT_NULL_FATAL(in);
		CU_ASSERT_PTR_NOT_NULL_FATAL(all);
		for (t = 0; t < 50 && left != 0; t++) {
			left = it_db_int(m, "SELECT COUNT(*) FROM outbox_deliveries"
			    " WHERE subscriber = 'payment' AND state <> 'done' AND"
			    " akey IN (%s)", in);
			mysql_commit(m);
			if (left != 0)
				usleep(100000);
		}
		CU_ASSERT_EQUAL(left, 0);
		CU_ASSERT(it_db_int(m, "SELECT COUNT(*) FROM outbox_deliveries"
		    " WHERE subscriber = 'delivery' AND state <> 'done' AND"
		    " akey IN (%s)", in) >= 5);
		/* No copy of the order context's own events for itself. */
		CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM outbox_deliveries"
		    " WHERE subscriber = 'order' AND akey IN (%s)", all), 0);
		free(in);
		free(all);
		mysql_close(m);
	}
	CU_ASSERT_FATAL(it_sv("up", "delivery") == 0);
	CU_ASSERT(wait_drained(60) == 0);
	CU_ASSERT_EQUAL(it_ctx_int("payment", "SELECT COUNT(*) FROM payments"
	    " WHERE order_id IN (%lld, %lld, %lld, %lld, %lld) AND status ="
	    " 'Refunded'", ids[0], ids[1], ids[2], ids[3], ids[4]), 5);
	check_once_each(ids, 20);
}

struct load {
	long long	*ids;
	size_t		 n;
};

static void *
load(void *arg)
{
	struct load *l = arg;
	size_t i;

	for (i = 0; i < l->n; i++)
		l->ids[i] = it_place(cust, order_body);
	return NULL;
}

static void
relay_killed_mid_stream(void)
{
	static long long ids[500];
	struct load l[4];
	pthread_t th[4];
	size_t i, ok = 0;
	int k;
	double dead0 = metric_sum("order", "fd_outbox_dead_letters");

	CU_ASSERT_FATAL(wait_drained(30) == 0);
	for (k = 0; k < 4; k++) {
		l[k].ids = ids + k * 125;
		l[k].n = 125;
		pthread_create(&th[k], NULL, load, &l[k]);
	}
	/* Kill the order relay and its deliverers, twice, mid-stream. */
	for (k = 0; k < 2; k++) {
		usleep(700000);
		CU_ASSERT(kill9_tree(it_service_pid("relay-order")) >= 2);
	}
	for (k = 0; k < 4; k++)
		pthread_join(th[k], NULL);
	for (i = 0; i < 500; i++)
		ok += ids[i] > 0;
	CU_ASSERT_EQUAL(ok, 500);
	/* runit restarts it; expired leases are claimed again. */
	CU_ASSERT(wait_drained(90) == 0);
	check_once_each(ids, 500);
	CU_ASSERT_EQUAL(metric_sum("order", "fd_outbox_dead_letters"), dead0);
}

static void
two_relays_at_once(void)
{
	static long long ids[100];
	char cmd[1200];
	pid_t extra;
	size_t i;

	CU_ASSERT_FATAL(wait_drained(30) == 0);
	/* A second relay of the order outbox, started from the same recipe. */
	snprintf(cmd, sizeof(cmd), "%s/service/relay-order/run",
	    getenv("FD_VAR") ? getenv("FD_VAR") : "var/test");
	if ((extra = fork()) == 0) {
		setpgid(0, 0);
		execl("/bin/sh", "sh", cmd, (char *)NULL);
		_exit(127);
	}
	CU_ASSERT_FATAL(extra > 0);
	usleep(300000);
	for (i = 0; i < 100; i++)
		ids[i] = it_place(cust, order_body);
	CU_ASSERT(wait_drained(60) == 0);
	kill(-extra, SIGTERM);
	waitpid(extra, NULL, 0);
	check_once_each(ids, 100);
}

/*
 * The relay's own counters, on the internal gateway: the orders placed
 * here are counted as applied by fishstore, in answered batches.
 */
static void
relay_counts_its_deliveries(void)
{
	static const char applied[] = "\nfd_relay_deliveries_total{context="
	    "\"order\",subscriber=\"fishstore\",outcome=\"applied\"} ";
	static const char batches[] = "\nfd_relay_batch_seconds_count{context="
	    "\"order\",subscriber=\"fishstore\"} ";
	static const char last[] = "\nfd_relay_last_batch_timestamp_seconds{"
	    "context=\"order\",subscriber=\"fishstore\"} ";
	double a0, b0, a1 = -1;
	int i;

	CU_ASSERT_FATAL(wait_drained(30) == 0);
	a0 = relay_metric(applied);
	b0 = relay_metric(batches);
	CU_ASSERT_FATAL(a0 >= 0 && b0 >= 0);
	for (i = 0; i < 5; i++)
		CU_ASSERT(it_place(cust, order_body) > 0);
	for (i = 0; i < 100 && a1 < a0 + 5; i++) {
		usleep(50000);
		a1 = relay_metric(applied);
	}
	printf("\n    fishstore applied %.0f -> %.0f ", a0, a1);
	CU_ASSERT(a1 >= a0 + 5);
	CU_ASSERT(relay_metric(batches) > b0);
	CU_ASSERT(relay_metric(last) >= (double)time(NULL) - 30);
	/* Refused and unreachable are there, as series of their own. */
	CU_ASSERT(relay_metric("\nfd_relay_deliveries_total{context=\"order\","
	    "subscriber=\"fishstore\",outcome=\"refused\"} ") >= 0);
	CU_ASSERT(relay_metric("\nfd_relay_unreachable_total{context=\"order\","
	    "subscriber=\"fishstore\"} ") >= 0);
}

static void
poison_is_dead_lettered_while_others_flow(void)
{
	MYSQL *m = it_db("order");
	long long ids[5], dead0, row;
	char key[64];
	size_t i;
	int t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	dead0 = metric_sum("order", "fd_outbox_dead_letters");
	snprintf(key, sizeof(key), "poison-%s", it_unique());
	/* An OrderPlaced that fishstore can never apply: no orderId. */
	CU_ASSERT_EQUAL_FATAL(mysql_query(m, "INSERT INTO outbox (event_id,"
	    " event_type, aggregate_key, payload) VALUES (UUID(), 'OrderPlaced',"
	    " 'poison', '{\"eventType\":\"OrderPlaced\",\"storeId\":1}')"), 0);
	row = (long long)mysql_insert_id(m);
	{
		char sql[512];
		snprintf(sql, sizeof(sql), "UPDATE outbox SET payload = JSON_SET("
		    "payload, '$.eventId', event_id), aggregate_key = '%s' WHERE"
		    " id = %lld", key, row);
		CU_ASSERT_EQUAL(mysql_query(m, sql), 0);
		snprintf(sql, sizeof(sql), "INSERT INTO outbox_deliveries ("
		    "outbox_id, subscriber, akey) VALUES (%lld, 'fishstore', '%s')",
		    row, key);
		CU_ASSERT_EQUAL(mysql_query(m, sql), 0);
	}
	CU_ASSERT_EQUAL(mysql_commit(m), 0);
	/* Real orders keep flowing past it. */
	for (i = 0; i < 5; i++)
		ids[i] = it_place(cust, order_body);
	for (t = 0; t < 200; t++) {
		if (it_db_int(m, "SELECT COUNT(*) FROM outbox_dead_letters WHERE "
		    "akey = '%s'", key) == 1)
			break;
		mysql_commit(m);
		usleep(100000);
	}
	CU_ASSERT(t < 200);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT attempts FROM outbox_dead_letters "
	    "WHERE akey = '%s'", key), 3);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM outbox_dead_letters "
	    "WHERE akey = '%s' AND last_error LIKE '%%orderId%%'", key), 1);
	CU_ASSERT(wait_drained(60) == 0);
	check_once_each(ids, 5);
	CU_ASSERT_EQUAL(metric_sum("order", "fd_outbox_dead_letters"), dead0 + 1);

	/* An operator replays it: out of the dead letters, attempts reset,
	 * and (still poison) dead again after three more. */
	CU_ASSERT_EQUAL(system("scripts/stack.sh relay order replay all "
	    "fishstore >/dev/null"), 0);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM outbox_dead_letters "
	    "WHERE akey = '%s'", key), 0);
	mysql_commit(m);
	for (t = 0; t < 200; t++) {
		if (it_db_int(m, "SELECT COUNT(*) FROM outbox_dead_letters WHERE "
		    "akey = '%s'", key) == 1)
			break;
		mysql_commit(m);
		usleep(100000);
	}
	CU_ASSERT(t < 200);
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT attempts FROM outbox_deliveries "
	    "WHERE akey = '%s'", key), 3);
	mysql_close(m);
}

/*
 * The visibility gap: A takes a lower id but commits after B.  A relay
 * that kept a high-water mark would deliver B and never see A.
 */
static void
late_commit_with_lower_id_is_delivered(void)
{
	/* fishstore's outbox (a, b, c), the order context's replica (d). */
	MYSQL *a = it_db("fishstore"), *b = it_db("fishstore"),
	    *c = it_db("fishstore"), *d = it_db("order");
	char sql[512], ka[64], kb[64], ida[40], idb[40];
	long long ra, rb;
	int t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	snprintf(ka, sizeof(ka), "gap-a-%s", it_unique());
	snprintf(kb, sizeof(kb), "gap-b-%s", it_unique());
	/* Fresh event ids each run: the suite may run twice on one stack. */
	snprintf(ida, sizeof(ida), "00000000-0000-4000-8000-%012lx",
	    (unsigned long)random() & 0xffffffffffUL);
	snprintf(idb, sizeof(idb), "00000000-0000-4000-9000-%012lx",
	    (unsigned long)random() & 0xffffffffffUL);
	mysql_autocommit(a, 0);
	mysql_autocommit(b, 0);
	/* MenuItemChanged for a menu id far from the demo's: harmless. */
#define EV "INSERT INTO outbox (event_id, event_type, aggregate_key, payload)" \
	" VALUES ('%s', 'MenuItemChanged', '%s', '{\"eventId\":\"%s\"," \
	"\"eventType\":\"MenuItemChanged\",\"storeId\":2,\"menuId\":%d," \
	"\"name\":\"gap\",\"price\":1000,\"soldOut\":true}')"
	snprintf(sql, sizeof(sql), EV, ida, ka, ida, 900001);
	CU_ASSERT_EQUAL_FATAL(mysql_query(a, sql), 0);
	ra = (long long)mysql_insert_id(a);
	snprintf(sql, sizeof(sql), "INSERT INTO outbox_deliveries (outbox_id,"
	    " subscriber, akey) VALUES (%lld, 'order', '%s')", ra, ka);
	CU_ASSERT_EQUAL_FATAL(mysql_query(a, sql), 0);
	snprintf(sql, sizeof(sql), EV, idb, kb, idb, 900002);
	CU_ASSERT_EQUAL_FATAL(mysql_query(b, sql), 0);
	rb = (long long)mysql_insert_id(b);
	snprintf(sql, sizeof(sql), "INSERT INTO outbox_deliveries (outbox_id,"
	    " subscriber, akey) VALUES (%lld, 'order', '%s')", rb, kb);
	CU_ASSERT_EQUAL_FATAL(mysql_query(b, sql), 0);
	CU_ASSERT_FATAL(ra < rb);
	CU_ASSERT_EQUAL_FATAL(mysql_commit(b), 0);

	/* B (the higher id) is delivered while A is still open... */
	for (t = 0; t < 100; t++) {
		if (it_db_int(c, "SELECT COUNT(*) FROM outbox_deliveries WHERE "
		    "akey = '%s' AND state = 'done'", kb) == 1)
			break;
		mysql_commit(c);
		usleep(50000);
	}
	CU_ASSERT(t < 100);
	/* ...then A commits, and is delivered too. */
	CU_ASSERT_EQUAL_FATAL(mysql_commit(a), 0);
	for (t = 0; t < 100; t++) {
		mysql_commit(c);
		if (it_db_int(c, "SELECT COUNT(*) FROM outbox_deliveries WHERE "
		    "akey = '%s' AND state = 'done'", ka) == 1)
			break;
		usleep(50000);
	}
	CU_ASSERT(t < 100);
	/* Both applied by the subscriber, once. */
	CU_ASSERT_EQUAL(it_db_int(d, "SELECT COUNT(*) FROM inbox WHERE event_id"
	    " IN ('%s', '%s')", ida, idb), 2);
	CU_ASSERT_EQUAL(it_db_int(d, "SELECT COUNT(*) FROM menu_replica WHERE "
	    "menu_id IN (900001, 900002)"), 2);
	mysql_query(d, "DELETE FROM menu_replica WHERE menu_id IN (900001, 900002)");
	mysql_commit(d);
	mysql_close(a);
	mysql_close(b);
	mysql_close(c);
	mysql_close(d);
#undef EV
}

/* runit brings back a program killed -9; its master, a killed worker. */
static void
killed_programs_come_back(void)
{
	const char *const names[] = { "payment", "relay-fishstore", "order" };
	pid_t before, after;
	size_t i;
	int t;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		before = it_service_pid(names[i]);
		CU_ASSERT_FATAL(before > 0);
		CU_ASSERT(kill9_tree(before) >= 1);
		for (t = 0; t < 100; t++) {
			after = it_service_pid(names[i]);
			if (after > 0 && after != before && kill(after, 0) == 0)
				break;
			usleep(100000);
		}
		CU_ASSERT(t < 100);
	}
	/* Serving again: an order goes through payment and is relayed.
	 * runit shows a new pid before its master listens: wait for order
	 * too, or the order lands on nginx's 503 (seen on a loaded host). */
	CU_ASSERT(it_wait_ready("payment", 10) == 0);
	CU_ASSERT(it_wait_ready("order", 10) == 0);
	{
		long long id = it_place(cust, order_body);
		CU_ASSERT(id > 0);
		CU_ASSERT(wait_drained(30) == 0);
		check_once_each(&id, 1);
	}
}

/* Delivered rows are cleaned up (test stack: over 20 s old, every 2 s). */
static void
delivered_rows_are_cleaned_up(void)
{
	MYSQL *m = it_db("order");
	long long old, oldest;
	int t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT(wait_drained(30) == 0);
	/* This suite's first orders were delivered well over 20 s ago. */
	oldest = it_db_int(m, "SELECT COALESCE(MAX(id), 0) FROM "
	    "outbox_deliveries WHERE state = 'done' AND delivered_at < NOW(6) -"
	    " INTERVAL 25 SECOND");
	for (t = 0; t < 100; t++) {
		mysql_commit(m);
		old = it_db_int(m, "SELECT COUNT(*) FROM outbox_deliveries WHERE"
		    " state = 'done' AND delivered_at < NOW(6) - INTERVAL 25"
		    " SECOND");
		if (old == 0)
			break;
		usleep(100000);
	}
	CU_ASSERT_EQUAL(old, 0);
	/* And their outbox rows once no delivery of them is left. */
	if (oldest > 0)
		CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM outbox o WHERE"
		    " o.created_at < NOW(6) - INTERVAL 60 SECOND AND NOT EXISTS"
		    " (SELECT 1 FROM outbox_deliveries d WHERE d.outbox_id ="
		    " o.id)"), 0);
	mysql_close(m);
}

void
add_relay_tests(void)
{
	CU_pSuite s = CU_add_suite("relay", init_suite, clean_suite);

	CU_add_test(s, "the relay's own metrics count its deliveries",
	    relay_counts_its_deliveries);
	CU_add_test(s, "late commit with a lower id is delivered",
	    late_commit_with_lower_id_is_delivered);
	CU_add_test(s, "fishstore down: orders taken, tickets once",
	    subscriber_down_then_back);
	CU_add_test(s, "relay killed -9 mid-stream: every event once",
	    relay_killed_mid_stream);
	CU_add_test(s, "two relays at once: no duplicates", two_relays_at_once);
	CU_add_test(s, "poison event dead-lettered, others flow",
	    poison_is_dead_lettered_while_others_flow);
	CU_add_test(s, "killed programs come back by themselves",
	    killed_programs_come_back);
	CU_add_test(s, "delivered rows are cleaned up",
	    delivered_rows_are_cleaned_up);
}
