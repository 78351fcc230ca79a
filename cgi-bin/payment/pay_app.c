/*
 * pay_app.c - payment use cases: charge an order (idempotent per
 * order), void it (reconciliation), refund it (cancel, reject) and show it
 * to its customer.  Each is one unit of work: the payment's new state and
 * its event commit together or not at all.
 */
#include "fd_db.h"
#include "fd_proc.h"
#include "pay.h"

/*
 * Charges c once per order.  *created says whether this call made the
 * payment (201) or found an earlier one for the same charge (200): a
 * retry of a timed-out call must not take the money twice.  PAY_OK means
 * approved, PAY_E_DECLINED declined; with PAY_E_CONFLICT out holds the
 * payment that is in the way.
 */
static enum pay_err
charge_once(const struct pay_charge *c, struct pay_payment *out, int *created)
{
	char digits[PAY_CARD_MAX + 1];
	enum pay_event ev;
	enum pay_err e;
	int tries, rc;

	*created = 0;
	if ((e = pay_charge_check(c, digits)) != PAY_OK)
		return e;
	/*
	 * The insert first: a first charge, nearly every one, is the
	 * payment's row and its event and nothing else.  When the order has
	 * a payment already, the UNIQUE order_id refuses the insert (once
	 * the unit of work that wrote it has committed; if that one rolls
	 * back, ours goes in) and a second unit of work reads the payment
	 * and answers as a replay.  Twice at most: retrying is safe because
	 * nothing of the first round was kept.
	 */
	for (tries = 0; tries < 2; tries++) {
		if (fd_db_begin() != FD_DB_OK)
			return PAY_E_UNAVAILABLE;
		ev = pay_new(out, c, digits);
		if ((rc = pay_db_insert(out)) == 0) {
			if (pay_db_event(ev, out) != 0)
				goto unavailable;
			if (fd_db_commit() != FD_DB_OK)
				return PAY_E_UNAVAILABLE;
			*created = 1;
			return out->status == PAY_ST_APPROVED ? PAY_OK :
			    PAY_E_DECLINED;
		}
		fd_db_rollback();
		if (rc != 1 || fd_db_begin() != FD_DB_OK)
			return PAY_E_UNAVAILABLE;
		rc = pay_db_get(c->order_id, out);
		fd_db_rollback();
		if (rc < 0)
			return PAY_E_UNAVAILABLE;
		if (rc == 1)
			return pay_replay(out, c);
	}
	/* The winner's row went away between our two rounds. */
	fd_log("charge of order %lld lost the insert race twice", c->order_id);
	return PAY_E_UNAVAILABLE;
unavailable:
	fd_db_rollback();
	return PAY_E_UNAVAILABLE;
}

/*
 * A charge that met a deadlock (fd_db_retry()) is run again whole: it is
 * idempotent by nature, once per order (UNIQUE order_id), and the unit
 * that met it was rolled back with nothing kept.
 */
enum pay_err
pay_charge(const struct pay_charge *c, struct pay_payment *out, int *created)
{
	enum pay_err e;
	int attempt = 0;

	while ((e = charge_once(c, out, created)) == PAY_E_UNAVAILABLE &&
	    fd_db_retry(&attempt))
		;
	return e;
}

/*
 * Gives back the money order_id's payment took, if any.  With tombstone
 * set, an order that has no payment gets a Voided row instead, so that a
 * charge arriving late (a slow call the order context already gave up
 * on) can never approve.  A payment that took no money or already gave
 * it back stays as it is: either way out->status is the final state.
 */
static enum pay_err
give_back_once(long long order_id, const char *reason, int tombstone,
    struct pay_payment *out)
{
	char why[PAY_REASON_MAX + 1];
	struct pay_payment mine;
	enum pay_event ev;
	int tries, rc;

	if (out == NULL)
		out = &mine;
	pay_reason_clip(reason, why);
	/* Twice at most, as in pay_charge(): a charge may insert first. */
	for (tries = 0; tries < 2; tries++) {
		if (fd_db_begin() != FD_DB_OK)
			return PAY_E_UNAVAILABLE;
		if ((rc = pay_db_lock(order_id, out)) < 0)
			goto unavailable;
		if (rc == 0 && !tombstone) {
			fd_db_rollback();
			return PAY_E_NOT_FOUND;
		}
		if (rc == 0) {
			pay_tombstone(out, order_id);
			if ((rc = pay_db_insert(out)) == 1) {
				/* A charge got in first: give that one back. */
				fd_db_rollback();
				continue;
			}
			if (rc != 0)
				goto unavailable;
		} else if ((ev = pay_refund_apply(out)) == PAY_EV_NONE) {
			fd_db_rollback();
			return PAY_OK;
		} else if (pay_db_refund(out, why) != 0 ||
		    pay_db_event(ev, out) != 0)
			goto unavailable;
		if (fd_db_commit() != FD_DB_OK)
			return PAY_E_UNAVAILABLE;
		/* Money moved (or never will): worth a line in the log. */
		fd_log("order %lld: payment %lld %s (%s)", order_id, out->id,
		    pay_status_name(out->status), why);
		return PAY_OK;
	}
	fd_log("void of order %lld lost the insert race twice", order_id);
	return PAY_E_UNAVAILABLE;
unavailable:
	fd_db_rollback();
	return PAY_E_UNAVAILABLE;
}

/* Run again after a deadlock, as a charge: a refund or a void moves the
 * money back once whatever runs it (pay_refund_apply()). */
static enum pay_err
give_back(long long order_id, const char *reason, int tombstone,
    struct pay_payment *out)
{
	enum pay_err e;
	int attempt = 0;

	while ((e = give_back_once(order_id, reason, tombstone, out)) ==
	    PAY_E_UNAVAILABLE && fd_db_retry(&attempt))
		;
	return e;
}

/* Reconciliation: no money is ever kept for an order that does not exist. */
enum pay_err
pay_void(long long order_id, struct pay_payment *out)
{
	return give_back(order_id, PAY_REASON_VOID, 1, out);
}

/*
 * The order was canceled or rejected (reason: the event type, say).
 * PAY_E_NOT_FOUND if the order has no payment at all.  out, if not NULL,
 * receives the payment as it ends up.
 */
enum pay_err
pay_refund(long long order_id, const char *reason, struct pay_payment *out)
{
	return give_back(order_id, reason, 0, out);
}

/* Not found, rather than forbidden, for anyone else: ids reveal nothing. */
enum pay_err
pay_get(long long order_id, long long customer_id, struct pay_payment *out)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return PAY_E_UNAVAILABLE;
	rc = pay_db_get(order_id, out);
	fd_db_rollback();
	if (rc < 0)
		return PAY_E_UNAVAILABLE;
	return rc == 1 && pay_visible(out, customer_id) ? PAY_OK :
	    PAY_E_NOT_FOUND;
}

/*
 * The refund policy of OrderCanceled and OrderRejected, inside the
 * consumer's unit of work (lib/fd_consumer.c commits it with the inbox
 * row).  An order without a payment here has nothing to give back.
 * Returns 0, or -1 on a database error.
 */
int
pay_refund_policy(long long order_id, const char *reason)
{
	char why[PAY_REASON_MAX + 1];
	struct pay_payment p;
	enum pay_event ev;
	int rc;

	pay_reason_clip(reason, why);
	if ((rc = pay_db_lock(order_id, &p)) <= 0)
		return rc;
	if ((ev = pay_refund_apply(&p)) == PAY_EV_NONE)
		return 0;
	if (pay_db_refund(&p, why) != 0 || pay_db_event(ev, &p) != 0)
		return -1;
	fd_log("order %lld: payment %lld refunded (%s)", order_id, p.id, why);
	return 0;
}
