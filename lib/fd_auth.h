/*
 * fd_auth.h - who calls and whether they may: the JWT key, the caller's
 * token (Bearer header or the pages' cookie), the cookie's same-site rule
 * and each route's authorization.
 *
 * Decided here once for every context, before any handler runs.  The
 * header includes nothing of the HTTP adapter, so the auth context's use
 * case can sign tokens with fd_jwt_key() without it.
 */
#ifndef FD_AUTH_H
#define FD_AUTH_H

#include <stddef.h>

struct fd_app;
struct fd_req;
struct fd_route;

/* Reads the HS256 secret from FD_JWT_SECRET_FILE (at least 32 bytes);
 * 0, or -1 having logged why.  Once per process, before serving. */
int		 fd_auth_load_key(void);
/* The JWT key fd_auth_load_key() read (borrowed). */
const unsigned char *fd_jwt_key(size_t *len);

/*
 * Checks the caller against rt's authorization and fills r->who and
 * r->authed: 0 when the handler may run, -1 having answered (401, 403,
 * a cross-site write, or for a page the app's login redirect).
 */
int		 fd_authorize(const struct fd_app *, struct fd_req *r,
		    const struct fd_route *rt);

/*
 * Whether a POST, PATCH or DELETE authenticated by the page cookie comes
 * from the site's own pages (1) or may be another site's forgery (0): an
 * Origin must be the site's own (site: FD_SITE_ORIGIN, or NULL to compare
 * it with host, the request's Host), a Sec-Fetch-Site must be
 * "same-origin", and with neither (curl, an old browser) X-Requested-With
 * must be there, which the pages send and a cross-site form cannot.
 * Each argument is the header's value, NULL when it is absent.
 */
int		 fd_cookie_write_ok(const char *origin, const char *fetch_site,
		    const char *requested_with, const char *host,
		    const char *site);

#endif
