/*
 * test_pay_domain.c - pay_domain.c: card normalisation, the rules
 * of a charge, the test acquirer's decision, a new payment and its event,
 * replays, tombstones, refunds, refund reasons, who sees a payment, the
 * status names and the error messages.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "fd_input.h"
#include "pay.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct pay_charge
charge(long long order, long long customer, long long amount,
    const char *card)
{
	struct pay_charge c;

	memset(&c, 0, sizeof(c));
	c.order_id = order;
	c.customer_id = customer;
	c.amount = amount;
	c.card = card;
	c.card_len = card != NULL ? strlen(card) : 0;
	return c;
}

static void
card_normalize(void)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: PAY_E_CARD */
	} rows[] = {
		{ "4000000000000002", "4000000000000002" },
		{ "4000 0000 0000 0002", "4000000000000002" },
		{ "4000-0000-0000-0002", "4000000000000002" },
		{ "4000 - 0000-0000 0002", "4000000000000002" },
		{ " 4000000000000002 ", "4000000000000002" },
		{ "123456789012", "123456789012" },
		{ "1234567890123456789", "1234567890123456789" },
		{ "1234 5678 9012 3456 789", "1234567890123456789" },
		{ "12345678901", NULL },
		{ "1234 5678 901", NULL },
		{ "12345678901234567890", NULL },
		{ "1234567890123456789 0", NULL },
		{ "", NULL },
		{ " ", NULL },
		{ "-------------------", NULL },
		{ "4000x000000000002", NULL },
		{ "4000.0000.0000.0002", NULL },
		{ "4000_0000_0000_0002", NULL },
		{ "4000\t0000 0000 0002", NULL },
		{ "+4000000000000002", NULL },
		{ "4000000000000002\n", NULL },
		{ "\xef\xbc\x94" "000000000000", NULL },	/* full-width 4 */
		{ "4000000000000002\xff", NULL },
		{ "/000000000000", NULL },		/* '0' - 1 */
		{ ":000000000000", NULL },		/* '9' + 1 */
	};
	char digits[PAY_CARD_MAX + 1];
	size_t i;

	for (i = 0; i < NELEM(rows); i++) {
		enum pay_err rc;

		memset(digits, 'x', sizeof(digits));
		rc = pay_card_normalize(rows[i].in, strlen(rows[i].in), digits);
		if (rows[i].want != NULL)
			UNIT_CHECK(rc == PAY_OK &&
			    memchr(digits, '\0', sizeof(digits)) != NULL &&
			    strcmp(digits, rows[i].want) == 0,
			    "'%s': rc %d", rows[i].in, rc);
		else
			UNIT_CHECK(rc == PAY_E_CARD && digits[0] == '\0',
			    "'%s': rc %d, digits[0] 0x%02x", rows[i].in, rc,
			    (unsigned char)digits[0]);
	}
}

/* Only len bytes are read: no NUL needed, and a NUL inside is refused. */
static void
card_normalize_len(void)
{
	char digits[PAY_CARD_MAX + 1];
	static const char nul[] = "4000000000000002\0" "0";
	char buf[40];

	CU_ASSERT_EQUAL(pay_card_normalize("4000000000000002999", 16, digits),
	    PAY_OK);
	CU_ASSERT_STRING_EQUAL(digits, "4000000000000002");
	CU_ASSERT_EQUAL(pay_card_normalize("4000000000000002", 11, digits),
	    PAY_E_CARD);
	CU_ASSERT_EQUAL(pay_card_normalize("4000000000000002", 0, digits),
	    PAY_E_CARD);
	CU_ASSERT_EQUAL(pay_card_normalize(nul, sizeof(nul) - 1, digits),
	    PAY_E_CARD);
	CU_ASSERT_EQUAL(digits[0], '\0');
	/* Not NUL-terminated: a buffer of exactly 19 digits. */
	memset(buf, '7', sizeof(buf));
	CU_ASSERT_EQUAL(pay_card_normalize(buf, 19, digits), PAY_OK);
	CU_ASSERT_EQUAL(strlen(digits), 19);
	CU_ASSERT_EQUAL(pay_card_normalize(buf, 20, digits), PAY_E_CARD);
	/* Separators don't count towards the 19. */
	memset(buf, ' ', sizeof(buf));
	memset(buf + 20, '1', 20);
	CU_ASSERT_EQUAL(pay_card_normalize(buf, 39, digits), PAY_OK);
	CU_ASSERT_EQUAL(strlen(digits), 19);
	CU_ASSERT_EQUAL(pay_card_normalize(buf, 40, digits), PAY_E_CARD);
	CU_ASSERT_EQUAL(digits[0], '\0');
	buf[39] = ' ';
	CU_ASSERT_EQUAL(pay_card_normalize(buf, 40, digits), PAY_OK);
	CU_ASSERT_EQUAL(strlen(digits), 19);
}

static void
charge_check(void)
{
	static const struct {
		long long	 order, customer, amount;
		enum pay_err	 want;
	} rows[] = {
		{ 1, 1, 1, PAY_OK },
		{ PAY_ID_MAX, PAY_ID_MAX, PAY_AMOUNT_MAX, PAY_OK },
		{ 0, 1, 1, PAY_E_INPUT },
		{ -1, 1, 1, PAY_E_INPUT },
		{ PAY_ID_MAX + 1, 1, 1, PAY_E_INPUT },
		{ 1, 0, 1, PAY_E_INPUT },
		{ 1, -1, 1, PAY_E_INPUT },
		{ 1, PAY_ID_MAX + 1, 1, PAY_E_INPUT },
		{ 1, 1, 0, PAY_E_INPUT },
		{ 1, 1, -25000, PAY_E_INPUT },
		{ 1, 1, PAY_AMOUNT_MAX + 1, PAY_E_INPUT },
		{ -9223372036854775807LL - 1, 1, 1, PAY_E_INPUT },
		{ 1, 1, 9223372036854775807LL, PAY_E_INPUT },
	};
	char digits[PAY_CARD_MAX + 1];
	struct pay_charge c;
	size_t i;

	CU_ASSERT_EQUAL(PAY_ID_MAX, 1000000000000000LL);
	CU_ASSERT_EQUAL(PAY_AMOUNT_MAX, 100000000000LL);
	for (i = 0; i < NELEM(rows); i++) {
		/* No card. */
		c = charge(rows[i].order, rows[i].customer, rows[i].amount, NULL);
		memset(digits, 'x', sizeof(digits));
		UNIT_CHECK(pay_charge_check(&c, digits) == rows[i].want &&
		    digits[0] == '\0', "row %zu, no card: got %d", i,
		    pay_charge_check(&c, digits));
		/* A good card changes nothing about the bounds. */
		c = charge(rows[i].order, rows[i].customer, rows[i].amount,
		    "4111-1111-1111-1111");
		memset(digits, 'x', sizeof(digits));
		UNIT_CHECK(pay_charge_check(&c, digits) == rows[i].want,
		    "row %zu, card: got %d", i, pay_charge_check(&c, digits));
		UNIT_CHECK(rows[i].want != PAY_OK ?
		    digits[0] == '\0' :
		    strcmp(digits, "4111111111111111") == 0,
		    "row %zu: digits '%.20s'", i, digits);
		/* A bad card: the input error first, else the card's. */
		c = charge(rows[i].order, rows[i].customer, rows[i].amount,
		    "4111");
		UNIT_CHECK(pay_charge_check(&c, digits) ==
		    (rows[i].want == PAY_OK ? PAY_E_CARD : rows[i].want),
		    "row %zu, bad card: got %d", i,
		    pay_charge_check(&c, digits));
	}
	/* A card given as "" is a bad card, not "no card". */
	c = charge(5, 6, 7, "");
	CU_ASSERT_EQUAL(pay_charge_check(&c, digits), PAY_E_CARD);
}

static void
decide(void)
{
	static const char *const approved[] = {
		"", "4111111111111111", "4000000000000001", "4000000000000003",
		"400000000000000", "40000000000000020", "04000000000000002",
		"4000000000000012", "123456789012",
	};
	char digits[PAY_CARD_MAX + 1];
	struct pay_charge c;
	size_t i;

	CU_ASSERT_EQUAL(pay_decide(PAY_CARD_DECLINED), PAY_ST_DECLINED);
	CU_ASSERT_EQUAL(pay_decide("4000000000000002"), PAY_ST_DECLINED);
	for (i = 0; i < NELEM(approved); i++)
		UNIT_CHECK(pay_decide(approved[i]) == PAY_ST_APPROVED,
		    "'%s' not approved", approved[i]);

	/* Through the charge rules: however the declined card is typed. */
	c = charge(1, 2, 3, "4000 0000 0000 0002");
	CU_ASSERT_EQUAL_FATAL(pay_charge_check(&c, digits), PAY_OK);
	CU_ASSERT_EQUAL(pay_decide(digits), PAY_ST_DECLINED);
	c = charge(1, 2, 3, "4000-0000-0000-0002");
	CU_ASSERT_EQUAL_FATAL(pay_charge_check(&c, digits), PAY_OK);
	CU_ASSERT_EQUAL(pay_decide(digits), PAY_ST_DECLINED);
	/* No card: approved (as a saved card would be). */
	c = charge(1, 2, 3, NULL);
	CU_ASSERT_EQUAL_FATAL(pay_charge_check(&c, digits), PAY_OK);
	CU_ASSERT_EQUAL(pay_decide(digits), PAY_ST_APPROVED);
}

/* The payment's bytes contain s. */
static int
holds(const struct pay_payment *p, const char *s)
{
	return memmem(p, sizeof(*p), s, strlen(s)) != NULL;
}

static void
new_payment(void)
{
	struct pay_payment p;
	struct pay_charge c;

	c = charge(11, 12, 25000, "4111 1111 1111 1234");
	memset(&p, 0xa5, sizeof(p));
	CU_ASSERT_EQUAL(pay_new(&p, &c, "4111111111111234"), PAY_EV_APPROVED);
	CU_ASSERT_EQUAL(p.id, 0);
	CU_ASSERT_EQUAL(p.order_id, 11);
	CU_ASSERT_EQUAL(p.customer_id, 12);
	CU_ASSERT_EQUAL(p.amount, 25000);
	CU_ASSERT_EQUAL(p.status, PAY_ST_APPROVED);
	CU_ASSERT_STRING_EQUAL(p.card_last4, "1234");
	CU_ASSERT_EQUAL(p.approved_ms, 0);
	CU_ASSERT_EQUAL(p.refunded_ms, 0);
	/* The full number, or any 5 of its digits, is nowhere in the row. */
	CU_ASSERT(!holds(&p, "4111111111111234"));
	CU_ASSERT(!holds(&p, "11234"));

	memset(&p, 0xa5, sizeof(p));
	CU_ASSERT_EQUAL(pay_new(&p, &c, PAY_CARD_DECLINED), PAY_EV_NONE);
	CU_ASSERT_EQUAL(p.status, PAY_ST_DECLINED);
	CU_ASSERT_STRING_EQUAL(p.card_last4, "0002");
	CU_ASSERT_EQUAL(p.order_id, 11);
	CU_ASSERT_EQUAL(p.customer_id, 12);
	CU_ASSERT_EQUAL(p.amount, 25000);
	CU_ASSERT(!holds(&p, "00002"));

	/* No card: approved, no last four. */
	c = charge(11, 12, 25000, NULL);
	memset(&p, 0xa5, sizeof(p));
	CU_ASSERT_EQUAL(pay_new(&p, &c, ""), PAY_EV_APPROVED);
	CU_ASSERT_EQUAL(p.status, PAY_ST_APPROVED);
	CU_ASSERT_STRING_EQUAL(p.card_last4, "");

	/* The shortest and longest cards. */
	CU_ASSERT_EQUAL(pay_new(&p, &c, "123456789012"), PAY_EV_APPROVED);
	CU_ASSERT_STRING_EQUAL(p.card_last4, "9012");
	CU_ASSERT_EQUAL(pay_new(&p, &c, "1234567890123456789"),
	    PAY_EV_APPROVED);
	CU_ASSERT_STRING_EQUAL(p.card_last4, "6789");
}

static struct pay_payment
stored(enum pay_status st, long long customer, long long amount)
{
	struct pay_payment p;

	memset(&p, 0, sizeof(p));
	p.id = 3;
	p.order_id = 11;
	p.customer_id = customer;
	p.amount = amount;
	p.status = st;
	snprintf(p.card_last4, sizeof(p.card_last4), "1234");
	return p;
}

static void
replay(void)
{
	struct pay_payment p;
	struct pay_charge c = charge(11, 12, 25000, "4111111111111234");

	p = stored(PAY_ST_APPROVED, 12, 25000);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_OK);
	p = stored(PAY_ST_DECLINED, 12, 25000);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_DECLINED);
	/* Another customer or amount for the same order: a conflict. */
	p = stored(PAY_ST_APPROVED, 13, 25000);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
	p = stored(PAY_ST_APPROVED, 12, 25001);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
	p = stored(PAY_ST_DECLINED, 12, 24999);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
	p = stored(PAY_ST_DECLINED, 1, 25000);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
	/* Over: refunded or voided, even the very same charge. */
	p = stored(PAY_ST_REFUNDED, 12, 25000);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
	p = stored(PAY_ST_VOIDED, 12, 25000);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
	p = stored(PAY_ST_NONE, 12, 25000);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
	pay_tombstone(&p, 11);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
	c = charge(11, 0, 0, NULL);
	CU_ASSERT_EQUAL(pay_replay(&p, &c), PAY_E_CONFLICT);
}

static void
tombstone(void)
{
	struct pay_payment p;

	memset(&p, 0xa5, sizeof(p));
	pay_tombstone(&p, 77);
	CU_ASSERT_EQUAL(p.order_id, 77);
	CU_ASSERT_EQUAL(p.status, PAY_ST_VOIDED);
	CU_ASSERT_EQUAL(p.id, 0);
	CU_ASSERT_EQUAL(p.customer_id, 0);
	CU_ASSERT_EQUAL(p.amount, 0);
	CU_ASSERT_STRING_EQUAL(p.card_last4, "");
	CU_ASSERT_EQUAL(p.approved_ms, 0);
	CU_ASSERT_EQUAL(p.refunded_ms, 0);
	/* Nobody sees it; it cannot be refunded. */
	CU_ASSERT_EQUAL(pay_visible(&p, 0), 0);
	CU_ASSERT_EQUAL(pay_visible(&p, 12), 0);
	CU_ASSERT_EQUAL(pay_refund_apply(&p), PAY_EV_NONE);
	CU_ASSERT_EQUAL(p.status, PAY_ST_VOIDED);
}

static void
refund(void)
{
	static const enum pay_status other[] = {
		PAY_ST_NONE, PAY_ST_DECLINED, PAY_ST_REFUNDED, PAY_ST_VOIDED,
	};
	struct pay_payment p, before;
	size_t i;

	p = stored(PAY_ST_APPROVED, 12, 25000);
	before = p;
	CU_ASSERT_EQUAL(pay_refund_apply(&p), PAY_EV_CANCELED);
	CU_ASSERT_EQUAL(p.status, PAY_ST_REFUNDED);
	/* Only the status moves. */
	before.status = PAY_ST_REFUNDED;
	CU_ASSERT(memcmp(&p, &before, sizeof(p)) == 0);
	/* Again: a no-op, no second event. */
	CU_ASSERT_EQUAL(pay_refund_apply(&p), PAY_EV_NONE);
	CU_ASSERT_EQUAL(p.status, PAY_ST_REFUNDED);
	for (i = 0; i < NELEM(other); i++) {
		p = stored(other[i], 12, 25000);
		before = p;
		UNIT_CHECK(pay_refund_apply(&p) == PAY_EV_NONE,
		    "%s: an event", pay_status_name(other[i]));
		UNIT_CHECK(memcmp(&p, &before, sizeof(p)) == 0,
		    "%s: changed", pay_status_name(other[i]));
	}
}

/* out is a prefix of in, ends on a character boundary, fits. */
static void
clip_ok(const char *in, const char *label)
{
	char out[PAY_REASON_MAX + 1 + 8];
	size_t n, in_n = strlen(in);

	memset(out, 'Z', sizeof(out));
	pay_reason_clip(in, out);
	n = strnlen(out, sizeof(out));
	UNIT_CHECK(n <= PAY_REASON_MAX, "%s: %zu bytes", label, n);
	UNIT_CHECK(out[PAY_REASON_MAX + 1] == 'Z', "%s: wrote past the end",
	    label);
	UNIT_CHECK(n <= in_n && memcmp(out, in, n) == 0, "%s: not a prefix",
	    label);
	UNIT_CHECK(fd_utf8_text(out, n), "%s: cut inside a character", label);
	/* Maximal: only what does not fit whole is dropped. */
	if (in_n <= PAY_REASON_MAX)
		UNIT_CHECK(n == in_n, "%s: %zu of %zu bytes kept", label, n,
		    in_n);
	else
		UNIT_CHECK(n > PAY_REASON_MAX - 4 &&
		    ((unsigned char)in[n] & 0xc0) != 0x80,
		    "%s: %zu bytes kept", label, n);
}

static void
reason_clip(void)
{
	static const char *const chars[] = { "a", "é", "가", "🐟" };
	char in[200], label[64];
	char out[PAY_REASON_MAX + 1];
	size_t c, pre, i, off;

	pay_reason_clip(NULL, out);
	CU_ASSERT_STRING_EQUAL(out, "");
	pay_reason_clip("", out);
	CU_ASSERT_STRING_EQUAL(out, "");
	pay_reason_clip(PAY_REASON_VOID, out);
	CU_ASSERT_STRING_EQUAL(out, "void");
	pay_reason_clip("OrderCanceled", out);
	CU_ASSERT_STRING_EQUAL(out, "OrderCanceled");
	/* 64 bytes kept, 65 cut to 64. */
	memset(in, 'r', 65);
	in[64] = '\0';
	pay_reason_clip(in, out);
	CU_ASSERT_EQUAL(strlen(out), 64);
	in[64] = 'r';
	in[65] = '\0';
	pay_reason_clip(in, out);
	CU_ASSERT_EQUAL(strlen(out), 64);
	/* 가 is 3 bytes: 22 of them (66 bytes) keep 21 (63). */
	in[0] = '\0';
	for (i = 0; i < 22; i++)
		strcat(in, "가");
	pay_reason_clip(in, out);
	CU_ASSERT_EQUAL(strlen(out), 63);
	/* 0..3 ASCII bytes, then 1-, 2-, 3- and 4-byte characters. */
	for (c = 0; c < NELEM(chars); c++)
		for (pre = 0; pre < 4; pre++) {
			memset(in, 'p', pre);
			off = pre;
			while (off + strlen(chars[c]) < sizeof(in) - 1) {
				memcpy(in + off, chars[c], strlen(chars[c]));
				off += strlen(chars[c]);
				in[off] = '\0';
				snprintf(label, sizeof(label),
				    "%zu x 'p' + '%s' to %zu bytes", pre,
				    chars[c], off);
				clip_ok(in, label);
			}
		}
}

static void
visible(void)
{
	struct pay_payment p = stored(PAY_ST_APPROVED, 12, 25000);

	CU_ASSERT_EQUAL(pay_visible(&p, 12), 1);
	CU_ASSERT_EQUAL(pay_visible(&p, 13), 0);
	CU_ASSERT_EQUAL(pay_visible(&p, 0), 0);
	CU_ASSERT_EQUAL(pay_visible(&p, -12), 0);
	/* Whatever its status: refunded and declined ones are the payer's. */
	p.status = PAY_ST_REFUNDED;
	CU_ASSERT_EQUAL(pay_visible(&p, 12), 1);
	p.status = PAY_ST_DECLINED;
	CU_ASSERT_EQUAL(pay_visible(&p, 12), 1);
	/* No customer matches no customer. */
	p.customer_id = 0;
	CU_ASSERT_EQUAL(pay_visible(&p, 0), 0);
	p.customer_id = -1;
	CU_ASSERT_EQUAL(pay_visible(&p, -1), 0);
}

static void
status_names(void)
{
	static const struct {
		enum pay_status	 st;
		const char	*name;
	} rows[] = {
		{ PAY_ST_APPROVED, "Approved" },
		{ PAY_ST_DECLINED, "Declined" },
		{ PAY_ST_REFUNDED, "Refunded" },
		{ PAY_ST_VOIDED, "Voided" },
	};
	static const char *const bad[] = {
		"", "approved", "APPROVED", "Approved ", " Voided", "Void",
		"None", "Canceled", "Paid",
	};
	size_t i;

	for (i = 0; i < NELEM(rows); i++) {
		UNIT_CHECK(strcmp(pay_status_name(rows[i].st), rows[i].name) == 0,
		    "status %d named '%s'", rows[i].st,
		    pay_status_name(rows[i].st));
		UNIT_CHECK(pay_status_parse(rows[i].name) == rows[i].st,
		    "'%s' parses to %d", rows[i].name,
		    pay_status_parse(rows[i].name));
	}
	CU_ASSERT_STRING_EQUAL(pay_status_name(PAY_ST_NONE), "");
	CU_ASSERT_STRING_EQUAL(pay_status_name((enum pay_status)5), "");
	CU_ASSERT_STRING_EQUAL(pay_status_name((enum pay_status)7), "");
	for (i = 0; i < NELEM(bad); i++)
		UNIT_CHECK(pay_status_parse(bad[i]) == PAY_ST_NONE,
		    "'%s' parses to %d", bad[i], pay_status_parse(bad[i]));
}

static void
messages(void)
{
	enum pay_err e, f;

	for (e = PAY_OK; e <= PAY_E_INTERNAL; e++) {
		const char *m = pay_err_message(e);

		UNIT_CHECK(m != NULL && *m != '\0', "error %d: no message", e);
		for (f = PAY_OK; m != NULL && f < e; f++)
			UNIT_CHECK(strcmp(m, pay_err_message(f)) != 0,
			    "errors %d and %d share '%s'", f, e, m);
	}
	/* The messages state the bounds the domain enforces. */
	CU_ASSERT(strstr(pay_err_message(PAY_E_INPUT), "100,000,000,000") !=
	    NULL);
	CU_ASSERT(strstr(pay_err_message(PAY_E_CARD), "12 to 19") != NULL);
	CU_ASSERT_STRING_EQUAL(pay_err_message(PAY_E_INTERNAL),
	    "internal error");
}

static const struct unit_test tests[] = {
	{ "card normalisation", card_normalize },
	{ "card normalisation reads len bytes", card_normalize_len },
	{ "charge rules", charge_check },
	{ "the test acquirer's decision", decide },
	{ "a new payment keeps the last four", new_payment },
	{ "a replayed charge", replay },
	{ "a tombstone", tombstone },
	{ "refund transitions", refund },
	{ "refund reasons are clipped on characters", reason_clip },
	{ "only the payer sees a payment", visible },
	{ "status names round-trip", status_names },
	{ "messages", messages },
};

void
add_payment_domain_tests(void)
{
	UNIT_SUITE("payment domain", tests);
}
