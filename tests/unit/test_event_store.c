/*
 * test_event_store.c - the codecs of fishstore's events
 * (lib/fd_event_store.c): per event, encoded then decoded back equal and
 * written as the wire has always carried it; every bound (the largest
 * taken, one more refused; ids of 0 and below refused); every bad field
 * (missing, of the wrong JSON type, out of range, not text: invalid
 * UTF-8, a NUL, a control character) refused with its reason.  The rows
 * go through the registry (tests/unit/unit_event.c), so every payload
 * taken is also encoded and decoded again the same.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_store.h"
#include "unit.h"

/* What every id is taken and refused as (lib/fd_event_field.h). */
#define ID_CASES(f)							\
	{ f, NULL, -1 }, { f, "null", -1 }, { f, "\"7\"", -1 },		\
	{ f, "7.5", -1 }, { f, "true", -1 }, { f, "{}", -1 },		\
	{ f, "0", -1 }, { f, "-1", -1 }, { f, "1", 0 },			\
	{ f, "999999999999999", 0 }, { f, "1000000000000000", -1 },	\
	{ f, "9223372036854775808", -1 }
/* Not text: a NUL, a control, invalid UTF-8 (a lone byte, a surrogate). */
#define NOT_TEXT_CASES(f)						\
	{ f, "\"a\\u0000b\"", -1 }, { f, "\"a\\nb\"", -1 },		\
	{ f, "\"a\xff\"", -1 }, { f, "\"\xed\xa0\x80\"", -1 },		\
	{ f, "\"\xc3\"", -1 }
/* A required text of max characters (a Korean one is 3 bytes). */
#define TEXT_CASES(f, at_max, over)					\
	{ f, NULL, -1 }, { f, "null", -1 }, { f, "5", -1 },		\
	{ f, "\"\"", -1 }, { f, "\"x\"", 0 }, { f, at_max, 0 },		\
	{ f, over, -1 }, NOT_TEXT_CASES(f)
/* The reason rule: optional (absent, null, "" are none), 200 characters. */
#define REASON_CASES(f, r200, r201)					\
	{ f, NULL, 0 }, { f, "null", 0 }, { f, "\"\"", 0 },		\
	{ f, r200, 0 }, { f, r201, -1 }, { f, "5", -1 },			\
	{ f, "[]", -1 }, NOT_TEXT_CASES(f)
static char r200[1024], r201[1024], n60[512], n61[512], a200[1024],
    a201[1024];

static void
make_strings(void)
{
	unit_json_repeat(r200, sizeof(r200), "가", 200);
	unit_json_repeat(r201, sizeof(r201), "가", 201);
	unit_json_repeat(n60, sizeof(n60), "광", 60);
	unit_json_repeat(n61, sizeof(n61), "광", 61);
	unit_json_repeat(a200, sizeof(a200), "a", 200);
	unit_json_repeat(a201, sizeof(a201), "a", 201);
}

static void
order_taken(void)
{
	struct fd_order_taken a, b;
	const struct unit_event_row cases[] = {
		ID_CASES("orderId"), ID_CASES("ticketId"),
		/* Informative: an older fishstore's event has none. */
		{ "readyBy", NULL, 0 }, { "readyBy", "null", 0 },
		{ "readyBy", "\"\"", 0 },
		{ "readyBy", "\"2026-12-06T23:00:00Z\"", 0 },
		{ "readyBy", "\"2026-12-06T23:00:00.123456789Z\"", 0 },
		{ "readyBy", "\"2026-12-06T23:00:00.1234567890Z\"", -1 },
		{ "readyBy", "\"2026-12-06 23:00:00\"", -1 },
		{ "readyBy", "\"2026-12-06T23:00:00+09:00\"", -1 },
		{ "readyBy", "\"2026-02-30T23:00:00Z\"", -1 },
		{ "readyBy", "\"soon\"", -1 }, { "readyBy", "1765062000", -1 },
		NOT_TEXT_CASES("readyBy"),
	};
	char err[256];
	json_object *o;

	memset(&a, 0, sizeof(a));
	a.order_id = 999999999999999LL;
	a.ticket_id = 3;
	snprintf(a.ready_by, sizeof(a.ready_by), "2026-12-06T23:00:00.000000Z");
	o = unit_event_wire(fd_order_taken_encode(&a), "{\"orderId\":"
	    "999999999999999,\"ticketId\":3,\"readyBy\":"
	    "\"2026-12-06T23:00:00.000000Z\"}", __LINE__);
	CU_ASSERT_EQUAL(fd_order_taken_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	/* No estimate: none on the wire, none back. */
	memset(a.ready_by, 0, sizeof(a.ready_by));
	o = unit_event_wire(fd_order_taken_encode(&a), "{\"orderId\":"
	    "999999999999999,\"ticketId\":3}", __LINE__);
	CU_ASSERT_EQUAL(fd_order_taken_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	UNIT_EVENT_ROWS("OrderTaken", "{\"orderId\":7,"
	    "\"ticketId\":3,\"readyBy\":\"2026-12-06T23:00:00.000000Z\"}", cases);
}

static void
order_prepared(void)
{
	struct fd_order_prepared a, b;
	const struct unit_event_row cases[] = {
		ID_CASES("orderId"), ID_CASES("ticketId"),
		ID_CASES("storeId"),
		TEXT_CASES("address", r200, r201),
		{ "address", a200, 0 }, { "address", a201, -1 },
		/* A phone is printable ASCII, 20 bytes at most. */
		{ "phone", NULL, -1 }, { "phone", "null", -1 },
		{ "phone", "\"\"", -1 }, { "phone", "10", -1 },
		{ "phone", "\"+82 10-1234-5678\"", 0 },
		{ "phone", "\"01234567890123456789\"", 0 },
		{ "phone", "\"012345678901234567890\"", -1 },
		{ "phone", "\"전화\"", -1 }, NOT_TEXT_CASES("phone"),
	};
	char err[256];
	json_object *o;

	memset(&a, 0, sizeof(a));
	a.order_id = 12;
	a.ticket_id = 5;
	a.store_id = 1;
	snprintf(a.address, sizeof(a.address), "서울 \"종로구\" 1\\2");
	snprintf(a.phone, sizeof(a.phone), "010-1234-5678");
	/* The field order fishstore has always written. */
	o = unit_event_wire(fd_order_prepared_encode(&a), "{\"orderId\":12,"
	    "\"storeId\":1,\"address\":\"서울 \\\"종로구\\\" 1\\\\2\","
	    "\"phone\":\"010-1234-5678\",\"ticketId\":5}", __LINE__);
	CU_ASSERT_EQUAL(fd_order_prepared_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	UNIT_EVENT_ROWS("OrderPrepared", "{\"orderId\":12,"
	    "\"storeId\":1,\"address\":\"서울 종로구 1\",\"phone\":"
	    "\"010-1234-5678\",\"ticketId\":5}", cases);
}

static void
order_rejected(void)
{
	struct fd_order_rejected a, b;
	const struct unit_event_row cases[] = {
		ID_CASES("orderId"), ID_CASES("ticketId"),
		{ "reasonCode", "\"sold_out\"", 0 },
		{ "reasonCode", "\"closing\"", 0 },
		{ "reasonCode", "\"too_busy\"", 0 },
		{ "reasonCode", "\"other\"", 0 },
		{ "reasonCode", "\"no_response\"", 0 },
		{ "reasonCode", NULL, -1 }, { "reasonCode", "null", -1 },
		{ "reasonCode", "\"\"", -1 }, { "reasonCode", "\"SOLD_OUT\"", -1 },
		{ "reasonCode", "\"sold_out \"", -1 },
		{ "reasonCode", "\"sold_out\\u0000x\"", -1 },
		{ "reasonCode", "\"no_response_no_response\"", -1 },
		{ "reasonCode", "1", -1 },
		REASON_CASES("reason", r200, r201),
	};
	char err[256];
	json_object *o;

	memset(&a, 0, sizeof(a));
	a.order_id = 12;
	a.ticket_id = 5;
	snprintf(a.reason_code, sizeof(a.reason_code), "sold_out");
	snprintf(a.reason, sizeof(a.reason), "오늘 광어 끝");
	o = unit_event_wire(fd_order_rejected_encode(&a), "{\"orderId\":12,"
	    "\"ticketId\":5,\"reasonCode\":\"sold_out\",\"reason\":"
	    "\"오늘 광어 끝\"}", __LINE__);
	CU_ASSERT_EQUAL(fd_order_rejected_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	/* No words (the deadline's no_response): null. */
	memset(&a.reason_code, 0, sizeof(a.reason_code));
	snprintf(a.reason_code, sizeof(a.reason_code), "no_response");
	memset(a.reason, 0, sizeof(a.reason));
	o = unit_event_wire(fd_order_rejected_encode(&a), "{\"orderId\":12,"
	    "\"ticketId\":5,\"reasonCode\":\"no_response\",\"reason\":null}",
	    __LINE__);
	CU_ASSERT_EQUAL(fd_order_rejected_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	UNIT_EVENT_ROWS("OrderRejected", "{\"orderId\":12,"
	    "\"ticketId\":5,\"reasonCode\":\"other\",\"reason\":\"why\"}",
	    cases);
}

static void
cancel_confirmed(void)
{
	struct fd_cancel_confirmed a, b;
	const struct unit_event_row cases[] = {
		ID_CASES("orderId"),
		/* Optional: null (or absent) is "no ticket yet". */
		{ "ticketId", NULL, 0 }, { "ticketId", "null", 0 },
		{ "ticketId", "\"7\"", -1 }, { "ticketId", "7.5", -1 },
		{ "ticketId", "0", -1 }, { "ticketId", "-1", -1 },
		{ "ticketId", "1", 0 }, { "ticketId", "999999999999999", 0 },
		{ "ticketId", "1000000000000000", -1 },
	};
	char err[256];
	json_object *o;

	memset(&a, 0, sizeof(a));
	a.order_id = 12;
	a.ticket_id = 5;
	o = unit_event_wire(fd_cancel_confirmed_encode(&a), "{\"orderId\":12,"
	    "\"ticketId\":5}", __LINE__);
	CU_ASSERT_EQUAL(fd_cancel_confirmed_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	a.ticket_id = 0;
	o = unit_event_wire(fd_cancel_confirmed_encode(&a), "{\"orderId\":12,"
	    "\"ticketId\":null}", __LINE__);
	CU_ASSERT_EQUAL(fd_cancel_confirmed_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	UNIT_EVENT_ROWS("CancelConfirmed",
	    "{\"orderId\":12,\"ticketId\":5}", cases);
}

static void
cancel_refused(void)
{
	struct fd_cancel_refused a, b;
	const struct unit_event_row cases[] = {
		ID_CASES("orderId"),
		{ "ticketStatus", "\"Paid\"", 0 },
		{ "ticketStatus", "\"Accepted\"", 0 },
		{ "ticketStatus", "\"Prepared\"", 0 },
		{ "ticketStatus", "\"Rejected\"", 0 },
		{ "ticketStatus", "\"Canceled\"", 0 },
		{ "ticketStatus", "\"Delivered\"", -1 },
		{ "ticketStatus", "\"prepared\"", -1 },
		{ "ticketStatus", "\"\"", -1 }, { "ticketStatus", NULL, -1 },
		{ "ticketStatus", "null", -1 }, { "ticketStatus", "2", -1 },
		{ "ticketStatus", "\"Prepared\\u0000\"", -1 },
		/* The reason rule, but required: the customer is told why. */
		TEXT_CASES("reason", r200, r201),
	};
	char err[256];
	json_object *o;

	memset(&a, 0, sizeof(a));
	a.order_id = 12;
	snprintf(a.ticket_status, sizeof(a.ticket_status), "Prepared");
	snprintf(a.reason, sizeof(a.reason), "the store has already prepared "
	    "the order (이미 조리를 마쳤습니다)");
	o = unit_event_wire(fd_cancel_refused_encode(&a), "{\"orderId\":12,"
	    "\"ticketStatus\":\"Prepared\",\"reason\":\"the store has already "
	    "prepared the order (이미 조리를 마쳤습니다)\"}", __LINE__);
	CU_ASSERT_EQUAL(fd_cancel_refused_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	UNIT_EVENT_ROWS("CancelRefused", "{\"orderId\":12,"
	    "\"ticketStatus\":\"Rejected\",\"reason\":\"too late\"}", cases);
}

static void
menu_item_changed(void)
{
	struct fd_menu_item_changed a, b;
	char amax[32], amax1[32];
	const struct unit_event_row cases[] = {
		ID_CASES("storeId"), ID_CASES("menuId"),
		TEXT_CASES("name", n60, n61),
		{ "price", NULL, -1 }, { "price", "null", -1 },
		{ "price", "\"1000\"", -1 }, { "price", "1000.5", -1 },
		{ "price", "0", 0 }, { "price", "-1", -1 },
		{ "price", amax, 0 }, { "price", amax1, -1 },
		{ "soldOut", "true", 0 }, { "soldOut", "false", 0 },
		{ "soldOut", NULL, -1 }, { "soldOut", "null", -1 },
		{ "soldOut", "1", -1 }, { "soldOut", "\"true\"", -1 },
	};
	char err[256];
	json_object *o;

	snprintf(amax, sizeof(amax), "%lld", FD_EVENT_AMOUNT_MAX);
	snprintf(amax1, sizeof(amax1), "%lld", FD_EVENT_AMOUNT_MAX + 1);
	memset(&a, 0, sizeof(a));
	a.store_id = 2;
	a.menu_id = 900001;
	snprintf(a.name, sizeof(a.name), "광어");
	a.price = 23000;
	a.sold_out = 1;
	o = unit_event_wire(fd_menu_item_changed_encode(&a), "{\"storeId\":2,"
	    "\"menuId\":900001,\"name\":\"광어\",\"price\":23000,\"soldOut\":"
	    "true}", __LINE__);
	CU_ASSERT_EQUAL(fd_menu_item_changed_decode(o, &b, err, sizeof(err)),
	    0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	UNIT_EVENT_ROWS("MenuItemChanged",
	    "{\"storeId\":2,\"menuId\":900001,\"name\":\"gap\",\"price\":1000,"
	    "\"soldOut\":true}", cases);
}

static void
store_changed(void)
{
	struct fd_store_changed a, b;
	const struct unit_event_row cases[] = {
		ID_CASES("storeId"),
		TEXT_CASES("name", n60, n61),
		{ "open", NULL, -1 }, { "open", "null", -1 }, { "open", "1", -1 },
		{ "open", "false", 0 },
		{ "pausedUntil", NULL, 0 }, { "pausedUntil", "null", 0 },
		{ "pausedUntil", "\"2026-12-06T23:00:00Z\"", 0 },
		{ "pausedUntil", "\"9999-12-31T23:59:59Z\"", 0 },
		{ "pausedUntil", "\"2026-12-06T23:00:00\"", -1 },
		{ "pausedUntil", "1765062000", -1 },
		REASON_CASES("closedReason", r200, r201),
		{ "minOrder", "0", 0 }, { "minOrder", "1000000", 0 },
		{ "minOrder", "1000001", -1 }, { "minOrder", "-1", -1 },
		{ "minOrder", NULL, -1 }, { "minOrder", "\"0\"", -1 },
		{ "deliveryFee", "0", 0 }, { "deliveryFee", "100000", 0 },
		{ "deliveryFee", "100001", -1 }, { "deliveryFee", "-1", -1 },
		{ "deliveryFee", NULL, -1 }, { "deliveryFee", "3000.5", -1 },
		/* The version: 1 and up, as an id. */
		ID_CASES("version"),
	};
	char err[256];
	json_object *o;

	memset(&a, 0, sizeof(a));
	a.store_id = 2;
	snprintf(a.name, sizeof(a.name), "노량진 수산");
	a.open = 1;
	a.paused_until = 1765062000;
	snprintf(a.closed_reason, sizeof(a.closed_reason), "점심 \"휴식\"");
	a.min_order = 20000;
	a.delivery_fee = 3000;
	a.version = 9;
	o = unit_event_wire(fd_store_changed_encode(&a), "{\"storeId\":2,"
	    "\"name\":\"노량진 수산\",\"open\":true,\"pausedUntil\":"
	    "\"2025-12-06T23:00:00Z\",\"closedReason\":\"점심 \\\"휴식\\\"\","
	    "\"minOrder\":20000,\"deliveryFee\":3000,\"version\":9}", __LINE__);
	CU_ASSERT_EQUAL(fd_store_changed_decode(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	UNIT_EVENT_ROWS("StoreChanged", "{\"storeId\":2,"
	    "\"name\":\"노량진 수산\",\"open\":true,\"pausedUntil\":null,"
	    "\"closedReason\":null,\"minOrder\":0,\"deliveryFee\":3000,"
	    "\"version\":1}", cases);
}

/* The sets of words the decoders take, and only those. */
static void
word_sets(void)
{
	CU_ASSERT(fd_reject_code_ok("no_response"));
	CU_ASSERT(!fd_reject_code_ok("none"));
	CU_ASSERT(!fd_reject_code_ok(""));
	CU_ASSERT(fd_ticket_status_ok("Canceled"));
	CU_ASSERT(!fd_ticket_status_ok("Cancelled"));
	CU_ASSERT(!fd_ticket_status_ok("DeliveryStarted"));
}

static const struct unit_test tests[] = {
	{ "OrderTaken: round trip, bounds, bad fields", order_taken },
	{ "OrderPrepared: round trip, bounds, bad fields", order_prepared },
	{ "OrderRejected: round trip, bounds, bad fields", order_rejected },
	{ "CancelConfirmed: round trip, bounds, bad fields",
	    cancel_confirmed },
	{ "CancelRefused: round trip, bounds, bad fields", cancel_refused },
	{ "MenuItemChanged: round trip, bounds, bad fields",
	    menu_item_changed },
	{ "StoreChanged: round trip, bounds, bad fields", store_changed },
	{ "reason codes and ticket statuses", word_sets },
};

void
add_event_store_tests(void)
{
	make_strings();
	UNIT_SUITE("fishstore's events (lib/fd_event_store.c)", tests);
}
