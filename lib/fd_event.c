/*
 * fd_event.c - the registry of the events' codecs (see fd_event.h): one
 * table, a line per event type.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event.h"
#include "fd_event_auth.h"
#include "fd_event_delivery.h"
#include "fd_event_field.h"
#include "fd_event_order.h"
#include "fd_event_payment.h"
#include "fd_event_store.h"

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
	{ "OrderTaken", fd_order_taken_check },
	{ "OrderPrepared", fd_order_prepared_check },
	{ "OrderRejected", fd_order_rejected_check },
	{ "CancelConfirmed", fd_cancel_confirmed_check },
	{ "CancelRefused", fd_cancel_refused_check },
	{ "MenuItemChanged", fd_menu_item_changed_check },
	{ "StoreChanged", fd_store_changed_check },
	/* delivery */
	{ "DeliveryStarted", fd_delivery_started_check },
	{ "DeliveryCompleted", fd_delivery_completed_check },
	{ "DeliveryCanceled", fd_delivery_canceled_check },
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
