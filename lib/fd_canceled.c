/*
 * fd_canceled.c - the canceled_orders table (see fd_canceled.h).
 */
#include "fd_canceled.h"
#include "fd_db.h"

int
fd_canceled_add(long long order_id, const char *reason)
{
	static const char sql[] =
	    "INSERT INTO canceled_orders (order_id, reason) VALUES (?, ?)"
	    " ON DUPLICATE KEY UPDATE order_id = order_id";
	struct fd_q q;
	enum fd_db_rc rc;

	rc = fd_q_exec(&q, sql, "ls", order_id, reason);
	fd_q_close(&q);
	return rc == FD_DB_OK ? 0 : -1;
}

int
fd_canceled_reason(long long order_id, int lock, char *reason, size_t sz)
{
	static const char sql[] =
	    "SELECT reason FROM canceled_orders WHERE order_id = ?";
	static const char sql_lock[] =
	    "SELECT reason FROM canceled_orders WHERE order_id = ? FOR UPDATE";
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, lock ? sql_lock : sql, "l", order_id) == FD_DB_OK &&
	    fd_q_out(&q, "s", reason, sz) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	return rc;
}
