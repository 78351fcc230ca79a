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

/* One account's row from an executed SELECT of ACCOUNT_COLUMNS. */
#define ACCOUNT_COLUMNS							\
	"SELECT id, email, password_hash, name, phone, address,"	\
	" profile_version, role, COALESCE(store_id, 0) FROM accounts"

static int
fetch_account(struct fd_q *q, enum fd_db_rc rc, struct auth_account *a)
{
	char role[16];
	int got = -1;

	if (rc == FD_DB_OK && fd_q_out(q, "lssssslsl", &a->id, a->email,
	    sizeof(a->email), a->hash, sizeof(a->hash), a->name,
	    sizeof(a->name), a->phone, sizeof(a->phone), a->address,
	    sizeof(a->address), &a->version, role, sizeof(role),
	    &a->store_id) == FD_DB_OK)
		got = fd_q_fetch(q);
	fd_q_close(q);
	if (got == 1)
		a->role = fd_role_parse(role);
	return got == 1 ? 0 : got == 0 ? 1 : -1;
}

int
auth_db_by_email(const char *email, struct auth_account *a)
{
	static const char sql[] = ACCOUNT_COLUMNS " WHERE email = ?";
	struct fd_q q;

	memset(a, 0, sizeof(*a));
	return fetch_account(&q, fd_q_exec(&q, sql, "s", email), a);
}

int
auth_db_by_id(long long id, int lock, struct auth_account *a)
{
	static const char sql[] = ACCOUNT_COLUMNS " WHERE id = ?";
	static const char sql_lock[] = ACCOUNT_COLUMNS
	    " WHERE id = ? FOR UPDATE";
	struct fd_q q;

	memset(a, 0, sizeof(*a));
	return fetch_account(&q, fd_q_exec(&q, lock ? sql_lock : sql, "l",
	    id), a);
}

int
auth_db_update_profile(const struct auth_account *a)
{
	static const char sql[] =
	    "UPDATE accounts SET name = ?, phone = ?, address = ?,"
	    " profile_version = ? WHERE id = ?";

	return fd_db_exec(sql, "sssll", a->name, a->phone, a->address,
	    a->version, a->id) == 0 ? 0 : -1;
}
