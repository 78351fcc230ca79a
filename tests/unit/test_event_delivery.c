/*
 * test_event_delivery.c - the codecs of delivery's events
 * (lib/fd_event_delivery.c): DeliveryStarted, DeliveryCompleted and
 * DeliveryCanceled, each encoded then decoded back equal and written as
 * the wire has always carried it, each id's bounds, each bad field
 * refused with a reason that names its event and field (the rows go
 * through the registry, tests/unit/unit_event.c).
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <string.h>

#include "fd_event_delivery.h"
#include "unit.h"

typedef json_object *(*encode_fn)(const struct fd_delivery_event *);
typedef int	(*decode_fn)(json_object *, struct fd_delivery_event *,
		    char *, size_t);

#define ID_CASES(f)							\
	{ f, NULL, -1 }, { f, "null", -1 }, { f, "\"7\"", -1 },		\
	{ f, "7.5", -1 }, { f, "true", -1 }, { f, "[1]", -1 },		\
	{ f, "0", -1 }, { f, "-1", -1 }, { f, "1", 0 },			\
	{ f, "999999999999999", 0 }, { f, "1000000000000000", -1 },	\
	{ f, "9223372036854775808", -1 }

static const struct unit_event_row rows[] = {
	{ NULL, NULL, 0 },
	ID_CASES("orderId"), ID_CASES("deliveryId"),
	/* What is not the event's is not looked at. */
	{ "reason", "\"x\"", 0 },
};

static void
one(const char *type, encode_fn enc, decode_fn dec)
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
	/* Refusals name their event, not another of the three. */
	CU_ASSERT_EQUAL(dec(NULL, &b, err, sizeof(err)), -1);
	UNIT_CHECK(strstr(err, type) != NULL, "%s: err \"%s\"", type, err);
	unit_event_rows(type, "{\"orderId\":12,\"deliveryId\":4}", rows,
	    sizeof(rows) / sizeof(rows[0]));
}

static void
started(void)
{
	one("DeliveryStarted", fd_delivery_started_encode,
	    fd_delivery_started_decode);
}

static void
completed(void)
{
	one("DeliveryCompleted", fd_delivery_completed_encode,
	    fd_delivery_completed_decode);
}

static void
canceled(void)
{
	one("DeliveryCanceled", fd_delivery_canceled_encode,
	    fd_delivery_canceled_decode);
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
