/*
 * test_dlv_domain.c - dlv_domain.c: what a delivery is allowed to be.  The
 * status and event names, the error messages, what an OrderPrepared and
 * an OrderCanceled must carry, a delivery's start (or its record as
 * canceled when the order is known canceled), the call-back on a cancel,
 * and the owner's one step, with the event each produces.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "dlv.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A delivery as OrderPrepared brings it; tests change one thing. */
static void
delivery(struct dlv_delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->id = 41;
	d->order_id = 7;
	d->ticket_id = 9;
	d->store_id = 2;
	d->status = DLV_STARTED;
	snprintf(d->address, sizeof(d->address), "서울 종로구 종로 1");
	snprintf(d->phone, sizeof(d->phone), "010-1234-5678");
}

/* The event, filled with a pattern: a function must set all of it. */
static void
poison(struct dlv_event *ev)
{
	memset(ev, 0xa5, sizeof(*ev));
}

static int
no_event(const struct dlv_event *ev)
{
	return ev->type == DLV_EV_NONE && ev->order_id == 0 &&
	    ev->delivery_id == 0;
}

/* n characters of s (one code point each, of any width), NUL-ended. */
static void
repeat(char *buf, size_t bufsz, const char *s, size_t n)
{
	size_t i, len = strlen(s);

	buf[0] = '\0';
	for (i = 0; i < n && (i + 1) * len < bufsz; i++)
		memcpy(buf + i * len, s, len + 1);
}

static void
status_names(void)
{
	static const struct {
		enum dlv_status	 s;
		const char	*name;
	} names[] = {
		{ DLV_STARTED, "DeliveryStarted" },
		{ DLV_DELIVERED, "Delivered" },
		{ DLV_CANCELED, "Canceled" },
	};
	static const char *const bad[] = {
		"", "Started", "delivered", "Delivered ", "Canceled\n",
		"Cancelled", "Unknown", "DeliveryCompleted",
	};
	enum dlv_status s;
	size_t i;

	for (i = 0; i < NELEM(names); i++) {
		UNIT_CHECK(strcmp(dlv_status_name(names[i].s), names[i].name) ==
		    0, "status %d: name %s, want %s", (int)names[i].s,
		    dlv_status_name(names[i].s), names[i].name);
		s = DLV__NSTATUS;
		UNIT_CHECK(dlv_status_parse(names[i].name, &s) == 0 &&
		    s == names[i].s, "parse %s: %d", names[i].name, (int)s);
	}
	CU_ASSERT_STRING_EQUAL(dlv_status_name(DLV__NSTATUS), "Unknown");
	CU_ASSERT_STRING_EQUAL(dlv_status_name((enum dlv_status)-1), "Unknown");
	for (i = 0; i < NELEM(bad); i++) {
		s = DLV_DELIVERED;
		UNIT_CHECK(dlv_status_parse(bad[i], &s) == -1 &&
		    s == DLV_DELIVERED, "parse \"%s\" taken", bad[i]);
	}
}

static void
event_names(void)
{
	CU_ASSERT_STRING_EQUAL(dlv_ev_name(DLV_EV_STARTED), "DeliveryStarted");
	CU_ASSERT_STRING_EQUAL(dlv_ev_name(DLV_EV_COMPLETED),
	    "DeliveryCompleted");
	CU_ASSERT_STRING_EQUAL(dlv_ev_name(DLV_EV_CANCELED),
	    "DeliveryCanceled");
	/* No event is never published. */
	CU_ASSERT_PTR_NULL(dlv_ev_name(DLV_EV_NONE));
	CU_ASSERT_PTR_NULL(dlv_ev_name((enum dlv_ev)99));
}

static void
messages(void)
{
	enum dlv_err e, f;

	CU_ASSERT_STRING_EQUAL(dlv_err_message(DLV_OK), "ok");
	CU_ASSERT_STRING_EQUAL(dlv_err_message(DLV_E_STATE),
	    "this status change is not allowed");
	/* Every error says something of its own; unknown ones are internal. */
	for (e = DLV_E_INPUT; e <= DLV_E_INTERNAL; e++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(dlv_err_message(e));
		UNIT_CHECK(dlv_err_message(e)[0] != '\0', "error %d: empty",
		    (int)e);
		for (f = DLV_OK; f < e; f++)
			UNIT_CHECK(strcmp(dlv_err_message(e),
			    dlv_err_message(f)) != 0, "errors %d and %d: "
			    "both \"%s\"", (int)f, (int)e, dlv_err_message(e));
	}
	CU_ASSERT_STRING_EQUAL(dlv_err_message((enum dlv_err)99),
	    "internal error");
}

/* OrderPrepared: positive ids, an address and a phone a courier can use. */
static void
check_prepared(void)
{
	struct dlv_delivery d;
	char why[256];
	long long *ids[3];
	static const long long badid[] = { 0, -1, -9223372036854775807LL };
	size_t i, j;

	delivery(&d);
	why[0] = '\0';
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_OK);

	ids[0] = &d.order_id;
	ids[1] = &d.ticket_id;
	ids[2] = &d.store_id;
	for (i = 0; i < NELEM(ids); i++)
		for (j = 0; j < NELEM(badid); j++) {
			delivery(&d);
			*ids[i] = badid[j];
			why[0] = '\0';
			UNIT_CHECK(dlv_check_prepared(&d, why, sizeof(why)) ==
			    DLV_E_INPUT, "id %zu = %lld taken", i, badid[j]);
			UNIT_CHECK(strstr(why, "positive") != NULL,
			    "id %zu: why \"%s\"", i, why);
		}

	/* The address: 1 to DLV_TEXT_MAX characters, counted as such. */
	delivery(&d);
	repeat(d.address, sizeof(d.address), "가", DLV_TEXT_MAX);
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_OK);
	repeat(d.address, sizeof(d.address), "가", DLV_TEXT_MAX + 1);
	why[0] = '\0';
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_E_INPUT);
	CU_ASSERT(strstr(why, "address") != NULL);
	d.address[0] = '\0';
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_E_INPUT);
	/* Not text: a control character, invalid UTF-8. */
	snprintf(d.address, sizeof(d.address), "종로\n1");
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_E_INPUT);
	snprintf(d.address, sizeof(d.address), "종로 \xff");
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_E_INPUT);

	/* The phone: 1 to DLV_PHONE_MAX characters. */
	delivery(&d);
	repeat(d.phone, sizeof(d.phone), "0", DLV_PHONE_MAX);
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_OK);
	repeat(d.phone, sizeof(d.phone), "0", DLV_PHONE_MAX + 1);
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_E_INPUT);
	d.phone[0] = '\0';
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_E_INPUT);
	snprintf(d.phone, sizeof(d.phone), "010\t1234");
	CU_ASSERT_EQUAL(dlv_check_prepared(&d, why, sizeof(why)), DLV_E_INPUT);
}

/* OrderCanceled: a positive order id; a reason, if any, is short text. */
static void
check_canceled(void)
{
	char why[256], reason[1024];

	CU_ASSERT_EQUAL(dlv_check_canceled(7, NULL, why, sizeof(why)), DLV_OK);
	CU_ASSERT_EQUAL(dlv_check_canceled(7, "고객 요청", why, sizeof(why)),
	    DLV_OK);
	why[0] = '\0';
	CU_ASSERT_EQUAL(dlv_check_canceled(0, NULL, why, sizeof(why)),
	    DLV_E_INPUT);
	CU_ASSERT(strstr(why, "orderId") != NULL);
	CU_ASSERT_EQUAL(dlv_check_canceled(-7, "x", why, sizeof(why)),
	    DLV_E_INPUT);

	repeat(reason, sizeof(reason), "가", DLV_TEXT_MAX);
	CU_ASSERT_EQUAL(dlv_check_canceled(7, reason, why, sizeof(why)),
	    DLV_OK);
	repeat(reason, sizeof(reason), "가", DLV_TEXT_MAX + 1);
	why[0] = '\0';
	CU_ASSERT_EQUAL(dlv_check_canceled(7, reason, why, sizeof(why)),
	    DLV_E_INPUT);
	CU_ASSERT(strstr(why, "reason") != NULL);
	/* Given but empty is not "none". */
	CU_ASSERT_EQUAL(dlv_check_canceled(7, "", why, sizeof(why)),
	    DLV_E_INPUT);
	CU_ASSERT_EQUAL(dlv_check_canceled(7, "a\x01", why, sizeof(why)),
	    DLV_E_INPUT);
	CU_ASSERT_EQUAL(dlv_check_canceled(7, "\xc3\x28", why, sizeof(why)),
	    DLV_E_INPUT);
}

/* A new delivery starts at once and announces DeliveryStarted. */
static void
open_starts(void)
{
	struct dlv_delivery d;
	struct dlv_event ev;

	delivery(&d);
	d.status = DLV_CANCELED;	/* whatever it held: it is new */
	poison(&ev);
	dlv_open(&d, NULL, &ev);
	CU_ASSERT_EQUAL(d.status, DLV_STARTED);
	CU_ASSERT_STRING_EQUAL(d.cancel_reason, "");
	CU_ASSERT_EQUAL(ev.type, DLV_EV_STARTED);
	CU_ASSERT_EQUAL(ev.order_id, 7);
	CU_ASSERT_EQUAL(ev.delivery_id, 41);
}

/* One whose order is known canceled is recorded Canceled, silently. */
static void
open_already_canceled(void)
{
	struct dlv_delivery d;
	struct dlv_event ev;

	delivery(&d);
	poison(&ev);
	dlv_open(&d, "품절", &ev);
	CU_ASSERT_EQUAL(d.status, DLV_CANCELED);
	CU_ASSERT_STRING_EQUAL(d.cancel_reason, "품절");
	CU_ASSERT(no_event(&ev));

	/* Canceled without a reason: the default one. */
	delivery(&d);
	poison(&ev);
	dlv_open(&d, "", &ev);
	CU_ASSERT_EQUAL(d.status, DLV_CANCELED);
	CU_ASSERT_STRING_EQUAL(d.cancel_reason, DLV_CANCEL_DEFAULT);
	CU_ASSERT(no_event(&ev));
}

/* OrderCanceled calls back a delivery on its way, and only that. */
static void
cancel_started(void)
{
	static const char *const reasons[] = { "고객 요청", "", NULL };
	static const char *const want[] = { "고객 요청", DLV_CANCEL_DEFAULT,
	    DLV_CANCEL_DEFAULT };
	struct dlv_delivery d;
	struct dlv_event ev;
	size_t i;

	for (i = 0; i < NELEM(reasons); i++) {
		delivery(&d);
		poison(&ev);
		CU_ASSERT_EQUAL(dlv_cancel(&d, reasons[i], &ev), 1);
		CU_ASSERT_EQUAL(d.status, DLV_CANCELED);
		UNIT_CHECK(strcmp(d.cancel_reason, want[i]) == 0,
		    "reason %zu: \"%s\", want \"%s\"", i, d.cancel_reason,
		    want[i]);
		CU_ASSERT_EQUAL(ev.type, DLV_EV_CANCELED);
		CU_ASSERT_EQUAL(ev.order_id, 7);
		CU_ASSERT_EQUAL(ev.delivery_id, 41);
	}
}

/* Delivered stays Delivered; Canceled stays so, its first reason kept. */
static void
cancel_final(void)
{
	struct dlv_delivery d;
	struct dlv_event ev;

	delivery(&d);
	d.status = DLV_DELIVERED;
	poison(&ev);
	CU_ASSERT_EQUAL(dlv_cancel(&d, "late", &ev), 0);
	CU_ASSERT_EQUAL(d.status, DLV_DELIVERED);
	CU_ASSERT_STRING_EQUAL(d.cancel_reason, "");
	CU_ASSERT(no_event(&ev));

	delivery(&d);
	d.status = DLV_CANCELED;
	snprintf(d.cancel_reason, sizeof(d.cancel_reason), "first");
	poison(&ev);
	CU_ASSERT_EQUAL(dlv_cancel(&d, "second", &ev), 0);
	CU_ASSERT_EQUAL(d.status, DLV_CANCELED);
	CU_ASSERT_STRING_EQUAL(d.cancel_reason, "first");
	CU_ASSERT(no_event(&ev));
}

/* What an owner may ask for at all: Delivered, nothing else. */
static void
step_check(void)
{
	char why[256];

	CU_ASSERT_EQUAL(dlv_step_check(DLV_DELIVERED, why, sizeof(why)),
	    DLV_OK);
	why[0] = '\0';
	CU_ASSERT_EQUAL(dlv_step_check(DLV_STARTED, why, sizeof(why)),
	    DLV_E_INPUT);
	CU_ASSERT_STRING_EQUAL(why, "status must be Delivered");
	CU_ASSERT_EQUAL(dlv_step_check(DLV_CANCELED, why, sizeof(why)),
	    DLV_E_INPUT);
	CU_ASSERT_EQUAL(dlv_step_check(DLV__NSTATUS, why, sizeof(why)),
	    DLV_E_INPUT);
}

/*
 * The owner's one step from every status to every status: only
 * DeliveryStarted -> Delivered, which announces DeliveryCompleted; an
 * illegal target is bad input whatever the status, a legal one from the
 * wrong status a conflict; a refused step changes nothing.
 */
static void
step_table(void)
{
	static const struct {
		enum dlv_status	 from, to;
		enum dlv_err	 want;
		const char	*why;	/* in the message; NULL: OK */
	} cases[] = {
		{ DLV_STARTED, DLV_DELIVERED, DLV_OK, NULL },
		{ DLV_STARTED, DLV_STARTED, DLV_E_INPUT, "Delivered" },
		{ DLV_STARTED, DLV_CANCELED, DLV_E_INPUT, "Delivered" },
		{ DLV_DELIVERED, DLV_DELIVERED, DLV_E_STATE, "already" },
		{ DLV_DELIVERED, DLV_STARTED, DLV_E_INPUT, "Delivered" },
		{ DLV_DELIVERED, DLV_CANCELED, DLV_E_INPUT, "Delivered" },
		{ DLV_CANCELED, DLV_DELIVERED, DLV_E_STATE, "canceled" },
		{ DLV_CANCELED, DLV_STARTED, DLV_E_INPUT, "Delivered" },
		{ DLV_CANCELED, DLV_CANCELED, DLV_E_INPUT, "Delivered" },
	};
	struct dlv_delivery d;
	struct dlv_event ev;
	enum dlv_err e;
	char why[256];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		delivery(&d);
		d.status = cases[i].from;
		poison(&ev);
		why[0] = '\0';
		e = dlv_step(&d, cases[i].to, &ev, why, sizeof(why));
		UNIT_CHECK(e == cases[i].want, "%s -> %s: error %d, want %d",
		    dlv_status_name(cases[i].from),
		    dlv_status_name(cases[i].to), (int)e, (int)cases[i].want);
		if (cases[i].want == DLV_OK) {
			CU_ASSERT_EQUAL(d.status, DLV_DELIVERED);
			CU_ASSERT_EQUAL(ev.type, DLV_EV_COMPLETED);
			CU_ASSERT_EQUAL(ev.order_id, 7);
			CU_ASSERT_EQUAL(ev.delivery_id, 41);
			continue;
		}
		UNIT_CHECK(d.status == cases[i].from, "%s -> %s refused, "
		    "but now %s", dlv_status_name(cases[i].from),
		    dlv_status_name(cases[i].to), dlv_status_name(d.status));
		UNIT_CHECK(no_event(&ev), "%s -> %s refused, but event %d",
		    dlv_status_name(cases[i].from),
		    dlv_status_name(cases[i].to), (int)ev.type);
		UNIT_CHECK(strstr(why, cases[i].why) != NULL, "%s -> %s: why "
		    "\"%s\", want \"%s\" in it", dlv_status_name(cases[i].from),
		    dlv_status_name(cases[i].to), why, cases[i].why);
	}
}

/* The whole life: started, delivered, then a late cancel leaves it so. */
static void
lifecycle(void)
{
	struct dlv_delivery d;
	struct dlv_event ev;
	char why[256];

	delivery(&d);
	dlv_open(&d, NULL, &ev);
	CU_ASSERT_EQUAL(ev.type, DLV_EV_STARTED);
	CU_ASSERT_EQUAL(dlv_step(&d, DLV_DELIVERED, &ev, why, sizeof(why)),
	    DLV_OK);
	CU_ASSERT_EQUAL(ev.type, DLV_EV_COMPLETED);
	CU_ASSERT_EQUAL(dlv_cancel(&d, "too late", &ev), 0);
	CU_ASSERT_EQUAL(d.status, DLV_DELIVERED);
	CU_ASSERT(no_event(&ev));
}

static const struct unit_test tests[] = {
	{ "status names", status_names },
	{ "event names", event_names },
	{ "messages", messages },
	{ "what an OrderPrepared must carry", check_prepared },
	{ "what an OrderCanceled must carry", check_canceled },
	{ "a delivery starts at once", open_starts },
	{ "one of a canceled order starts Canceled, silently",
	    open_already_canceled },
	{ "a cancel calls back a delivery on its way", cancel_started },
	{ "a cancel leaves Delivered and Canceled as they are", cancel_final },
	{ "an owner may ask for Delivered only", step_check },
	{ "the owner's step from every status", step_table },
	{ "started, delivered, then a late cancel", lifecycle },
};

void
add_dlv_domain_tests(void)
{
	UNIT_SUITE("delivery domain", tests);
}
