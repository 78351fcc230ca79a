/*
 * test_event_registry.c - the registry of event codecs (lib/fd_event.c):
 * every event type of SPEC that has its codec is found by name, each
 * takes a payload of its own and refuses one that is not an object, and
 * the types no codec covers yet are said by name so that a new one is
 * noticed.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event.h"
#include "unit.h"

static void
found_by_name(void)
{
	static const struct {
		const char	*type;
		const char	*good;
	} rows[] = {
		{ "OrderPlaced", "{\"orderId\":1,\"customerId\":2,\"storeId\":3,"
		    "\"items\":[{\"menuId\":1,\"name\":\"광어\",\"qty\":1,"
		    "\"price\":25000}],\"amount\":25000,\"address\":\"서울\","
		    "\"phone\":\"010\"}" },
		{ "CancelRequested", "{\"orderId\":1,\"reason\":\"r\"}" },
		{ "OrderCanceled", "{\"orderId\":1}" },
		{ "PayApproved", "{\"paymentId\":1,\"orderId\":2,\"amount\":3}" },
		{ "PayCanceled", "{\"paymentId\":1,\"orderId\":2,\"amount\":3,"
		    "\"customerId\":4}" },
		{ "CustomerRegistered", "{\"customerId\":5,\"name\":\"김\","
		    "\"phone\":\"010\",\"address\":\"서울\",\"profileVersion\":1}" },
		{ "CustomerProfileChanged", "{\"customerId\":5,\"name\":\"김\","
		    "\"phone\":\"010\",\"address\":\"서울\",\"profileVersion\":2}" },
		{ "StoreChanged", "{\"storeId\":1,\"name\":\"바다\",\"open\":true,"
		    "\"pausedUntil\":null,\"closedReason\":null,\"minOrder\":0,"
		    "\"deliveryFee\":0,\"version\":1}" },
		{ "OrderTaken", "{\"orderId\":1,\"ticketId\":2,\"readyBy\":"
		    "\"2026-12-06T23:00:00.000000Z\"}" },
		{ "OrderPrepared", "{\"orderId\":1,\"storeId\":1,\"address\":"
		    "\"서울\",\"phone\":\"010\",\"ticketId\":2}" },
		{ "OrderRejected", "{\"orderId\":1,\"ticketId\":2,\"reasonCode\":"
		    "\"no_response\",\"reason\":null}" },
		{ "CancelConfirmed", "{\"orderId\":1,\"ticketId\":null}" },
		{ "CancelRefused", "{\"orderId\":1,\"ticketStatus\":\"Prepared\","
		    "\"reason\":\"이미 조리를 마쳤습니다\"}" },
		{ "MenuItemChanged", "{\"storeId\":1,\"menuId\":2,\"name\":"
		    "\"광어\",\"price\":25000,\"soldOut\":false}" },
		{ "DeliveryStarted", "{\"orderId\":1,\"deliveryId\":2}" },
		{ "DeliveryCompleted", "{\"orderId\":1,\"deliveryId\":2}" },
		{ "DeliveryCanceled", "{\"orderId\":1,\"deliveryId\":2}" },
	};
	const struct fd_event_codec *c;
	char err[256];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		c = fd_event_codec(rows[i].type);
		UNIT_CHECK(c != NULL && strcmp(c->type, rows[i].type) == 0,
		    "no codec for %s", rows[i].type);
		if (c == NULL)
			continue;
		rc = unit_event_try(rows[i].type, rows[i].good, NULL, NULL, err,
		    sizeof(err));
		UNIT_CHECK(rc == 0, "%s: %d %s", rows[i].type, rc, err);
		rc = unit_event_try(rows[i].type, "[]", NULL, NULL, err,
		    sizeof(err));
		UNIT_CHECK(rc == -1 && err[0] != '\0', "%s took []: %d",
		    rows[i].type, rc);
	}
	CU_ASSERT_PTR_NULL(fd_event_codec("NoSuchEvent"));
	CU_ASSERT_PTR_NULL(fd_event_codec(""));
}

/* The table by index: each type once, and nothing past the end. */
static void
by_index(void)
{
	size_t i, j, n = fd_event_ncodecs();

	/* SPEC's events table, every one of its 17 events. */
	CU_ASSERT_EQUAL(n, 17);
	for (i = 0; i < n; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(fd_event_codec_at(i));
		CU_ASSERT_PTR_NOT_NULL(fd_event_codec_at(i)->check);
		CU_ASSERT(fd_event_codec(fd_event_codec_at(i)->type) ==
		    fd_event_codec_at(i));
		for (j = 0; j < i; j++)
			CU_ASSERT(strcmp(fd_event_codec_at(i)->type,
			    fd_event_codec_at(j)->type) != 0);
	}
	CU_ASSERT_PTR_NULL(fd_event_codec_at(n));
}

static const struct unit_test tests[] = {
	{ "every codec found by its type", found_by_name },
	{ "the table by index", by_index },
};

void
add_event_registry_tests(void)
{
	UNIT_SUITE("event registry", tests);
}
