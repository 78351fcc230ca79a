/*
 * test_store_ticket.c - store_domain.c's rules of the store's answer to a
 * ticket (issue 17): the estimate's bounds and its readyBy arithmetic, the
 * reason codes (the owner's four, the system's no_response), which fields
 * go with which status, the sold-out items, and the accept deadline.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "unit.h"

/* 2026-12-06T19:00:00Z */
#define NOW	1796583600LL

static struct store_ticket_cmd
cmd(enum store_ticket_status to, int ready_in, enum store_reject_code code,
    const char *reason)
{
	struct store_ticket_cmd c;

	memset(&c, 0, sizeof(c));
	c.to = to;
	c.ready_in = ready_in;
	c.code = code;
	c.reason = reason;
	c.now = NOW;
	return c;
}

static void
paid(struct store_ticket *t)
{
	memset(t, 0, sizeof(*t));
	t->id = 5;
	t->order_id = 77;
	t->store_id = 1;
	t->status = STORE_T_PAID;
	snprintf(t->accept_by, sizeof(t->accept_by),
	    "2026-12-06T19:10:00.000000Z");
	t->accept_ms = 600000;
}

static void
ready_in_bounds(void)
{
	static const struct {
		int	 minutes;
		int	 ok;
	} cases[] = {
		{ 0, 0 }, { 4, 0 }, { 5, 1 }, { 10, 1 }, { 30, 1 }, { 120, 1 },
		{ 121, 0 }, { -5, 0 }, { 100000, 0 },
	};
	struct store_ticket_cmd c;
	char why[160];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = cmd(STORE_T_ACCEPTED, cases[i].minutes, STORE_RC_NONE, NULL);
		UNIT_CHECK((store_ticket_step_check(&c, why, sizeof(why)) ==
		    STORE_OK) == cases[i].ok, "readyInMinutes %d: ok %d",
		    cases[i].minutes, cases[i].ok);
	}
	/* Only with Accepted. */
	c = cmd(STORE_T_PREPARED, 30, STORE_RC_NONE, NULL);
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	c = cmd(STORE_T_REJECTED, 30, STORE_RC_OTHER, NULL);
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "readyInMinutes"));
}

static void
ready_by_arithmetic(void)
{
	char out[32];

	CU_ASSERT_EQUAL(store_ready_by(NOW, 30, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-06T19:30:00.000000Z");
	CU_ASSERT_EQUAL(store_ready_by(NOW, 5, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-06T19:05:00.000000Z");
	/* Past midnight, and past the year's end: UTC dates roll over. */
	CU_ASSERT_EQUAL(store_ready_by(NOW + 4 * 3600 + 30 * 60, 60, out,
	    sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-07T00:30:00.000000Z");
	CU_ASSERT_EQUAL(store_ready_by(1798761000LL, 120, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "2027-01-01T01:50:00.000000Z");
	/* Out of bounds, or no room: nothing. */
	CU_ASSERT_EQUAL(store_ready_by(NOW, 4, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(store_ready_by(NOW, 121, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(store_ready_by(NOW, 30, out, 10), -1);
}

/* Accepted: the ticket keeps readyBy and OrderTaken carries it. */
static void
accept_fills_ready_by(void)
{
	struct store_ticket t;
	struct store_ticket_event ev;
	struct store_ticket_cmd c = cmd(STORE_T_ACCEPTED, 40, STORE_RC_NONE,
	    NULL);
	char why[160];

	paid(&t);
	CU_ASSERT_EQUAL(store_ticket_step(&t, &c, &ev, why, sizeof(why)),
	    STORE_OK);
	CU_ASSERT_EQUAL(t.status, STORE_T_ACCEPTED);
	CU_ASSERT_STRING_EQUAL(t.ready_by, "2026-12-06T19:40:00.000000Z");
	CU_ASSERT_EQUAL(ev.type, STORE_EV_TAKEN);
	CU_ASSERT_STRING_EQUAL(ev.ready_by, t.ready_by);
	CU_ASSERT_EQUAL(ev.order_id, 77);
	CU_ASSERT_EQUAL(ev.ticket_id, 5);
	/* Not twice. */
	CU_ASSERT_EQUAL(store_ticket_step(&t, &c, &ev, why, sizeof(why)),
	    STORE_E_STATE);
}

static void
reason_codes(void)
{
	static const struct {
		const char		*name;
		enum store_reject_code	 code;
		int			 owner;	/* the owner may give it */
	} codes[] = {
		{ "sold_out", STORE_RC_SOLD_OUT, 1 },
		{ "closing", STORE_RC_CLOSING, 1 },
		{ "too_busy", STORE_RC_TOO_BUSY, 1 },
		{ "other", STORE_RC_OTHER, 1 },
		{ "no_response", STORE_RC_NO_RESPONSE, 0 },
	};
	static const char *const unknown[] = { "", "Sold_out", "sold out",
	    "busy", "none", "no_response ", "other\n" };
	enum store_reject_code code;
	struct store_ticket_cmd c;
	char why[160];
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		UNIT_CHECK(store_reject_code_parse(codes[i].name, &code) == 0 &&
		    code == codes[i].code, "%s parses", codes[i].name);
		CU_ASSERT_STRING_EQUAL(store_reject_code_name(codes[i].code),
		    codes[i].name);
		c = cmd(STORE_T_REJECTED, 0, codes[i].code, NULL);
		UNIT_CHECK((store_ticket_step_check(&c, why, sizeof(why)) ==
		    STORE_OK) == codes[i].owner, "%s: the owner's %d",
		    codes[i].name, codes[i].owner);
	}
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		UNIT_CHECK(store_reject_code_parse(unknown[i], &code) == -1,
		    "\"%s\" is no code", unknown[i]);
	/* A code is needed to reject, and goes with nothing else. */
	c = cmd(STORE_T_REJECTED, 0, STORE_RC_NONE, "out of fish");
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "reasonCode"));
	c = cmd(STORE_T_ACCEPTED, 30, STORE_RC_OTHER, NULL);
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	c = cmd(STORE_T_ACCEPTED, 30, STORE_RC_NONE, "because");
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	/* The text: 1 to 200 characters of text. */
	c = cmd(STORE_T_REJECTED, 0, STORE_RC_OTHER, "");
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	c = cmd(STORE_T_REJECTED, 0, STORE_RC_OTHER, "tab\there");
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
}

/* Rejected: the code and the text on the ticket and in OrderRejected. */
static void
reject_fills_event(void)
{
	struct store_ticket t;
	struct store_ticket_event ev;
	struct store_ticket_cmd c = cmd(STORE_T_REJECTED, 0, STORE_RC_CLOSING,
	    "오늘 영업 끝");
	char why[160];

	paid(&t);
	CU_ASSERT_EQUAL(store_ticket_step(&t, &c, &ev, why, sizeof(why)),
	    STORE_OK);
	CU_ASSERT_EQUAL(t.status, STORE_T_REJECTED);
	CU_ASSERT_EQUAL(t.reject_code, STORE_RC_CLOSING);
	CU_ASSERT_STRING_EQUAL(t.reject_reason, "오늘 영업 끝");
	CU_ASSERT_EQUAL(ev.type, STORE_EV_REJECTED);
	CU_ASSERT_EQUAL(ev.code, STORE_RC_CLOSING);
	CU_ASSERT_STRING_EQUAL(ev.reason, "오늘 영업 끝");
	/* Without text: none (the code says why). */
	paid(&t);
	c = cmd(STORE_T_REJECTED, 0, STORE_RC_TOO_BUSY, NULL);
	CU_ASSERT_EQUAL(store_ticket_step(&t, &c, &ev, why, sizeof(why)),
	    STORE_OK);
	CU_ASSERT_STRING_EQUAL(ev.reason, "");
	CU_ASSERT_EQUAL(ev.code, STORE_RC_TOO_BUSY);
	/* The event of a rejection already written says the same. */
	CU_ASSERT_EQUAL(store_ticket_rejected_event(&t, &ev), 0);
	CU_ASSERT_EQUAL(ev.type, STORE_EV_REJECTED);
	CU_ASSERT_EQUAL(ev.code, STORE_RC_TOO_BUSY);
	CU_ASSERT_EQUAL(ev.order_id, 77);
	t.status = STORE_T_PAID;
	CU_ASSERT_EQUAL(store_ticket_rejected_event(&t, &ev), -1);
}

static void
sold_out_items(void)
{
	struct store_ticket_cmd c;
	char why[160];
	size_t i;

	c = cmd(STORE_T_REJECTED, 0, STORE_RC_SOLD_OUT, NULL);
	c.nsold_out = 4;
	c.sold_out[0] = 9;
	c.sold_out[1] = 2;
	c.sold_out[2] = 9;
	c.sold_out[3] = 5;
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_OK);
	/* Sorted, once each: the order the rows are locked in. */
	store_ticket_cmd_sold_out_norm(&c);
	CU_ASSERT_EQUAL(c.nsold_out, 3);
	CU_ASSERT(c.sold_out[0] == 2 && c.sold_out[1] == 5 &&
	    c.sold_out[2] == 9);
	/* Only with sold_out; ids positive; at most STORE_SOLD_OUT_MAX. */
	c.code = STORE_RC_OTHER;
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	c.code = STORE_RC_SOLD_OUT;
	c.sold_out[1] = 0;
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	c = cmd(STORE_T_REJECTED, 0, STORE_RC_SOLD_OUT, NULL);
	for (i = 0; i < STORE_SOLD_OUT_MAX; i++)
		c.sold_out[i] = (long long)i + 1;
	c.nsold_out = STORE_SOLD_OUT_MAX;
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_OK);
	c.nsold_out = STORE_SOLD_OUT_MAX + 1;
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
	c = cmd(STORE_T_ACCEPTED, 30, STORE_RC_NONE, NULL);
	c.nsold_out = 1;
	c.sold_out[0] = 3;
	CU_ASSERT_EQUAL(store_ticket_step_check(&c, why, sizeof(why)),
	    STORE_E_INPUT);
}

/* The accept deadline: the store's, not the owner's, once it passed. */
static void
deadline_rule(void)
{
	static const enum store_ticket_status later[] = { STORE_T_ACCEPTED,
	    STORE_T_PREPARED, STORE_T_REJECTED, STORE_T_CANCELED };
	struct store_ticket t;
	struct store_ticket_event ev;
	struct store_ticket_cmd c;
	char why[160];
	size_t i;

	paid(&t);
	CU_ASSERT_EQUAL(store_ticket_overdue(&t), 0);
	t.accept_ms = 1;
	CU_ASSERT_EQUAL(store_ticket_overdue(&t), 0);
	t.accept_ms = 0;
	CU_ASSERT_EQUAL(store_ticket_overdue(&t), 1);
	t.accept_ms = -5000;
	CU_ASSERT_EQUAL(store_ticket_overdue(&t), 1);
	/* Only a Paid ticket waits for the owner. */
	for (i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		t.status = later[i];
		UNIT_CHECK(store_ticket_overdue(&t) == 0, "%s is not overdue",
		    store_ticket_status_name(later[i]));
	}
	/* No deadline known (a row of before): never overdue. */
	paid(&t);
	t.accept_by[0] = '\0';
	t.accept_ms = 0;
	CU_ASSERT_EQUAL(store_ticket_overdue(&t), 0);
	/* Past it, the owner can neither accept nor reject. */
	paid(&t);
	t.accept_ms = -1;
	c = cmd(STORE_T_ACCEPTED, 30, STORE_RC_NONE, NULL);
	CU_ASSERT_EQUAL(store_ticket_step(&t, &c, &ev, why, sizeof(why)),
	    STORE_E_STATE);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "deadline"));
	CU_ASSERT_EQUAL(t.status, STORE_T_PAID);
	CU_ASSERT_EQUAL(ev.type, STORE_EV_NONE);
	c = cmd(STORE_T_REJECTED, 0, STORE_RC_OTHER, NULL);
	CU_ASSERT_EQUAL(store_ticket_step(&t, &c, &ev, why, sizeof(why)),
	    STORE_E_STATE);
	/* The setting: seconds, the default when unset or out of bounds. */
	CU_ASSERT_EQUAL(store_deadline_seconds(NULL), 600);
	CU_ASSERT_EQUAL(store_deadline_seconds(""), 600);
	CU_ASSERT_EQUAL(store_deadline_seconds("2"), 2);
	CU_ASSERT_EQUAL(store_deadline_seconds("900"), 900);
	CU_ASSERT_EQUAL(store_deadline_seconds("0"), 600);
	CU_ASSERT_EQUAL(store_deadline_seconds("-3"), 600);
	CU_ASSERT_EQUAL(store_deadline_seconds("10m"), 600);
	CU_ASSERT_EQUAL(store_deadline_seconds("86401"), 600);
}

static const struct unit_test tests[] = {
	{ "readyInMinutes: 5 to 120, with Accepted only", ready_in_bounds },
	{ "readyBy: now + minutes, UTC", ready_by_arithmetic },
	{ "accepting fills readyBy and OrderTaken", accept_fills_ready_by },
	{ "reason codes: the owner's four, not no_response", reason_codes },
	{ "rejecting fills the code and text", reject_fills_event },
	{ "sold-out items: with sold_out, sorted, bounded", sold_out_items },
	{ "the accept deadline", deadline_rule },
};

void
add_store_ticket_tests(void)
{
	UNIT_SUITE("fishstore ticket answer", tests);
}
