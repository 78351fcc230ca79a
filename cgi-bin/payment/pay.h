/*
 * pay.h - the payment context: charges, refunds and voids.
 *
 * pay_domain.c is pure (card rules, the approve/decline decision, the
 * state transitions and the events they produce); pay_app.c holds the
 * use cases over pay_db.c; pay_http.c is the HTTP adapter.  The
 * relay (later) calls pay_refund() directly, a second inbound adapter over
 * the same use case.
 *
 * A payment moves Approved -> Refunded; Declined and Voided are final.
 * Voided is a tombstone: the order context found no order for this id, so
 * no payment may ever be approved for it.
 */
#ifndef PAY_H
#define PAY_H

#include <stddef.h>

enum pay_err {
	PAY_OK = 0,
	PAY_E_INPUT,		/* a value outside the rules */
	PAY_E_CARD,		/* not a card number */
	PAY_E_DECLINED,		/* the card was declined (out is filled) */
	PAY_E_CONFLICT,		/* the order's payment differs or is over */
	PAY_E_NOT_FOUND,
	PAY_E_UNAVAILABLE,	/* the database does not answer */
	PAY_E_INTERNAL
};

enum pay_status {
	PAY_ST_NONE = 0,	/* not a stored status */
	PAY_ST_APPROVED,
	PAY_ST_DECLINED,
	PAY_ST_REFUNDED,
	PAY_ST_VOIDED
};

/* The events a transition produces (see SPEC.md: PayApproved, PayCanceled). */
enum pay_event {
	PAY_EV_NONE = 0,
	PAY_EV_APPROVED,
	PAY_EV_CANCELED
};

#define PAY_ID_MAX	1000000000000000LL	/* orderId, customerId */
#define PAY_AMOUNT_MAX	100000000000LL		/* KRW */
#define PAY_CARD_MIN	12			/* digits */
#define PAY_CARD_MAX	19
#define PAY_REASON_MAX	64			/* refund_reason, bytes */
#define PAY_REASON_VOID	"void"		/* refunded by reconciliation */

/* The test card that is always declined (SPEC.md). */
#define PAY_CARD_DECLINED	"4000000000000002"

/* What the order context asks for: POST /payments. */
struct pay_charge {
	long long	 order_id;
	long long	 customer_id;
	long long	 amount;
	const char	*card;		/* borrowed, as sent; NULL: none */
	size_t		 card_len;
};

struct pay_payment {
	long long	 id;
	long long	 order_id;
	long long	 customer_id;	/* 0 in a tombstone */
	long long	 amount;	/* 0 in a tombstone */
	enum pay_status	 status;
	char		 card_last4[5];	/* "" if no card was given */
	long long	 approved_ms;	/* Unix time in ms, 0 if never */
	long long	 refunded_ms;
};

/* pay_domain.c: pure rules. */
enum pay_err	 pay_card_normalize(const char *card, size_t len,
		    char digits[PAY_CARD_MAX + 1]);
enum pay_err	 pay_charge_check(const struct pay_charge *c,
		    char digits[PAY_CARD_MAX + 1]);
enum pay_status	 pay_decide(const char *digits);
enum pay_event	 pay_new(struct pay_payment *p, const struct pay_charge *c,
		    const char *digits);
enum pay_err	 pay_replay(const struct pay_payment *p,
		    const struct pay_charge *c);
void		 pay_tombstone(struct pay_payment *p, long long order_id);
enum pay_event	 pay_refund_apply(struct pay_payment *p);
void		 pay_reason_clip(const char *reason,
		    char out[PAY_REASON_MAX + 1]);
int		 pay_visible(const struct pay_payment *p, long long customer_id);
const char	*pay_status_name(enum pay_status);
enum pay_status	 pay_status_parse(const char *);
const char	*pay_err_message(enum pay_err);

/*
 * pay_db.c: each runs inside the caller's unit of work.
 * Lookups return 1 (found), 0 (none) or -1; writes 0, 1 (duplicate
 * order_id) or -1.
 */
int		 pay_db_get(long long order_id, struct pay_payment *p);
int		 pay_db_lock(long long order_id, struct pay_payment *p);
int		 pay_db_insert(struct pay_payment *p);	/* fills id */
int		 pay_db_refund(const struct pay_payment *p, const char *reason);
int		 pay_db_event(enum pay_event, const struct pay_payment *p);

/* pay_app.c: the use cases. */
enum pay_err	 pay_charge(const struct pay_charge *c, struct pay_payment *out,
		    int *created);
enum pay_err	 pay_void(long long order_id, struct pay_payment *out);
enum pay_err	 pay_refund(long long order_id, const char *reason,
		    struct pay_payment *out);	/* out may be NULL */
int		 pay_refund_policy(long long order_id, const char *reason);

/* pay_events.c: the subscriber's policies (fd_app.apply_event). */
struct json_object;
int		 pay_apply_event(const char *type, struct json_object *ev,
		    char *err, size_t errsz);
enum pay_err	 pay_get(long long order_id, long long customer_id,
		    struct pay_payment *out);

#endif
