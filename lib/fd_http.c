/*
 * fd_http.c - the HTTP adapter's replies, request parameters, route
 * matching and the one table from errors to status codes.  Who may call
 * is fd_auth.c's, reading and dispatching a request fd_dispatch.c's, the
 * processes that serve fd_server.c's.
 */
#include <fcgiapp.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_http.h"

/* The one table from errors to status codes and stable codes. */
static const struct {
	int		 status;
	const char	*code;
	const char	*reason;
} errs[FD_E__MAX] = {
	[FD_OK] =		{ 200, "ok", "OK" },
	[FD_E_BAD_INPUT] =	{ 400, "bad_request", "Bad Request" },
	[FD_E_UNAUTHORIZED] =	{ 401, "unauthorized", "Unauthorized" },
	[FD_E_DECLINED] =	{ 402, "payment_declined", "Payment Required" },
	[FD_E_FORBIDDEN] =	{ 403, "forbidden", "Forbidden" },
	[FD_E_CROSS_SITE] =	{ 403, "cross_site", "Forbidden" },
	[FD_E_NOT_FOUND] =	{ 404, "not_found", "Not Found" },
	[FD_E_METHOD] =		{ 405, "method_not_allowed", "Method Not Allowed" },
	[FD_E_CONFLICT] =	{ 409, "conflict", "Conflict" },
	[FD_E_TOO_LARGE] =	{ 413, "body_too_large", "Payload Too Large" },
	[FD_E_MEDIA_TYPE] =	{ 415, "unsupported_media_type",
				    "Unsupported Media Type" },
	[FD_E_RATE_LIMITED] =	{ 429, "rate_limited", "Too Many Requests" },
	[FD_E_INTERNAL] =	{ 500, "internal", "Internal Server Error" },
	[FD_E_UNAVAILABLE] =	{ 503, "unavailable", "Service Unavailable" },
};

int
fd_err_status(enum fd_err e)
{
	return e < FD_E__MAX ? errs[e].status : 500;
}

const char *
fd_err_code(enum fd_err e)
{
	return e < FD_E__MAX ? errs[e].code : "internal";
}

static const char *
reason(int status)
{
	size_t i;

	if (status == 201)
		return "Created";
	if (status == 204)
		return "No Content";
	if (status == 303)
		return "See Other";
	if (status == 304)
		return "Not Modified";
	for (i = 0; i < FD_E__MAX; i++)
		if (errs[i].status == status)
			return errs[i].reason;
	return "Unknown";
}

const char *
fd_param(struct fd_req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgi->envp);
}

int
fd_query(const struct fd_req *r, const char *key, char *buf, size_t bufsz)
{
	const char *p = r->query, *amp, *eq;
	size_t klen = strlen(key), vlen;

	while (p != NULL && *p != '\0') {
		amp = strchr(p, '&');
		eq = memchr(p, '=', amp ? (size_t)(amp - p) : strlen(p));
		if (eq != NULL && (size_t)(eq - p) == klen &&
		    strncmp(p, key, klen) == 0) {
			vlen = amp ? (size_t)(amp - eq - 1) : strlen(eq + 1);
			if (vlen >= bufsz)
				return -1;
			memcpy(buf, eq + 1, vlen);
			buf[vlen] = '\0';
			return 0;
		}
		p = amp ? amp + 1 : NULL;
	}
	return -1;
}

/* 1 if the query string names key ("key=..."), whatever its value. */
static int
query_has(const char *q, const char *key)
{
	size_t n = strlen(key);

	while (q != NULL && *q != '\0') {
		if (strncmp(q, key, n) == 0 && q[n] == '=')
			return 1;
		if ((q = strchr(q, '&')) != NULL)
			q++;
	}
	return 0;
}

int
fd_query_param(const struct fd_req *r, const char *key, char *buf,
    size_t bufsz)
{
	if (fd_query(r, key, buf, bufsz) == 0)
		return 1;
	return query_has(r->query, key) ? -1 : 0;
}

int
fd_query_number(const char *s, long long min, long long max, long long *v)
{
	char *end;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0') ||
	    strlen(s) > 15)
		return -1;
	*v = strtoll(s, &end, 10);
	return *end == '\0' && *v >= min && *v <= max ? 0 : -1;
}

int
fd_query_long(struct fd_req *r, const char *key, long long min, long long max,
    long long *v, const char *msg)
{
	char buf[24];
	int rc;

	if ((rc = fd_query_param(r, key, buf, sizeof(buf))) == 0)
		return 0;
	if (rc < 0 || fd_query_number(buf, min, max, v) != 0) {
		fd_reply_error(r, FD_E_BAD_INPUT, msg);
		return -1;
	}
	return 1;
}

void
fd_add_header(struct fd_req *r, const char *name, const char *value)
{
	size_t off = strlen(r->extra_headers);

	snprintf(r->extra_headers + off, sizeof(r->extra_headers) - off,
	    "%s: %s\r\n", name, value);
}

void
fd_reply_raw(struct fd_req *r, int status, const char *ctype,
    const char *body, size_t len)
{
	char head[768];
	int n;

	if (r->status != 0)
		return;		/* one answer per request */
	r->status = status;
	n = snprintf(head, sizeof(head),
	    "Status: %d %s\r\nContent-Type: %s\r\n"
	    "Cache-Control: %s\r\n"
	    "%s\r\n", status, reason(status), ctype,
	    r->cache_control ? r->cache_control : "no-store", r->extra_headers);
	if (n < 0 || (size_t)n >= sizeof(head))
		n = snprintf(head, sizeof(head), "Status: %d %s\r\n"
		    "Content-Type: %s\r\n\r\n", status, reason(status), ctype);
	FCGX_PutStr(head, n, r->fcgi->out);
	if (len > 0)
		FCGX_PutStr(body, (int)len, r->fcgi->out);
}

void
fd_reply_json(struct fd_req *r, int status, json_object *obj)
{
	size_t len;
	const char *s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	fd_reply_raw(r, status, "application/json; charset=utf-8", s, len);
	json_object_put(obj);
}

void
fd_reply_error(struct fd_req *r, enum fd_err e, const char *msg)
{
	json_object *o = json_object_new_object(), *err = json_object_new_object();

	if (e == FD_OK || e >= FD_E__MAX)
		e = FD_E_INTERNAL;
	json_object_object_add(err, "code", json_object_new_string(errs[e].code));
	json_object_object_add(err, "message",
	    json_object_new_string(msg ? msg : errs[e].reason));
	json_object_object_add(o, "error", err);
	if (e == FD_E_UNAUTHORIZED)
		fd_add_header(r, "WWW-Authenticate", "Bearer");
	fd_reply_json(r, errs[e].status, o);
}

int
fd_route_match(const char *pattern, const char *path, long long ids[FD_MAX_IDS])
{
	size_t nid = 0, n;
	const char *seg;
	long long v;

	while (*pattern != '\0') {
		if (strncmp(pattern, "{id}", 4) == 0) {
			/* 1..15 digits, no leading zero: fits any BIGINT id. */
			seg = path;
			if (*path < '1' || *path > '9')
				return 0;
			for (v = 0, n = 0; *path >= '0' && *path <= '9'; path++) {
				if (++n > 15)
					return 0;	/* before it can overflow */
				v = v * 10 + (*path - '0');
			}
			if (nid == FD_MAX_IDS || (*path != '/' &&
			    *path != '\0') || path == seg)
				return 0;
			ids[nid++] = v;
			pattern += 4;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *path == '\0';
}

/*
 * A live stream (GET /events/...): the worker only decides whose stream
 * it is and hands the connection to nginx, which follows the
 * X-Accel-Redirect to its internal nchan subscriber location for
 * channel/id (etc/nginx/fishdelivery.conf.in).  nchan streams only to an
 * EventSource (it would answer a bare 403): anything else is 400 here;
 * a token that names no such channel (an owner's without a store) 403.
 */
void
fd_reply_stream(struct fd_req *r, const char *channel, long long id)
{
	const char *accept = fd_param(r, "HTTP_ACCEPT");
	char to[64];

	if (accept == NULL || strstr(accept, "text/event-stream") == NULL) {
		fd_reply_error(r, FD_E_BAD_INPUT, "this is a stream of "
		    "Server-Sent Events: send Accept: text/event-stream");
		return;
	}
	if (id <= 0) {
		snprintf(to, sizeof(to), "the token names no %s", channel);
		fd_reply_error(r, FD_E_FORBIDDEN, to);
		return;
	}
	snprintf(to, sizeof(to), "/_push/%s/%lld", channel, id);
	fd_add_header(r, "X-Accel-Redirect", to);
	fd_reply_raw(r, 200, "text/plain; charset=utf-8", "", 0);
}
