/*
 * it.h - integration tests: real requests through the nginx gateway at
 * $FD_URL (libcurl), against the real programs and databases.
 */
#ifndef IT_H
#define IT_H

#include <stddef.h>
#include <sys/types.h>

struct json_object;

struct it_resp {
	long		 status;
	char		*body;		/* NUL-terminated */
	size_t		 len;
	char		*headers;	/* raw response headers */
	size_t		 hlen;
	struct json_object *json;	/* parsed body, or NULL */
};

/*
 * One request.  token: Bearer token or NULL; body: JSON text or NULL;
 * extra: one more "Name: value" header or NULL.  Returns 0 if an HTTP
 * answer came.  Free with it_free().
 */
int		 it_req(struct it_resp *r, const char *method, const char *path,
		    const char *token, const char *body, const char *extra);
int		 it_req_raw(struct it_resp *r, const char *method,
		    const char *path, const char *const *headers,
		    const char *body, size_t len);
/* Requests go to $FD_INTERNAL_URL while on (the internal gateway). */
void		 it_internal(int on);
void		 it_free(struct it_resp *r);
/* Frees the calling thread's connection (threads do so on exit). */
void		 it_done(void);
/* Header value (copied into buf), or NULL. */
const char	*it_header(const struct it_resp *r, const char *name, char *buf,
		    size_t sz);
/* Dotted path into the JSON body ("error.code"), or NULL. */
const char	*it_str(const struct it_resp *r, const char *path);
long long	 it_int(const struct it_resp *r, const char *path);
/* 1 if the body is {"error":{"code":code,...}} with a message. */
int		 it_is_error(const struct it_resp *r, const char *code);
/* A string field of GET path (token as for it_req), copied into buf; ""
 * unless the answer is 200 and has it. */
const char	*it_get_str(const char *path, const char *token,
		    const char *field, char *buf, size_t sz);

/* A fresh customer; fills token (size >= 1024) and returns the user id. */
long long	 it_customer(char *token, size_t sz, char *email, size_t esz);
/* Logs in; returns 0 and fills token. */
int		 it_login(const char *email, const char *password, char *token,
		    size_t sz);
/* A unique suffix for e-mail addresses in this run. */
const char	*it_unique(void);
/*
 * Waits (bounded) until the order context's customer replica has the
 * customer's profile at version or later (auth's events come through its
 * relay); the version it has, -1 if none.  An order without address or
 * phone takes the replica's.
 */
long long	 it_wait_profile(long long customer, long long version,
		    int seconds);
/* POST /orders; the new order's id, or -1 unless 201. */
long long	 it_place(const char *token, const char *body);
/* Waits up to seconds until /{ctx}/ready answers 200; 0 when it did. */
int		 it_wait_ready(const char *ctx, int seconds);
/* The pid runit has for one of the stack's services ("order"), or -1. */
pid_t		 it_service_pid(const char *service);
/* sv CMD ("down", "up") on one of the stack's services; 0 on success. */
int		 it_sv(const char *cmd, const char *service);
/* $FD_ETC/name read into buf (trailing newline stripped); -1 if absent. */
int		 it_read_etc(const char *name, char *buf, size_t sz);
/* The DB password of a context, from $FD_ETC/db.env. */
int		 it_db_pass(const char *ctx, char *buf, size_t sz);

/* A connection as context ctx's own DB user (test fixtures, checks). */
struct st_mysql	*it_db(const char *ctx);
/* The first column of the first row of a formatted query; -1 on error. */
long long	 it_db_int(struct st_mysql *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* The same on a connection of its own as context ctx's DB user. */
long long	 it_ctx_int(const char *ctx, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* A random (version 4) UUID, as the relay gives an event: 36 characters. */
void		 it_uuid(char out[37]);
/* Writes $FD_FAULT_DIR/name (value) or removes it (value NULL). */
void		 it_fault(const char *name, const char *value);

void		 add_gateway_tests(void);
void		 add_ratelimit_tests(void);
void		 add_auth_tests(void);
void		 add_profile_tests(void);
void		 add_csrf_tests(void);
void		 add_catalog_tests(void);
void		 add_order_tests(void);
void		 add_breaker_tests(void);
void		 add_relay_tests(void);
void		 add_mypage_tests(void);
void		 add_trace_tests(void);
void		 add_tickets_tests(void);
void		 add_isolation_tests(void);
void		 add_payment_tests(void);
void		 add_fault_tests(void);
void		 add_cli_tests(void);
void		 add_drain_tests(void);
void		 add_money_tests(void);
void		 add_purge_tests(void);
void		 add_utc_tests(void);
void		 add_store_ops_tests(void);
void		 add_hosts_tests(void);
void		 add_push_tests(void);
void		 add_estimate_tests(void);
void		 add_deadlock_tests(void);

#endif
