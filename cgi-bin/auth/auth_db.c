/*
 * auth_db.c - the accounts table (MariaDB outbound adapter).
 * Both run inside the caller's unit of work.  0 = OK; 1 = duplicate /
 * not found; -1 = database error.
 */
#include <string.h>

#include "auth.h"
#include "fd_db.h"

int
auth_db_insert(struct auth_account *a)
{
	static const char sql[] =
	    "INSERT INTO accounts (email, password_hash, name, phone, address,"
	    " role, store_id) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0))";
	struct fd_q q;
	enum fd_db_rc rc;

	rc = fd_q_exec(&q, sql, "ssssssl", a->email, a->hash, a->name, a->phone,
	    a->address, fd_role_name(a->role), a->store_id);
	if (rc == FD_DB_OK)
		a->id = (long long)fd_q_insert_id(&q);
	fd_q_close(&q);
	return rc == FD_DB_OK ? 0 : rc == FD_DB_DUP ? 1 : -1;
}

int
auth_db_by_email(const char *email, struct auth_account *a)
{
	static const char sql[] =
	    "SELECT id, email, password_hash, name, phone, address, role,"
	    " COALESCE(store_id, 0) FROM accounts WHERE email = ?";
	char role[16];
	struct fd_q q;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	if (fd_q_exec(&q, sql, "s", email) == FD_DB_OK &&
	    fd_q_out(&q, "lssssssl",
	    &a->id, a->email, sizeof(a->email), a->hash, sizeof(a->hash),
	    a->name, sizeof(a->name), a->phone, sizeof(a->phone),
	    a->address, sizeof(a->address), role, sizeof(role),
	    &a->store_id) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	if (rc == 1)
		a->role = fd_role_parse(role);
	return rc == 1 ? 0 : rc == 0 ? 1 : -1;
}
