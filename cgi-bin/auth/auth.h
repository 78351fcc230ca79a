/*
 * auth.h - the auth context: accounts, password hashes, tokens.
 *
 * auth_domain.c is pure (rules for accounts); auth_app.c holds the use cases
 * (signup, login, adding an owner) over auth_db.c; auth_http.c and the
 * command line in auth_main.c are the two inbound adapters.
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
	enum fd_role	 role;
	long long	 store_id;		/* owners only */
};

/* auth_domain.c: pure rules. */
enum auth_err	 auth_email_normalize(const char *in, char *out, size_t outsz);
enum auth_err	 auth_password_check(const char *pw);
enum auth_err	 auth_account_check(struct auth_account *a, const char *pw);
const char	*auth_err_message(enum auth_err);

/* auth_db.c: the accounts table. */
int		 auth_db_insert(struct auth_account *a);	/* fills id */
int		 auth_db_by_email(const char *email, struct auth_account *a);

/* auth_app.c: the use cases. */
struct auth_token {
	char		 token[FD_JWT_MAX];
	struct fd_claims claims;
	long long	 ttl;
};
enum auth_err	 auth_signup(struct auth_account *a, const char *password);
enum auth_err	 auth_login(const char *email, const char *password,
		    struct auth_token *out);

#endif
