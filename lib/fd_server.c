/*
 * fd_server.c - the prefork master, the worker loop and the dispatcher.
 *
 * The master opens the FastCGI socket, maps the shared metrics, forks
 * FD_WORKERS workers and replaces any that die (as php-fpm and nginx do).
 *
 * SIGTERM stops it gracefully: the master removes the socket's name (no
 * new connection can reach it), then asks every worker to stop.  A worker
 * finishes the request it is in, then serves whatever connections are
 * still queued on the socket, and only then exits; nothing accepted by
 * the kernel on our behalf is cut.
 *
 * SIGHUP deploys a new build without dropping a request: the master execs
 * its program file again (the same pid, for the supervisor), handing the
 * listening socket, the metrics and its workers' pids to the new image in
 * the environment.  The new master forks new workers; each says it is
 * ready (initialised, database answering) before it accepts anything.
 * Only when all are ready are the old workers told to stop, and they
 * drain as above while the new ones already serve the same socket.  If
 * the new build never gets ready, the new workers go and the old stay.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "fd_addr.h"
#include "fd_consumer.h"
#include "fd_http.h"
#include "fd_metrics.h"

#define MAX_WORKERS	64

static const char *ctx_name = "fd";
static char **self_argv;	/* to exec the new build on SIGHUP */
static volatile sig_atomic_t stopping, reloading;
static int ready_fd = -1;	/* a new worker's "ready" goes here */
static int ready_rd = -1;	/* the master's end, closed in workers */
static unsigned char jwt_key[256];
static size_t jwt_keylen;

void
fd_log(const char *fmt, ...)
{
	char msg[1024], ts[32];
	struct timespec now;
	struct tm tm;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s.%03ldZ %s[%d] %s\n", ts, now.tv_nsec / 1000000,
	    ctx_name, (int)getpid(), msg);
}

const unsigned char *
fd_jwt_key(size_t *len)
{
	*len = jwt_keylen;
	return jwt_key;
}

/* Reads the HS256 secret; it must be at least 32 bytes. */
static int
load_key(void)
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

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

static int
authorize(struct fd_req *r, enum fd_authz authz)
{
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
	if (rc != FD_JWT_OK && authz == FD_AUTH_CUSTOMER_PAGE) {
		/* A page: send the browser to log in, and back here after. */
		static const char body[] =
		    "<a href=\"/login.html?next=/mypage\">로그인 (log in)</a>\n";
		fd_add_header(r, "Location", "/login.html?next=/mypage");
		fd_reply_raw(r, 303, "text/html; charset=utf-8", body,
		    sizeof(body) - 1);
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
			fd_consumer_serve(app, r);
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
		if (authorize(r, rt->authz) == 0 &&
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

static void
handle(const struct fd_app *app, FCGX_Request *fr)
{
	struct fd_req r;
	double t0 = now_s();
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
	fd_metrics_observe(slot, r.status, now_s() - t0);
}

/*
 * A worker told to stop may be blocked in accept(): the signal interrupts
 * it (no SA_RESTART), and if it came just before the call, the alarm it
 * sets interrupts it a second later.
 */
static void
on_worker_term(int sig)
{
	(void)sig;
	stopping = 1;
	alarm(1);
}

static void
on_worker_alarm(int sig)
{
	(void)sig;
	if (stopping)
		alarm(1);
}

static void
on_master_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT)
		stopping = 1;
	else if (sig == SIGHUP)
		reloading = 1;
}

static void
set_signal(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);	/* no SA_RESTART: accept() must wake */
}

/* A connection waits on the socket (a worker that stops serves it). */
static int
queued(int listen_fd)
{
	struct pollfd p = { .fd = listen_fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/*
 * A new build's worker waits until its database answers, then tells the
 * master; 0 when it did, -1 when told to stop first (it serves nothing).
 */
static int
say_ready(const struct fd_app *app)
{
	int rc = 0;

	if (ready_fd < 0)
		return 0;
	while (!stopping && app->ready != NULL && app->ready() != 0)
		usleep(200000);
	if (stopping || write(ready_fd, "r", 1) != 1)
		rc = -1;
	close(ready_fd);
	ready_fd = -1;
	return rc;
}

static void __attribute__((noreturn))
worker(const struct fd_app *app, int listen_fd)
{
	FCGX_Request rq;
	sigset_t none;
	int rc;

	set_signal(SIGTERM, on_worker_term);
	set_signal(SIGINT, on_worker_term);
	set_signal(SIGALRM, on_worker_alarm);
	set_signal(SIGHUP, SIG_IGN);
	set_signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Die with the master, even if it was killed -9. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);
	if (ready_rd >= 0)
		close(ready_rd);

	if (app->init != NULL && app->init() != 0) {
		fd_log("worker init failed");
		exit(1);
	}
	/* Interrupted accepts return, so that a stop is seen. */
	FCGX_InitRequest(&rq, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (say_ready(app) == 0 && (!stopping || queued(listen_fd))) {
		if ((rc = FCGX_Accept_r(&rq)) < 0) {
			if (rc == -EINTR)
				continue;
			fd_log("accept: %s", strerror(-rc));
			break;
		}
		handle(app, &rq);
		FCGX_Finish_r(&rq);
	}
	FCGX_Free(&rq, 1);
	if (app->fini != NULL)
		app->fini();
	exit(0);
}

static pid_t
spawn(const struct fd_app *app, int listen_fd)
{
	pid_t pid = fork();

	if (pid == 0)
		worker(app, listen_fd);
	if (pid < 0)
		fd_log("fork: %s", strerror(errno));
	return pid;
}

/* The socket a previous build of this master handed over, or -1. */
static int
inherited_socket(void)
{
	int fd = fd_env_fd("FD_LISTEN_FD"), listening = 0;
	socklen_t len = sizeof(listening);

	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
	    &len) != 0 || !listening)
		return -1;
	return fd;
}

/* The previous build's workers, from FD_OLD_WORKERS ("pid,pid,..."). */
static int
old_workers(pid_t *old, int max)
{
	const char *s = fd_env("FD_OLD_WORKERS", "");
	char *end;
	long v;
	int n = 0;

	while (*s != '\0' && n < max) {
		v = strtol(s, &end, 10);
		if (end == s)
			break;
		if (v > 1)
			old[n++] = (pid_t)v;
		s = *end == ',' ? end + 1 : end;
	}
	unsetenv("FD_OLD_WORKERS");
	return n;
}

/* Forks n workers; with readiness wanted, each writes a byte when ready. */
static int
spawn_all(const struct fd_app *app, int listen_fd, pid_t *pids, int n,
    int want_ready)
{
	int p[2] = { -1, -1 }, i;

	if (want_ready && pipe(p) != 0)
		return -1;
	ready_fd = p[1];
	ready_rd = p[0];
	for (i = 0; i < n; i++)
		pids[i] = spawn(app, listen_fd);
	ready_fd = ready_rd = -1;
	if (p[1] >= 0)
		close(p[1]);
	return p[0];
}

/* Waits until n workers said ready; 0 if they all did in time. */
static int
await_ready(int rfd, int n, double seconds)
{
	double deadline = now_s() + seconds;
	struct pollfd p = { .fd = rfd, .events = POLLIN };
	char buf[MAX_WORKERS];
	ssize_t got;

	while (n > 0 && now_s() < deadline) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((got = read(rfd, buf, sizeof(buf))) <= 0)
			break;	/* every write end closed: some died unready */
		n -= (int)got;
	}
	close(rfd);
	return n > 0 ? -1 : 0;
}

/* SIGTERM to each pid, then waits up to FD_DRAIN_SECONDS; KILLs the rest. */
static void
drain(pid_t *pids, int n)
{
	double deadline = now_s() + fd_env_int("FD_DRAIN_SECONDS", 10);
	int i, alive, status;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (alive = n; alive > 0 && now_s() < deadline; ) {
		for (alive = 0, i = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			if (waitpid(pids[i], &status, WNOHANG) == pids[i])
				pids[i] = 0;
			else
				alive++;
		}
		if (alive)
			usleep(10000);
	}
	for (i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], &status, 0);
			pids[i] = 0;
		}
}

/*
 * A deploy, in the master: exec the program file again with the socket,
 * the metrics and the workers' pids in the environment.  Returns only if
 * the exec failed; the old build then carries on.
 */
static void
reexec(int listen_fd, const pid_t *pids, int n)
{
	char num[16], list[MAX_WORKERS * 12] = "";
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
			    "%s%d", *list ? "," : "", (int)pids[i]);
	snprintf(num, sizeof(num), "%d", listen_fd);
	setenv("FD_LISTEN_FD", num, 1);
	setenv("FD_OLD_WORKERS", list, 1);
	snprintf(num, sizeof(num), "%d", fd_metrics_fd());
	setenv("FD_METRICS_FD", num, 1);
	fcntl(listen_fd, F_SETFD, 0);
	fd_log("deploy: executing %s", self_argv[0]);
	/* Signals stay blocked across exec: none is lost on the way. */
	execv(self_argv[0], self_argv);
	fd_log("deploy: cannot execute %s (%s); the running build stays",
	    self_argv[0], strerror(errno));
	unsetenv("FD_LISTEN_FD");
	unsetenv("FD_OLD_WORKERS");
	unsetenv("FD_METRICS_FD");
	fcntl(listen_fd, F_SETFD, FD_CLOEXEC);
}

static int
serve(const struct fd_app *app)
{
	const char *path = fd_env("FD_SOCKET", NULL);
	long long n = fd_env_int("FD_WORKERS", 4);
	pid_t pids[MAX_WORKERS], old[MAX_WORKERS], pid;
	sigset_t block, unblocked;
	int fd, status, i, nold, rfd, tcp;

	if (path == NULL) {
		fd_log("FD_SOCKET is not set");
		return 1;
	}
	if (n < 1 || n > MAX_WORKERS)
		n = 4;
	if (FCGX_Init() != 0 || fd_metrics_init(app->nroutes) != 0)
		return 1;
	if (app->master_init != NULL && app->master_init() != 0)
		return 1;
	nold = old_workers(old, MAX_WORKERS);
	/*
	 * FD_SOCKET is a unix socket's path, or "host:port" (":port" for
	 * every address) when nginx is on another host: libfcgi listens on
	 * TCP then, and takes connections only from the addresses in
	 * FCGI_WEB_SERVER_ADDRS when that is set (the gateways).
	 */
	tcp = fd_addr_is_tcp(path);
	if ((fd = inherited_socket()) < 0) {
		if (!tcp)
			unlink(path);
		if ((fd = FCGX_OpenSocket(path, 1024)) < 0) {
			fd_log("cannot listen on %s", path);
			return 1;
		}
		/* the directory guards it; nginx may be another user */
		if (!tcp)
			chmod(path, 0666);
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);

	/* Signals are only taken inside sigsuspend(), so no wake-up is
	 * lost.  (After a deploy's exec they arrive here still blocked.) */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGCHLD);
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGHUP);
	set_signal(SIGTERM, on_master_signal);
	set_signal(SIGINT, on_master_signal);
	set_signal(SIGCHLD, on_master_signal);
	set_signal(SIGHUP, on_master_signal);
	signal(SIGPIPE, SIG_IGN);

	rfd = spawn_all(app, fd, pids, (int)n, nold > 0);
	if (nold > 0) {
		if (await_ready(rfd, (int)n, (double)fd_env_int(
		    "FD_READY_SECONDS", 30)) == 0) {
			fd_log("deploy: %lld new workers ready; the %d old "
			    "ones drain", n, nold);
			for (i = 0; i < nold; i++)
				kill(old[i], SIGTERM);	/* reaped below */
		} else {
			fd_log("deploy: the new workers are not ready; the old "
			    "ones stay");
			drain(pids, (int)n);
			for (i = 0; i < n; i++)
				pids[i] = i < nold ? old[i] : 0;
		}
	}
	fd_log("listening on %s with %lld workers", path, n);

	while (!stopping) {
		sigsuspend(&unblocked);
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < n && pids[i] != pid; i++)
				continue;
			if (i == n || stopping)
				continue;	/* an old build's, or stopping */
			fd_log("worker %d ended (status %d), replacing it",
			    (int)pid, status);
			fd_metrics_worker_restart();
			pids[i] = spawn(app, fd);
		}
		if (reloading && !stopping) {
			reloading = 0;
			reexec(fd, pids, (int)n);
		}
	}

	/*
	 * No new connection from here on; the queued ones are served.  A TCP
	 * listener has no name to remove: it takes connections until its
	 * workers have gone, and nginx sends the requests refused after that
	 * to the other hosts (a rolling deploy uses SIGHUP, which keeps the
	 * socket, and loses none).
	 */
	fd_log("stopping: draining workers");
	if (!tcp)
		unlink(path);
	drain(pids, (int)n);
	close(fd);
	fd_log("stopped");
	return 0;
}

int
fd_main(const struct fd_app *app, int argc, char **argv,
    int (*cli)(int, char **))
{
	int rc;

	ctx_name = app->name;
	self_argv = argv;
	if (sodium_init() < 0 || load_key() != 0)
		return 1;
	if (argc < 2)
		return serve(app);
	if (cli == NULL) {
		fprintf(stderr, "usage: %s (a FastCGI server; no arguments)\n",
		    argv[0]);
		return 2;
	}
	if (app->init != NULL && app->init() != 0)
		return 1;
	rc = cli(argc - 1, argv + 1);
	if (app->fini != NULL)
		app->fini();
	return rc;
}
