/*
 * test_event_payment.c - the payment context's events
 * (lib/fd_event_payment.c): PayApproved and PayCanceled written as
 * payment always wrote them, decoded back the same, every bound and
 * every bad field.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_payment.h"
#include "unit.h"

static void
wire_and_round_trip(void)
{
	struct fd_pay_approved p, q;
	json_object *o, *back;
	char err[256];

	memset(&p, 0, sizeof(p));
	p.payment_id = 5;
	p.order_id = 7;
	p.amount = 100000000000LL;
	p.customer_id = 42;
	/* Each in the order pay_db.c has always written it. */
	o = fd_pay_approved_encode(&p);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), "{\"paymentId\":5,\"orderId\":7,"
	    "\"amount\":100000000000,\"customerId\":42}");
	back = json_tokener_parse(json_object_to_json_string(o));
	CU_ASSERT_EQUAL(fd_pay_approved_decode(back, &q, err, sizeof(err)), 0);
	CU_ASSERT(memcmp(&p, &q, sizeof(p)) == 0);
	/* One type's payload is the other's too: the same fields. */
	CU_ASSERT_EQUAL(fd_pay_canceled_decode(back, &q, err, sizeof(err)), 0);
	CU_ASSERT(memcmp(&p, &q, sizeof(p)) == 0);
	json_object_put(back);
	json_object_put(o);
	o = fd_pay_canceled_encode(&p);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), "{\"orderId\":7,\"paymentId\":5,"
	    "\"amount\":100000000000,\"customerId\":42}");
	back = json_tokener_parse(json_object_to_json_string(o));
	CU_ASSERT_EQUAL(fd_pay_canceled_decode(back, &q, err, sizeof(err)), 0);
	CU_ASSERT(memcmp(&p, &q, sizeof(p)) == 0);
	json_object_put(back);
	json_object_put(o);
}

static void
rows(void)
{
	static const char *const types[] = { "PayApproved", "PayCanceled" };
	static const struct unit_event_row r[] = {
		{ NULL, NULL, 0 },
		{ "paymentId", "1", 0 },
		{ "paymentId", "999999999999999", 0 },
		{ "paymentId", "1000000000000000", -1 },
		{ "paymentId", "0", -1 },
		{ "paymentId", "-1", -1 },
		{ "paymentId", "\"5\"", -1 },
		{ "paymentId", NULL, -1 },
		{ "orderId", "999999999999999", 0 },
		{ "orderId", "1000000000000000", -1 },
		{ "orderId", "0", -1 },
		{ "orderId", "-7", -1 },
		{ "orderId", "7.5", -1 },
		{ "orderId", "null", -1 },
		{ "orderId", NULL, -1 },
		{ "amount", "0", 0 },
		{ "amount", "100000000000", 0 },
		{ "amount", "100000000001", -1 },
		{ "amount", "-1", -1 },
		{ "amount", "\"1000\"", -1 },
		{ "amount", NULL, -1 },
		/* Whose order: optional (0 = not said), an id when said. */
		{ "customerId", NULL, 0 },
		{ "customerId", "null", 0 },
		{ "customerId", "1", 0 },
		{ "customerId", "999999999999999", 0 },
		{ "customerId", "0", -1 },
		{ "customerId", "-3", -1 },
		{ "customerId", "1000000000000000", -1 },
		{ "customerId", "\"42\"", -1 },
	};
	size_t t;

	for (t = 0; t < 2; t++)
		UNIT_EVENT_ROWS(types[t], "{\"paymentId\":5,\"orderId\":7,"
		    "\"amount\":50000,\"customerId\":42,\"eventId\":\"x\","
		    "\"occurredAt\":\"2026-01-01T00:00:00.000Z\"}", r);
}

static void
not_an_object(void)
{
	struct fd_pay_approved p;
	json_object *o = json_tokener_parse("\"PayApproved\"");
	char err[128];

	CU_ASSERT_EQUAL(fd_pay_approved_decode(o, &p, err, sizeof(err)), -1);
	CU_ASSERT(strstr(err, "PayApproved") != NULL);
	CU_ASSERT_EQUAL(fd_pay_canceled_decode(NULL, &p, err, sizeof(err)), -1);
	CU_ASSERT(strstr(err, "PayCanceled") != NULL);
	json_object_put(o);
}

static const struct unit_test tests[] = {
	{ "written as always, decoded back the same", wire_and_round_trip },
	{ "every bound, every bad field", rows },
	{ "not an object", not_an_object },
};

void
add_event_payment_tests(void)
{
	UNIT_SUITE("event PayApproved, PayCanceled", tests);
}
