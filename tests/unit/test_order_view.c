/*
 * test_order_view.c - order_view_rules.c: MyPage's projection.  For every
 * event type and every status a view row may hold, what the event moves
 * (status, reason, payment, delivery, the timeline's step and its time);
 * that nothing moves backwards; Delivered, Canceled and Rejected final;
 * the cancellation saga's CancelRequested and CancelRefused; a refund
 * that stays; a delivery canceled or delivered.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "order.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define AT		"2026-12-06T09:30:00.000000Z"
#define REASON		"재고 없음"

/* A view row's payment and delivery columns ("" = NULL). */
static const char *const payments[] = { "", "approved", "refunded" };
static const char *const deliveries[] = { "", "started", "delivered",
    "canceled" };

/* Every status, the invisible ones too (a row never holds them). */
#define EVERY_STATUS(s)	for ((s) = ORDER_PAID; (s) < ORDER__NSTATUS; (s)++)

static void
event(struct order_view_event *e, const char *type)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->order_id = 77;
	e->customer_id = 7;
	e->at = AT;
	e->reason = REASON;
	e->status = ORDER__NSTATUS;
}

/* The change, filled with a pattern first: the rules must set all of it. */
static void
project(const struct order_view_event *e, enum order_status cur,
    const char *payment, const char *delivery, struct order_view_change *c)
{
	memset(c, 0xa5, sizeof(*c));
	order_view_project(e, cur, payment, delivery, c);
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "(null)";
}

static int
same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* Every change names its order and its event's time, whatever it moves. */
static void
check_envelope(const struct order_view_event *e, enum order_status cur,
    const struct order_view_change *c)
{
	UNIT_CHECK(c->order_id == 77 && c->at == e->at, "%s from %s: order "
	    "%lld, at %s", e->type, order_status_name(cur), c->order_id,
	    str(c->at));
}

/*
 * The status events from every status: what the status becomes ("" =
 * stays) and whether the event's step is noted on the timeline.  Written
 * out, not derived: the table is the rule.  A step of the way that comes
 * after a later one (the store's OrderPrepared after the courier's
 * DeliveryStarted: two relays, nothing orders them) is noted on the
 * timeline, where it happened; the status stays.
 */
struct status_case {
	const char		*type;
	int			 step;	/* enum order_view_step */
	struct {
		const char	*to;
		int		 step;
	} from[ORDER__NSTATUS];
};

static const struct status_case status_cases[] = {
	{ "OrderTaken", ORDER_STEP_ACCEPTED, {
		[ORDER_PAID] = { "Accepted", 1 },
		[ORDER_ACCEPTED] = { "", 0 },
		[ORDER_PREPARED] = { "", 1 },
		[ORDER_DELIVERY_STARTED] = { "", 1 },
		[ORDER_DELIVERED] = { "", 1 },
		[ORDER_CANCELED] = { "", 0 },
		[ORDER_REJECTED] = { "", 0 },
		[ORDER_CANCEL_REQUESTED] = { "", 1 },
		[ORDER_PAYMENT_PENDING] = { "", 0 },
		[ORDER_DECLINED] = { "", 0 },
		[ORDER_FAILED] = { "", 0 },
	} },
	{ "OrderPrepared", ORDER_STEP_PREPARED, {
		[ORDER_PAID] = { "Prepared", 1 },
		[ORDER_ACCEPTED] = { "Prepared", 1 },
		[ORDER_PREPARED] = { "", 0 },
		[ORDER_DELIVERY_STARTED] = { "", 1 },
		[ORDER_DELIVERED] = { "", 1 },
		[ORDER_CANCELED] = { "", 0 },
		[ORDER_REJECTED] = { "", 0 },
		[ORDER_CANCEL_REQUESTED] = { "", 1 },
		[ORDER_PAYMENT_PENDING] = { "", 0 },
		[ORDER_DECLINED] = { "", 0 },
		[ORDER_FAILED] = { "", 0 },
	} },
	{ "DeliveryStarted", ORDER_STEP_DELIVERY_STARTED, {
		[ORDER_PAID] = { "DeliveryStarted", 1 },
		[ORDER_ACCEPTED] = { "DeliveryStarted", 1 },
		[ORDER_PREPARED] = { "DeliveryStarted", 1 },
		[ORDER_DELIVERY_STARTED] = { "", 0 },
		[ORDER_DELIVERED] = { "", 1 },
		[ORDER_CANCELED] = { "", 0 },
		[ORDER_REJECTED] = { "", 0 },
		[ORDER_CANCEL_REQUESTED] = { "", 1 },
		[ORDER_PAYMENT_PENDING] = { "", 0 },
		[ORDER_DECLINED] = { "", 0 },
		[ORDER_FAILED] = { "", 0 },
	} },
	{ "DeliveryCompleted", ORDER_STEP_DELIVERED, {
		[ORDER_PAID] = { "Delivered", 1 },
		[ORDER_ACCEPTED] = { "Delivered", 1 },
		[ORDER_PREPARED] = { "Delivered", 1 },
		[ORDER_DELIVERY_STARTED] = { "Delivered", 1 },
		[ORDER_DELIVERED] = { "", 0 },
		[ORDER_CANCELED] = { "", 0 },
		[ORDER_REJECTED] = { "", 0 },
		[ORDER_CANCEL_REQUESTED] = { "", 1 },
		[ORDER_PAYMENT_PENDING] = { "", 0 },
		[ORDER_DECLINED] = { "", 0 },
		[ORDER_FAILED] = { "", 0 },
	} },
	{ "OrderRejected", ORDER_STEP_REJECTED, {
		[ORDER_PAID] = { "Rejected", 1 },
		[ORDER_ACCEPTED] = { "Rejected", 1 },
		[ORDER_PREPARED] = { "", 0 },
		[ORDER_DELIVERY_STARTED] = { "", 0 },
		[ORDER_DELIVERED] = { "", 0 },
		[ORDER_CANCELED] = { "", 0 },
		[ORDER_REJECTED] = { "", 0 },
		[ORDER_CANCEL_REQUESTED] = { "", 1 },
		[ORDER_PAYMENT_PENDING] = { "", 0 },
		[ORDER_DECLINED] = { "", 0 },
		[ORDER_FAILED] = { "", 0 },
	} },
	{ "OrderCanceled", ORDER_STEP_CANCELED, {
		[ORDER_PAID] = { "Canceled", 1 },
		[ORDER_ACCEPTED] = { "Canceled", 1 },
		[ORDER_PREPARED] = { "Canceled", 1 },
		[ORDER_DELIVERY_STARTED] = { "Canceled", 1 },
		[ORDER_DELIVERED] = { "", 0 },
		[ORDER_CANCELED] = { "", 0 },
		[ORDER_REJECTED] = { "", 0 },
		[ORDER_CANCEL_REQUESTED] = { "Canceled", 1 },
		[ORDER_PAYMENT_PENDING] = { "", 0 },
		[ORDER_DECLINED] = { "", 0 },
		[ORDER_FAILED] = { "", 0 },
	} },
	/* The saga's request: no step of its own on the timeline. */
	{ "CancelRequested", -1, {
		[ORDER_PAID] = { "CancelRequested", 0 },
		[ORDER_ACCEPTED] = { "CancelRequested", 0 },
		[ORDER_PREPARED] = { "", 0 },
		[ORDER_DELIVERY_STARTED] = { "", 0 },
		[ORDER_DELIVERED] = { "", 0 },
		[ORDER_CANCELED] = { "", 0 },
		[ORDER_REJECTED] = { "", 0 },
		[ORDER_CANCEL_REQUESTED] = { "", 0 },
		[ORDER_PAYMENT_PENDING] = { "", 0 },
		[ORDER_DECLINED] = { "", 0 },
		[ORDER_FAILED] = { "", 0 },
	} },
};

/*
 * Each status event from each status, with every payment and delivery the
 * row may hold: the status and its reason move as the table says, the
 * payment never, and the step is noted at the event's time.
 */
static void
status_events(void)
{
	const struct status_case *sc;
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur;
	const char *want;
	size_t i, p, d;

	for (i = 0; i < NELEM(status_cases); i++) {
		sc = &status_cases[i];
		event(&e, sc->type);
		EVERY_STATUS(cur)
		for (p = 0; p < NELEM(payments); p++)
		for (d = 0; d < NELEM(deliveries); d++) {
			project(&e, cur, payments[p], deliveries[d], &c);
			check_envelope(&e, cur, &c);
			want = sc->from[cur].to[0] != '\0' ? sc->from[cur].to :
			    NULL;
			UNIT_CHECK(same(c.status, want), "%s from %s: status "
			    "%s, want %s", sc->type, order_status_name(cur),
			    str(c.status), str(want));
			/* The reason goes with a status, never alone. */
			UNIT_CHECK(same(c.reason, want ? REASON : NULL),
			    "%s from %s: reason %s", sc->type,
			    order_status_name(cur), str(c.reason));
			UNIT_CHECK(c.step == (sc->from[cur].step ?
			    (int)sc->step : -1), "%s from %s: step %d, want "
			    "%d", sc->type, order_status_name(cur), c.step,
			    sc->from[cur].step ? (int)sc->step : -1);
			UNIT_CHECK(c.payment == NULL, "%s from %s/%s: payment "
			    "%s", sc->type, order_status_name(cur),
			    payments[p], str(c.payment));
		}
	}
}

/* The order of the happy path; -1 off it. */
static int
rank(enum order_status s)
{
	switch (s) {
	case ORDER_PAID:
		return 0;
	case ORDER_ACCEPTED:
	case ORDER_CANCEL_REQUESTED:	/* asked from Paid or Accepted */
		return 1;
	case ORDER_PREPARED:
		return 2;
	case ORDER_DELIVERY_STARTED:
		return 3;
	case ORDER_DELIVERED:
		return 4;
	default:
		return -1;
	}
}

static int
final(enum order_status s)
{
	return s == ORDER_DELIVERED || s == ORDER_CANCELED ||
	    s == ORDER_REJECTED;
}

/*
 * Whatever the event (but the saga's refusal, which names where to go
 * back to: refused_returns), from whatever status and columns: a final
 * status never changes, nothing leaves an invisible one, and a status
 * that moves along the happy path moves forward.
 */
static void
never_backwards(void)
{
	static const char *const types[] = {
		"OrderPlaced", "PayApproved", "OrderTaken", "OrderPrepared",
		"OrderRejected", "DeliveryStarted", "DeliveryCompleted",
		"OrderCanceled", "PayCanceled", "DeliveryCanceled",
		"CancelRequested",
	};
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur, to;
	size_t i, p, d;

	for (i = 0; i < NELEM(types); i++) {
		event(&e, types[i]);
		EVERY_STATUS(cur)
		for (p = 0; p < NELEM(payments); p++)
		for (d = 0; d < NELEM(deliveries); d++) {
			project(&e, cur, payments[p], deliveries[d], &c);
			if (c.status == NULL)
				continue;
			UNIT_CHECK(!final(cur) && order_visible(cur),
			    "%s moved %s to %s", types[i],
			    order_status_name(cur), c.status);
			UNIT_CHECK(order_status_parse(c.status, &to) == 0,
			    "%s: status \"%s\"", types[i], c.status);
			UNIT_CHECK(rank(to) < 0 || rank(to) > rank(cur) ||
			    (to == ORDER_CANCEL_REQUESTED &&
			    cur != ORDER_CANCEL_REQUESTED), "%s moved %s "
			    "back to %s", types[i], order_status_name(cur),
			    c.status);
		}
	}
}

/* Replayed in any order, a lifecycle's events end where it ended. */
static void
any_order(void)
{
	static const char *const life[] = {
		"OrderTaken", "OrderPrepared", "DeliveryStarted",
		"DeliveryCompleted",
	};
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur;
	size_t perm, i, k, idx[4];

	/* Every one of the 24 orders of the four events, from Paid. */
	for (perm = 0; perm < 24; perm++) {
		size_t left[4] = { 0, 1, 2, 3 }, n = 4, r = perm;

		for (i = 0; i < 4; i++) {
			k = r % n;
			r /= n;
			idx[i] = left[k];
			memmove(&left[k], &left[k + 1],
			    (n - k - 1) * sizeof(left[0]));
			n--;
		}
		cur = ORDER_PAID;
		for (i = 0; i < 4; i++) {
			event(&e, life[idx[i]]);
			project(&e, cur, "approved", "", &c);
			if (c.status != NULL)
				CU_ASSERT_FATAL(order_status_parse(c.status,
				    &cur) == 0);
		}
		UNIT_CHECK(cur == ORDER_DELIVERED, "order %zu %zu %zu %zu: "
		    "ends %s", idx[0], idx[1], idx[2], idx[3],
		    order_status_name(cur));
	}
}

/*
 * While the store decides a cancel the status waits: the store's and the
 * courier's steps are noted on the timeline at their events' times, with
 * no status and no reason; only OrderCanceled moves it.
 */
static void
cancel_requested_holds(void)
{
	static const struct {
		const char		*type;
		enum order_view_step	 step;
	} held[] = {
		{ "OrderTaken", ORDER_STEP_ACCEPTED },
		{ "OrderPrepared", ORDER_STEP_PREPARED },
		{ "OrderRejected", ORDER_STEP_REJECTED },
		{ "DeliveryStarted", ORDER_STEP_DELIVERY_STARTED },
		{ "DeliveryCompleted", ORDER_STEP_DELIVERED },
	};
	struct order_view_event e;
	struct order_view_change c;
	size_t i;

	for (i = 0; i < NELEM(held); i++) {
		event(&e, held[i].type);
		project(&e, ORDER_CANCEL_REQUESTED, "approved", "", &c);
		UNIT_CHECK(c.status == NULL && c.reason == NULL, "%s moved "
		    "CancelRequested to %s", held[i].type, str(c.status));
		UNIT_CHECK(c.step == (int)held[i].step && c.at == e.at,
		    "%s: step %d at %s, want %d at %s", held[i].type, c.step,
		    str(c.at), (int)held[i].step, AT);
	}
	event(&e, "OrderCanceled");
	project(&e, ORDER_CANCEL_REQUESTED, "approved", "", &c);
	CU_ASSERT(same(c.status, "Canceled"));
	CU_ASSERT(same(c.reason, REASON));
	CU_ASSERT_EQUAL(c.step, ORDER_STEP_CANCELED);
	/* A second request changes nothing. */
	event(&e, "CancelRequested");
	project(&e, ORDER_CANCEL_REQUESTED, "approved", "", &c);
	CU_ASSERT_PTR_NULL(c.status);
	CU_ASSERT_EQUAL(c.step, -1);
}

/*
 * CancelRefused: from CancelRequested back to the status the event names
 * (the order context settled it), the refusal as the reason, no step;
 * from any other status nothing (a late or repeated refusal).
 */
static void
refused_returns(void)
{
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur, back;
	size_t p, d;

	for (back = ORDER_PAID; back <= ORDER_REJECTED; back++) {
		if (back == ORDER_CANCELED)
			continue;	/* settle never gives it */
		event(&e, "CancelRefused");
		e.status = back;
		e.reason = "이미 조리 중";
		EVERY_STATUS(cur)
		for (p = 0; p < NELEM(payments); p++)
		for (d = 0; d < NELEM(deliveries); d++) {
			project(&e, cur, payments[p], deliveries[d], &c);
			check_envelope(&e, cur, &c);
			if (cur == ORDER_CANCEL_REQUESTED) {
				UNIT_CHECK(same(c.status,
				    order_status_name(back)) &&
				    same(c.reason, "이미 조리 중"),
				    "CancelRefused to %s: %s, %s",
				    order_status_name(back), str(c.status),
				    str(c.reason));
			} else
				UNIT_CHECK(c.status == NULL && c.reason ==
				    NULL, "CancelRefused from %s: %s",
				    order_status_name(cur), str(c.status));
			UNIT_CHECK(c.step == -1 && c.payment == NULL &&
			    c.delivery == NULL, "CancelRefused from %s: step "
			    "%d, payment %s, delivery %s",
			    order_status_name(cur), c.step, str(c.payment),
			    str(c.delivery));
		}
	}
}

/*
 * The payment's column: approved unless already refunded (a late
 * approval), refunded whatever came before; each notes its step, neither
 * touches the status or the delivery.
 */
static void
payment_events(void)
{
	static const struct {
		const char	*type;
		const char	*from, *to;	/* to NULL: stays */
		int		 step;
	} cases[] = {
		{ "PayApproved", "", "approved", ORDER_STEP_PAID },
		{ "PayApproved", "approved", "approved", ORDER_STEP_PAID },
		{ "PayApproved", "refunded", NULL, ORDER_STEP_PAID },
		{ "PayCanceled", "", "refunded", ORDER_STEP_REFUNDED },
		{ "PayCanceled", "approved", "refunded", ORDER_STEP_REFUNDED },
		{ "PayCanceled", "refunded", "refunded", ORDER_STEP_REFUNDED },
	};
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur;
	size_t i, d;

	for (i = 0; i < NELEM(cases); i++) {
		event(&e, cases[i].type);
		EVERY_STATUS(cur)
		for (d = 0; d < NELEM(deliveries); d++) {
			project(&e, cur, cases[i].from, deliveries[d], &c);
			check_envelope(&e, cur, &c);
			UNIT_CHECK(same(c.payment, cases[i].to), "%s on "
			    "\"%s\": payment %s, want %s", cases[i].type,
			    cases[i].from, str(c.payment), str(cases[i].to));
			UNIT_CHECK(c.step == cases[i].step, "%s: step %d",
			    cases[i].type, c.step);
			UNIT_CHECK(c.status == NULL && c.reason == NULL &&
			    c.delivery == NULL, "%s from %s moved status %s, "
			    "delivery %s", cases[i].type,
			    order_status_name(cur), str(c.status),
			    str(c.delivery));
		}
	}
}

/*
 * The delivery's column: started only if nothing came before, delivered
 * unless canceled, canceled unless delivered (the first of the two final
 * ones stays), whatever the status.
 */
static void
delivery_events(void)
{
	static const struct {
		const char	*type;
		const char	*from, *to;	/* to NULL: stays */
	} cases[] = {
		{ "DeliveryStarted", "", "started" },
		{ "DeliveryStarted", "started", NULL },
		{ "DeliveryStarted", "delivered", NULL },
		{ "DeliveryStarted", "canceled", NULL },
		{ "DeliveryCompleted", "", "delivered" },
		{ "DeliveryCompleted", "started", "delivered" },
		{ "DeliveryCompleted", "delivered", "delivered" },
		{ "DeliveryCompleted", "canceled", NULL },
		{ "DeliveryCanceled", "", "canceled" },
		{ "DeliveryCanceled", "started", "canceled" },
		{ "DeliveryCanceled", "delivered", NULL },
		{ "DeliveryCanceled", "canceled", "canceled" },
	};
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur;
	size_t i, p;

	for (i = 0; i < NELEM(cases); i++) {
		event(&e, cases[i].type);
		EVERY_STATUS(cur)
		for (p = 0; p < NELEM(payments); p++) {
			project(&e, cur, payments[p], cases[i].from, &c);
			check_envelope(&e, cur, &c);
			UNIT_CHECK(same(c.delivery, cases[i].to), "%s on "
			    "\"%s\" (%s): delivery %s, want %s",
			    cases[i].type, cases[i].from,
			    order_status_name(cur), str(c.delivery),
			    str(cases[i].to));
			UNIT_CHECK(c.payment == NULL, "%s: payment %s",
			    cases[i].type, str(c.payment));
		}
	}
	/* DeliveryCanceled notes its step and leaves the status alone. */
	event(&e, "DeliveryCanceled");
	EVERY_STATUS(cur) {
		project(&e, cur, "approved", "started", &c);
		UNIT_CHECK(c.step == ORDER_STEP_DELIVERY_CANCELED &&
		    c.status == NULL && c.reason == NULL, "DeliveryCanceled "
		    "from %s: step %d, status %s", order_status_name(cur),
		    c.step, str(c.status));
	}
}

/* OrderPlaced is written whole elsewhere; an unknown type moves nothing. */
static void
nothing_else(void)
{
	static const char *const types[] = {
		"OrderPlaced", "CancelConfirmed", "MenuItemChanged", "",
		"orderTaken", "OrderTaken ",
	};
	struct order_view_event e;
	struct order_view_change c;
	enum order_status cur;
	size_t i;

	for (i = 0; i < NELEM(types); i++) {
		event(&e, types[i]);
		EVERY_STATUS(cur) {
			project(&e, cur, "", "", &c);
			check_envelope(&e, cur, &c);
			UNIT_CHECK(c.step == -1 && c.status == NULL &&
			    c.reason == NULL && c.payment == NULL &&
			    c.delivery == NULL, "\"%s\" from %s moved "
			    "something", types[i], order_status_name(cur));
		}
	}
	/* No time given: the step's time is left to the database. */
	event(&e, "OrderTaken");
	e.at = NULL;
	project(&e, ORDER_PAID, "", "", &c);
	CU_ASSERT_PTR_NULL(c.at);
	CU_ASSERT_EQUAL(c.step, ORDER_STEP_ACCEPTED);
}

/* The types MyPage subscribes to, and no other. */
static void
applies(void)
{
	static const char *const yes[] = {
		"OrderPlaced", "PayApproved", "OrderTaken", "OrderPrepared",
		"OrderRejected", "DeliveryStarted", "DeliveryCompleted",
		"OrderCanceled", "PayCanceled", "DeliveryCanceled",
		"CancelRequested", "CancelRefused",
	};
	static const char *const no[] = {
		"CancelConfirmed", "MenuItemChanged", "", "orderplaced",
		"OrderPlaced ", "Order",
	};
	size_t i;

	for (i = 0; i < NELEM(yes); i++)
		UNIT_CHECK(order_view_applies(yes[i]), "%s not applied",
		    yes[i]);
	for (i = 0; i < NELEM(no); i++)
		UNIT_CHECK(!order_view_applies(no[i]), "\"%s\" applied", no[i]);
}

/*
 * What the customer's live stream is told of a change (order_view_pushed):
 * the new status when it moved; the status it has when only the timeline,
 * the payment or the delivery moved (the page shows those too); nothing
 * when nothing moved.
 */
static const struct push_case {
	const char		*type;
	enum order_status	 cur;
	enum order_status	 refused_to;	/* CancelRefused's status */
	const char		*payment, *delivery;
	const char		*pushed;	/* NULL: not pushed */
} push_cases[] = {
	{ "OrderTaken", ORDER_PAID, 0, "approved", "", "Accepted" },
	{ "OrderPrepared", ORDER_ACCEPTED, 0, "approved", "", "Prepared" },
	{ "DeliveryStarted", ORDER_PREPARED, 0, "approved", "",
	    "DeliveryStarted" },
	{ "DeliveryCompleted", ORDER_DELIVERY_STARTED, 0, "approved",
	    "started", "Delivered" },
	{ "OrderRejected", ORDER_PAID, 0, "approved", "", "Rejected" },
	{ "OrderCanceled", ORDER_CANCEL_REQUESTED, 0, "approved", "",
	    "Canceled" },
	{ "CancelRequested", ORDER_ACCEPTED, 0, "approved", "",
	    "CancelRequested" },
	{ "CancelRefused", ORDER_CANCEL_REQUESTED, ORDER_PREPARED, "approved",
	    "", "Prepared" },
	/* The store's step while it decides a cancel: on the timeline. */
	{ "OrderTaken", ORDER_CANCEL_REQUESTED, 0, "approved", "",
	    "CancelRequested" },
	/* A courier's cancel after delivery: the step, not the status. */
	{ "DeliveryCanceled", ORDER_DELIVERED, 0, "approved", "delivered",
	    "Delivered" },
	/* Late: the status stays, its step is noted on the timeline (the
	 * page shows it), so the stream is told the status kept. */
	{ "OrderTaken", ORDER_PREPARED, 0, "approved", "", "Prepared" },
	/* Nothing moves, nothing is said. */
	{ "OrderPrepared", ORDER_CANCELED, 0, "refunded", "", NULL },
	{ "CancelRefused", ORDER_ACCEPTED, ORDER_PAID, "approved", "", NULL },
	{ "CancelRequested", ORDER_PREPARED, 0, "approved", "", NULL },
	/* The payment's line: told too, with the status it keeps (the page
	 * shows a refund after the order's Canceled). */
	{ "PayApproved", ORDER_PAID, 0, "", "", "Paid" },
	{ "PayCanceled", ORDER_CANCELED, 0, "approved", "", "Canceled" },
	{ "PayCanceled", ORDER_REJECTED, 0, "refunded", "", "Rejected" },
};

static void
pushed(void)
{
	struct order_view_change c;
	struct order_view_event e;
	const char *got;
	size_t i, p, d;
	int s;

	for (i = 0; i < NELEM(push_cases); i++) {
		const struct push_case *k = &push_cases[i];

		event(&e, k->type);
		e.status = k->refused_to;
		project(&e, k->cur, k->payment, k->delivery, &c);
		got = order_view_pushed(&c, k->cur);
		UNIT_CHECK(same(got, k->pushed), "%s from %s: pushed %s, "
		    "want %s", k->type, order_status_name(k->cur), str(got),
		    str(k->pushed));
	}
	/* Whatever the event and the row: a status moved is said as it is,
	 * and nothing is said of a change that moves nothing. */
	for (i = 0; i < NELEM(push_cases); i++)
		EVERY_STATUS(s)
			for (p = 0; p < NELEM(payments); p++)
				for (d = 0; d < NELEM(deliveries); d++) {
					event(&e, push_cases[i].type);
					e.status = ORDER_ACCEPTED;
					project(&e, (enum order_status)s,
					    payments[p], deliveries[d], &c);
					got = order_view_pushed(&c,
					    (enum order_status)s);
					if (c.status != NULL)
						UNIT_CHECK(same(got, c.status),
						    "%s: %s, moved to %s",
						    e.type, str(got), c.status);
					if (c.status == NULL && c.step < 0 &&
					    c.delivery == NULL &&
					    c.payment == NULL)
						UNIT_CHECK(got == NULL, "%s from "
						    "%s: %s, nothing moved",
						    e.type, order_status_name(
						    (enum order_status)s), got);
				}
}

static const struct unit_test tests[] = {
	{ "status events from every status", status_events },
	{ "nothing moves backwards, finals stay", never_backwards },
	{ "a lifecycle in any order ends Delivered", any_order },
	{ "CancelRequested holds the status, notes the steps",
	    cancel_requested_holds },
	{ "CancelRefused returns to the given status", refused_returns },
	{ "payment: refunded stays refunded", payment_events },
	{ "delivery: canceled vs delivered", delivery_events },
	{ "OrderPlaced and other types move nothing", nothing_else },
	{ "the types MyPage takes", applies },
	{ "what the customer's live stream is told", pushed },
};

void
add_order_view_tests(void)
{
	UNIT_SUITE("MyPage projection", tests);
}
