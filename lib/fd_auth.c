/*
 * fd_auth.c - authentication and authorisation for every context (see
 * fd_auth.h): the JWT key, finding and verifying the caller's token (with
 * a per-worker cache of tokens verified lately), the cookie's same-site
 * rule and each route's authorization.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fd_auth.h"
#include "fd_http.h"
#include "fd_jwt.h"
#include "fd_proc.h"

static unsigned char jwt_key[256];
static size_t jwt_keylen;

const unsigned char *
fd_jwt_key(size_t *len)
{
	*len = jwt_keylen;
	return jwt_key;
}

int
fd_auth_load_key(void)
{
	const char *path = fd_env("FD_JWT_SECRET_FILE", NULL);
	FILE *f;
	size_t n;

	if (path == NULL || (f = fopen(path, "r")) == NULL) {
		fd_log("cannot read FD_JWT_SECRET_FILE (%s)", path ? path : "unset");
		return -1;
	}
	n = fread(jwt_key, 1, sizeof(jwt_key), f);
	fclose(f);
	while (n > 0 && (jwt_key[n - 1] == '\n' || jwt_key[n - 1] == '\r'))
		n--;
	if (n < 32) {
		fd_log("JWT secret in %s is shorter than 32 bytes", path);
		return -1;
	}
	jwt_keylen = n;
	return 0;
}

/*
 * The token from "Authorization: Bearer" or else the fd_token cookie;
 * *cookie says which.
 */
static const char *
find_token(struct fd_req *r, size_t *len, int *cookie)
{
	const char *h = fd_param(r, "HTTP_AUTHORIZATION"), *c, *end;

	*cookie = 0;
	if (h != NULL) {
		if (strncasecmp(h, "Bearer ", 7) != 0)
			return NULL;
		*len = strlen(h + 7);
		return h + 7;
	}
	for (c = fd_param(r, "HTTP_COOKIE"); c != NULL; c = strchr(c, ';')) {
		while (*c == ';' || *c == ' ')
			c++;
		if (strncmp(c, "fd_token=", 9) == 0) {
			*cookie = 1;
			c += 9;
			end = strchr(c, ';');
			*len = end ? (size_t)(end - c) : strlen(c);
			return c;
		}
	}
	return NULL;
}

/*
 * Tokens this worker verified lately: a customer polling MyPage sends the
 * same token each time, and its signature, base64 and JSON need checking
 * once.  Slots are picked by a keyed hash (SipHash, a key per worker) and
 * confirmed by comparing the whole token in constant time; the expiry is
 * still checked on every use.
 */
#define TOKEN_SLOTS	64

static struct {
	char		 token[FD_JWT_MAX];
	size_t		 len;
	struct fd_claims claims;
} verified[TOKEN_SLOTS];
static unsigned char slot_key[crypto_shorthash_KEYBYTES];
static int slot_keyed;

static enum fd_jwt_rc
verify_token(const char *tok, size_t len, struct fd_claims *c)
{
	unsigned char h[crypto_shorthash_BYTES];
	long long now = (long long)time(NULL);
	enum fd_jwt_rc rc;
	size_t i;

	if (len == 0 || len > FD_JWT_MAX)
		return FD_JWT_MALFORMED;
	if (!slot_keyed) {	/* in the worker: each its own key */
		randombytes_buf(slot_key, sizeof(slot_key));
		slot_keyed = 1;
	}
	crypto_shorthash(h, (const unsigned char *)tok, len, slot_key);
	i = (size_t)h[0] % TOKEN_SLOTS;
	if (verified[i].len == len &&
	    sodium_memcmp(verified[i].token, tok, len) == 0) {
		if (now >= verified[i].claims.exp)
			return FD_JWT_EXPIRED;
		*c = verified[i].claims;
		return FD_JWT_OK;
	}
	if ((rc = fd_jwt_verify(jwt_key, jwt_keylen, tok, len, now, c)) ==
	    FD_JWT_OK) {
		memcpy(verified[i].token, tok, len);
		verified[i].len = len;
		verified[i].claims = *c;
	}
	return rc;
}

/*
 * A browser sends the cookie with whatever request any site makes it
 * send, so a write it authenticates must come from our own pages (CSRF;
 * SameSite=Strict alone is not enough: a sibling site, an old browser).
 * Decided here, once for every context and route; a Bearer token is never
 * sent on its own and is not affected.  Reads are not writes.
 */
static int
cross_site(struct fd_req *r)
{
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0 ||
	    strcmp(r->method, "OPTIONS") == 0)
		return 0;
	return !fd_cookie_write_ok(fd_param(r, "HTTP_ORIGIN"),
	    fd_param(r, "HTTP_SEC_FETCH_SITE"),
	    fd_param(r, "HTTP_X_REQUESTED_WITH"), fd_param(r, "HTTP_HOST"),
	    fd_env("FD_SITE_ORIGIN", NULL));
}

int
fd_authorize(const struct fd_app *app, struct fd_req *r,
    const struct fd_route *rt)
{
	enum fd_authz authz = rt->authz;
	enum fd_jwt_rc rc;
	const char *tok;
	size_t len = 0;
	int cookie;

	if (authz == FD_AUTH_PUBLIC)
		return 0;
	tok = find_token(r, &len, &cookie);
	if (tok != NULL && cookie && cross_site(r)) {
		fd_reply_error(r, FD_E_CROSS_SITE, "a write with the session "
		    "cookie must come from this site's own pages (send the "
		    "Origin, or X-Requested-With, or use the Bearer token)");
		return -1;
	}
	rc = tok != NULL && len > 0 ? verify_token(tok, len, &r->who) :
	    FD_JWT_MALFORMED;
	if (rc != FD_JWT_OK && authz == FD_AUTH_CUSTOMER_PAGE &&
	    app->login != NULL) {
		/* A page: send the browser to log in, and back here after
		 * (the context says where: its own constant path). */
		char body[512];
		int n = snprintf(body, sizeof(body),
		    "<a href=\"%s\">로그인 (log in)</a>\n", app->login);

		fd_add_header(r, "Location", app->login);
		fd_reply_raw(r, 303, "text/html; charset=utf-8", body,
		    n > 0 && (size_t)n < sizeof(body) ? (size_t)n : 0);
		return -1;
	}
	if (tok == NULL || len == 0) {
		fd_reply_error(r, FD_E_UNAUTHORIZED, "a bearer token is required");
		return -1;
	}
	if (rc == FD_JWT_EXPIRED) {
		fd_reply_error(r, FD_E_UNAUTHORIZED, "the token has expired");
		return -1;
	}
	if (rc != FD_JWT_OK) {
		fd_reply_error(r, FD_E_UNAUTHORIZED, "the token is not valid");
		return -1;
	}
	r->authed = 1;
	if (((authz == FD_AUTH_CUSTOMER || authz == FD_AUTH_CUSTOMER_PAGE) &&
	    r->who.role != FD_ROLE_CUSTOMER) ||
	    (authz == FD_AUTH_OWNER && r->who.role != FD_ROLE_OWNER)) {
		fd_reply_error(r, FD_E_FORBIDDEN, authz == FD_AUTH_OWNER ?
		    "only a store owner may do this" : "only a customer may do this");
		return -1;
	}
	return 0;
}

/*
 * Whether origin (an Origin header) is the site's own: site when it is
 * set (FD_SITE_ORIGIN, for a gateway behind a proxy that changes Host),
 * else http:// or https:// and the request's Host, the scheme's default
 * port being the same as none.  The scheme is not compared: TLS may end
 * before our nginx (an ingress), and the production cookie is Secure.
 */
static int
own_origin(const char *origin, const char *host, const char *site)
{
	const char *auth, *port;
	size_t al, hl;

	if (site != NULL)
		return strcasecmp(origin, site) == 0;
	if (host == NULL || *host == '\0')
		return 0;
	if (strncasecmp(origin, "http://", 7) == 0) {
		auth = origin + 7;
		port = ":80";
	} else if (strncasecmp(origin, "https://", 8) == 0) {
		auth = origin + 8;
		port = ":443";
	} else
		return 0;	/* "null", or not an origin at all */
	al = strlen(auth);
	hl = strlen(host);
	if (al == 0 || strchr(auth, '/') != NULL)
		return 0;
	if (al == hl)
		return strcasecmp(auth, host) == 0;
	return hl == al + strlen(port) && strncasecmp(auth, host, al) == 0 &&
	    strcmp(host + al, port) == 0;
}

int
fd_cookie_write_ok(const char *origin, const char *fetch_site,
    const char *requested_with, const char *host, const char *site)
{
	if (origin != NULL && !own_origin(origin, host, site))
		return 0;
	if (fetch_site != NULL && strcmp(fetch_site, "same-origin") != 0)
		return 0;
	/* Neither said where it came from: the pages' header must. */
	if (origin == NULL && fetch_site == NULL)
		return requested_with != NULL && *requested_with != '\0';
	return 1;
}
