/*
 * fuzz_ticket.c - libFuzzer harness for the decoder of PATCH
 * /fishstores/{ticketId} (issue 17): the route's input table, then what
 * store_http.c makes of it (status, reasonCode, readyInMinutes, reason,
 * soldOutItems into a struct store_ticket_cmd) and the domain's checks
 * and step (store_domain.c, linked as it is), on a Paid ticket whose
 * deadline has or has not passed (the input's first byte, bit 0).
 *
 * Beyond "no sanitizer fires", the harness aborts if a step the domain
 * accepts breaks its promises: Accepted only with readyInMinutes 5..120
 * and a readyBy of the form every time of ours takes; Rejected only with
 * an owner's code, never no_response; the event matching the step; an
 * overdue ticket never stepped; every refusal explained in text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_input.h"
#include "store.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A copy of store_http.c's table (static there). */
static const struct fd_field sold_out_fields[] = {
	{ "menuId", FD_T_INT, 1, 1, 999999999999999LL, NULL },
};
static const struct fd_schema sold_out_schema = FD_SCHEMA(sold_out_fields);
enum { TP_STATUS, TP_READY_IN, TP_CODE, TP_REASON, TP_SOLD_OUT };
static const struct fd_field ticket_patch_fields[] = {
	[TP_STATUS] =	{ "status", FD_T_STRING, 1, 1, 16, NULL },
	[TP_READY_IN] =	{ "readyInMinutes", FD_T_INT, 0, STORE_READY_MIN,
			    STORE_READY_MAX, NULL },
	[TP_CODE] =	{ "reasonCode", FD_T_STRING, 0, 1, 16, NULL },
	[TP_REASON] =	{ "reason", FD_T_STRING, 0, 1, STORE_TEXT_MAX, NULL },
	[TP_SOLD_OUT] =	{ "soldOutItems", FD_T_ARRAY, 0, 1, STORE_SOLD_OUT_MAX,
			    &sold_out_schema },
};
static const struct fd_schema ticket_patch_schema =
    FD_SCHEMA(ticket_patch_fields);

/* "2026-12-06T19:00:00Z", the step's clock. */
#define NOW	1796583600LL

static void
text_or_abort(const char *s)
{
	if (*s == '\0' || !fd_utf8_text(s, strlen(s)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store_ticket t;
	struct store_ticket_event ev;
	struct store_ticket_cmd c;
	const struct fd_value *v;
	struct fd_input in;
	char status[17], code[17], reason[801], why[160];
	enum store_err e;
	size_t i;

	if (size == 0)
		return 0;
	memset(&t, 0, sizeof(t));
	t.id = 5;
	t.order_id = 77;
	t.store_id = 1;
	t.status = STORE_T_PAID;
	snprintf(t.accept_by, sizeof(t.accept_by), "2026-12-06T19:10:00Z");
	t.accept_ms = data[0] & 1 ? -1 : 600000;
	if (fd_input_parse(&in, &ticket_patch_schema, (const char *)data + 1,
	    size - 1) != FD_IN_OK) {
		text_or_abort(in.msg);
		fd_input_free(&in);
		return 0;
	}
	/* As store_http.c's store_http_ticket_patch() does. */
	v = in.v;
	memset(&c, 0, sizeof(c));
	snprintf(status, sizeof(status), "%.*s", (int)v[TP_STATUS].len,
	    v[TP_STATUS].s);
	if (store_ticket_status_parse(status, &c.to) != 0)
		goto out;
	if (v[TP_CODE].present) {
		snprintf(code, sizeof(code), "%.*s", (int)v[TP_CODE].len,
		    v[TP_CODE].s);
		if (store_reject_code_parse(code, &c.code) != 0)
			goto out;
	}
	if (v[TP_REASON].present) {
		snprintf(reason, sizeof(reason), "%.*s", (int)v[TP_REASON].len,
		    v[TP_REASON].s);
		c.reason = reason;
	}
	c.ready_in = v[TP_READY_IN].present ? (int)v[TP_READY_IN].i : 0;
	c.nsold_out = v[TP_SOLD_OUT].present ? v[TP_SOLD_OUT].n : 0;
	for (i = 0; i < c.nsold_out && i < STORE_SOLD_OUT_MAX; i++)
		c.sold_out[i] = fd_input_elem(&v[TP_SOLD_OUT], &sold_out_schema,
		    i, 0)->i;
	c.now = NOW;
	/* As store_app.c's store_ticket_patch() does, minus the database. */
	store_ticket_cmd_sold_out_norm(&c);
	for (i = 1; i < c.nsold_out; i++)
		if (c.sold_out[i - 1] >= c.sold_out[i])
			abort();
	why[0] = '\0';
	e = store_ticket_step(&t, &c, &ev, why, sizeof(why));
	if (e != STORE_OK) {
		text_or_abort(why);
		if (t.status != STORE_T_PAID || ev.type != STORE_EV_NONE)
			abort();
		goto out;
	}
	if (store_ticket_overdue(&t) || (data[0] & 1))
		abort();
	switch (c.to) {
	case STORE_T_ACCEPTED:
		if (c.ready_in < STORE_READY_MIN || c.ready_in > STORE_READY_MAX ||
		    ev.type != STORE_EV_TAKEN || strlen(t.ready_by) != 27 ||
		    t.ready_by[26] != 'Z' || strcmp(ev.ready_by, t.ready_by) != 0 ||
		    c.code != STORE_RC_NONE || c.nsold_out != 0)
			abort();
		break;
	case STORE_T_REJECTED:
		if (ev.type != STORE_EV_REJECTED || c.ready_in != 0 ||
		    c.code == STORE_RC_NONE || c.code == STORE_RC_NO_RESPONSE ||
		    ev.code != c.code || t.reject_code != c.code ||
		    (c.nsold_out > 0 && c.code != STORE_RC_SOLD_OUT))
			abort();
		break;
	default:
		/* A Paid ticket can only be accepted or rejected. */
		abort();
	}
out:
	fd_input_free(&in);
	return 0;
}
