/*
 * order_view_db.c - the MyPage view table (MariaDB adapter).
 */
#include <stdio.h>
#include <string.h>

#include "fd_db.h"
#include "order.h"

/*
 * An event's occurredAt, or now if it has none that parses; a step's time
 * as UTC ISO 8601.  Both as they are only because the session's zone is
 * UTC (fd_db.c): STR_TO_DATE's value and DATE_FORMAT's are in it.
 */
#define AT	"COALESCE(STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%s.%fZ'), NOW(6))"
#define TS(c)	"COALESCE(DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%s.%fZ'), '')"

/*
 * Locks the order's row, starting it if no event of the order came before
 * (any event may be the first to arrive): usually one statement.  Under
 * READ COMMITTED the locking read of a missing row takes no gap lock, so
 * two first events of one order line up behind the insert, never deadlock.
 */
int
order_view_db_lock(long long order_id, long long *customer,
    enum order_status *status, char *payment, size_t psz, char *delivery,
    size_t dsz)
{
	static const char sql_touch[] =
	    "INSERT IGNORE INTO mypage (order_id) VALUES (?)";
	static const char sql[] =
	    "SELECT COALESCE(customer_id, 0), status, COALESCE(payment_state, ''),"
	    " COALESCE(delivery_state, '') FROM mypage WHERE order_id = ?"
	    " FOR UPDATE";
	char st[20];
	struct fd_q q;
	int rc, tries;

	for (tries = 0; tries < 2; tries++) {
		rc = -1;
		if (fd_q_exec(&q, sql, "l", order_id) == FD_DB_OK &&
		    fd_q_out(&q, "lsss", customer, st, sizeof(st), payment, psz,
		    delivery, dsz) == FD_DB_OK)
			rc = fd_q_fetch(&q);
		fd_q_close(&q);
		if (rc != 0)
			break;
		if (tries == 0 && fd_db_exec(sql_touch, "l", order_id) != 0)
			return -1;
	}
	if (rc != 1 || order_status_parse(st, status) != 0)
		return -1;
	return 0;
}

/*
 * OrderPlaced in one statement: the row, started or completed (another
 * event of the order may have started it), with the placed step's time.
 */
int
order_view_db_placed(const struct order_view_event *e)
{
	static const char sql[] =
	    "INSERT INTO mypage (order_id, customer_id, store_id, amount, items,"
	    " store_name, placed_at) VALUES (?, ?, ?, ?, ?, (SELECT name FROM"
	    " store_names WHERE store_id = ?), " AT ") ON DUPLICATE KEY UPDATE"
	    " customer_id = VALUES(customer_id), store_id = VALUES(store_id),"
	    " amount = VALUES(amount), items = VALUES(items),"
	    " store_name = VALUES(store_name),"
	    " placed_at = COALESCE(placed_at, VALUES(placed_at))";

	return fd_db_exec(sql, "llllsls", e->order_id, e->customer_id,
	    e->store_id, e->amount, e->items, e->store_id, e->at);
}

/*
 * A payment's event needs nothing of the row but its own column: approved
 * unless already refunded (a late approval), refunded whatever came
 * before, and the step's first time.
 */
int
order_view_db_payment(long long order_id, int refunded, const char *at)
{
	static const char sql_approved[] =
	    "INSERT INTO mypage (order_id, payment_state, paid_at) VALUES"
	    " (?, 'approved', " AT ") ON DUPLICATE KEY UPDATE"
	    " payment_state = IF(payment_state <=> 'refunded', payment_state,"
	    " 'approved'), paid_at = COALESCE(paid_at, VALUES(paid_at))";
	static const char sql_refunded[] =
	    "INSERT INTO mypage (order_id, payment_state, refunded_at) VALUES"
	    " (?, 'refunded', " AT ") ON DUPLICATE KEY UPDATE"
	    " payment_state = 'refunded',"
	    " refunded_at = COALESCE(refunded_at, VALUES(refunded_at))";

	return fd_db_exec(refunded ? sql_refunded : sql_approved, "ls",
	    order_id, at);
}

int
order_view_db_change(const struct order_view_change *c)
{
	/* One statement per step column (the last: no step); a NULL
	 * parameter leaves its column as it is. */
#define SET	"UPDATE mypage SET status = COALESCE(?, status),"	\
		" reason = COALESCE(NULLIF(?, ''), reason),"		\
		" payment_state = COALESCE(?, payment_state),"		\
		" delivery_state = COALESCE(?, delivery_state),"	\
		" ready_by = COALESCE(STR_TO_DATE(?,"			\
		" '%Y-%m-%dT%H:%i:%s.%fZ'), ready_by),"			\
		" reason_code = COALESCE(?, reason_code)"
#define STEP(c)	SET ", " c " = COALESCE(" c ", " AT ") WHERE order_id = ?"
	static const char *const sql[] = {
		[ORDER_STEP_PLACED] = STEP("placed_at"),
		[ORDER_STEP_PAID] = STEP("paid_at"),
		[ORDER_STEP_ACCEPTED] = STEP("accepted_at"),
		[ORDER_STEP_PREPARED] = STEP("prepared_at"),
		[ORDER_STEP_DELIVERY_STARTED] = STEP("delivery_started_at"),
		[ORDER_STEP_DELIVERED] = STEP("delivered_at"),
		[ORDER_STEP_CANCELED] = STEP("canceled_at"),
		[ORDER_STEP_REJECTED] = STEP("rejected_at"),
		[ORDER_STEP_REFUNDED] = STEP("refunded_at"),
		[ORDER_STEP_DELIVERY_CANCELED] = STEP("delivery_canceled_at"),
	};
	static const char sql_nostep[] = SET " WHERE order_id = ?";
#undef STEP
#undef SET

	if (c->step >= 0 && (size_t)c->step < sizeof(sql) / sizeof(sql[0]))
		return fd_db_exec(sql[c->step], "sssssssl", c->status,
		    c->status ? c->reason : NULL, c->payment, c->delivery,
		    c->ready_by, c->reason_code, c->at,
		    c->order_id);	/* at NULL: now */
	if (c->status == NULL && c->payment == NULL && c->delivery == NULL &&
	    c->ready_by == NULL && c->reason_code == NULL)
		return 0;
	return fd_db_exec(sql_nostep, "ssssssl", c->status,
	    c->status ? c->reason : NULL, c->payment, c->delivery, c->ready_by,
	    c->reason_code, c->order_id);
}

int
order_view_db_rows(long long customer, long long order_id, order_view_fn fn,
    void *arg)
{
	/* The newest 50 of the customer's orders, or the one asked for. */
	static const char sql[] =
	    "SELECT order_id, COALESCE(store_id, 0), COALESCE(amount, 0),"
	    " COALESCE(store_name, ''), COALESCE(items, '[]'), status,"
	    " COALESCE(payment_state, ''), COALESCE(delivery_state, ''),"
	    " COALESCE(reason, ''), " TS("ready_by") ", COALESCE(reason_code,"
	    " ''), " TS("placed_at") ", " TS("paid_at") ", "
	    TS("accepted_at") ", " TS("prepared_at") ", "
	    TS("delivery_started_at") ", " TS("delivered_at") ", "
	    TS("canceled_at") ", " TS("rejected_at") ", " TS("refunded_at") ", "
	    TS("delivery_canceled_at") " FROM mypage WHERE customer_id = ?"
	    " AND (? = 0 OR order_id = ?) ORDER BY order_id DESC LIMIT 50";
	static struct order_view_row r;
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "lll", customer, order_id, order_id) == FD_DB_OK &&
	    fd_q_out(&q, "lllssssssssssssssssss", &r.order_id, &r.store_id,
	    &r.amount, r.store_name, sizeof(r.store_name), r.items,
	    sizeof(r.items), r.status, sizeof(r.status), r.payment,
	    sizeof(r.payment), r.delivery, sizeof(r.delivery), r.reason,
	    sizeof(r.reason), r.ready_by, sizeof(r.ready_by), r.reason_code,
	    sizeof(r.reason_code), r.at[0], sizeof(r.at[0]), r.at[1],
	    sizeof(r.at[1]), r.at[2], sizeof(r.at[2]), r.at[3], sizeof(r.at[3]),
	    r.at[4], sizeof(r.at[4]), r.at[5], sizeof(r.at[5]), r.at[6],
	    sizeof(r.at[6]), r.at[7], sizeof(r.at[7]), r.at[8], sizeof(r.at[8]),
	    r.at[9], sizeof(r.at[9])) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (fn(arg, &r) != 0) {
				rc = -1;
				break;
			}
	fd_q_close(&q);
	return rc < 0 ? -1 : 0;
}
