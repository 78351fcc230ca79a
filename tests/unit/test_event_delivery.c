/*
 * test_event_delivery.c - the codecs of delivery's events
 * (lib/fd_event_delivery.c): DeliveryStarted, DeliveryCompleted and
 * DeliveryCanceled, each encoded then decoded back equal and written as
 * the wire has always carried it, each id's bounds, each bad field
 * refused with a reason that names its event.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <string.h>

#include "fd_event_delivery.h"
#include "unit.h"
#include "unit_event.h"

typedef json_object *(*encode_fn)(const struct fd_delivery_event *);
typedef int	(*decode_fn)(json_object *, struct fd_delivery_event *,
		    char *, size_t);

static int
dec_started(json_object *o, char *err, size_t sz)
{
	struct fd_delivery_event e;

	return fd_delivery_started_decode(o, &e, err, sz);
}

static int
dec_completed(json_object *o, char *err, size_t sz)
{
	struct fd_delivery_event e;

	return fd_delivery_completed_decode(o, &e, err, sz);
}

static int
dec_canceled(json_object *o, char *err, size_t sz)
{
	struct fd_delivery_event e;

	return fd_delivery_canceled_decode(o, &e, err, sz);
}

#define ID_CASES(f)							\
	{ f, NULL, 0 }, { f, "null", 0 }, { f, "\"7\"", 0 },		\
	{ f, "7.5", 0 }, { f, "true", 0 }, { f, "[1]", 0 },		\
	{ f, "0", 0 }, { f, "-1", 0 }, { f, "1", 1 },			\
	{ f, "999999999999999", 1 }, { f, "1000000000000000", 0 },	\
	{ f, "9223372036854775808", 0 }

static const struct unit_event_case cases[] = {
	{ NULL, "null", 0 }, { NULL, "[]", 0 }, { NULL, "7", 0 },
	{ NULL, "{}", 0 },
	ID_CASES("orderId"), ID_CASES("deliveryId"),
	/* What is not the event's is not looked at. */
	{ "reason", "\"x\"", 1 },
};

static void
one(const char *type, encode_fn enc, decode_fn dec, unit_decode_fn check)
{
	struct fd_delivery_event a, b;
	json_object *o;
	char err[256];

	memset(&a, 0, sizeof(a));
	a.order_id = 999999999999999LL;
	a.delivery_id = 4;
	o = unit_event_wire(enc(&a), "{\"orderId\":999999999999999,"
	    "\"deliveryId\":4}", __LINE__);
	CU_ASSERT_EQUAL(dec(o, &b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	json_object_put(o);
	unit_event_cases(type, check, "{\"orderId\":12,\"deliveryId\":4}",
	    cases, sizeof(cases) / sizeof(cases[0]), __LINE__);
}

static void
started(void)
{
	one("DeliveryStarted", fd_delivery_started_encode,
	    fd_delivery_started_decode, dec_started);
}

static void
completed(void)
{
	one("DeliveryCompleted", fd_delivery_completed_encode,
	    fd_delivery_completed_decode, dec_completed);
}

static void
canceled(void)
{
	one("DeliveryCanceled", fd_delivery_canceled_encode,
	    fd_delivery_canceled_decode, dec_canceled);
}

static const struct unit_test tests[] = {
	{ "DeliveryStarted: round trip, bounds, bad fields", started },
	{ "DeliveryCompleted: round trip, bounds, bad fields", completed },
	{ "DeliveryCanceled: round trip, bounds, bad fields", canceled },
};

void
add_event_delivery_tests(void)
{
	UNIT_SUITE("delivery's events (lib/fd_event_delivery.c)", tests);
}
