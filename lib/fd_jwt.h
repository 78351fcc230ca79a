/*
 * fd_jwt.h - HS256 JSON Web Tokens: issued by auth, verified everywhere.
 *
 * One verifier for every context: the algorithm is pinned to HS256 (a token
 * saying "none" or anything else is refused before any key is used), the
 * signature is compared in constant time (libsodium), and expiry is checked.
 */
#ifndef FD_JWT_H
#define FD_JWT_H

#include <stddef.h>

#define FD_JWT_MAX	1024	/* longest token we accept, bytes */

enum fd_role {
	FD_ROLE_NONE = 0,
	FD_ROLE_CUSTOMER,
	FD_ROLE_OWNER
};

struct fd_claims {
	long long	 sub;		/* user id */
	enum fd_role	 role;
	long long	 store;		/* owner's store, else 0 */
	long long	 iat;
	long long	 exp;
};

enum fd_jwt_rc {
	FD_JWT_OK = 0,
	FD_JWT_MALFORMED,
	FD_JWT_ALG,
	FD_JWT_SIGNATURE,
	FD_JWT_EXPIRED,
	FD_JWT_CLAIMS
};

/* Writes a NUL-terminated token into out; returns 0, or -1 if it won't fit. */
int		 fd_jwt_sign(const unsigned char *key, size_t keylen,
		    const struct fd_claims *c, char *out, size_t outsz);
/* Verifies token[0..len) at time now; fills *c only on FD_JWT_OK. */
enum fd_jwt_rc	 fd_jwt_verify(const unsigned char *key, size_t keylen,
		    const char *token, size_t len, long long now,
		    struct fd_claims *c);
const char	*fd_role_name(enum fd_role);
enum fd_role	 fd_role_parse(const char *);

#endif
