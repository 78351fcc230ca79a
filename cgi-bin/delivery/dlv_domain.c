/*
 * dlv_domain.c - what a delivery is allowed to be.  Pure: libc and our
 * headers only, no I/O.
 *
 *   OrderPrepared   -> DeliveryStarted (emits DeliveryStarted), or
 *                      Canceled at once if the order is known canceled
 *   owner: Delivered   DeliveryStarted -> Delivered (DeliveryCompleted)
 *   OrderCanceled   DeliveryStarted -> Canceled (DeliveryCanceled);
 *                   a Delivered order stays delivered
 */
#include <stdio.h>
#include <string.h>

#include "dlv.h"
#include "fd_input.h"

/* SPEC's names; the list's ?status= takes them too (fd_page.h). */
const char *const dlv_status_names[DLV__NSTATUS] = {
	[DLV_STARTED] = "DeliveryStarted",
	[DLV_DELIVERED] = "Delivered",
	[DLV_CANCELED] = "Canceled",
};

const char *
dlv_status_name(enum dlv_status s)
{
	return (unsigned)s < DLV__NSTATUS ? dlv_status_names[s] : "Unknown";
}

int
dlv_status_parse(const char *s, enum dlv_status *out)
{
	int i;

	for (i = 0; i < DLV__NSTATUS; i++)
		if (strcmp(s, dlv_status_names[i]) == 0) {
			*out = (enum dlv_status)i;
			return 0;
		}
	return -1;
}

const char *
dlv_ev_name(enum dlv_ev e)
{
	switch (e) {
	case DLV_EV_STARTED:
		return "DeliveryStarted";
	case DLV_EV_COMPLETED:
		return "DeliveryCompleted";
	case DLV_EV_CANCELED:
		return "DeliveryCanceled";
	default:
		return NULL;
	}
}

const char *
dlv_err_message(enum dlv_err e)
{
	switch (e) {
	case DLV_OK:
		return "ok";
	case DLV_E_INPUT:
		return "bad input";
	case DLV_E_NOT_FOUND:
		return "no such delivery";
	case DLV_E_STATE:
		return "this status change is not allowed";
	case DLV_E_UNAVAILABLE:
		return "the delivery service is unavailable, try again shortly";
	default:
		return "internal error";
	}
}

/* 1 if s is 1..max characters of text (valid UTF-8, no controls). */
static int
text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n > 0 && fd_utf8_text(s, n) && fd_utf8_chars(s, n) <= max;
}

/* Whether an OrderPrepared carries what a courier needs. */
enum dlv_err
dlv_check_prepared(const struct dlv_delivery *d, char *why, size_t whysz)
{
	if (d->order_id <= 0 || d->ticket_id <= 0 || d->store_id <= 0) {
		snprintf(why, whysz, "orderId, ticketId and storeId must be "
		    "positive");
		return DLV_E_INPUT;
	}
	if (!text_ok(d->address, DLV_TEXT_MAX) ||
	    !text_ok(d->phone, DLV_PHONE_MAX)) {
		snprintf(why, whysz, "address (1 to %d characters) and phone "
		    "(1 to %d) are required", DLV_TEXT_MAX, DLV_PHONE_MAX);
		return DLV_E_INPUT;
	}
	return DLV_OK;
}

/* An OrderCanceled this context can record (reason NULL: none given). */
enum dlv_err
dlv_check_canceled(long long order_id, const char *reason, char *why,
    size_t whysz)
{
	if (order_id <= 0) {
		snprintf(why, whysz, "orderId must be positive");
		return DLV_E_INPUT;
	}
	if (reason != NULL && !text_ok(reason, DLV_TEXT_MAX)) {
		snprintf(why, whysz, "reason must be 1 to %d characters",
		    DLV_TEXT_MAX);
		return DLV_E_INPUT;
	}
	return DLV_OK;
}

/*
 * A new delivery starts at once: the courier leaves with the order.  If
 * the order is already known canceled (canceled_reason not NULL) it is
 * recorded Canceled instead and announces nothing: it never started.
 */
void
dlv_open(struct dlv_delivery *d, const char *canceled_reason,
    struct dlv_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (canceled_reason != NULL) {
		d->status = DLV_CANCELED;
		snprintf(d->cancel_reason, sizeof(d->cancel_reason), "%s",
		    *canceled_reason != '\0' ? canceled_reason :
		    DLV_CANCEL_DEFAULT);
		return;
	}
	d->status = DLV_STARTED;
	ev->type = DLV_EV_STARTED;
	ev->order_id = d->order_id;
	ev->delivery_id = d->id;
}

/*
 * The order was canceled: a delivery on its way is called back.  One that
 * arrived stays Delivered, one canceled stays so.  1 if it changed (and
 * ev is its DeliveryCanceled).
 */
int
dlv_cancel(struct dlv_delivery *d, const char *reason, struct dlv_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (d->status != DLV_STARTED)
		return 0;
	d->status = DLV_CANCELED;
	snprintf(d->cancel_reason, sizeof(d->cancel_reason), "%s",
	    reason != NULL && *reason != '\0' ? reason : DLV_CANCEL_DEFAULT);
	ev->type = DLV_EV_CANCELED;
	ev->order_id = d->order_id;
	ev->delivery_id = d->id;
	return 1;
}

/* What an owner may ask for at all. */
enum dlv_err
dlv_step_check(enum dlv_status to, char *why, size_t whysz)
{
	if (to != DLV_DELIVERED) {
		snprintf(why, whysz, "status must be Delivered");
		return DLV_E_INPUT;
	}
	return DLV_OK;
}

/* The owner's one step: DeliveryStarted -> Delivered. */
enum dlv_err
dlv_step(struct dlv_delivery *d, enum dlv_status to, struct dlv_event *ev,
    char *why, size_t whysz)
{
	enum dlv_err e;

	memset(ev, 0, sizeof(*ev));
	if ((e = dlv_step_check(to, why, whysz)) != DLV_OK)
		return e;
	if (d->status != DLV_STARTED) {
		snprintf(why, whysz, d->status == DLV_DELIVERED ?
		    "the delivery is already Delivered" :
		    "the delivery was canceled with its order");
		return DLV_E_STATE;
	}
	d->status = DLV_DELIVERED;
	ev->type = DLV_EV_COMPLETED;
	ev->order_id = d->order_id;
	ev->delivery_id = d->id;
	return DLV_OK;
}
