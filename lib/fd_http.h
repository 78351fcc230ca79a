/*
 * fd_http.h - the FastCGI inbound adapter shared by every context: the
 * request, the route table, the replies.
 *
 * A context is a table of routes plus init/ready hooks (struct fd_app);
 * fd_main() (fd_server.h) runs it as a prefork server.  Before a handler
 * runs, the dispatcher (fd_dispatch.c) has matched the path, checked the
 * caller's token against the route's authorization (fd_auth.c) and
 * decoded the body against the route's table, so handlers see only valid
 * input.  Only the HTTP side includes this header: use cases, the DB
 * adapter, the outbox, the consumer and the relay take their process
 * basics from fd_proc.h (tests/lint/includes.sh checks it).
 */
#ifndef FD_HTTP_H
#define FD_HTTP_H

#include <stddef.h>
#include <stdio.h>

#include "fd_err.h"
#include "fd_input.h"
#include "fd_jwt.h"
#include "fd_proc.h"

struct json_object;
struct FCGX_Request;

#define FD_MAX_IDS	4

enum fd_authz {
	FD_AUTH_PUBLIC,		/* anyone */
	FD_AUTH_USER,		/* any valid token */
	FD_AUTH_CUSTOMER,	/* a customer's token */
	FD_AUTH_OWNER,		/* a store owner's token */
	FD_AUTH_CUSTOMER_PAGE	/* a customer, for a page: no token is a
				   redirect to the login page, not a 401 */
};

struct fd_req {
	struct FCGX_Request	*fcgi;		/* borrowed from the worker */
	const char		*method;	/* borrowed, valid for the request */
	const char		*path;
	const char		*query;
	char			*body;		/* owned, NUL-terminated */
	size_t			 body_len;
	const char		*request_id;
	struct fd_claims	 who;		/* the caller, if any */
	int			 authed;
	long long		 ids[FD_MAX_IDS];	/* {id} captures */
	struct fd_input		 in;		/* decoded body */
	int			 status;	/* answered with, 0 = not yet */
	char			 extra_headers[512];	/* added to the reply */
	const char		*cache_control;	/* NULL: no-store */
};

struct fd_route {
	const char		*method;
	const char		*pattern;	/* "/stores/{id}/menu" */
	enum fd_authz		 authz;
	const struct fd_schema	*body;		/* NULL: takes no body */
	void			(*fn)(struct fd_req *);
};

struct fd_app {
	const char		*name;		/* "auth": serves /auth/health ... */
	const struct fd_route	*routes;
	size_t			 nroutes;
	int			(*init)(void);	/* per worker, 0 = OK */
	void			(*fini)(void);
	int			(*ready)(void);	/* 0 when dependencies answer */
	void			(*metrics)(FILE *);	/* more lines for /metrics */
	int			(*master_init)(void);	/* once, before fork */
	/*
	 * Where FD_AUTH_CUSTOMER_PAGE routes send a browser without a valid
	 * token (a 303 to "/login.html?next=/mypage"); NULL: a 401 as for
	 * any customer route.  A URL path of our own, printed as it is.
	 */
	const char		*login;
	/*
	 * A subscriber's policy: applies one relayed event inside the open
	 * unit of work (fd_consumer.h); returns an enum fd_apply and, on
	 * failure, why in err.  Set: POST /{name}/internal/events exists.
	 */
	int			(*apply_event)(const char *type,
				    struct json_object *ev, char *err,
				    size_t errsz);
};

/* Replies; each takes ownership of nothing but obj (json_object_put). */
void		 fd_reply_json(struct fd_req *, int status, struct json_object *obj);
void		 fd_reply_raw(struct fd_req *, int status, const char *ctype,
		    const char *body, size_t len);
void		 fd_reply_error(struct fd_req *, enum fd_err, const char *msg);
void		 fd_add_header(struct fd_req *, const char *name, const char *value);
void		 fd_reply_stream(struct fd_req *, const char *channel, long long id);

/* A request header by CGI name ("HTTP_IF_NONE_MATCH"), or NULL. */
const char	*fd_param(struct fd_req *, const char *name);
/* Copies query parameter key into buf; 0 if present, -1 if absent/too long. */
int		 fd_query(const struct fd_req *, const char *key, char *buf,
		    size_t bufsz);
/* The same, telling apart: 1 copied, 0 absent, -1 present but too long. */
int		 fd_query_param(const struct fd_req *, const char *key, char *buf,
		    size_t bufsz);
/*
 * An optional numeric query parameter min..max: 1 and *v set, 0 absent,
 * -1 malformed, out of range or too long, having answered 400 with msg.
 */
int		 fd_query_long(struct fd_req *, const char *key, long long min,
		    long long max, long long *v, const char *msg);
/* A decimal min..max (no sign, no leading zero but "0"); 0 or -1. */
int		 fd_query_number(const char *s, long long min, long long max,
		    long long *v);

/* Matches path against pattern, capturing {id} segments; 1 on a match. */
int		 fd_route_match(const char *pattern, const char *path,
		    long long ids[FD_MAX_IDS]);

#endif
