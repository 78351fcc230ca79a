/*
 * test_order_answer.c - the store's answer as the order context takes it
 * (issue 17): which of OrderTaken's readyBy and OrderRejected's reasonCode
 * it keeps (order_domain.c), and how MyPage's projection carries them
 * (order_view_rules.c): the estimate whatever the status shows, the code
 * only with the rejection it explains.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "order.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define READY		"2026-12-06T19:40:00.000000Z"

static void
reject_codes(void)
{
	static const char *const yes[] = { "sold_out", "closing", "too_busy",
	    "other", "no_response" };
	static const char *const no[] = { "", "SOLD_OUT", "sold out",
	    "sold_out ", "none", "busy", "no_respons" };
	size_t i;

	for (i = 0; i < NELEM(yes); i++)
		UNIT_CHECK(order_reject_code_ok(yes[i]), "%s refused", yes[i]);
	for (i = 0; i < NELEM(no); i++)
		UNIT_CHECK(!order_reject_code_ok(no[i]), "\"%s\" taken", no[i]);
}

static void
utc_times(void)
{
	static const char *const yes[] = { READY, "2026-12-06T19:40:00Z",
	    "2026-12-06T19:40:00.1Z", "2026-12-06T19:40:00.123Z" };
	static const char *const no[] = { "", "2026-12-06T19:40:00",
	    "2026-12-06T19:40:00+09:00", "2026-12-06 19:40:00Z",
	    "2026-12-06T19:40:00.Z", "2026-12-06T19:40:00.1234567Z",
	    "2026-12-06T19:40:00.000000ZZ", "x026-12-06T19:40:00Z",
	    "2026-12-06T19:40Z", "'; DROP TABLE orders; --" };
	size_t i;

	for (i = 0; i < NELEM(yes); i++)
		UNIT_CHECK(order_utc_time_ok(yes[i]), "%s refused", yes[i]);
	for (i = 0; i < NELEM(no); i++)
		UNIT_CHECK(!order_utc_time_ok(no[i]), "\"%s\" taken", no[i]);
}

static void
event(struct order_view_event *e, const char *type)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->order_id = 77;
	e->customer_id = 7;
	e->at = "2026-12-06T19:10:00.000Z";
}

/* The estimate is kept from every status: the store's fact. */
static void
taken_carries_estimate(void)
{
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur;

	event(&e, "OrderTaken");
	e.ready_by = READY;
	for (cur = ORDER_PAID; cur < ORDER__NSTATUS; cur++) {
		order_view_project(&e, cur, "", "", &c);
		UNIT_CHECK(c.ready_by != NULL && strcmp(c.ready_by, READY) == 0,
		    "OrderTaken from %s: no estimate", order_status_name(cur));
		CU_ASSERT_PTR_NULL(c.reason_code);
	}
	/* Paid: Accepted with it; while a cancel waits: the status waits. */
	order_view_project(&e, ORDER_PAID, "", "", &c);
	CU_ASSERT_STRING_EQUAL(c.status, "Accepted");
	order_view_project(&e, ORDER_CANCEL_REQUESTED, "", "", &c);
	CU_ASSERT_PTR_NULL(c.status);
	CU_ASSERT_STRING_EQUAL(c.ready_by, READY);
	/* An OrderTaken of an older fishstore: nothing to keep. */
	e.ready_by = NULL;
	order_view_project(&e, ORDER_PAID, "", "", &c);
	CU_ASSERT_PTR_NULL(c.ready_by);
}

/* The code goes with the rejection it explains, and only then. */
static void
rejected_carries_code(void)
{
	static const char *const others[] = { "OrderPrepared", "OrderCanceled",
	    "PayCanceled", "DeliveryStarted", "CancelRefused" };
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur;
	size_t i;

	event(&e, "OrderRejected");
	e.reason_code = "no_response";
	order_view_project(&e, ORDER_PAID, "", "", &c);
	CU_ASSERT_STRING_EQUAL(c.status, "Rejected");
	CU_ASSERT_STRING_EQUAL(c.reason_code, "no_response");
	CU_ASSERT_PTR_NULL(c.ready_by);
	/* Too late to reject (Prepared on, or final): no code either. */
	for (cur = ORDER_PREPARED; cur <= ORDER_REJECTED; cur++) {
		order_view_project(&e, cur, "", "", &c);
		if (c.status == NULL)
			UNIT_CHECK(c.reason_code == NULL, "OrderRejected from "
			    "%s: a code without the rejection",
			    order_status_name(cur));
	}
	/* No other event carries either. */
	for (i = 0; i < NELEM(others); i++) {
		event(&e, others[i]);
		e.reason_code = "other";
		e.ready_by = READY;
		e.status = ORDER_ACCEPTED;
		order_view_project(&e, ORDER_PAID, "", "", &c);
		UNIT_CHECK(c.reason_code == NULL && c.ready_by == NULL,
		    "%s carried the store's answer", others[i]);
	}
}

static const struct unit_test tests[] = {
	{ "OrderRejected's reason codes", reject_codes },
	{ "readyBy must be a UTC time", utc_times },
	{ "OrderTaken carries the estimate", taken_carries_estimate },
	{ "OrderRejected carries its code", rejected_carries_code },
};

void
add_order_answer_tests(void)
{
	UNIT_SUITE("order: the store's answer", tests);
}
