/*
 * test_cli.c - the operator's command line, scripts/fdctl, run as an
 * operator would (popen) against the real stack, and its effects checked
 * through the HTTP API, /metrics and the databases: a ticket stepped by
 * fdctl is what the owner sees and the order follows; an illegal step
 * changes nothing; stuck orders are listed and healthy ones are not; the
 * breaker and the outbox lag match the programs' metrics; a dead letter is
 * listed, and replayed once its cause is fixed it is applied.
 *
 * fdctl finds the stack as the other scripts do: FD_VAR, FD_PORT and
 * FD_BUILD, which scripts/test.sh exports.
 */
#include <sys/wait.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

static char cust[1024], owner1[1024];

static const char order_body[] = "{\"storeId\":1,\"items\":[{\"menuId\":3,"
    "\"qty\":1}],\"address\":\"대전 서구 1\",\"phone\":\"010-5555-6666\"}";

static int
init_suite(void)
{
	char email[128];

	it_fault("payment-fail", NULL);
	if (it_login("owner1@fishdelivery.test", "fish-owner-1", owner1,
	    sizeof(owner1)) != 0)
		return -1;
	return it_customer(cust, sizeof(cust), email, sizeof(email)) > 0 ?
	    0 : -1;
}

static int
clean_suite(void)
{
	it_fault("payment-fail", NULL);
	return 0;
}

/*
 * Runs `scripts/fdctl ARGS` (args: test-made words and numbers only) from
 * the repository; stdout (and stderr too with "2>&1" in args) into out.
 * Returns fdctl's exit status, or -1.
 */
static int
fdctl(char *out, size_t sz, const char *fmt, ...)
{
	const char *root = getenv("FD_ROOT");
	char args[512], cmd[2048];
	size_t n = 0, got;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "'%s/scripts/fdctl' %s", root ? root : ".",
	    args);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	while (n + 1 < sz && (got = fread(out + n, 1, sz - n - 1, p)) > 0)
		n += got;
	out[n] = '\0';
	while (fgetc(p) != EOF)		/* the rest, so fdctl never blocks */
		continue;
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st)) {
		fprintf(stderr, "fdctl %s: %s\n", args, out);
		return -1;
	}
	return WEXITSTATUS(st);
}

/* The ticket of an order once its OrderPlaced reached fishstore; -1. */
static long long
ticket_of(long long order_id)
{
	MYSQL *m = it_db("fishstore");
	long long id = -1;
	int t;

	if (m == NULL)
		return -1;
	for (t = 0; t < 100 && id <= 0; t++) {
		id = it_db_int(m, "SELECT COALESCE(MAX(id), 0) FROM tickets WHERE"
		    " order_id = %lld", order_id);
		mysql_commit(m);
		if (id <= 0)
			usleep(100000);
	}
	mysql_close(m);
	return id > 0 ? id : -1;
}

/* A string field of GET path (as token), copied into buf; "" if none. */
static const char *
get_str(const char *path, const char *token, const char *field, char *buf,
    size_t sz)
{
	struct it_resp r;
	const char *v;

	buf[0] = '\0';
	if (it_req(&r, "GET", path, token, NULL, NULL) == 0 && r.status == 200 &&
	    (v = it_str(&r, field)) != NULL)
		snprintf(buf, sz, "%s", v);
	it_free(&r);
	return buf;
}

static const char *
ticket_field(long long ticket, const char *field, char *buf, size_t sz)
{
	char path[64];

	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	return get_str(path, owner1, field, buf, sz);
}

/* Waits (bounded, 5 s) for the customer's order to show status want. */
static int
order_reaches(long long order_id, const char *want1, const char *want2)
{
	char path[64], st[32];
	int t;

	snprintf(path, sizeof(path), "/orders/%lld", order_id);
	for (t = 0; t < 50; t++) {
		get_str(path, cust, "status", st, sizeof(st));
		if (strcmp(st, want1) == 0 ||
		    (want2 != NULL && strcmp(st, want2) == 0))
			return 0;
		usleep(100000);
	}
	fprintf(stderr, "order %lld is %s, not %s\n", order_id, st, want1);
	return -1;
}

/* Events in fishstore's outbox for one order. */
static long long
store_events(long long order_id)
{
	return it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld'", order_id);
}

static void
help_names_every_command(void)
{
	static char out[16384];
	static const char *const cmds[] = { "stuck", "breaker", "lag", "dead",
	    "replay", "ticket", "help", "--json", "Exit status" };
	size_t i;

	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "help"), 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		CU_ASSERT_PTR_NOT_NULL(strstr(out, cmds[i]));
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "2>&1"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: fdctl"));
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "launch 2>&1"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "no command 'launch'"));
}

/* fdctl ticket accept / prepare: the owner's view and the order follow. */
static void
ticket_steps_reach_owner_and_order(void)
{
	char out[8192], buf[64];
	long long order, ticket;
	json_object *j, *v, *t;

	order = it_place(cust, order_body);
	CU_ASSERT_FATAL(order > 0);
	ticket = ticket_of(order);
	CU_ASSERT_FATAL(ticket > 0);
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "status", buf, sizeof(buf)),
	    "Paid");

	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept %lld 30", ticket), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Paid -> Accepted"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "OrderTaken"));
	/* What the owner's admin page reads. */
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "status", buf, sizeof(buf)),
	    "Accepted");
	/* One OrderTaken in the outbox, relayed: the order follows. */
	CU_ASSERT_EQUAL(store_events(order), 1);
	CU_ASSERT_EQUAL(order_reaches(order, "Accepted", NULL), 0);

	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "--json ticket prepare %lld",
	    ticket), 0);
	j = json_tokener_parse(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT(json_object_object_get_ex(j, "event", &v) &&
	    strcmp(json_object_get_string(v), "OrderPrepared") == 0);
	CU_ASSERT(json_object_object_get_ex(j, "from", &v) &&
	    strcmp(json_object_get_string(v), "Accepted") == 0);
	CU_ASSERT(json_object_object_get_ex(j, "ticket", &t) &&
	    json_object_object_get_ex(t, "status", &v) &&
	    strcmp(json_object_get_string(v), "Prepared") == 0);
	CU_ASSERT(json_object_object_get_ex(t, "ticketId", &v) &&
	    json_object_get_int64(v) == ticket);
	json_object_put(j);
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "status", buf, sizeof(buf)),
	    "Prepared");
	CU_ASSERT_EQUAL(store_events(order), 2);
	/* Delivery starts it at once on OrderPrepared. */
	CU_ASSERT_EQUAL(order_reaches(order, "DeliveryStarted", "Prepared"), 0);

	/* show reads it back. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket show %lld", ticket), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Prepared"));
}

/* Refused steps: a clear error, a non-zero exit, nothing changed. */
static void
illegal_steps_change_nothing(void)
{
	char out[8192], before[64], after[64], st[32];
	long long order, ticket;

	order = it_place(cust, order_body);
	CU_ASSERT_FATAL(order > 0);
	ticket = ticket_of(order);
	CU_ASSERT_FATAL(ticket > 0);
	ticket_field(ticket, "updatedAt", before, sizeof(before));
	CU_ASSERT(before[0] != '\0');

	/* A Paid ticket cannot be prepared. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket prepare %lld 2>&1",
	    ticket), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "cannot become Prepared"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "nothing changed"));
	/* A reason only goes with reject; ids are numbers; tickets exist. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept %lld because "
	    "2>&1", ticket), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept 1x 2>&1"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "must be a number"));
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept -1 2>&1"), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket cook %lld 2>&1",
	    ticket), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept "
	    "999999999999999 30 2>&1"), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "no such ticket"));
	/* Accepting takes the estimate, 5 to 120 minutes; rejecting a
	 * reason code, never no_response (the deadline's). */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept %lld 2>&1",
	    ticket), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept %lld 4 2>&1",
	    ticket), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket reject %lld 2>&1",
	    ticket), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket reject %lld no_response"
	    " 2>&1", ticket), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket reject %lld busy 2>&1",
	    ticket), 2);
	/* Nothing moved: the same ticket, no event, the order still Paid. */
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "status", st, sizeof(st)),
	    "Paid");
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "updatedAt", after,
	    sizeof(after)), before);
	CU_ASSERT_EQUAL(store_events(order), 0);
	CU_ASSERT_EQUAL(order_reaches(order, "Paid", NULL), 0);

	/* Rejected with a reason of several words; the order follows. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket reject %lld other out of "
	    "fish", ticket), 0);
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "status", st, sizeof(st)),
	    "Rejected");
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "rejectReason", after,
	    sizeof(after)), "out of fish");
	CU_ASSERT_EQUAL(order_reaches(order, "Rejected", NULL), 0);
	/* And after that, nothing more. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept %lld 30 2>&1",
	    ticket), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "rejected"));
	CU_ASSERT_EQUAL(store_events(order), 1);
}

/* Is order id in fdctl --json stuck's answer?  1, 0, or -1 (no answer). */
static int
stuck_lists(const char *args, long long id, char *status, size_t ssz)
{
	static char out[1 << 18];
	json_object *j, *arr, *o, *v;
	size_t i;
	int found = -1;

	if (fdctl(out, sizeof(out), "--json stuck %s", args) != 0 ||
	    (j = json_tokener_parse(out)) == NULL)
		return -1;
	if (json_object_object_get_ex(j, "orders", &arr)) {
		found = 0;
		for (i = 0; i < json_object_array_length(arr); i++) {
			o = json_object_array_get_idx(arr, i);
			if (json_object_object_get_ex(o, "orderId", &v) &&
			    json_object_get_int64(v) == id) {
				found = 1;
				if (status != NULL &&
				    json_object_object_get_ex(o, "status", &v))
					snprintf(status, ssz, "%s",
					    json_object_get_string(v));
			}
		}
	}
	json_object_put(j);
	return found;
}

static void
stuck_lists_stuck_not_healthy(void)
{
	static char out[1 << 16];
	char st[32] = "", line[64];
	long long stuck, healthy, ticket;
	MYSQL *m;

	stuck = it_place(cust, order_body);
	healthy = it_place(cust, order_body);
	CU_ASSERT_FATAL(stuck > 0 && healthy > 0);
	ticket = ticket_of(stuck);
	CU_ASSERT_FATAL(ticket > 0);
	CU_ASSERT_FATAL(ticket_of(healthy) > 0);
	/* Nobody took it for two hours: the store never answered. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("order"));
	CU_ASSERT_EQUAL(it_db_int(m, "SELECT COUNT(*) FROM orders WHERE id = %lld"
	    " AND status = 'Paid'", stuck), 1);
	{
		char sql[160];
		snprintf(sql, sizeof(sql), "UPDATE orders SET updated_at = NOW(6)"
		    " - INTERVAL 2 HOUR WHERE id = %lld", stuck);
		CU_ASSERT_EQUAL_FATAL(mysql_query(m, sql), 0);
		CU_ASSERT_EQUAL(mysql_commit(m), 0);
	}

	CU_ASSERT_EQUAL(stuck_lists("--age 3600 --limit 1000", stuck, st,
	    sizeof(st)), 1);
	CU_ASSERT_STRING_EQUAL(st, "Paid");
	CU_ASSERT_EQUAL(stuck_lists("--age 3600 --limit 1000", healthy, NULL, 0),
	    0);
	/* Only the statuses asked for. */
	CU_ASSERT_EQUAL(stuck_lists("--age 3600 --limit 1000 --status Accepted",
	    stuck, NULL, 0), 0);
	/* The text names it with its status and what it waits for. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "stuck --age 3600 --limit 1000"),
	    0);
	snprintf(line, sizeof(line), "\n%-10lld Paid", stuck);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, line));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "the store to accept"));

	/* Taken at last: no longer stuck. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "ticket accept %lld 30", ticket), 0);
	CU_ASSERT_EQUAL(order_reaches(stuck, "Accepted", NULL), 0);
	CU_ASSERT_EQUAL(stuck_lists("--age 3600 --limit 1000", stuck, NULL, 0),
	    0);

	/* Bad input: exit 2 and a message. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "stuck --age -5 2>&1"), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "stuck --age 1h 2>&1"), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "stuck --limit 0 2>&1"), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "stuck --status Delivered "
	    "2>&1"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "can be stuck"));
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "stuck --status Cooking 2>&1"),
	    2);
	mysql_close(m);
}

/* A number from a Prometheus text body, by the start of its line. */
static double
metric(const char *path, const char *line)
{
	struct it_resp r;
	const char *p;
	double v = -1;

	if (it_req(&r, "GET", path, NULL, NULL, NULL) == 0 && r.status == 200 &&
	    (p = strstr(r.body, line)) != NULL)
		v = strtod(p + strlen(line), NULL);
	it_free(&r);
	return v;
}

#define BR_STATE(s)	metric("/order/metrics", \
	"fd_breaker_state{breaker=\"payment\",state=\"" s "\"} ")
#define BR_TRANS(s)	metric("/order/metrics", \
	"fd_breaker_transitions_total{breaker=\"payment\",to=\"" s "\"} ")

/* fdctl --json breaker: its state, and transitions to state `to`. */
static int
fdctl_breaker(char *state, size_t sz, const char *to, long long *trans)
{
	char out[4096];
	json_object *j, *v, *t;
	int rc = -1;

	if (fdctl(out, sizeof(out), "--json breaker") != 0 ||
	    (j = json_tokener_parse(out)) == NULL)
		return -1;
	if (json_object_object_get_ex(j, "state", &v) &&
	    json_object_object_get_ex(j, "transitions", &t)) {
		snprintf(state, sz, "%s", json_object_get_string(v));
		if (json_object_object_get_ex(t, to, &v)) {
			*trans = json_object_get_int64(v);
			rc = 0;
		}
	}
	json_object_put(j);
	return rc;
}

static void
breaker_matches_metrics(void)
{
	char out[4096], state[32];
	long long opened;
	int i, n503 = 0;

	/* As it is: closed, the same counts as /order/metrics. */
	CU_ASSERT_EQUAL_FATAL(fdctl_breaker(state, sizeof(state), "open",
	    &opened), 0);
	CU_ASSERT_STRING_EQUAL(state, "closed");
	CU_ASSERT_EQUAL(BR_STATE("closed"), 1);
	CU_ASSERT_EQUAL((double)opened, BR_TRANS("open"));
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "breaker"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "state        closed"));

	/* Payment failing opens it (an empty window first, as in
	 * test_breaker.c: 10 calls, half failing); fdctl sees it open. */
	for (i = 0; i < 120; i++) {
		if (metric("/order/metrics",
		    "fd_breaker_window_calls{breaker=\"payment\"} ") == 0)
			break;
		usleep(50000);
	}
	it_fault("payment-fail", "1");
	for (i = 0; i < 15; i++) {
		struct it_resp r;
		if (it_req(&r, "POST", "/orders", cust, order_body, NULL) == 0 &&
		    r.status == 503)
			n503++;
		it_free(&r);
	}
	CU_ASSERT_EQUAL(n503, 15);
	CU_ASSERT_EQUAL(BR_STATE("open"), 1);
	CU_ASSERT_EQUAL(fdctl_breaker(state, sizeof(state), "open", &opened),
	    0);
	CU_ASSERT_STRING_EQUAL(state, "open");
	CU_ASSERT_EQUAL((double)opened, BR_TRANS("open"));
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "breaker"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "state        open"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "fallback"));

	/* Payment back: the next probe closes it, and fdctl says so. */
	it_fault("payment-fail", NULL);
	usleep(1600000);
	for (i = 0; i < 50 && BR_STATE("closed") != 1; i++) {
		struct it_resp r;
		it_req(&r, "POST", "/orders", cust, order_body, NULL);
		it_free(&r);
		usleep(100000);
	}
	CU_ASSERT_EQUAL(BR_STATE("closed"), 1);
	CU_ASSERT_EQUAL(fdctl_breaker(state, sizeof(state), "closed", &opened),
	    0);
	CU_ASSERT_STRING_EQUAL(state, "closed");
	CU_ASSERT_EQUAL((double)opened, BR_TRANS("closed"));
}

static void
lag_names_every_producer(void)
{
	static const char *const ctxs[] = { "auth", "order", "payment",
	    "fishstore", "delivery" };
	static char out[16384];
	json_object *j, *arr, *o, *v;
	char line[64];
	size_t i, k;
	int seen[5] = { 0 };
	double dead = -1, dead_metric;

	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "lag"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "BACKLOG"));
	for (i = 0; i < 5; i++) {
		snprintf(line, sizeof(line), "\n%-10s ", ctxs[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, line));
	}
	dead_metric = metric("/order/metrics", "fd_outbox_dead_letters{context="
	    "\"order\",subscriber=\"fishstore\"} ");
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "lag --json"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j = json_tokener_parse(out));
	CU_ASSERT_FATAL(json_object_object_get_ex(j, "lag", &arr));
	for (k = 0; k < json_object_array_length(arr); k++) {
		o = json_object_array_get_idx(arr, k);
		CU_ASSERT(json_object_object_get_ex(o, "backlog", &v) &&
		    json_object_get_int64(v) >= 0);
		CU_ASSERT(json_object_object_get_ex(o,
		    "oldestUndeliveredSeconds", &v));
		CU_ASSERT_FATAL(json_object_object_get_ex(o, "context", &v));
		for (i = 0; i < 5; i++)
			if (strcmp(json_object_get_string(v), ctxs[i]) == 0)
				seen[i] = 1;
		if (strcmp(json_object_get_string(v), "order") == 0 &&
		    json_object_object_get_ex(o, "subscriber", &v) &&
		    strcmp(json_object_get_string(v), "fishstore") == 0 &&
		    json_object_object_get_ex(o, "deadLetters", &v))
			dead = (double)json_object_get_int64(v);
	}
	for (i = 0; i < 5; i++)
		CU_ASSERT(seen[i]);
	CU_ASSERT_EQUAL(dead, dead_metric);
	CU_ASSERT(json_object_object_get_ex(j, "unreachable", &arr) &&
	    json_object_array_length(arr) == 0);
	json_object_put(j);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "lag now 2>&1"), 2);
}

/*
 * Is the dead letter of this key in `fdctl --json dead order fishstore`,
 * as an OrderPlaced refused three times (and, when id > 0, under that
 * delivery id)?  1, 0, or -1 (no answer).
 */
static int
dead_listed(const char *key, long long id)
{
	static char out[1 << 18];
	json_object *j, *arr, *o, *v;
	int found = -1;
	size_t i;

	if (fdctl(out, sizeof(out), "--json dead order fishstore") != 0 ||
	    (j = json_tokener_parse(out)) == NULL)
		return -1;
	if (json_object_object_get_ex(j, "deadLetters", &arr))
		for (i = 0, found = 0; i < json_object_array_length(arr); i++) {
			o = json_object_array_get_idx(arr, i);
			if (json_object_object_get_ex(o, "key", &v) &&
			    strcmp(json_object_get_string(v), key) == 0 &&
			    json_object_object_get_ex(o, "eventType", &v) &&
			    strcmp(json_object_get_string(v), "OrderPlaced") == 0 &&
			    json_object_object_get_ex(o, "attempts", &v) &&
			    json_object_get_int(v) == 3 &&
			    (id <= 0 || (json_object_object_get_ex(o,
			    "deliveryId", &v) && json_object_get_int64(v) == id)))
				found = 1;
		}
	json_object_put(j);
	return found;
}

/*
 * An OrderPlaced for a store fishstore does not know is refused until it
 * is dead-lettered; the operator adds the store, replays it with fdctl,
 * and the ticket is created.
 */
static void
dead_letter_replayed_once_fixed(void)
{
	static char out[1 << 16];
	long long store = 700000000LL + (long long)(time(NULL) % 100000000),
	    order = 910000000000000LL + (long long)(time(NULL) % 99999999) * 1000 +
	    getpid() % 1000, row, dl, t;
	MYSQL *om = it_db("order"), *fm = it_db("fishstore");
	char sql[1024], key[32], line[96];

	CU_ASSERT_PTR_NOT_NULL_FATAL(om);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fm);
	snprintf(key, sizeof(key), "%lld", order);
	snprintf(sql, sizeof(sql), "INSERT INTO outbox (event_id, event_type,"
	    " aggregate_key, payload) VALUES (UUID(), 'OrderPlaced', '%s',"
	    " '{\"eventType\":\"OrderPlaced\",\"orderId\":%lld,\"customerId\":1,"
	    "\"storeId\":%lld,\"items\":[{\"menuId\":1,\"name\":\"광어\","
	    "\"qty\":1,\"price\":25000}],\"amount\":25000,\"address\":"
	    "\"서울 중구 1\",\"phone\":\"010-7777-8888\"}')", key, order, store);
	CU_ASSERT_EQUAL_FATAL(mysql_query(om, sql), 0);
	row = (long long)mysql_insert_id(om);
	snprintf(sql, sizeof(sql), "UPDATE outbox SET payload = JSON_SET(payload,"
	    " '$.eventId', event_id) WHERE id = %lld", row);
	CU_ASSERT_EQUAL_FATAL(mysql_query(om, sql), 0);
	snprintf(sql, sizeof(sql), "INSERT INTO outbox_deliveries (outbox_id,"
	    " subscriber, akey) VALUES (%lld, 'fishstore', '%s')", row, key);
	CU_ASSERT_EQUAL_FATAL(mysql_query(om, sql), 0);
	CU_ASSERT_EQUAL_FATAL(mysql_commit(om), 0);

	/* Refused ("no store"), three times: dead. */
	for (t = 0; t < 200; t++) {
		if (dead_listed(key, 0) == 1)
			break;
		usleep(100000);
	}
	CU_ASSERT_FATAL(t < 200);
	dl = it_db_int(om, "SELECT delivery_id FROM outbox_dead_letters WHERE"
	    " akey = '%s'", key);
	CU_ASSERT_FATAL(dl > 0);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "dead order"), 0);
	snprintf(line, sizeof(line), "key %s ", key);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, line));
	snprintf(line, sizeof(line), "no store %lld", store);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, line));
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "dead"), 0);	/* all contexts */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\ndelivery: "));
	snprintf(line, sizeof(line), "key %s ", key);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, line));
	CU_ASSERT_EQUAL(it_db_int(fm, "SELECT COUNT(*) FROM tickets WHERE "
	    "order_id = %lld", order), 0);

	/* Bad input names the problem and replays nothing. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "replay order %lldx 2>&1", dl),
	    2);
	/* Every context publishes now (auth too): a context that is none. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "replay nowhere all 2>&1"), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "dead order nobody 2>&1"), 2);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "replay order %lld payment "
	    "2>&1", dl), 3);
	CU_ASSERT_EQUAL(dead_listed(key, dl), 1);	/* its own id */

	/* The cause fixed, the operator replays that one letter. */
	snprintf(sql, sizeof(sql), "INSERT INTO stores (id, name, address, phone)"
	    " VALUES (%lld, 'fdctl test', '서울 중구 2', '02-000-0000')", store);
	CU_ASSERT_EQUAL_FATAL(mysql_query(fm, sql), 0);
	CU_ASSERT_EQUAL_FATAL(mysql_commit(fm), 0);
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "replay order %lld fishstore",
	    dl), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1 dead letter(s) sent again"));
	for (t = 0; t < 100; t++) {
		mysql_commit(fm);
		if (it_db_int(fm, "SELECT COUNT(*) FROM tickets WHERE order_id ="
		    " %lld AND store_id = %lld", order, store) == 1)
			break;
		usleep(100000);
	}
	CU_ASSERT(t < 100);
	/* The relay marks the delivery done after the subscriber's answer,
	 * so just after the ticket appears it may not be yet: wait for it,
	 * 5 s at most. */
	for (t = 0; t < 50; t++) {
		mysql_commit(om);
		if (it_db_int(om, "SELECT COUNT(*) FROM outbox_deliveries "
		    "WHERE id = %lld AND state = 'done'", dl) == 1)
			break;
		usleep(100000);
	}
	CU_ASSERT(t < 50);
	CU_ASSERT_EQUAL(dead_listed(key, 0), 0);
	/* Gone from the dead letters: a second replay finds nothing. */
	CU_ASSERT_EQUAL(fdctl(out, sizeof(out), "replay order %lld fishstore "
	    "2>&1", dl), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "no dead letter"));

	/* The fixture store and its ticket go again. */
	snprintf(sql, sizeof(sql), "DELETE ti FROM ticket_items ti JOIN tickets t"
	    " ON t.id = ti.ticket_id WHERE t.store_id = %lld", store);
	CU_ASSERT_EQUAL(mysql_query(fm, sql), 0);
	snprintf(sql, sizeof(sql), "DELETE FROM tickets WHERE store_id = %lld",
	    store);
	CU_ASSERT_EQUAL(mysql_query(fm, sql), 0);
	snprintf(sql, sizeof(sql), "DELETE FROM stores WHERE id = %lld", store);
	CU_ASSERT_EQUAL(mysql_query(fm, sql), 0);
	CU_ASSERT_EQUAL(mysql_commit(fm), 0);
	mysql_close(fm);
	mysql_close(om);
}

void
add_cli_tests(void)
{
	CU_pSuite s = CU_add_suite("cli", init_suite, clean_suite);

	CU_add_test(s, "fdctl help names every command",
	    help_names_every_command);
	CU_add_test(s, "ticket accept/prepare: the owner sees it, the order "
	    "follows", ticket_steps_reach_owner_and_order);
	CU_add_test(s, "illegal ticket steps: non-zero exit, nothing changed",
	    illegal_steps_change_nothing);
	CU_add_test(s, "stuck lists a stuck order, not a healthy one",
	    stuck_lists_stuck_not_healthy);
	CU_add_test(s, "breaker: the state /order/metrics shows",
	    breaker_matches_metrics);
	CU_add_test(s, "lag names every producing context",
	    lag_names_every_producer);
	CU_add_test(s, "dead letter listed, replayed once fixed, applied",
	    dead_letter_replayed_once_fixed);
}
