/*
 * pay_domain.c - card rules, the approve/decline decision and the
 * state transitions of a payment.  Pure: libc only, no I/O.
 */
#include <string.h>

#include "pay.h"

/*
 * Card numbers arrive as people type them: "4000 0000 0000 0002" and
 * "4000-0000-0000-0002" are the same card.  digits receives the bare
 * number; anything but digits, spaces and dashes is refused, as is a
 * number of the wrong length.
 */
enum pay_err
pay_card_normalize(const char *card, size_t len, char digits[PAY_CARD_MAX + 1])
{
	size_t i, n = 0;

	digits[0] = '\0';
	for (i = 0; i < len; i++) {
		if (card[i] == ' ' || card[i] == '-')
			continue;
		if (card[i] < '0' || card[i] > '9' || n == PAY_CARD_MAX)
			goto bad;
		digits[n++] = card[i];
	}
	if (n < PAY_CARD_MIN)
		goto bad;
	digits[n] = '\0';
	return PAY_OK;
bad:
	digits[0] = '\0';
	return PAY_E_CARD;
}

/*
 * The rules of a charge, whatever adapter it came through.  digits is ""
 * when no card was given (the demo accepts that, as a saved card would).
 */
enum pay_err
pay_charge_check(const struct pay_charge *c, char digits[PAY_CARD_MAX + 1])
{
	digits[0] = '\0';
	if (c->order_id < 1 || c->order_id > PAY_ID_MAX ||
	    c->customer_id < 1 || c->customer_id > PAY_ID_MAX ||
	    c->amount < 1 || c->amount > PAY_AMOUNT_MAX)
		return PAY_E_INPUT;
	if (c->card == NULL)
		return PAY_OK;
	return pay_card_normalize(c->card, c->card_len, digits);
}

/* The test acquirer: every card approves but the one SPEC.md names. */
enum pay_status
pay_decide(const char *digits)
{
	return strcmp(digits, PAY_CARD_DECLINED) == 0 ? PAY_ST_DECLINED :
	    PAY_ST_APPROVED;
}

/*
 * A new payment for c, decided now.  Only the last four digits are kept:
 * the full number must never reach the database or a log.  Returns the
 * event the decision produces.
 */
enum pay_event
pay_new(struct pay_payment *p, const struct pay_charge *c, const char *digits)
{
	size_t n = strlen(digits);

	memset(p, 0, sizeof(*p));
	p->order_id = c->order_id;
	p->customer_id = c->customer_id;
	p->amount = c->amount;
	p->status = pay_decide(digits);
	if (n >= 4)
		memcpy(p->card_last4, digits + n - 4, 5);
	return p->status == PAY_ST_APPROVED ? PAY_EV_APPROVED : PAY_EV_NONE;
}

/*
 * A charge for an order that already has a payment p.  The same charge
 * again (a retry after a timeout, say) gets the first answer; a different
 * one, or any charge after the payment was voided or refunded, is a
 * conflict: one order is paid at most once.
 */
enum pay_err
pay_replay(const struct pay_payment *p, const struct pay_charge *c)
{
	if (p->status != PAY_ST_APPROVED && p->status != PAY_ST_DECLINED)
		return PAY_E_CONFLICT;
	if (p->customer_id != c->customer_id || p->amount != c->amount)
		return PAY_E_CONFLICT;
	return p->status == PAY_ST_APPROVED ? PAY_OK : PAY_E_DECLINED;
}

/* The row that keeps any later charge for order_id from being approved. */
void
pay_tombstone(struct pay_payment *p, long long order_id)
{
	memset(p, 0, sizeof(*p));
	p->order_id = order_id;
	p->status = PAY_ST_VOIDED;
}

/*
 * Gives an approved payment's money back.  Anything else has taken no
 * money (Declined, Voided) or already gave it back (Refunded): refunding
 * it again is a no-op, so redelivered events and retries are harmless.
 */
enum pay_event
pay_refund_apply(struct pay_payment *p)
{
	if (p->status != PAY_ST_APPROVED)
		return PAY_EV_NONE;
	p->status = PAY_ST_REFUNDED;
	return PAY_EV_CANCELED;
}

/*
 * Why a payment was refunded, kept for people reading the table: an event
 * type, "void", or an operator's words.  Cut to PAY_REASON_MAX bytes on a
 * character boundary so that it always fits its column.
 */
void
pay_reason_clip(const char *reason, char out[PAY_REASON_MAX + 1])
{
	size_t n = reason != NULL ? strlen(reason) : 0;

	if (n > PAY_REASON_MAX) {
		n = PAY_REASON_MAX;
		/* Back off UTF-8 continuation bytes (10xxxxxx). */
		while (n > 0 && ((unsigned char)reason[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(out, reason, n);
	out[n] = '\0';
}

/* Only the paying customer may see a payment; a tombstone has none. */
int
pay_visible(const struct pay_payment *p, long long customer_id)
{
	return p->customer_id > 0 && p->customer_id == customer_id;
}

static const char *const names[] = {
	[PAY_ST_NONE] =		"",
	[PAY_ST_APPROVED] =	"Approved",
	[PAY_ST_DECLINED] =	"Declined",
	[PAY_ST_REFUNDED] =	"Refunded",
	[PAY_ST_VOIDED] =	"Voided",
};

const char *
pay_status_name(enum pay_status s)
{
	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "";
}

enum pay_status
pay_status_parse(const char *s)
{
	size_t i;

	for (i = PAY_ST_APPROVED; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum pay_status)i;
	return PAY_ST_NONE;
}

const char *
pay_err_message(enum pay_err e)
{
	switch (e) {
	case PAY_OK:
		return "ok";
	case PAY_E_INPUT:
		return "send orderId, customerId, amount (1 to 100,000,000,000 "
		    "KRW) and optionally card";
	case PAY_E_CARD:
		return "card must be 12 to 19 digits (spaces and dashes may "
		    "separate them)";
	case PAY_E_DECLINED:
		return "the card was declined";
	case PAY_E_CONFLICT:
		return "this order already has a different payment";
	case PAY_E_NOT_FOUND:
		return "no payment for this order";
	case PAY_E_UNAVAILABLE:
		return "the payment service is unavailable, try again shortly";
	default:
		return "internal error";
	}
}
