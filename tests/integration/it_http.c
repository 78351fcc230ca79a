/*
 * it_http.c - the libcurl client and small helpers the tests share.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <mysql.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "it.h"

struct buf {
	char	*p;
	size_t	 len;
};

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	char *p = realloc(b->p, b->len + size * n + 1);

	if (p == NULL)
		return 0;
	memcpy(p + b->len, data, size * n);
	b->p = p;
	b->len += size * n;
	p[b->len] = '\0';
	return size * n;
}

static int internal_calls;	/* it_internal() */

void
it_internal(int on)
{
	internal_calls = on;
}

static const char *
base_url(void)
{
	const char *u = getenv(internal_calls ? "FD_INTERNAL_URL" : "FD_URL");

	if (u != NULL)
		return u;
	return internal_calls ? "http://127.0.0.1:18089" :
	    "http://127.0.0.1:18088";
}

/*
 * With $FD_CONTRACT_LOG set, every response from the public gateway is
 * appended to that file as one JSON line (tests/contract/check.js checks
 * them against htdocs/openapi.yaml).  Requests to $FD_INTERNAL_URL are
 * not logged: the internal API is not part of the public contract.
 */
static pthread_mutex_t contract_mu = PTHREAD_MUTEX_INITIALIZER;

static void
contract_log(const char *base, const char *method, const char *path,
    long status, const char *ctype, const char *body, size_t len)
{
	const char *file = getenv("FD_CONTRACT_LOG");
	const char *internal = getenv("FD_INTERNAL_URL"), *q, *line;
	json_object *o;
	FILE *f;
	size_t pl;

	if (file == NULL || *file == '\0')
		return;
	if (strcmp(base, internal ? internal : "http://127.0.0.1:18089") == 0)
		return;
	if ((o = json_object_new_object()) == NULL)
		return;
	q = strchr(path, '?');
	pl = q ? (size_t)(q - path) : strlen(path);
	json_object_object_add(o, "method", json_object_new_string(method));
	json_object_object_add(o, "path", json_object_new_string_len(path,
	    (int)pl));
	json_object_object_add(o, "query", json_object_new_string(q ? q + 1 :
	    ""));
	json_object_object_add(o, "status", json_object_new_int64(status));
	json_object_object_add(o, "contentType", ctype ?
	    json_object_new_string(ctype) : NULL);
	json_object_object_add(o, "body", json_object_new_string_len(
	    body ? body : "", body ? (int)len : 0));
	line = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	pthread_mutex_lock(&contract_mu);
	if ((f = fopen(file, "a")) != NULL) {
		char *l;

		if (asprintf(&l, "%s\n", line) >= 0) {
			fwrite(l, 1, strlen(l), f);
			free(l);
		}
		fclose(f);
	}
	pthread_mutex_unlock(&contract_mu);
	json_object_put(o);
}

/*
 * One easy handle per thread, so connections are reused; the thread's
 * exit cleans it up (a key destructor), so tests that start threads leak
 * nothing.
 */
static pthread_key_t handle_key;
static pthread_once_t handle_once = PTHREAD_ONCE_INIT;

static void
handle_free(void *h)
{
	curl_easy_cleanup(h);
}

static void
handle_key_init(void)
{
	pthread_key_create(&handle_key, handle_free);
}

static CURL *
thread_handle(void)
{
	CURL *h;

	pthread_once(&handle_once, handle_key_init);
	if ((h = pthread_getspecific(handle_key)) == NULL &&
	    (h = curl_easy_init()) != NULL)
		pthread_setspecific(handle_key, h);
	return h;
}

void
it_done(void)
{
	CURL *h;

	pthread_once(&handle_once, handle_key_init);
	if ((h = pthread_getspecific(handle_key)) != NULL) {
		curl_easy_cleanup(h);
		pthread_setspecific(handle_key, NULL);
	}
}

/*
 * The gateway limits logins and signups per client address (README,
 * "Rate limits"), which it takes from X-Forwarded-For when the peer is
 * loopback.  The suites sign up and log in hundreds of times from here,
 * so each such request comes from an address of its own (10.x.y.z, a new
 * one each time) unless it names one itself (test_ratelimit.c does).
 */
static unsigned int client_seq;

static const char *
client_addr(const char *path, const char *const *headers, char *buf,
    size_t sz)
{
	size_t n = strcspn(path, "?");
	unsigned int i;

	if (!((n == 11 && strncmp(path, "/auth/login", n) == 0) ||
	    (n == 12 && strncmp(path, "/auth/signup", n) == 0)))
		return NULL;
	for (; headers != NULL && *headers != NULL; headers++)
		if (strncasecmp(*headers, "X-Forwarded-For:", 16) == 0)
			return NULL;
	i = __atomic_add_fetch(&client_seq, 1, __ATOMIC_RELAXED);
	snprintf(buf, sz, "X-Forwarded-For: 10.%u.%u.%u", (i >> 16) & 255,
	    (i >> 8) & 255, i & 255);
	return buf;
}

int
it_req_raw(struct it_resp *r, const char *method, const char *path,
    const char *const *headers, const char *body, size_t len)
{
	CURL *curl = thread_handle();
	struct curl_slist *hl = NULL;
	struct buf b = { NULL, 0 }, h = { NULL, 0 };
	char url[2048], xff[64];
	const char *base = base_url(), *client;
	CURLcode rc;

	memset(r, 0, sizeof(*r));
	if (curl == NULL)
		return -1;
	curl_easy_reset(curl);
	snprintf(url, sizeof(url), "%s%s", base, path);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	if (body != NULL) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	}
	hl = curl_slist_append(hl, "Expect:");
	if ((client = client_addr(path, headers, xff, sizeof(xff))) != NULL)
		hl = curl_slist_append(hl, client);
	for (; headers != NULL && *headers != NULL; headers++)
		hl = curl_slist_append(hl, *headers);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hl);
	rc = curl_easy_perform(curl);
	curl_slist_free_all(hl);
	if (rc != CURLE_OK) {
		fprintf(stderr, "it: %s %s: %s\n", method, path,
		    curl_easy_strerror(rc));
		free(b.p);
		free(h.p);
		return -1;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	r->body = b.p ? b.p : strdup("");
	r->len = b.len;
	r->headers = h.p ? h.p : strdup("");
	r->hlen = h.len;
	if (getenv("FD_CONTRACT_LOG") != NULL) {
		char *ct = NULL;

		curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
		contract_log(base, method, path, r->status, ct, r->body,
		    r->len);
	}
	r->json = json_tokener_parse(r->body);
	return 0;
}

int
it_req(struct it_resp *r, const char *method, const char *path,
    const char *token, const char *body, const char *extra)
{
	const char *hs[4];
	char auth[1200];
	size_t n = 0;

	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		hs[n++] = auth;
	}
	if (body != NULL)
		hs[n++] = "Content-Type: application/json";
	if (extra != NULL)
		hs[n++] = extra;
	hs[n] = NULL;
	return it_req_raw(r, method, path, hs, body, body ? strlen(body) : 0);
}

void
it_free(struct it_resp *r)
{
	free(r->body);
	free(r->headers);
	json_object_put(r->json);
	memset(r, 0, sizeof(*r));
}

const char *
it_header(const struct it_resp *r, const char *name, char *buf, size_t sz)
{
	const char *p = r->headers, *eol;
	size_t nl = strlen(name), vl;

	for (; p != NULL && *p != '\0'; p = eol ? eol + 1 : NULL) {
		eol = strchr(p, '\n');
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			p += nl + 1;
			while (*p == ' ')
				p++;
			vl = eol ? (size_t)(eol - p) : strlen(p);
			while (vl > 0 && (p[vl - 1] == '\r' || p[vl - 1] == '\n'))
				vl--;
			snprintf(buf, sz, "%.*s", (int)vl, p);
			return buf;
		}
	}
	return NULL;
}

static json_object *
lookup(const struct it_resp *r, const char *path)
{
	json_object *o = r->json;
	char key[64];
	const char *dot;
	size_t n;

	while (o != NULL && *path != '\0') {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (dot ? 1 : 0);
	}
	return o;
}

const char *
it_str(const struct it_resp *r, const char *path)
{
	json_object *o = lookup(r, path);

	return o && json_object_is_type(o, json_type_string) ?
	    json_object_get_string(o) : NULL;
}

long long
it_int(const struct it_resp *r, const char *path)
{
	json_object *o = lookup(r, path);

	return o && json_object_is_type(o, json_type_int) ?
	    json_object_get_int64(o) : -1;
}

int
it_is_error(const struct it_resp *r, const char *code)
{
	const char *c = it_str(r, "error.code"), *m = it_str(r, "error.message");

	return c != NULL && strcmp(c, code) == 0 && m != NULL && *m != '\0';
}

const char *
it_get_str(const char *path, const char *token, const char *field, char *buf,
    size_t sz)
{
	struct it_resp r;

	buf[0] = '\0';
	if (it_req(&r, "GET", path, token, NULL, NULL) == 0 && r.status == 200 &&
	    it_str(&r, field) != NULL)
		snprintf(buf, sz, "%s", it_str(&r, field));
	it_free(&r);
	return buf;
}

const char *
it_unique(void)
{
	static char s[48];
	static unsigned n;

	snprintf(s, sizeof(s), "%ld-%d-%u", (long)time(NULL), (int)getpid(), n++);
	return s;
}

int
it_login(const char *email, const char *password, char *token, size_t sz)
{
	struct it_resp r;
	char body[512];
	int rc = -1;

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    email, password);
	if (it_req(&r, "POST", "/auth/login", NULL, body, NULL) == 0 &&
	    r.status == 200 && it_str(&r, "token") != NULL) {
		snprintf(token, sz, "%s", it_str(&r, "token"));
		rc = 0;
	}
	it_free(&r);
	return rc;
}

long long
it_customer(char *token, size_t sz, char *email, size_t esz)
{
	struct it_resp r;
	char body[512];
	long long id = -1;

	snprintf(email, esz, "cust-%s@example.com", it_unique());
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":"
	    "\"correct horse\",\"name\":\"손님\",\"phone\":\"010-5555-0000\","
	    "\"address\":\"서울 마포구 1\"}", email);
	if (it_req(&r, "POST", "/auth/signup", NULL, body, NULL) == 0 &&
	    r.status == 201)
		id = it_int(&r, "userId");
	it_free(&r);
	if (id > 0 && it_login(email, "correct horse", token, sz) != 0)
		id = -1;
	return id;
}

long long
it_wait_profile(long long customer, long long version, int seconds)
{
	long long v = -1;
	int i;

	for (i = 0; i < seconds * 10; i++) {
		v = it_ctx_int("order", "SELECT COALESCE(MAX(version), -1) FROM"
		    " customer_replica WHERE customer_id = %lld", customer);
		if (v >= version)
			break;
		usleep(100000);
	}
	return v;
}

long long
it_place(const char *token, const char *body)
{
	struct it_resp r;
	long long id = -1;

	if (it_req(&r, "POST", "/orders", token, body, NULL) == 0 &&
	    r.status == 201)
		id = it_int(&r, "orderId");
	it_free(&r);
	return id;
}

int
it_wait_ready(const char *ctx, int seconds)
{
	struct it_resp r;
	char path[64];
	int i, ok = 0;

	snprintf(path, sizeof(path), "/%s/ready", ctx);
	for (i = 0; i < seconds * 10 && !ok; i++) {
		if (it_req(&r, "GET", path, NULL, NULL, NULL) == 0)
			ok = r.status == 200;
		it_free(&r);
		if (!ok)
			usleep(100000);
	}
	return ok ? 0 : -1;
}

pid_t
it_service_pid(const char *service)
{
	const char *var = getenv("FD_VAR");
	char path[1024];
	FILE *f;
	long pid = -1;

	snprintf(path, sizeof(path), "%s/service/%s/supervise/pid",
	    var ? var : "var/test", service);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return (pid_t)pid;
}

/* sv CMD (runit) on one of the stack's services, waiting up to 30 s. */
int
it_sv(const char *cmd, const char *service)
{
	const char *var = getenv("FD_VAR");
	char line[1200];

	snprintf(line, sizeof(line), "sv -w 30 %s '%s/service/%s' >/dev/null",
	    cmd, var ? var : "var/test", service);
	return system(line) == 0 ? 0 : -1;
}

int
it_read_etc(const char *name, char *buf, size_t sz)
{
	const char *etc = getenv("FD_ETC");
	char path[1024];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", etc ? etc : "var/test/etc", name);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sz - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return 0;
}

int
it_db_pass(const char *ctx, char *buf, size_t sz)
{
	char env[2048], key[64];
	const char *p;

	if (it_read_etc("db.env", env, sizeof(env)) != 0)
		return -1;
	snprintf(key, sizeof(key), "FD_DB_PASS_%s=", ctx);
	if ((p = strstr(env, key)) == NULL)
		return -1;
	p += strlen(key);
	snprintf(buf, sz, "%.*s", (int)strcspn(p, "\n"), p);
	return 0;
}

MYSQL *
it_db(const char *ctx)
{
	char pass[128], user[32];
	const char *sock = getenv("FD_DB_SOCKET");
	MYSQL *m;

	if (it_db_pass(ctx, pass, sizeof(pass)) != 0 || sock == NULL ||
	    (m = mysql_init(NULL)) == NULL)
		return NULL;
	snprintf(user, sizeof(user), "fd_%s", ctx);
	/* As the programs' sessions are (fd_db.c): the test server is not. */
	mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (mysql_real_connect(m, NULL, user, pass, user, 0, sock, 0) == NULL) {
		fprintf(stderr, "connect as %s: %s\n", user, mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

static long long
db_vint(MYSQL *m, const char *fmt, va_list ap)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	long long n = -1;
	char *sql;

	if (vasprintf(&sql, fmt, ap) < 0)
		return -1;
	if (mysql_query(m, sql) != 0 || (res = mysql_store_result(m)) == NULL) {
		fprintf(stderr, "it_db_int: %.200s: %s\n", sql, mysql_error(m));
		free(sql);
		return -1;
	}
	free(sql);
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		n = atoll(row[0]);
	mysql_free_result(res);
	return n;
}

long long
it_db_int(MYSQL *m, const char *fmt, ...)
{
	long long n;
	va_list ap;

	va_start(ap, fmt);
	n = db_vint(m, fmt, ap);
	va_end(ap);
	return n;
}

long long
it_ctx_int(const char *ctx, const char *fmt, ...)
{
	MYSQL *m = it_db(ctx);
	long long n;
	va_list ap;

	if (m == NULL)
		return -1;
	va_start(ap, fmt);
	n = db_vint(m, fmt, ap);
	va_end(ap);
	mysql_close(m);
	return n;
}

void
it_fault(const char *name, const char *value)
{
	const char *dir = getenv("FD_FAULT_DIR");
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "var/test/faults",
	    name);
	if (value == NULL) {
		unlink(path);
		return;
	}
	if ((f = fopen(path, "w")) != NULL) {
		fputs(value, f);
		fclose(f);
	}
}

void
it_uuid(char out[37])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
