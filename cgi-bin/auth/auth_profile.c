/*
 * auth_profile.c - the profile's use cases: who the caller is (GET
 * /auth/me) and a customer's change of name, phone or address (PATCH
 * /auth/me).
 *
 * A change is taken under the account's row lock and written with its
 * CustomerProfileChanged in the same transaction, the profile's version
 * one higher: two changes at once line up on the lock, so their versions
 * follow their commit order, and the order context's replica, which keeps
 * the highest version it has seen, ends on the last one whatever order
 * their events arrive in.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "fd_event_auth.h"
#include "fd_db.h"
#include "fd_outbox.h"

int
auth_profile_event(const char *type, const struct auth_account *a)
{
	struct fd_customer c;
	char key[24];

	memset(&c, 0, sizeof(c));
	c.customer_id = a->id;
	c.version = a->version;
	snprintf(c.name, sizeof(c.name), "%s", a->name);
	snprintf(c.phone, sizeof(c.phone), "%s", a->phone);
	snprintf(c.address, sizeof(c.address), "%s", a->address);
	/* The customer is the aggregate: the relay keeps one customer's
	 * events in commit order. */
	snprintf(key, sizeof(key), "%lld", a->id);
	return fd_outbox_add(type, key, fd_customer_encode(&c), NULL) ==
	    FD_DB_OK ? 0 : -1;
}

enum auth_err
auth_me(long long id, struct auth_account *out)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return AUTH_E_UNAVAILABLE;
	rc = auth_db_by_id(id, 0, out);
	fd_db_rollback();
	memset(out->hash, 0, sizeof(out->hash));
	if (rc < 0)
		return AUTH_E_UNAVAILABLE;
	return rc == 0 ? AUTH_OK : AUTH_E_NOT_FOUND;
}

enum auth_err
auth_profile_change(long long id, const struct auth_profile_patch *p,
    struct auth_account *out)
{
	enum auth_err e;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((e = auth_profile_check(p)) != AUTH_OK)
		return e;
	if (fd_db_begin() != FD_DB_OK)
		return AUTH_E_UNAVAILABLE;
	if ((rc = auth_db_by_id(id, 1, out)) != 0) {
		fd_db_rollback();
		return rc < 0 ? AUTH_E_UNAVAILABLE : AUTH_E_NOT_FOUND;
	}
	memset(out->hash, 0, sizeof(out->hash));
	if (out->role != FD_ROLE_CUSTOMER) {
		fd_db_rollback();
		return AUTH_E_NOT_FOUND;
	}
	/* Nothing new: no version, no event, nothing to commit. */
	if (!auth_profile_apply(out, p)) {
		fd_db_rollback();
		return AUTH_OK;
	}
	if (auth_db_update_profile(out) != 0 ||
	    auth_profile_event("CustomerProfileChanged", out) != 0) {
		fd_db_rollback();
		return AUTH_E_UNAVAILABLE;
	}
	return fd_db_commit() == FD_DB_OK ? AUTH_OK : AUTH_E_UNAVAILABLE;
}
