/*
 * store_domain.c - menu rules and the ticket's state machine.  Pure: libc
 * and our headers only, no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fd_input.h"
#include "store.h"

/* An owner manages exactly the store bound to the account. */
enum store_err
store_menu_authorize(long long owner_store, long long store_id)
{
	return owner_store > 0 && owner_store == store_id ? STORE_OK :
	    STORE_E_FORBIDDEN;
}

/*
 * Applies p to it.  A change that alters nothing is still valid (PATCH is
 * idempotent) but produces no event: *changed says whether ev was filled.
 */
enum store_err
store_menu_apply(struct store_menu_item *it, const struct store_menu_patch *p,
    int *changed, struct fd_menu_item_changed *ev)
{
	*changed = 0;
	if (!p->has_price && !p->has_sold_out)
		return STORE_E_INPUT;
	if (p->has_price &&
	    (p->price < STORE_PRICE_MIN || p->price > STORE_PRICE_MAX))
		return STORE_E_INPUT;
	if (p->has_price && p->price != it->price) {
		it->price = p->price;
		*changed = 1;
	}
	if (p->has_sold_out && (p->sold_out != 0) != (it->sold_out != 0)) {
		it->sold_out = p->sold_out != 0;
		*changed = 1;
	}
	if (*changed) {
		ev->store_id = it->store_id;
		ev->menu_id = it->id;
		memcpy(ev->name, it->name, sizeof(ev->name));
		ev->price = it->price;
		ev->sold_out = it->sold_out;
	}
	return STORE_OK;
}

const char *
store_err_message(enum store_err e)
{
	switch (e) {
	case STORE_OK:
		return "ok";
	case STORE_E_INPUT:
		return "send price (100 to 10,000,000 KRW) and/or soldOut";
	case STORE_E_NOT_FOUND:
		return "no such store or menu item";
	case STORE_E_FORBIDDEN:
		return "this is not your store";
	case STORE_E_UNAVAILABLE:
		return "the store service is unavailable, try again shortly";
	case STORE_E_NO_TICKET:
		return "no such ticket";
	case STORE_E_STATE:
		return "this status change is not allowed";
	default:
		return "internal error";
	}
}

/* SPEC's names; a list's ?status= takes them too (fd_page.h). */
const char *const store_ticket_status_names[STORE_T__N] = {
	[STORE_T_PAID] = "Paid",
	[STORE_T_ACCEPTED] = "Accepted",
	[STORE_T_PREPARED] = "Prepared",
	[STORE_T_REJECTED] = "Rejected",
	[STORE_T_CANCELED] = "Canceled",
};

const char *
store_ticket_status_name(enum store_ticket_status s)
{
	return (unsigned)s < STORE_T__N ? store_ticket_status_names[s] :
	    "Unknown";
}

int
store_ticket_status_parse(const char *s, enum store_ticket_status *out)
{
	int i;

	for (i = 0; i < STORE_T__N; i++)
		if (strcmp(s, store_ticket_status_names[i]) == 0) {
			*out = (enum store_ticket_status)i;
			return 0;
		}
	return -1;
}

const char *
store_ticket_ev_name(enum store_ticket_ev e)
{
	switch (e) {
	case STORE_EV_TAKEN:
		return "OrderTaken";
	case STORE_EV_PREPARED:
		return "OrderPrepared";
	case STORE_EV_REJECTED:
		return "OrderRejected";
	case STORE_EV_CANCEL_CONFIRMED:
		return "CancelConfirmed";
	case STORE_EV_CANCEL_REFUSED:
		return "CancelRefused";
	default:
		return NULL;
	}
}

/* 1 if s is 1..max characters of text (valid UTF-8, no controls). */
static int
text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n > 0 && fd_utf8_text(s, n) && fd_utf8_chars(s, n) <= max;
}

/*
 * Whether an OrderPlaced is a ticket this store can keep.  The order
 * context already checked all this; a payload that fails here is a bug
 * or a forgery and can never apply, so it is refused rather than stored
 * half-right (the columns would refuse it anyway).
 */
enum store_err
store_ticket_check(const struct store_ticket *t, char *why, size_t whysz)
{
	const struct store_ticket_item *it;
	size_t i;

	if (t->order_id <= 0 || t->customer_id <= 0 || t->store_id <= 0) {
		snprintf(why, whysz, "orderId, customerId and storeId must be "
		    "positive");
		return STORE_E_INPUT;
	}
	if (t->nitems < 1 || t->nitems > STORE_TICKET_MAX_ITEMS) {
		snprintf(why, whysz, "an order has 1 to %d items",
		    STORE_TICKET_MAX_ITEMS);
		return STORE_E_INPUT;
	}
	for (i = 0; i < t->nitems; i++) {
		it = &t->items[i];
		if (it->menu_id <= 0 || it->qty < 1 || it->qty > STORE_QTY_MAX ||
		    it->price < 0 || it->price > STORE_PRICE_MAX ||
		    !text_ok(it->name, STORE_NAME_MAX)) {
			snprintf(why, whysz, "item %zu: needs menuId > 0, name of 1 "
			    "to %d characters, qty 1 to %d, price 0 to %d", i + 1,
			    STORE_NAME_MAX, STORE_QTY_MAX, STORE_PRICE_MAX);
			return STORE_E_INPUT;
		}
	}
	if (t->amount < 0 || t->amount > STORE_AMOUNT_MAX) {
		snprintf(why, whysz, "amount out of range");
		return STORE_E_INPUT;
	}
	if (!text_ok(t->address, STORE_TEXT_MAX) ||
	    !text_ok(t->phone, STORE_PHONE_MAX)) {
		snprintf(why, whysz, "address (1 to %d characters) and phone "
		    "(1 to %d) are required", STORE_TEXT_MAX, STORE_PHONE_MAX);
		return STORE_E_INPUT;
	}
	return STORE_OK;
}

/* An OrderCanceled this store can record (reason NULL: none given). */
enum store_err
store_cancel_check(long long order_id, const char *reason, char *why,
    size_t whysz)
{
	if (order_id <= 0) {
		snprintf(why, whysz, "orderId must be positive");
		return STORE_E_INPUT;
	}
	if (reason != NULL && !text_ok(reason, STORE_TEXT_MAX)) {
		snprintf(why, whysz, "reason must be 1 to %d characters",
		    STORE_TEXT_MAX);
		return STORE_E_INPUT;
	}
	return STORE_OK;
}

static const char *const reject_code_names[STORE_RC__N] = {
	[STORE_RC_NONE] = "",
	[STORE_RC_SOLD_OUT] = "sold_out",
	[STORE_RC_CLOSING] = "closing",
	[STORE_RC_TOO_BUSY] = "too_busy",
	[STORE_RC_OTHER] = "other",
	[STORE_RC_NO_RESPONSE] = "no_response",
};

const char *
store_reject_code_name(enum store_reject_code c)
{
	return (unsigned)c < STORE_RC__N ? reject_code_names[c] : "";
}

/* Any code, the system's no_response included (an event, a row). */
int
store_reject_code_parse(const char *s, enum store_reject_code *out)
{
	int i;

	for (i = STORE_RC_NONE + 1; i < STORE_RC__N; i++)
		if (strcmp(s, reject_code_names[i]) == 0) {
			*out = (enum store_reject_code)i;
			return 0;
		}
	return -1;
}

/*
 * The estimate as a time: now + minutes, UTC, in the form every other
 * time of ours takes on the wire (and the database gives back), so the
 * event, the ticket and the order all say the same string.
 */
int
store_ready_by(long long now, int minutes, char *out, size_t sz)
{
	struct tm tm;
	time_t t;

	if (now < 0 || minutes < STORE_READY_MIN || minutes > STORE_READY_MAX)
		return -1;
	t = (time_t)(now + (long long)minutes * 60);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, sz, "%Y-%m-%dT%H:%M:%S.000000Z", &tm) == 0)
		return -1;
	return 0;
}

int
store_deadline_seconds(const char *setting)
{
	char *end;
	long v;

	if (setting == NULL || *setting == '\0')
		return STORE_DEADLINE_DEFAULT;
	v = strtol(setting, &end, 10);
	if (*end != '\0' || v < 1 || v > STORE_DEADLINE_MAX)
		return STORE_DEADLINE_DEFAULT;
	return (int)v;
}

/* SPEC: a ticket still Paid after its deadline is the store's to reject. */
int
store_ticket_overdue(const struct store_ticket *t)
{
	return t->status == STORE_T_PAID && t->accept_by[0] != '\0' &&
	    t->accept_ms <= 0;
}

static int
cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* In ascending order, as the menu rows are then locked: two rejections
 * naming the same items never wait on each other in a cycle. */
void
store_ticket_cmd_sold_out_norm(struct store_ticket_cmd *c)
{
	size_t i, n = 0;

	if (c->nsold_out > STORE_SOLD_OUT_MAX)
		c->nsold_out = STORE_SOLD_OUT_MAX;
	qsort(c->sold_out, c->nsold_out, sizeof(c->sold_out[0]), cmp_id);
	for (i = 0; i < c->nsold_out; i++)
		if (n == 0 || c->sold_out[n - 1] != c->sold_out[i])
			c->sold_out[n++] = c->sold_out[i];
	c->nsold_out = n;
}

/*
 * What an owner may ask for at all, whatever the ticket's status: an
 * estimate with Accepted and only there; a reason code of the owner's
 * with Rejected and only there, its text and the sold-out items only
 * with it (the items only with sold_out).
 */
enum store_err
store_ticket_step_check(const struct store_ticket_cmd *c, char *why,
    size_t whysz)
{
	size_t i;

	if (c->to != STORE_T_ACCEPTED && c->to != STORE_T_PREPARED &&
	    c->to != STORE_T_REJECTED) {
		snprintf(why, whysz, "status must be Accepted, Prepared or "
		    "Rejected");
		return STORE_E_INPUT;
	}
	if (c->to == STORE_T_ACCEPTED ? c->ready_in < STORE_READY_MIN ||
	    c->ready_in > STORE_READY_MAX : c->ready_in != 0) {
		snprintf(why, whysz, "readyInMinutes (%d to %d) goes with "
		    "Accepted, and only there", STORE_READY_MIN, STORE_READY_MAX);
		return STORE_E_INPUT;
	}
	if (c->to == STORE_T_REJECTED ? c->code == STORE_RC_NONE ||
	    c->code == STORE_RC_NO_RESPONSE || (unsigned)c->code >= STORE_RC__N :
	    c->code != STORE_RC_NONE) {
		snprintf(why, whysz, "reasonCode (sold_out, closing, too_busy "
		    "or other) goes with Rejected, and only there");
		return STORE_E_INPUT;
	}
	if (c->reason != NULL && c->to != STORE_T_REJECTED) {
		snprintf(why, whysz, "a reason is only taken with Rejected");
		return STORE_E_INPUT;
	}
	if (c->reason != NULL && !text_ok(c->reason, STORE_TEXT_MAX)) {
		snprintf(why, whysz, "reason must be 1 to %d characters",
		    STORE_TEXT_MAX);
		return STORE_E_INPUT;
	}
	if (c->nsold_out > 0 && c->code != STORE_RC_SOLD_OUT) {
		snprintf(why, whysz, "soldOutItems go with reasonCode sold_out");
		return STORE_E_INPUT;
	}
	if (c->nsold_out > STORE_SOLD_OUT_MAX) {
		snprintf(why, whysz, "at most %d soldOutItems",
		    STORE_SOLD_OUT_MAX);
		return STORE_E_INPUT;
	}
	for (i = 0; i < c->nsold_out; i++)
		if (c->sold_out[i] <= 0) {
			snprintf(why, whysz, "soldOutItems: menuId must be "
			    "positive");
			return STORE_E_INPUT;
		}
	if (c->to == STORE_T_ACCEPTED && c->now <= 0) {
		snprintf(why, whysz, "no clock");
		return STORE_E_INPUT;
	}
	return STORE_OK;
}

/*
 * The owner's steps: Paid -> Accepted -> Prepared, or Paid -> Rejected.
 * Nothing else, not even repeating a step: a second "Accepted" would
 * emit a second OrderTaken.  Fills ev with the event the step produces.
 * A ticket past its accept deadline is not the owner's any more
 * (store_ticket_overdue(): the caller expires it instead).
 */
enum store_err
store_ticket_step(struct store_ticket *t, const struct store_ticket_cmd *c,
    struct store_ticket_event *ev, char *why, size_t whysz)
{
	static const struct {
		enum store_ticket_status from, to;
		enum store_ticket_ev	 ev;
	} steps[] = {
		{ STORE_T_PAID, STORE_T_ACCEPTED, STORE_EV_TAKEN },
		{ STORE_T_ACCEPTED, STORE_T_PREPARED, STORE_EV_PREPARED },
		{ STORE_T_PAID, STORE_T_REJECTED, STORE_EV_REJECTED },
	};
	enum store_ticket_status to = c->to;
	enum store_err e;
	size_t i;

	memset(ev, 0, sizeof(*ev));
	if ((e = store_ticket_step_check(c, why, whysz)) != STORE_OK)
		return e;
	if (store_ticket_overdue(t)) {
		snprintf(why, whysz, "the accept deadline has passed: the "
		    "order is rejected (no_response) and refunded");
		return STORE_E_STATE;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i].from == t->status && steps[i].to == to)
			break;
	if (i == sizeof(steps) / sizeof(steps[0])) {
		if (t->status == STORE_T_CANCELED)
			snprintf(why, whysz, "the order was canceled");
		else if (t->status == STORE_T_REJECTED)
			snprintf(why, whysz, "the ticket was rejected");
		else if (t->status == to)
			snprintf(why, whysz, "the ticket is already %s",
			    store_ticket_status_name(to));
		else
			snprintf(why, whysz, "a %s ticket cannot become %s; "
			    "only %s", store_ticket_status_name(t->status),
			    store_ticket_status_name(to), to == STORE_T_PREPARED ?
			    "an Accepted ticket can be prepared" :
			    to == STORE_T_ACCEPTED ? "a Paid ticket can be accepted" :
			    "a Paid ticket can be rejected");
		return STORE_E_STATE;
	}
	if (to == STORE_T_ACCEPTED && store_ready_by(c->now, c->ready_in,
	    t->ready_by, sizeof(t->ready_by)) != 0) {
		snprintf(why, whysz, "no estimate");
		return STORE_E_INPUT;
	}
	t->status = to;
	ev->type = steps[i].ev;
	ev->order_id = t->order_id;
	ev->ticket_id = t->id;
	ev->store_id = t->store_id;
	if (to == STORE_T_ACCEPTED)
		memcpy(ev->ready_by, t->ready_by, sizeof(ev->ready_by));
	if (to == STORE_T_REJECTED) {
		t->reject_code = c->code;
		snprintf(t->reject_reason, sizeof(t->reject_reason), "%s",
		    c->reason != NULL ? c->reason : "");
		ev->code = c->code;
		memcpy(ev->reason, t->reject_reason, sizeof(ev->reason));
	}
	if (to == STORE_T_PREPARED) {
		memcpy(ev->address, t->address, sizeof(ev->address));
		memcpy(ev->phone, t->phone, sizeof(ev->phone));
	}
	return STORE_OK;
}

/*
 * The event of a rejection already written (the deadline's conditional
 * UPDATE, store_db_ticket_expire()): its code and text as the row has them.
 */
int
store_ticket_rejected_event(const struct store_ticket *t,
    struct store_ticket_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (t->status != STORE_T_REJECTED)
		return -1;
	ev->type = STORE_EV_REJECTED;
	ev->order_id = t->order_id;
	ev->ticket_id = t->id;
	ev->store_id = t->store_id;
	ev->code = t->reject_code;
	memcpy(ev->reason, t->reject_reason, sizeof(ev->reason));
	return 0;
}

/*
 * The order was canceled: a ticket still in the kitchen's hands follows
 * it (no event: the order context decided it).  Rejected and Canceled are
 * final.  1 if the ticket changed.
 */
/*
 * SPEC: the store decides a cancellation.  It confirms while its ticket
 * is Paid or Accepted, or not made yet (the caller records the order
 * canceled first, so it is made Canceled if it comes at all), and
 * refuses once the food is Prepared or the store has Rejected it.
 */
int
store_cancel_decide(long long order_id, const struct store_ticket *t,
    struct store_ticket_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->order_id = order_id;
	ev->ticket_id = t != NULL ? t->id : 0;
	if (t == NULL || t->status == STORE_T_PAID ||
	    t->status == STORE_T_ACCEPTED || t->status == STORE_T_CANCELED) {
		ev->type = STORE_EV_CANCEL_CONFIRMED;
		return 1;
	}
	ev->type = STORE_EV_CANCEL_REFUSED;
	ev->ticket_status = t->status;
	snprintf(ev->reason, sizeof(ev->reason), "%s",
	    t->status == STORE_T_PREPARED ? "the store has already prepared "
	    "the order (이미 조리를 마쳤습니다)" : "the store has rejected the "
	    "order; it is refunded (가게에서 주문을 거절했습니다)");
	return 0;
}

int
store_ticket_cancel(struct store_ticket *t, const char *reason)
{
	if (t->status != STORE_T_PAID && t->status != STORE_T_ACCEPTED &&
	    t->status != STORE_T_PREPARED)
		return 0;
	t->status = STORE_T_CANCELED;
	snprintf(t->cancel_reason, sizeof(t->cancel_reason), "%s",
	    reason != NULL && *reason != '\0' ? reason : STORE_CANCEL_DEFAULT);
	return 1;
}
