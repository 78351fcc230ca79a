/*
 * pay_db.c - the payments table and the outbox (MariaDB adapter).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_db.h"
#include "fd_event_payment.h"
#include "fd_outbox.h"
#include "pay.h"

/*
 * Times leave the database as Unix milliseconds: UNIX_TIMESTAMP() does not
 * depend on the session's time zone, and the adapters format them as UTC.
 * NULL (never approved, never refunded) reads as 0.
 */
#define PAY_COLS							\
	"SELECT id, order_id, customer_id, amount, status,"		\
	" card_last4,"							\
	" CAST(FLOOR(UNIX_TIMESTAMP(approved_at) * 1000) AS SIGNED),"	\
	" CAST(FLOOR(UNIX_TIMESTAMP(refunded_at) * 1000) AS SIGNED)"	\
	" FROM payments WHERE order_id = ?"

static int
fetch_one(struct fd_q *q, struct pay_payment *p)
{
	char status[16];
	int rc;

	memset(p, 0, sizeof(*p));
	if (fd_q_out(q, "llllssll", &p->id, &p->order_id,
	    &p->customer_id, &p->amount, status, sizeof(status),
	    p->card_last4, sizeof(p->card_last4), &p->approved_ms,
	    &p->refunded_ms) != FD_DB_OK)
		return -1;
	if ((rc = fd_q_fetch(q)) == 1 &&
	    (p->status = pay_status_parse(status)) == PAY_ST_NONE)
		rc = -1;	/* the ENUM and the code disagree */
	return rc;
}

int
pay_db_get(long long order_id, struct pay_payment *p)
{
	static const char sql[] = PAY_COLS;
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "l", order_id) == FD_DB_OK)
		rc = fetch_one(&q, p);
	fd_q_close(&q);
	return rc;
}

/*
 * The row, locked until the unit of work ends, so that a charge, a void
 * and a refund of one order are applied one after the other.  When there
 * is no row nothing is locked (READ COMMITTED takes no gap locks): two
 * first charges may both get here, and the UNIQUE order_id lets only one
 * of them insert.
 */
int
pay_db_lock(long long order_id, struct pay_payment *p)
{
	static const char sql[] = PAY_COLS " FOR UPDATE";
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "l", order_id) == FD_DB_OK)
		rc = fetch_one(&q, p);
	fd_q_close(&q);
	return rc;
}

int
pay_db_insert(struct pay_payment *p)
{
	static const char sql[] =
	    "INSERT INTO payments (order_id, customer_id, amount, status,"
	    " card_last4, approved_at) VALUES (?, ?, ?, ?, ?,"
	    " IF(?, NOW(6), NULL))";
	struct fd_q q;
	enum fd_db_rc rc;

	rc = fd_q_exec(&q, sql, "lllssi", p->order_id, p->customer_id,
	    p->amount, pay_status_name(p->status),
	    p->card_last4[0] != '\0' ? p->card_last4 : NULL,
	    p->status == PAY_ST_APPROVED);
	if (rc == FD_DB_OK)
		p->id = (long long)fd_q_insert_id(&q);
	fd_q_close(&q);
	if (rc == FD_DB_DUP)
		return 1;
	return rc == FD_DB_OK ? 0 : -1;
}

/*
 * Only from Approved: the caller holds the row's lock and the domain said
 * so, and the condition keeps a mistake from refunding twice.
 */
int
pay_db_refund(const struct pay_payment *p, const char *reason)
{
	static const char sql[] =
	    "UPDATE payments SET status = 'Refunded', refunded_at = NOW(6),"
	    " refund_reason = ? WHERE id = ? AND status = 'Approved'";
	struct fd_q q;
	enum fd_db_rc rc;
	int n = -1;

	rc = fd_q_exec(&q, sql, "sl", reason[0] != '\0' ? reason : NULL, p->id);
	if (rc == FD_DB_OK)
		n = (int)fd_q_affected(&q);
	fd_q_close(&q);
	return n == 1 ? 0 : -1;
}

int
pay_db_event(enum pay_event ev, const struct pay_payment *p)
{
	struct fd_pay_approved e;
	json_object *o;
	const char *type;
	char key[24];

	memset(&e, 0, sizeof(e));
	e.payment_id = p->id;
	e.order_id = p->order_id;
	e.amount = p->amount;
	e.customer_id = p->customer_id;
	switch (ev) {
	case PAY_EV_APPROVED:
		type = "PayApproved";
		o = fd_pay_approved_encode(&e);
		break;
	case PAY_EV_CANCELED:
		type = "PayCanceled";
		o = fd_pay_canceled_encode(&e);
		break;
	default:
		return 0;
	}
	/* The order's events stay in order for its subscribers: one key. */
	snprintf(key, sizeof(key), "%lld", p->order_id);
	return fd_outbox_add(type, key, o, NULL) == FD_DB_OK ? 0 : -1;
}
