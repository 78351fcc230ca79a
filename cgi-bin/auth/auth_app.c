/*
 * auth_app.c - the auth use cases: sign up, log in.
 *
 * Passwords are hashed with argon2id (libsodium's crypto_pwhash_str, cost
 * from FD_PWHASH_OPS / FD_PWHASH_MEM, interactive limits by default).
 * A customer's signup writes CustomerRegistered in the transaction that
 * creates the account: the order context's replica learns the profile
 * from it, whenever auth's relay delivers it (signups do not wait for it).
 */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "fd_auth.h"
#include "fd_db.h"
#include "fd_proc.h"

static unsigned long long
pw_ops(void)
{
	return (unsigned long long)fd_env_int("FD_PWHASH_OPS",
	    crypto_pwhash_OPSLIMIT_INTERACTIVE);
}

static size_t
pw_mem(void)
{
	return (size_t)fd_env_int("FD_PWHASH_MEM",
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

enum auth_err
auth_signup(struct auth_account *a, const char *password)
{
	enum auth_err e;
	int rc;

	if ((e = auth_account_check(a, password)) != AUTH_OK)
		return e;
	if (crypto_pwhash_str(a->hash, password, strlen(password), pw_ops(),
	    pw_mem()) != 0)
		return AUTH_E_INTERNAL;
	if (fd_db_begin() != FD_DB_OK)
		return AUTH_E_UNAVAILABLE;
	a->version = 1;
	if ((rc = auth_db_insert(a)) != 0) {
		fd_db_rollback();
		return rc == 1 ? AUTH_E_EXISTS : AUTH_E_UNAVAILABLE;
	}
	/* Owners are no customers: the order context has no use for them. */
	if (a->role == FD_ROLE_CUSTOMER &&
	    auth_profile_event("CustomerRegistered", a) != 0) {
		fd_db_rollback();
		return AUTH_E_UNAVAILABLE;
	}
	return fd_db_commit() == FD_DB_OK ? AUTH_OK : AUTH_E_UNAVAILABLE;
}

/*
 * A hash to verify against when the e-mail is unknown, so that a wrong
 * address costs as much time as a wrong password and reveals nothing.
 */
static const char *
dummy_hash(void)
{
	static char hash[crypto_pwhash_STRBYTES];

	if (hash[0] == '\0' && crypto_pwhash_str(hash, "not a password", 14,
	    pw_ops(), pw_mem()) != 0)
		return NULL;
	return hash;
}

enum auth_err
auth_login(const char *email, const char *password, struct auth_token *out)
{
	struct auth_account a;
	char norm[AUTH_EMAIL_MAX + 1];
	const unsigned char *key;
	size_t keylen;
	const char *hash;
	int rc = 1;

	memset(out, 0, sizeof(*out));
	if (auth_email_normalize(email, norm, sizeof(norm)) == AUTH_OK) {
		if (fd_db_begin() != FD_DB_OK)
			return AUTH_E_UNAVAILABLE;
		rc = auth_db_by_email(norm, &a);
		fd_db_rollback();
		if (rc < 0)
			return AUTH_E_UNAVAILABLE;
	}
	hash = rc == 0 ? a.hash : dummy_hash();
	if (hash == NULL || crypto_pwhash_str_verify(hash, password,
	    strlen(password)) != 0 || rc != 0) {
		sodium_memzero(&a, sizeof(a));
		return AUTH_E_CREDENTIALS;
	}
	out->ttl = fd_env_int("FD_JWT_TTL", 3600);
	out->claims.sub = a.id;
	out->claims.role = a.role;
	out->claims.store = a.store_id;
	out->claims.iat = (long long)time(NULL);
	out->claims.exp = out->claims.iat + out->ttl;
	key = fd_jwt_key(&keylen);
	sodium_memzero(&a, sizeof(a));
	if (fd_jwt_sign(key, keylen, &out->claims, out->token,
	    sizeof(out->token)) != 0)
		return AUTH_E_INTERNAL;
	return AUTH_OK;
}
