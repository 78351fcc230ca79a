/*
 * fd_dispatch.c - one request, from its parameters to its answer: the
 * trace id, the built-in paths (health, ready, metrics, the relay's
 * deliveries), matching the route table, the caller's authorization
 * (fd_auth.c), reading the body (capped, application/json) and decoding
 * it against the route's table, then the handler; the metrics observe it.
 */
#include <fcgiapp.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fd_auth.h"
#include "fd_consumer.h"
#include "fd_dispatch.h"
#include "fd_http.h"
#include "fd_metrics.h"
#include "fd_proc.h"

/* Reads the body, at most max bytes, of the declared media type. */
static int
read_raw_body(struct fd_req *r, long long max)
{
	const char *ct = fd_param(r, "CONTENT_TYPE");
	const char *cl = fd_param(r, "CONTENT_LENGTH");
	long long n;
	char *end;
	int got;

	n = cl && *cl ? strtoll(cl, &end, 10) : 0;
	if (cl && *cl && (*end != '\0' || n < 0)) {
		fd_reply_error(r, FD_E_BAD_INPUT, "bad Content-Length");
		return -1;
	}
	if (n > max) {
		fd_reply_error(r, FD_E_TOO_LARGE, "the request body is too large");
		return -1;
	}
	if (n > 0 && (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';'))) {
		fd_reply_error(r, FD_E_MEDIA_TYPE,
		    "send the body as application/json");
		return -1;
	}
	if ((r->body = malloc((size_t)n + 1)) == NULL) {
		fd_reply_error(r, FD_E_INTERNAL, "out of memory");
		return -1;
	}
	got = n > 0 ? FCGX_GetStr(r->body, (int)n, r->fcgi->in) : 0;
	if (got != n) {
		fd_reply_error(r, FD_E_BAD_INPUT, "the request body was cut short");
		return -1;
	}
	r->body[n] = '\0';
	r->body_len = (size_t)n;
	return 0;
}

/* Reads and decodes the body against the route's table. */
static int
read_body(struct fd_req *r, const struct fd_schema *schema)
{
	if (read_raw_body(r, fd_env_int("FD_BODY_MAX", 16384)) != 0)
		return -1;
	/* No body is an empty object: the table says what is required. */
	if (fd_input_parse(&r->in, schema, r->body_len ? r->body : "{}",
	    r->body_len ? r->body_len : 2) != FD_IN_OK) {
		fd_reply_error(r, FD_E_BAD_INPUT, r->in.msg);
		return -1;
	}
	return 0;
}

static void
reply_text(struct fd_req *r, int status, const char *ctype, char *text,
    size_t len)
{
	fd_reply_raw(r, status, ctype, text, len);
}

/* Answers one relay delivery with the consumer's results or error. */
static void
serve_events(const struct fd_app *app, struct fd_req *r)
{
	json_object *reply;
	const char *msg;
	enum fd_err e;

	if ((e = fd_consumer_apply(app->apply_event, r->body, r->body_len,
	    &reply, &msg)) != FD_OK)
		fd_reply_error(r, e, msg);
	else
		fd_reply_json(r, 200, reply);
}

/* Answers health, ready and metrics; returns the metrics slot or -1. */
static long
builtin(const struct fd_app *app, struct fd_req *r)
{
	const char *p = r->path;
	size_t nl = strlen(app->name);
	json_object *o;
	char *text;
	size_t len;

	if (p[0] != '/' || strncmp(p + 1, app->name, nl) != 0 || p[nl + 1] != '/')
		return -1;
	p += nl + 2;
	if (strcmp(p, "health") == 0) {
		o = json_object_new_object();
		json_object_object_add(o, "status", json_object_new_string("ok"));
		json_object_object_add(o, "context",
		    json_object_new_string(app->name));
		fd_reply_json(r, 200, o);
		return FD_R_HEALTH;
	}
	if (strcmp(p, "ready") == 0) {
		if (app->ready != NULL && app->ready() != 0) {
			fd_add_header(r, "Retry-After", "5");
			fd_reply_error(r, FD_E_UNAVAILABLE,
			    "the context's database does not answer");
		} else {
			o = json_object_new_object();
			json_object_object_add(o, "status",
			    json_object_new_string("ready"));
			fd_reply_json(r, 200, o);
		}
		return FD_R_READY;
	}
	if (strcmp(p, "internal/events") == 0 && app->apply_event != NULL) {
		/* Relay deliveries: the internal gateway only (it refuses
		 * internal/ paths publicly); batches may be large. */
		if (strcmp(r->method, "POST") != 0) {
			fd_add_header(r, "Allow", "POST");
			fd_reply_error(r, FD_E_METHOD, "POST events here");
		} else if (read_raw_body(r, fd_env_int("FD_EVENTS_BODY_MAX",
		    4 << 20)) == 0)
			serve_events(app, r);
		return FD_R_EVENTS;
	}
	if (strcmp(p, "metrics") == 0) {
		if (fd_metrics_render(app, &text, &len) != 0) {
			fd_reply_error(r, FD_E_INTERNAL, "out of memory");
			return FD_R_METRICS;
		}
		reply_text(r, 200, "text/plain; version=0.0.4", text, len);
		free(text);
		return FD_R_METRICS;
	}
	return -1;
}

/* Runs the request through the route table; returns its metrics slot. */
static size_t
dispatch(const struct fd_app *app, struct fd_req *r)
{
	const struct fd_route *rt;
	char allow[64] = "";
	long slot;
	size_t i;

	if ((slot = builtin(app, r)) >= 0)
		return app->nroutes + (size_t)slot;
	for (i = 0; i < app->nroutes; i++) {
		rt = &app->routes[i];
		if (!fd_route_match(rt->pattern, r->path, r->ids))
			continue;
		if (strcmp(rt->method, r->method) != 0) {
			if (strlen(allow) + strlen(rt->method) + 3 < sizeof(allow))
				snprintf(allow + strlen(allow),
				    sizeof(allow) - strlen(allow), "%s%s",
				    *allow ? ", " : "", rt->method);
			continue;
		}
		if (fd_authorize(app, r, rt) == 0 &&
		    (rt->body == NULL || read_body(r, rt->body) == 0))
			rt->fn(r);
		return i;
	}
	if (*allow) {
		fd_add_header(r, "Allow", allow);
		fd_reply_error(r, FD_E_METHOD, "method not allowed on this path");
	} else
		fd_reply_error(r, FD_E_NOT_FOUND, "no such path");
	return app->nroutes + FD_R_UNMATCHED;
}

/*
 * The request's trace id: the caller's X-Request-Id when it is one of
 * ours (a context calling another, the relay delivering an event caused
 * by a request), else the id nginx gave this request.
 */
static const char *
trace_id(struct fd_req *r)
{
	const char *h = fd_param(r, "HTTP_X_REQUEST_ID");
	const char *id = fd_param(r, "REQUEST_ID");

	if (h != NULL && fd_trace_id_ok(h))
		return h;
	return id != NULL ? id : "-";
}

void
fd_dispatch(const struct fd_app *app, FCGX_Request *fr)
{
	struct fd_req r;
	double t0 = fd_now_s();
	size_t slot;

	memset(&r, 0, sizeof(r));
	r.fcgi = fr;
	if ((r.method = fd_param(&r, "REQUEST_METHOD")) == NULL)
		r.method = "";
	if ((r.path = fd_param(&r, "DOCUMENT_URI")) == NULL &&
	    (r.path = fd_param(&r, "SCRIPT_NAME")) == NULL)
		r.path = "";
	if ((r.query = fd_param(&r, "QUERY_STRING")) == NULL)
		r.query = "";
	r.request_id = trace_id(&r);
	fd_trace_id = r.request_id;

	slot = dispatch(app, &r);
	if (r.status == 0)
		fd_reply_error(&r, FD_E_INTERNAL, "the handler gave no answer");
	/* 503s are a dependency's absence, counted in the metrics; a line
	 * each would flood the log while a breaker is open. */
	if (r.status >= 500 && r.status != 503)
		fd_log("%s %s -> %d request_id=%s", r.method, r.path, r.status,
		    r.request_id);
	fd_input_free(&r.in);
	free(r.body);
	fd_trace_id = NULL;
	fd_metrics_observe(slot, r.status, fd_now_s() - t0);
}
