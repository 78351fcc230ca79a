/*
 * test_utc.c - times are UTC on the wire, whatever the database server's
 * zone (SPEC): the test stack's MariaDB runs at --default-time-zone=+09:00
 * (scripts/test.sh sets FD_DB_TZ), so a time formatted in the server's
 * zone, or a step written with its NOW() where the event's own time was
 * meant, is nine hours off the test's clock or off another context's copy
 * of the same moment.
 *
 * One real order is taken through the store (Accepted, Prepared) by the
 * relay; every time GET /orders, /orders/{id}, /myPages, /myPages/{id},
 * /fishstores, /fishstores/{id} and /payments give for it must parse as
 * UTC ("...Z") and fall between the test's own clock before and after.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it.h"

/* How far a time may lie outside the test's own [before, after]: the
 * servers share this machine's clock, and times are truncated. */
#define SLACK	2

static char cust[1024], owner[1024];

static const char body[] = "{\"storeId\":1,\"items\":[{\"menuId\":1,"
    "\"qty\":1}],\"address\":\"부산 해운대구 1\",\"phone\":\"010-3333-4444\"}";

static int
init_suite(void)
{
	char email[128];

	if (it_customer(cust, sizeof(cust), email, sizeof(email)) <= 0)
		return -1;
	return it_login("owner1@fishdelivery.test", "fish-owner-1", owner,
	    sizeof(owner));
}

/*
 * "YYYY-MM-DDTHH:MM:SS[.fraction]Z" as Unix seconds (the fraction kept in
 * *us, microseconds); -1 for anything else (an offset, no Z, garbage).
 */
static time_t
parse_utc(const char *s, int *us)
{
	struct tm tm;
	int n = 0, digits = 0, frac = 0;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &n) != 6 || n != 19)
		return -1;
	s += n;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			if (digits < 6)
				frac = frac * 10 + (*s - '0');
	if (strcmp(s, "Z") != 0)
		return -1;
	for (; digits < 6; digits++)
		frac *= 10;
	if (us != NULL)
		*us = frac;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/*
 * Counts the times checked; a time that is not UTC or lies outside
 * [t0 - SLACK, t1 + SLACK] fails the test with what and where.
 */
static int checked;

static void
check_time(const char *where, const char *what, const char *s, time_t t0,
    time_t t1)
{
	time_t t = parse_utc(s, NULL);

	checked++;
	if (t == -1 || t < t0 - SLACK || t > t1 + SLACK)
		fprintf(stderr, "\n  %s %s = %s: not within [%lld, %lld]"
		    " of the test's clock (off by %+llds)\n", where, what,
		    s ? s : "(none)", (long long)t0, (long long)t1,
		    t == -1 ? 0LL : (long long)(t - t0));
	CU_ASSERT(t != -1 && t >= t0 - SLACK && t <= t1 + SLACK);
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

/* The element of array key of r's body whose idkey is id, or NULL. */
static json_object *
find_in(const struct it_resp *r, const char *key, const char *idkey,
    long long id)
{
	json_object *a, *e, *v;
	size_t i;

	if (r->json == NULL || !json_object_object_get_ex(r->json, key, &a) ||
	    !json_object_is_type(a, json_type_array))
		return NULL;
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if (json_object_object_get_ex(e, idkey, &v) &&
		    json_object_get_int64(v) == id)
			return e;
	}
	return NULL;
}

/* Checks every "at" of a MyPage order's timeline. */
static void
check_timeline(const char *where, json_object *o, time_t t0, time_t t1)
{
	json_object *tl, *t;
	const char *step;
	size_t i;

	CU_ASSERT_FATAL(o != NULL && json_object_object_get_ex(o, "timeline",
	    &tl) && json_object_array_length(tl) > 0);
	for (i = 0; i < json_object_array_length(tl); i++) {
		t = json_object_array_get_idx(tl, i);
		step = jstr(t, "step");
		check_time(where, step ? step : "?", jstr(t, "at"), t0, t1);
	}
}

/* The time of a MyPage order's step, copied into buf ("" if none). */
static const char *
step_at(json_object *o, const char *want, char *buf, size_t sz)
{
	json_object *tl, *t;
	const char *step;
	size_t i;

	*buf = '\0';
	if (o == NULL || !json_object_object_get_ex(o, "timeline", &tl))
		return buf;
	for (i = 0; i < json_object_array_length(tl); i++) {
		t = json_object_array_get_idx(tl, i);
		if ((step = jstr(t, "step")) != NULL && strcmp(step, want) == 0)
			snprintf(buf, sz, "%s", jstr(t, "at"));
	}
	return buf;
}

static int
owner_patch(long long ticket, const char *status)
{
	struct it_resp r;
	char path[64], b[64];
	long st;

	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	/* Accepting asks for the estimate, rejecting for a reason code
	 * (SPEC: readyInMinutes, reasonCode). */
	snprintf(b, sizeof(b), "{\"status\":\"%s\"%s}", status,
	    strcmp(status, "Accepted") == 0 ? ",\"readyInMinutes\":30" :
	    strcmp(status, "Rejected") == 0 ? ",\"reasonCode\":\"other\"" : "");
	if (it_req(&r, "PATCH", path, owner, b, NULL) != 0)
		return -1;
	st = r.status;
	it_free(&r);
	return (int)st;
}

/* Waits (bounded) until field of GET path reads want. */
static int
wait_for(const char *path, const char *token, const char *field,
    const char *want)
{
	char buf[64];
	int t;

	for (t = 0; t < 100; t++) {
		if (strcmp(it_get_str(path, token, field, buf, sizeof(buf)),
		    want) == 0)
			return 0;
		usleep(100000);
	}
	fprintf(stderr, "%s: %s is '%s', not '%s'\n", path, field, buf, want);
	return -1;
}

/* |a - b| in seconds of two UTC times, or a large number. */
static long long
apart(const char *a, const char *b)
{
	time_t ta = parse_utc(a, NULL), tb = parse_utc(b, NULL);

	if (ta == -1 || tb == -1)
		return 1000000;
	return ta > tb ? (long long)(ta - tb) : (long long)(tb - ta);
}

static void
every_time_agrees_with_the_clock(void)
{
	time_t t0 = time(NULL), t1;
	long long id, ticket = -1;
	struct it_resp r;
	char path[96], created[64], placed[64], accepted[64], prepared[64];
	int i;
	json_object *o;

	checked = 0;
	CU_ASSERT_FATAL((id = it_place(cust, body)) > 0);
	/* The store's ticket, once the relay has made it. */
	for (i = 0; i < 100 && ticket <= 0; i++) {
		ticket = it_ctx_int("fishstore", "SELECT COALESCE(MAX(id), 0)"
		    " FROM tickets WHERE order_id = %lld", id);
		if (ticket <= 0)
			usleep(100000);
	}
	CU_ASSERT_FATAL(ticket > 0);
	snprintf(path, sizeof(path), "/myPages/%lld", id);
	/* Not at once: a step a second apart from the one before shows
	 * the times are each the step's own. */
	sleep(1);
	CU_ASSERT_EQUAL(owner_patch(ticket, "Accepted"), 200);
	CU_ASSERT(wait_for(path, cust, "status", "Accepted") == 0);
	sleep(1);
	CU_ASSERT_EQUAL(owner_patch(ticket, "Prepared"), 200);
	CU_ASSERT(wait_for(path, cust, "status", "DeliveryStarted") == 0);
	CU_ASSERT(wait_for(path, cust, "payment", "approved") == 0);
	t1 = time(NULL);

	/* The order context: the order, alone and in the list. */
	snprintf(path, sizeof(path), "/orders/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	check_time(path, "createdAt", it_str(&r, "createdAt"), t0, t1);
	check_time(path, "updatedAt", it_str(&r, "updatedAt"), t0, t1);
	snprintf(created, sizeof(created), "%s",
	    it_str(&r, "createdAt") ? it_str(&r, "createdAt") : "");
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/orders", cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	o = find_in(&r, "orders", "orderId", id);
	CU_ASSERT_FATAL(o != NULL);
	check_time("/orders", "createdAt", jstr(o, "createdAt"), t0, t1);
	check_time("/orders", "updatedAt", jstr(o, "updatedAt"), t0, t1);
	CU_ASSERT(jstr(o, "createdAt") != NULL &&
	    strcmp(jstr(o, "createdAt"), created) == 0);
	it_free(&r);

	/* MyPage: every step, alone and in the list. */
	snprintf(path, sizeof(path), "/myPages/%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	check_timeline(path, r.json, t0, t1);
	step_at(r.json, "Paid", placed, sizeof(placed));
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/myPages", cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	o = find_in(&r, "orders", "orderId", id);
	check_timeline("/myPages", o, t0, t1);
	step_at(o, "Accepted", accepted, sizeof(accepted));
	step_at(o, "Prepared", prepared, sizeof(prepared));
	it_free(&r);
	/* The order placed, in two contexts' words: the same moment. */
	CU_ASSERT(apart(created, placed) <= 1);
	CU_ASSERT(apart(accepted, prepared) >= 1 &&
	    apart(accepted, prepared) <= 1 + SLACK);

	/* The store: the ticket, alone and in the owner's list. */
	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	check_time(path, "createdAt", it_str(&r, "createdAt"), t0, t1);
	check_time(path, "updatedAt", it_str(&r, "updatedAt"), t0, t1);
	/* Its last change is the Prepared step MyPage shows. */
	CU_ASSERT(apart(it_str(&r, "updatedAt"), prepared) <= 1);
	it_free(&r);
	snprintf(path, sizeof(path), "/fishstores?after=%lld&limit=1",
	    ticket - 1);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, owner, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	o = find_in(&r, "tickets", "ticketId", ticket);
	CU_ASSERT_FATAL(o != NULL);
	check_time("/fishstores", "createdAt", jstr(o, "createdAt"), t0, t1);
	check_time("/fishstores", "updatedAt", jstr(o, "updatedAt"), t0, t1);
	it_free(&r);

	/* Payment: the approval. */
	snprintf(path, sizeof(path), "/payments?orderId=%lld", id);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	check_time(path, "approvedAt", it_str(&r, "approvedAt"), t0, t1);
	it_free(&r);
	/* Nothing was skipped: 2 + 2, five steps (Paid, PayApproved,
	 * Accepted, Prepared, DeliveryStarted) twice, 2 + 2, 1. */
	CU_ASSERT(checked >= 2 + 2 + 5 + 5 + 2 + 2 + 1);
}

/* The occurredAt of the order context's own event of type for order, as
 * its outbox holds it; "" if none. */
static const char *
own_occurred_at(long long order, const char *type, char *buf, size_t sz)
{
	MYSQL *m = it_db("order");
	MYSQL_RES *res;
	MYSQL_ROW row;
	char sql[256];

	*buf = '\0';
	if (m == NULL)
		return buf;
	snprintf(sql, sizeof(sql), "SELECT JSON_VALUE(payload,"
	    " '$.occurredAt') FROM outbox WHERE aggregate_key = '%lld'"
	    " AND event_type = '%s'", order, type);
	if (mysql_query(m, sql) == 0 && (res = mysql_store_result(m)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
			snprintf(buf, sz, "%s", row[0]);
		mysql_free_result(res);
	}
	mysql_close(m);
	return buf;
}

/*
 * The order context writes its own events' steps (placed, canceled) into
 * MyPage in the same transaction: with the event's occurredAt, the time
 * every other subscriber sees, not the database's clock.
 */
static void
own_steps_carry_their_events_time(void)
{
	time_t t0 = time(NULL), t1;
	long long id;
	struct it_resp r;
	char path[64], ev[64], step[64];
	int us_ev = -1, us_step = -2;

	CU_ASSERT_FATAL((id = it_place(cust, body)) > 0);
	snprintf(path, sizeof(path), "/orders/%lld/cancel", id);
	CU_ASSERT_FATAL(it_req(&r, "POST", path, cust,
	    "{\"reason\":\"utc\"}", NULL) == 0);
	/* Canceled, or still waiting for the store's decision. */
	CU_ASSERT(r.status == 200 || r.status == 202);
	it_free(&r);
	snprintf(path, sizeof(path), "/myPages/%lld", id);
	CU_ASSERT(wait_for(path, cust, "status", "Canceled") == 0);
	t1 = time(NULL);
	CU_ASSERT_FATAL(it_req(&r, "GET", path, cust, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);

	check_timeline(path, r.json, t0, t1);
	step_at(r.json, "Paid", step, sizeof(step));
	own_occurred_at(id, "OrderPlaced", ev, sizeof(ev));
	check_time("OrderPlaced", "occurredAt", ev, t0, t1);
	CU_ASSERT(parse_utc(step, &us_step) == parse_utc(ev, &us_ev) &&
	    us_step == us_ev);
	if (us_step != us_ev)
		fprintf(stderr, "\n  Paid step %s, OrderPlaced at %s\n", step,
		    ev);

	step_at(r.json, "Canceled", step, sizeof(step));
	own_occurred_at(id, "OrderCanceled", ev, sizeof(ev));
	us_ev = -1, us_step = -2;
	CU_ASSERT(parse_utc(step, &us_step) == parse_utc(ev, &us_ev) &&
	    us_step == us_ev);
	if (us_step != us_ev)
		fprintf(stderr, "\n  Canceled step %s, OrderCanceled at %s\n",
		    step, ev);
	it_free(&r);
}

/*
 * The operator's times are UTC too: a dead letter's time as the relay's
 * command line lists it (fdctl dead).  The dead letter is a fixture
 * written as the order context's DB user, removed again.
 */
static void
dead_letter_time_is_utc(void)
{
	const char *root = getenv("FD_ROOT");
	long long id = 800000000000000LL + (long long)time(NULL) % 99999999 *
	    1000 + getpid() % 1000;
	time_t t0 = time(NULL), t1;
	char cmd[1024], line[1024], when[64] = "", want[32];
	FILE *p;
	MYSQL *m;

	CU_ASSERT_FATAL((m = it_db("order")) != NULL);
	snprintf(cmd, sizeof(cmd), "INSERT INTO outbox_dead_letters"
	    " (delivery_id, outbox_id, subscriber, event_id, event_type, akey,"
	    " attempts, last_error) VALUES (%lld, 0, 'payment',"
	    " '00000000-0000-4000-8000-000000000000', 'OrderCanceled', '0', 3,"
	    " 'test_utc fixture')", id);
	CU_ASSERT_FATAL(mysql_query(m, cmd) == 0 && mysql_commit(m) == 0);
	snprintf(cmd, sizeof(cmd), "'%s/scripts/stack.sh' relay order dead"
	    " payment 2>&1", root ? root : ".");
	snprintf(want, sizeof(want), "%lld\t", id);
	if ((p = popen(cmd, "r")) != NULL) {
		/* id sub type event key attempts when error */
		while (fgets(line, sizeof(line), p) != NULL)
			if (strncmp(line, want, strlen(want)) == 0)
				sscanf(line, "%*s %*s %*s %*s %*s %*s %63s", when);
		pclose(p);
	}
	t1 = time(NULL);
	snprintf(cmd, sizeof(cmd), "DELETE FROM outbox_dead_letters WHERE"
	    " delivery_id = %lld", id);
	if (mysql_query(m, cmd) != 0 || mysql_commit(m) != 0)
		fprintf(stderr, "dead letter %lld left behind\n", id);
	mysql_close(m);
	check_time("relay order dead", "died_at", when, t0, t1);
}

void
add_utc_tests(void)
{
	CU_pSuite s = CU_add_suite("utc", init_suite, NULL);

	CU_add_test(s, "every time agrees with the clock",
	    every_time_agrees_with_the_clock);
	CU_add_test(s, "own steps carry their event's time",
	    own_steps_carry_their_events_time);
	CU_add_test(s, "a dead letter's time is UTC", dead_letter_time_is_utc);
}
