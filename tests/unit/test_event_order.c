/*
 * test_event_order.c - the order context's events (lib/fd_event_order.c):
 * OrderPlaced, CancelRequested and OrderCanceled encoded as order has
 * always written them (field names and types: subscribers and the
 * contract tests read them), decoded back the same, every bound (the
 * largest taken, one more refused; 0 and negative ids refused), every
 * bad field (missing, mistyped, out of range, not text).
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_order.h"
#include "unit.h"

/* s n times, as a JSON string ("\"...\"") into buf. */
static const char *
jstr(char *buf, size_t sz, const char *s, int n)
{
	size_t off;
	int i;

	off = (size_t)snprintf(buf, sz, "\"");
	for (i = 0; i < n && off < sz; i++)
		off += (size_t)snprintf(buf + off, sz - off, "%s", s);
	if (off < sz)
		snprintf(buf + off, sz - off, "\"");
	return buf;
}

static void
fill_placed(struct fd_order_placed *p)
{
	memset(p, 0, sizeof(*p));
	p->order_id = 7;
	p->customer_id = 42;
	p->store_id = 1;
	p->items[0].menu_id = 1;
	snprintf(p->items[0].name, sizeof(p->items[0].name), "광어");
	p->items[0].qty = 2;
	p->items[0].price = 25000;
	p->items[1].menu_id = 3;
	snprintf(p->items[1].name, sizeof(p->items[1].name), "연어 \"큰\" \\/");
	p->items[1].qty = 1;
	p->items[1].price = 18000;
	p->nitems = 2;
	p->amount = 71000;
	p->items_amount = 68000;
	p->delivery_fee = 3000;
	snprintf(p->address, sizeof(p->address), "서울 <종로구> 1");
	snprintf(p->phone, sizeof(p->phone), "010-1234-5678");
}

/* What order wrote before the codec (order_db.c), byte for byte. */
static void
placed_wire_format(void)
{
	struct fd_order_placed p;
	json_object *o;

	fill_placed(&p);
	p.nitems = 1;
	o = fd_order_placed_encode(&p);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
	    "{\"orderId\":7,\"customerId\":42,\"storeId\":1,\"items\":"
	    "[{\"menuId\":1,\"name\":\"광어\",\"qty\":2,\"price\":25000}],"
	    "\"amount\":71000,\"itemsAmount\":68000,\"deliveryFee\":3000,"
	    "\"address\":\"서울 <종로구> 1\",\"phone\":\"010-1234-5678\"}");
	json_object_put(o);
}

static void
placed_round_trip(void)
{
	struct fd_order_placed p, q;
	json_object *o, *back;
	char err[256];

	fill_placed(&p);
	o = fd_order_placed_encode(&p);
	/* Through the text the relay carries. */
	back = json_tokener_parse(json_object_to_json_string(o));
	CU_ASSERT_FATAL(back != NULL);
	CU_ASSERT_EQUAL(fd_order_placed_decode(back, &q, err, sizeof(err)), 0);
	CU_ASSERT(memcmp(&p, &q, sizeof(p)) == 0);
	CU_ASSERT_STRING_EQUAL(q.items[1].name, "연어 \"큰\" \\/");
	json_object_put(back);
	json_object_put(o);
	/* The items alone, as MyPage keeps them. */
	o = fd_order_items_encode(&p);
	CU_ASSERT_EQUAL(json_object_array_length(o), 2);
	json_object_put(o);
}

#define PLACED_GOOD							\
	"{\"orderId\":7,\"customerId\":42,\"storeId\":1,\"items\":["	\
	"{\"menuId\":1,\"name\":\"광어\",\"qty\":2,\"price\":25000},"	\
	"{\"menuId\":3,\"name\":\"연어\",\"qty\":1,\"price\":18000}],"	\
	"\"amount\":71000,\"itemsAmount\":68000,\"deliveryFee\":3000,"	\
	"\"address\":\"서울 종로구 1\",\"phone\":\"010-1234-5678\","	\
	"\"eventId\":\"e\",\"eventType\":\"OrderPlaced\","		\
	"\"occurredAt\":\"2026-01-01T00:00:00.000Z\"}"

/* Every id field: 1 and 10^15 - 1 taken; 0, -1, 10^15, mistyped,
 * missing refused. */
static void
placed_ids(void)
{
	static const char *const ids[] = {
		"orderId", "customerId", "storeId", "items.0.menuId",
		"items.1.menuId"
	};
	struct unit_event_row rows[] = {
		{ NULL, "1", 0 },
		{ NULL, "999999999999999", 0 },
		{ NULL, "0", -1 },
		{ NULL, "-1", -1 },
		{ NULL, "1000000000000000", -1 },
		{ NULL, "9223372036854775807", -1 },
		{ NULL, "99999999999999999999", -1 },
		{ NULL, "\"7\"", -1 },
		{ NULL, "7.0", -1 },
		{ NULL, "true", -1 },
		{ NULL, "null", -1 },
		{ NULL, "[7]", -1 },
		{ NULL, NULL, -1 },
	};
	size_t i, k;

	for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			rows[i].path = ids[k];
		UNIT_EVENT_ROWS("OrderPlaced", PLACED_GOOD, rows);
	}
}

/* Amounts: 0 .. 10^11 KRW; itemsAmount and deliveryFee may be absent. */
static void
placed_amounts(void)
{
	static const char *const keys[] = {
		"amount", "items.0.price", "itemsAmount", "deliveryFee"
	};
	struct unit_event_row rows[] = {
		{ NULL, "0", 0 },
		{ NULL, "100000000000", 0 },
		{ NULL, "100000000001", -1 },
		{ NULL, "-1", -1 },
		{ NULL, "\"25000\"", -1 },
		{ NULL, "25000.5", -1 },
		{ NULL, "false", -1 },
	};
	static const struct unit_event_row more[] = {
		{ "amount", NULL, -1 },
		{ "amount", "null", -1 },
		{ "items.0.price", NULL, -1 },
		/* Beyond SPEC, and absent from older events: 0. */
		{ "itemsAmount", NULL, 0 },
		{ "deliveryFee", NULL, 0 },
		{ "deliveryFee", "null", 0 },
	};
	size_t i, k;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			rows[i].path = keys[k];
		UNIT_EVENT_ROWS("OrderPlaced", PLACED_GOOD, rows);
	}
	UNIT_EVENT_ROWS("OrderPlaced", PLACED_GOOD, more);
}

static void
placed_items(void)
{
	char items50[8192], items51[8192], one[] =
	    "{\"menuId\":1,\"name\":\"광어\",\"qty\":1,\"price\":1}";
	size_t off;
	int i;

	off = (size_t)snprintf(items50, sizeof(items50), "[");
	for (i = 0; i < 50; i++)
		off += (size_t)snprintf(items50 + off, sizeof(items50) - off,
		    "%s%s", i > 0 ? "," : "", one);
	snprintf(items50 + off, sizeof(items50) - off, "]");
	/* One more in front. */
	CU_ASSERT_FATAL(strlen(one) + strlen(items50) + 2 < sizeof(items51));
	memcpy(items51, "[", 1);
	memcpy(items51 + 1, one, strlen(one));
	items51[1 + strlen(one)] = ',';
	memcpy(items51 + 2 + strlen(one), items50 + 1, strlen(items50));
	{
		const struct unit_event_row rows[] = {
			{ "items", items50, 0 },
			{ "items", items51, -1 },
			{ "items", "[]", -1 },
			{ "items", NULL, -1 },
			{ "items", "null", -1 },
			{ "items", "{}", -1 },
			{ "items", "\"[]\"", -1 },
			{ "items", "[1]", -1 },
			{ "items", "[null]", -1 },
			{ "items", "[[]]", -1 },
			{ "items.0.qty", "1", 0 },
			{ "items.0.qty", "999", 0 },
			{ "items.0.qty", "1000", -1 },
			{ "items.0.qty", "0", -1 },
			{ "items.0.qty", "-2", -1 },
			{ "items.0.qty", "\"2\"", -1 },
			{ "items.0.qty", NULL, -1 },
			{ "items.1.name", NULL, -1 },
			{ "items.1.name", "\"\"", -1 },
			{ "items.1.name", "5", -1 },
		};
		UNIT_EVENT_ROWS("OrderPlaced", PLACED_GOOD, rows);
	}
}

/* Text: names 1..60 characters, address 1..200, phone 1..20 ASCII. */
static void
placed_text(void)
{
	char n60[512], n61[512], a200[1024], a201[1024], p20[64], p21[64];

	jstr(n60, sizeof(n60), "가", 60);
	jstr(n61, sizeof(n61), "가", 61);
	jstr(a200, sizeof(a200), "길", 200);
	jstr(a201, sizeof(a201), "길", 201);
	jstr(p20, sizeof(p20), "0", 20);
	jstr(p21, sizeof(p21), "0", 21);
	{
		const struct unit_event_row rows[] = {
			{ "items.0.name", n60, 0 },
			{ "items.0.name", n61, -1 },
			{ "items.0.name", "\"a\\u0000b\"", -1 },
			{ "items.0.name", "\"a\\nb\"", -1 },
			{ "items.0.name", "\"\xff\xfe\"", -1 },
			{ "items.0.name", "\"\xed\xa0\x80\"", -1 },
			{ "address", a200, 0 },
			{ "address", a201, -1 },
			{ "address", "\"\"", -1 },
			{ "address", NULL, -1 },
			{ "address", "null", -1 },
			{ "address", "1", -1 },
			{ "address", "\"\\u0000\"", -1 },
			{ "address", "\"\xc3\x28\"", -1 },
			{ "phone", p20, 0 },
			{ "phone", p21, -1 },
			{ "phone", "\"+82 10-1234-5678\"", 0 },
			{ "phone", "\"전화\"", -1 },
			{ "phone", "\"010\\t1234\"", -1 },
			{ "phone", "\"\"", -1 },
			{ "phone", NULL, -1 },
			{ "phone", "10", -1 },
		};
		UNIT_EVENT_ROWS("OrderPlaced", PLACED_GOOD, rows);
	}
}

static void
placed_not_an_object(void)
{
	struct fd_order_placed p;
	json_object *o;
	char err[128];

	CU_ASSERT_EQUAL(fd_order_placed_decode(NULL, &p, err, sizeof(err)), -1);
	CU_ASSERT(err[0] != '\0');
	o = json_tokener_parse("[1]");
	CU_ASSERT_EQUAL(fd_order_placed_decode(o, &p, err, sizeof(err)), -1);
	CU_ASSERT(strstr(err, "OrderPlaced") != NULL);
	json_object_put(o);
	/* A refusal leaves nothing half-read behind. */
	o = json_tokener_parse(PLACED_GOOD);
	json_object_object_add(o, "phone", NULL);
	CU_ASSERT_EQUAL(fd_order_placed_decode(o, &p, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(p.order_id, 0);
	CU_ASSERT_EQUAL(p.nitems, 0);
	json_object_put(o);
	/* A small err buffer is cut, never overrun. */
	o = json_tokener_parse("{}");
	CU_ASSERT_EQUAL(fd_order_placed_decode(o, &p, err, 8), -1);
	CU_ASSERT_EQUAL(strlen(err), 7);
	json_object_put(o);
}

static const struct unit_test placed[] = {
	{ "written as order always wrote it", placed_wire_format },
	{ "encoded, decoded back the same", placed_round_trip },
	{ "ids: 1 .. 10^15 - 1, integers, present", placed_ids },
	{ "amounts: 0 .. 10^11 KRW", placed_amounts },
	{ "items: 1 .. 50, each qty 1 .. 999", placed_items },
	{ "names, address, phone: text within bounds", placed_text },
	{ "not an object, refusals leave nothing", placed_not_an_object },
};

/* CancelRequested and OrderCanceled: {orderId, reason}. */
static void
cancel_wire_and_round_trip(void)
{
	static const char *const types[] = { "CancelRequested", "OrderCanceled" };
	struct fd_order_canceled c, d;
	json_object *o, *back;
	char err[256];
	size_t t;
	int rc;

	memset(&c, 0, sizeof(c));
	c.order_id = 999999999999999LL;
	snprintf(c.reason, sizeof(c.reason), "고객 \"변심\"");
	for (t = 0; t < 2; t++) {
		o = t == 0 ? fd_cancel_requested_encode(&c) :
		    fd_order_canceled_encode(&c);
		CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
		    "{\"orderId\":999999999999999,\"reason\":"
		    "\"고객 \\\"변심\\\"\"}");
		back = json_tokener_parse(json_object_to_json_string(o));
		rc = t == 0 ? fd_cancel_requested_decode(back, &d, err,
		    sizeof(err)) : fd_order_canceled_decode(back, &d, err,
		    sizeof(err));
		UNIT_CHECK(rc == 0 && memcmp(&c, &d, sizeof(c)) == 0,
		    "%s: %d %s", types[t], rc, err);
		json_object_put(back);
		json_object_put(o);
	}
}

static void
cancel_rows(void)
{
	static const char *const types[] = { "CancelRequested", "OrderCanceled" };
	char r200[1024], r201[1024], k200[1024];
	size_t t;

	jstr(r200, sizeof(r200), "x", 200);
	jstr(r201, sizeof(r201), "y", 201);
	jstr(k200, sizeof(k200), "취", 200);
	{
		const struct unit_event_row rows[] = {
			{ NULL, NULL, 0 },
			{ "orderId", "1", 0 },
			{ "orderId", "999999999999999", 0 },
			{ "orderId", "1000000000000000", -1 },
			{ "orderId", "0", -1 },
			{ "orderId", "-5", -1 },
			{ "orderId", "\"12\"", -1 },
			{ "orderId", "1.5", -1 },
			{ "orderId", "null", -1 },
			{ "orderId", NULL, -1 },
			/* The reason: optional, "" is none, 200 characters
			 * (what POST /orders/{id}/cancel takes). */
			{ "reason", NULL, 0 },
			{ "reason", "null", 0 },
			{ "reason", "\"\"", 0 },
			{ "reason", "\"payment declined\"", 0 },
			{ "reason", r200, 0 },
			{ "reason", k200, 0 },
			{ "reason", r201, -1 },
			{ "reason", "5", -1 },
			{ "reason", "[\"x\"]", -1 },
			{ "reason", "{}", -1 },
			{ "reason", "true", -1 },
			{ "reason", "\"a\\u0000b\"", -1 },
			{ "reason", "\"line\\nbreak\"", -1 },
			{ "reason", "\"\xff\"", -1 },
			{ "reason", "\"\xe2\x82\"", -1 },
		};
		for (t = 0; t < 2; t++)
			UNIT_EVENT_ROWS(types[t], "{\"orderId\":12,\"reason\":"
			    "\"canceled by the customer\"}", rows);
	}
}

/* 200 characters is at least what any producer writes. */
static void
cancel_reason_bound(void)
{
	CU_ASSERT(FD_EVENT_REASON_MAX >= 200);
	CU_ASSERT(sizeof(((struct fd_order_canceled *)0)->reason) >=
	    4 * FD_EVENT_REASON_MAX + 1);
}

static const struct unit_test cancels[] = {
	{ "written as always, decoded back the same",
	    cancel_wire_and_round_trip },
	{ "orderId an id, reason optional text of 200", cancel_rows },
	{ "the reason's bound holds what producers write",
	    cancel_reason_bound },
};

void
add_event_order_tests(void)
{
	UNIT_SUITE("event OrderPlaced", placed);
	UNIT_SUITE("event CancelRequested, OrderCanceled", cancels);
}
