/*
 * test_estimate.c - the store's answer to an order, through the gateway
 * (issue 17, items 3 to 5): the owner's estimate (readyInMinutes, the
 * ticket's readyBy, OrderTaken's readyBy, the order's eta on GET /orders,
 * /myPages and /mypage), the reasons of a rejection as codes (OrderRejected
 * carries reasonCode, the customer reads them in Korean and English from
 * ui/vocab.tsv, sold_out marks the ticked items sold out in the same
 * commit), and the accept deadline: a ticket the owner leaves Paid is
 * rejected with no_response by fishstore itself and refunded exactly
 * once, also with two checkers at the same moment and across a restart
 * of the checker.  Bad input is a 400 and changes nothing.
 *
 * The deadline is FD_ACCEPT_DEADLINE_S (600 s); each ticket keeps the one
 * of the moment it was made (tickets.accept_by).  These tests make it 2 s
 * for the tickets made while the test hook accept-deadline-s is armed
 * (test builds only), so no other suite's tickets are touched.
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

/* 우럭 (menuId 2) of store 1. */
static const char order_body[] = "{\"storeId\":1,\"items\":[{\"menuId\":2,"
    "\"qty\":1}],\"address\":\"부산 해운대구 7\",\"phone\":\"010-7777-8888\"}";

static void
disarm(void)
{
	it_fault("accept-deadline-s", NULL);
	it_fault("store-deadline-pause-ms", NULL);
	it_fault("payment-fail", NULL);
}

static int
init_suite(void)
{
	char email[128];

	disarm();
	if (it_login("owner1@fishdelivery.test", "fish-owner-1", owner1,
	    sizeof(owner1)) != 0)
		return -1;
	return it_customer(cust, sizeof(cust), email, sizeof(email)) > 0 ?
	    0 : -1;
}

static int
clean_suite(void)
{
	disarm();
	/* The deadline checker runs again, whatever a test left. */
	it_sv("up", "fishstore-deadline");
	return 0;
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

static long
patch(long long ticket, const char *body, struct it_resp *r)
{
	char path[64];
	struct it_resp own;
	long st;

	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	if (r == NULL)
		r = &own;
	if (it_req(r, "PATCH", path, owner1, body, NULL) != 0)
		return -1;
	st = r->status;
	if (r == &own)
		it_free(r);
	return st;
}

static const char *
ticket_field(long long ticket, const char *field, char *buf, size_t sz)
{
	char path[64];

	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	return it_get_str(path, owner1, field, buf, sz);
}

/* Waits (bounded, 10 s) for GET path's field to be want. */
static int
reaches(const char *path, const char *token, const char *field,
    const char *want)
{
	char got[256];
	int t;

	for (t = 0; t < 100; t++) {
		if (strcmp(it_get_str(path, token, field, got, sizeof(got)),
		    want) == 0)
			return 0;
		usleep(100000);
	}
	fprintf(stderr, "%s: %s is '%s', not '%s'\n", path, field, got, want);
	return -1;
}

static int
order_reaches(long long order, const char *want)
{
	char path[64];

	snprintf(path, sizeof(path), "/orders/%lld", order);
	return reaches(path, cust, "status", want);
}

static long long
store_events(long long order, const char *type)
{
	return it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = '%s'", order, type);
}

/* A string of the payload of the order's one event of type, into buf. */
static const char *
event_field(long long order, const char *type, const char *field, char *buf,
    size_t sz)
{
	MYSQL *m = it_db("fishstore");
	MYSQL_RES *res;
	MYSQL_ROW row;
	json_object *j, *v;
	char sql[256];

	buf[0] = '\0';
	if (m == NULL)
		return buf;
	snprintf(sql, sizeof(sql), "SELECT payload FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = '%s'", order, type);
	if (mysql_query(m, sql) == 0 && (res = mysql_store_result(m)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL &&
		    (j = json_tokener_parse(row[0])) != NULL) {
			if (json_object_object_get_ex(j, field, &v) && v != NULL)
				snprintf(buf, sz, "%s", json_object_get_string(v));
			json_object_put(j);
		}
		mysql_free_result(res);
	}
	mysql_close(m);
	return buf;
}

/* Refunds of the order: payment's PayCanceled events. */
static long long
refunds(long long order)
{
	return it_ctx_int("payment", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = 'PayCanceled'", order);
}

/* A UTC "YYYY-MM-DDTHH:MM:SS...Z" as seconds since the epoch; -1. */
static long long
utc_seconds(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) < 20 || s[strlen(s) - 1] != 'Z' ||
	    (end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	return (long long)timegm(&tm);
}

/* The order is still Paid at the store: nothing changed, no event. */
static void
unchanged(long long order, long long ticket, const char *updated)
{
	char buf[64];

	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "status", buf, sizeof(buf)),
	    "Paid");
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "updatedAt", buf,
	    sizeof(buf)), updated);
	CU_ASSERT_EQUAL(store_events(order, "OrderTaken"), 0);
	CU_ASSERT_EQUAL(store_events(order, "OrderRejected"), 0);
}

/* Accepted with 30 minutes: the ticket, OrderTaken, the order's eta. */
static void
accept_with_estimate(void)
{
	char path[64], updated[64], ready[64], ev[64], eta[64], html[128];
	static const char *const bad[] = {
		"{\"status\":\"Accepted\"}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":4}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":121}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":-30}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":\"30\"}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":30.5}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":99999999999999999999}",
		"{\"status\":\"Prepared\",\"readyInMinutes\":30}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"other\","
		    "\"readyInMinutes\":30}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":30,"
		    "\"reasonCode\":\"other\"}",
	};
	struct it_resp r;
	long long order, ticket, now, at;
	size_t i;

	order = it_place(cust, order_body);
	CU_ASSERT_FATAL(order > 0);
	ticket = ticket_of(order);
	CU_ASSERT_FATAL(ticket > 0);
	ticket_field(ticket, "updatedAt", updated, sizeof(updated));
	/* No eta before the store has answered. */
	snprintf(path, sizeof(path), "/orders/%lld", order);
	CU_ASSERT_EQUAL(it_req(&r, "GET", path, cust, NULL, NULL), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_PTR_NULL(it_str(&r, "eta"));
	it_free(&r);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(patch(ticket, bad[i], &r), 400);
		CU_ASSERT(it_is_error(&r, "bad_request"));
		it_free(&r);
	}
	unchanged(order, ticket, updated);

	now = (long long)time(NULL);
	CU_ASSERT_EQUAL(patch(ticket, "{\"status\":\"Accepted\","
	    "\"readyInMinutes\":30}", &r), 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "status") ? it_str(&r, "status") :
	    "", "Accepted");
	snprintf(ready, sizeof(ready), "%s", it_str(&r, "readyBy") ?
	    it_str(&r, "readyBy") : "");
	it_free(&r);
	/* 30 minutes from now, by the test's clock (same host). */
	at = utc_seconds(ready);
	CU_ASSERT(at >= now + 1800 - 5 && at <= now + 1800 + 5);
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "readyBy", ev, sizeof(ev)),
	    ready);
	/* OrderTaken carries it; the order and MyPage keep it. */
	CU_ASSERT_EQUAL(store_events(order, "OrderTaken"), 1);
	CU_ASSERT_STRING_EQUAL(event_field(order, "OrderTaken", "readyBy", ev,
	    sizeof(ev)), ready);
	CU_ASSERT_EQUAL(order_reaches(order, "Accepted"), 0);
	CU_ASSERT_STRING_EQUAL(it_get_str(path, cust, "eta", eta, sizeof(eta)),
	    ready);
	snprintf(path, sizeof(path), "/myPages/%lld", order);
	CU_ASSERT_EQUAL(reaches(path, cust, "eta", ready), 0);
	/* The list too. */
	CU_ASSERT_EQUAL(it_req(&r, "GET", "/orders", cust, NULL, NULL), 0);
	CU_ASSERT(r.body != NULL && strstr(r.body, ready) != NULL);
	it_free(&r);
	/* And the HTML page: the time, machine-readable, with its words. */
	CU_ASSERT_EQUAL(it_req(&r, "GET", "/mypage", cust, NULL, NULL), 0);
	snprintf(html, sizeof(html), "datetime=\"%s\"", ready);
	CU_ASSERT(r.body != NULL && strstr(r.body, html) != NULL);
	CU_ASSERT(r.body != NULL && strstr(r.body, "class=\"eta\"") != NULL);
	it_free(&r);
	/* A second Accepted is refused, nothing more. */
	CU_ASSERT_EQUAL(patch(ticket, "{\"status\":\"Accepted\","
	    "\"readyInMinutes\":10}", NULL), 409);
	CU_ASSERT_EQUAL(store_events(order, "OrderTaken"), 1);
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "readyBy", ev, sizeof(ev)),
	    ready);
}

/* Rejecting needs a code; the customer reads it in both languages. */
static void
reject_with_reason_code(void)
{
	char updated[64], path[64], buf[512], long_body[1024];
	static const char *const bad[] = {
		"{\"status\":\"Rejected\"}",
		"{\"status\":\"Rejected\",\"reason\":\"no fish\"}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"no_response\"}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"bogus\"}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"\"}",
		"{\"status\":\"Rejected\",\"reasonCode\":7}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"other\",\"reason\":\"\"}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"too_busy\","
		    "\"soldOutItems\":[{\"menuId\":2}]}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"sold_out\","
		    "\"soldOutItems\":[{\"menuId\":0}]}",
		"{\"status\":\"Rejected\",\"reasonCode\":\"sold_out\","
		    "\"soldOutItems\":[2]}",
		"{\"status\":\"Accepted\",\"readyInMinutes\":20,"
		    "\"soldOutItems\":[{\"menuId\":2}]}",
		"{\"status\":\"Prepared\",\"reasonCode\":\"other\"}",
	};
	struct it_resp r;
	long long order, ticket;
	size_t i, n;

	order = it_place(cust, order_body);
	CU_ASSERT_FATAL(order > 0);
	ticket = ticket_of(order);
	CU_ASSERT_FATAL(ticket > 0);
	ticket_field(ticket, "updatedAt", updated, sizeof(updated));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(patch(ticket, bad[i], &r), 400);
		CU_ASSERT(it_is_error(&r, "bad_request"));
		it_free(&r);
	}
	/* A reason of 201 characters. */
	n = (size_t)snprintf(long_body, sizeof(long_body), "{\"status\":"
	    "\"Rejected\",\"reasonCode\":\"other\",\"reason\":\"");
	for (i = 0; i < 201; i++)
		long_body[n++] = 'x';
	snprintf(long_body + n, sizeof(long_body) - n, "\"}");
	CU_ASSERT_EQUAL(patch(ticket, long_body, NULL), 400);
	/* A sold-out item of another store, or none at all. */
	CU_ASSERT_EQUAL(patch(ticket, "{\"status\":\"Rejected\",\"reasonCode\":"
	    "\"sold_out\",\"soldOutItems\":[{\"menuId\":999999}]}", &r), 400);
	it_free(&r);
	unchanged(order, ticket, updated);

	CU_ASSERT_EQUAL(patch(ticket, "{\"status\":\"Rejected\",\"reasonCode\":"
	    "\"too_busy\",\"reason\":\"주방 공사 중\"}", &r), 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "rejectReasonCode") ?
	    it_str(&r, "rejectReasonCode") : "", "too_busy");
	CU_ASSERT_STRING_EQUAL(it_str(&r, "rejectReason") ?
	    it_str(&r, "rejectReason") : "", "주방 공사 중");
	it_free(&r);
	CU_ASSERT_EQUAL(store_events(order, "OrderRejected"), 1);
	CU_ASSERT_STRING_EQUAL(event_field(order, "OrderRejected", "reasonCode",
	    buf, sizeof(buf)), "too_busy");
	CU_ASSERT_STRING_EQUAL(event_field(order, "OrderRejected", "reason",
	    buf, sizeof(buf)), "주방 공사 중");
	CU_ASSERT_EQUAL(order_reaches(order, "Rejected"), 0);
	snprintf(path, sizeof(path), "/orders/%lld", order);
	CU_ASSERT_STRING_EQUAL(it_get_str(path, cust, "rejectReasonCode", buf,
	    sizeof(buf)), "too_busy");
	snprintf(path, sizeof(path), "/myPages/%lld", order);
	CU_ASSERT_EQUAL(reaches(path, cust, "reasonCode", "too_busy"), 0);
	/* ui/vocab.tsv's words for too_busy, on MyPage's JSON and HTML. */
	CU_ASSERT_STRING_EQUAL(it_get_str(path, cust, "reasonKo", buf,
	    sizeof(buf)), "주문 폭주");
	CU_ASSERT_STRING_EQUAL(it_get_str(path, cust, "reasonEn", buf,
	    sizeof(buf)), "Too many orders");
	CU_ASSERT_EQUAL(it_req(&r, "GET", "/mypage", cust, NULL, NULL), 0);
	CU_ASSERT(r.body != NULL && strstr(r.body, "주문 폭주") != NULL);
	CU_ASSERT(r.body != NULL && strstr(r.body, "Too many orders") != NULL);
	CU_ASSERT(r.body != NULL && strstr(r.body, "주방 공사 중") != NULL);
	it_free(&r);
	/* Refunded, once. */
	for (i = 0; i < 100 && refunds(order) < 1; i++)
		usleep(100000);
	CU_ASSERT_EQUAL(refunds(order), 1);
}

/* sold_out with the items ticked: they are sold out in the same commit.
 * The item ticked (방어, menuId 5) is another than the one ordered, so
 * the next tests can order while the menu replica catches up. */
static void
sold_out_marks_items(void)
{
	static const char body5[] = "{\"storeId\":1,\"items\":[{\"menuId\":5,"
	    "\"qty\":1}]}";
	char buf[64];
	struct it_resp r;
	long long order, ticket, before, after, again = -1;
	int i;

	order = it_place(cust, order_body);
	CU_ASSERT_FATAL(order > 0);
	ticket = ticket_of(order);
	CU_ASSERT_FATAL(ticket > 0);
	before = it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = 'menu:5'");
	CU_ASSERT_EQUAL(patch(ticket, "{\"status\":\"Rejected\",\"reasonCode\":"
	    "\"sold_out\",\"soldOutItems\":[{\"menuId\":5}]}", &r), 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "rejectReasonCode") ?
	    it_str(&r, "rejectReasonCode") : "", "sold_out");
	it_free(&r);
	/* The item is sold out, with its MenuItemChanged, in one commit
	 * with the ticket's rejection. */
	after = it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = 'menu:5'");
	CU_ASSERT_EQUAL(after, before + 1);
	CU_ASSERT_EQUAL(it_ctx_int("fishstore", "SELECT sold_out FROM"
	    " menu_items WHERE id = 5"), 1);
	/* The order context hears it: item 5 cannot be ordered. */
	for (i = 0; i < 50; i++) {
		CU_ASSERT_EQUAL(it_req(&r, "POST", "/orders", cust, body5, NULL),
		    0);
		again = r.status;
		it_free(&r);
		if (again == 409)
			break;
		usleep(100000);
	}
	CU_ASSERT_EQUAL(again, 409);
	CU_ASSERT_EQUAL(order_reaches(order, "Rejected"), 0);
	snprintf(buf, sizeof(buf), "/myPages/%lld", order);
	CU_ASSERT_EQUAL(reaches(buf, cust, "reasonCode", "sold_out"), 0);
	/* The owner puts it back on the menu (other suites order it), and
	 * the order context hears that too. */
	CU_ASSERT_EQUAL(it_req(&r, "PATCH", "/stores/1/menu/5", owner1,
	    "{\"soldOut\":false}", NULL), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	for (i = 0; i < 50 && it_place(cust, body5) <= 0; i++)
		usleep(100000);
	CU_ASSERT(i < 50);
}

/* Runs `scripts/stack.sh ctl fishstore ARGS`; its exit status, or -1. */
static FILE *
ctl_start(const char *args)
{
	const char *root = getenv("FD_ROOT");
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "'%s/scripts/stack.sh' ctl fishstore %s"
	    " 2>&1", root ? root : ".", args);
	return popen(cmd, "r");
}

static int
ctl_end(FILE *p)
{
	char line[256];
	int st;

	if (p == NULL)
		return -1;
	while (fgets(line, sizeof(line), p) != NULL)
		fprintf(stderr, "  ctl: %s", line);
	st = pclose(p);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A Paid ticket past its deadline: rejected no_response, refunded once. */
static void
deadline_rejects_once(void)
{
	char buf[64], path[64], accept_by[64], created[64];
	long long order, ticket, remaining;
	struct it_resp r;
	int i;

	/* Armed until the ticket is made (OrderPlaced comes by the relay). */
	it_fault("accept-deadline-s", "2");
	order = it_place(cust, order_body);
	ticket = order > 0 ? ticket_of(order) : -1;
	it_fault("accept-deadline-s", NULL);
	CU_ASSERT_FATAL(order > 0);
	CU_ASSERT_FATAL(ticket > 0);
	/* The owner's queue says when, and how long is left. */
	snprintf(path, sizeof(path), "/fishstores/%lld", ticket);
	CU_ASSERT_EQUAL(it_req(&r, "GET", path, owner1, NULL, NULL), 0);
	snprintf(accept_by, sizeof(accept_by), "%s", it_str(&r, "acceptBy") ?
	    it_str(&r, "acceptBy") : "");
	snprintf(created, sizeof(created), "%s", it_str(&r, "createdAt") ?
	    it_str(&r, "createdAt") : "");
	remaining = it_int(&r, "acceptInSeconds");
	it_free(&r);
	CU_ASSERT(utc_seconds(accept_by) - utc_seconds(created) >= 1 &&
	    utc_seconds(accept_by) - utc_seconds(created) <= 3);
	CU_ASSERT(remaining >= 0 && remaining <= 2);
	CU_ASSERT_EQUAL(it_req(&r, "GET", "/fishstores?status=Paid", owner1,
	    NULL, NULL), 0);
	CU_ASSERT(r.body != NULL && strstr(r.body, "acceptInSeconds") != NULL);
	it_free(&r);

	/* The checker (a service of the stack) finds it within seconds. */
	CU_ASSERT_EQUAL(order_reaches(order, "Rejected"), 0);
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "status", buf, sizeof(buf)),
	    "Rejected");
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "rejectReasonCode", buf,
	    sizeof(buf)), "no_response");
	CU_ASSERT_STRING_EQUAL(event_field(order, "OrderRejected", "reasonCode",
	    buf, sizeof(buf)), "no_response");
	for (i = 0; i < 100 && refunds(order) < 1; i++)
		usleep(100000);
	CU_ASSERT_EQUAL(refunds(order), 1);
	snprintf(path, sizeof(path), "/myPages/%lld", order);
	CU_ASSERT_EQUAL(reaches(path, cust, "reasonCode", "no_response"), 0);
	CU_ASSERT_STRING_EQUAL(it_get_str(path, cust, "reasonKo", buf,
	    sizeof(buf)), "가게 응답 없음");

	/* Across a restart of the checker, and a pass run by hand: still
	 * one rejection, one refund. */
	CU_ASSERT_EQUAL(it_sv("restart", "fishstore-deadline"), 0);
	CU_ASSERT_EQUAL(ctl_end(ctl_start("deadline once")), 0);
	sleep(1);
	CU_ASSERT_EQUAL(store_events(order, "OrderRejected"), 1);
	CU_ASSERT_EQUAL(refunds(order), 1);
	/* Too late for the owner now. */
	CU_ASSERT_EQUAL(patch(ticket, "{\"status\":\"Accepted\","
	    "\"readyInMinutes\":30}", NULL), 409);
}

/*
 * Two checkers at the same moment (the stack's is stopped; each holds
 * its transaction open 1 s after its UPDATE, hook store-deadline-pause-ms):
 * one rejects, the other finds nothing to do.  And the owner who accepts
 * after the deadline, before any checker ran, is refused: the deadline
 * is the same rule in the owner's step.
 */
static void
two_checkers_reject_once(void)
{
	char buf[64];
	long long order, order2, ticket, ticket2;
	struct it_resp r;
	FILE *a, *b;
	int i;

	CU_ASSERT_FATAL(it_sv("down", "fishstore-deadline") == 0);
	it_fault("accept-deadline-s", "2");
	order = it_place(cust, order_body);
	order2 = it_place(cust, order_body);
	ticket = order > 0 ? ticket_of(order) : -1;
	ticket2 = order2 > 0 ? ticket_of(order2) : -1;
	it_fault("accept-deadline-s", NULL);
	CU_ASSERT_FATAL(order > 0 && order2 > 0);
	CU_ASSERT_FATAL(ticket > 0 && ticket2 > 0);
	sleep(3);
	/* Nobody checked yet: still Paid, but the owner is too late. */
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "status", buf, sizeof(buf)),
	    "Paid");
	snprintf(buf, sizeof(buf), "/fishstores/%lld", ticket);
	CU_ASSERT_EQUAL(it_req(&r, "GET", buf, owner1, NULL, NULL), 0);
	CU_ASSERT_EQUAL(it_int(&r, "acceptInSeconds"), 0);
	it_free(&r);
	CU_ASSERT_EQUAL(patch(ticket2, "{\"status\":\"Accepted\","
	    "\"readyInMinutes\":30}", NULL), 409);
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket2, "rejectReasonCode", buf,
	    sizeof(buf)), "no_response");
	CU_ASSERT_EQUAL(store_events(order2, "OrderTaken"), 0);
	CU_ASSERT_EQUAL(store_events(order2, "OrderRejected"), 1);

	it_fault("store-deadline-pause-ms", "1000");
	a = ctl_start("deadline once");
	b = ctl_start("deadline once");
	CU_ASSERT_EQUAL(ctl_end(a), 0);
	CU_ASSERT_EQUAL(ctl_end(b), 0);
	it_fault("store-deadline-pause-ms", NULL);
	CU_ASSERT_EQUAL(store_events(order, "OrderRejected"), 1);
	CU_ASSERT_STRING_EQUAL(ticket_field(ticket, "rejectReasonCode", buf,
	    sizeof(buf)), "no_response");
	CU_ASSERT_EQUAL(it_sv("up", "fishstore-deadline"), 0);
	CU_ASSERT_EQUAL(order_reaches(order, "Rejected"), 0);
	CU_ASSERT_EQUAL(order_reaches(order2, "Rejected"), 0);
	for (i = 0; i < 100 && (refunds(order) < 1 || refunds(order2) < 1); i++)
		usleep(100000);
	sleep(1);
	CU_ASSERT_EQUAL(refunds(order), 1);
	CU_ASSERT_EQUAL(refunds(order2), 1);
	CU_ASSERT_EQUAL(store_events(order, "OrderRejected"), 1);
	CU_ASSERT_EQUAL(store_events(order2, "OrderRejected"), 1);
}

void
add_estimate_tests(void)
{
	CU_pSuite s = CU_add_suite("estimate", init_suite, clean_suite);

	CU_add_test(s, "accept with readyInMinutes: readyBy, OrderTaken, eta",
	    accept_with_estimate);
	CU_add_test(s, "reject with a reasonCode, shown in Korean and English",
	    reject_with_reason_code);
	CU_add_test(s, "sold_out marks the ticked items in the same commit",
	    sold_out_marks_items);
	CU_add_test(s, "accept deadline: no_response, refunded once, restart",
	    deadline_rejects_once);
	CU_add_test(s, "accept deadline: two checkers at once, a late owner",
	    two_checkers_reject_once);
}
