/*
 * fd_event.c - the registry of the events' codecs (see fd_event.h): one
 * table, a line per event type.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event.h"
#include "fd_event_auth.h"
#include "fd_event_field.h"
#include "fd_event_order.h"
#include "fd_event_payment.h"
#include "fd_store_event.h"

/* StoreChanged's encoder keeps its older name until it moves into
 * lib/fd_event_store.c (as fd_store_changed_encode). */
#define fd_store_changed_encode	fd_store_changed_json
static int	 fd_store_changed_check(struct json_object *, char *, size_t);
FD_EVENT_CHECK(fd_store_changed, fd_store_changed)

static const struct fd_event_codec codecs[] = {
	/* order */
	{ "OrderPlaced", fd_order_placed_check },
	{ "CancelRequested", fd_cancel_requested_check },
	{ "OrderCanceled", fd_order_canceled_check },
	/* payment */
	{ "PayApproved", fd_pay_approved_check },
	{ "PayCanceled", fd_pay_canceled_check },
	/* auth */
	{ "CustomerRegistered", fd_customer_check },
	{ "CustomerProfileChanged", fd_customer_check },
	/* fishstore */
	{ "StoreChanged", fd_store_changed_check },
};
#define NCODECS	(sizeof(codecs) / sizeof(codecs[0]))

const struct fd_event_codec *
fd_event_codec(const char *type)
{
	size_t i;

	for (i = 0; i < NCODECS; i++)
		if (strcmp(codecs[i].type, type) == 0)
			return &codecs[i];
	return NULL;
}

const struct fd_event_codec *
fd_event_codec_at(size_t i)
{
	return i < NCODECS ? &codecs[i] : NULL;
}

size_t
fd_event_ncodecs(void)
{
	return NCODECS;
}
