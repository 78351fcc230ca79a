/*
 * auth.h - the auth context: accounts, password hashes, tokens.
 *
 * auth_domain.c is pure (rules for accounts and profiles); auth_app.c holds
 * the use cases (signup, login, adding an owner) and auth_profile.c the
 * profile's (reading it, changing it) over auth_db.c; auth_http.c and the
 * command line in auth_main.c are the two inbound adapters.  A customer's
 * signup and every change of a profile write their event
 * (CustomerRegistered, CustomerProfileChanged: lib/fd_event_auth.h) to
 * auth's outbox in the same transaction; the order context keeps a
 * replica of it.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>

#include "fd_jwt.h"

enum auth_err {
	AUTH_OK = 0,
	AUTH_E_EMAIL,		/* not an e-mail address */
	AUTH_E_PASSWORD,	/* too short or too long */
	AUTH_E_NAME,
	AUTH_E_PHONE,
	AUTH_E_ADDRESS,
	AUTH_E_STORE,
	AUTH_E_EXISTS,		/* e-mail already registered */
	AUTH_E_CREDENTIALS,	/* wrong e-mail or password */
	AUTH_E_EMPTY,		/* a profile change that names no field */
	AUTH_E_NOT_FOUND,	/* no such account */
	AUTH_E_UNAVAILABLE,	/* database down */
	AUTH_E_INTERNAL
};

#define AUTH_EMAIL_MAX	254
#define AUTH_PW_MIN	8
#define AUTH_PW_MAX	128

struct auth_account {
	long long	 id;
	char		 email[AUTH_EMAIL_MAX + 1];
	char		 hash[128];		/* crypto_pwhash_STRBYTES */
	char		 name[241];		/* 60 characters of UTF-8 */
	char		 phone[21];
	char		 address[801];		/* 200 characters */
	long long	 version;		/* the profile's, from 1 */
	enum fd_role	 role;
	long long	 store_id;		/* owners only */
};

/* A change of a profile: NULL leaves a field as it is. */
struct auth_profile_patch {
	const char	*name;
	const char	*phone;
	const char	*address;
};

/* auth_domain.c: pure rules. */
enum auth_err	 auth_email_normalize(const char *in, char *out, size_t outsz);
enum auth_err	 auth_password_check(const char *pw);
enum auth_err	 auth_account_check(struct auth_account *a, const char *pw);
/* Each field the patch names, by signup's rules; AUTH_E_EMPTY if none. */
enum auth_err	 auth_profile_check(const struct auth_profile_patch *p);
/* Applies a checked patch to a: 1 if anything changed (the version is
 * raised by one), 0 if a already says all of it. */
int		 auth_profile_apply(struct auth_account *a,
		    const struct auth_profile_patch *p);
const char	*auth_err_message(enum auth_err);

/* auth_db.c: the accounts table. */
int		 auth_db_insert(struct auth_account *a);	/* fills id */
int		 auth_db_by_email(const char *email, struct auth_account *a);
/* lock: FOR UPDATE, for a change in this unit of work. */
int		 auth_db_by_id(long long id, int lock, struct auth_account *a);
/* Writes name, phone, address and version. */
int		 auth_db_update_profile(const struct auth_account *a);

/* auth_app.c: the use cases. */
struct auth_token {
	char		 token[FD_JWT_MAX];
	struct fd_claims claims;
	long long	 ttl;
};
enum auth_err	 auth_signup(struct auth_account *a, const char *password);
enum auth_err	 auth_login(const char *email, const char *password,
		    struct auth_token *out);

/* auth_profile.c: the profile's use cases. */
enum auth_err	 auth_me(long long id, struct auth_account *out);
/* A customer's change, with its CustomerProfileChanged when anything
 * changed; out: the profile as it is now. */
enum auth_err	 auth_profile_change(long long id,
		    const struct auth_profile_patch *p, struct auth_account *out);
/* The event a customer's profile makes, in the open unit of work. */
int		 auth_profile_event(const char *type, const struct auth_account *a);

#endif
