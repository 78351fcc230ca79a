/*
 * auth_http.c - the auth context's HTTP adapter: routes, input tables and
 * the mapping of auth errors onto HTTP errors.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "auth_http.h"
#include "fd_db.h"
#include "fd_http.h"

static const struct {
	enum fd_err	 http;
} errmap[] = {
	[AUTH_OK] =		{ FD_OK },
	[AUTH_E_EMAIL] =	{ FD_E_BAD_INPUT },
	[AUTH_E_PASSWORD] =	{ FD_E_BAD_INPUT },
	[AUTH_E_NAME] =		{ FD_E_BAD_INPUT },
	[AUTH_E_PHONE] =	{ FD_E_BAD_INPUT },
	[AUTH_E_ADDRESS] =	{ FD_E_BAD_INPUT },
	[AUTH_E_STORE] =	{ FD_E_BAD_INPUT },
	[AUTH_E_EXISTS] =	{ FD_E_CONFLICT },
	[AUTH_E_CREDENTIALS] =	{ FD_E_UNAUTHORIZED },
	[AUTH_E_UNAVAILABLE] =	{ FD_E_UNAVAILABLE },
	[AUTH_E_INTERNAL] =	{ FD_E_INTERNAL },
};

static void
reply_auth_error(struct fd_req *r, enum auth_err e)
{
	if (e == AUTH_E_UNAVAILABLE)
		fd_add_header(r, "Retry-After", "5");
	fd_reply_error(r, errmap[e].http, auth_err_message(e));
}

enum { SU_EMAIL, SU_PASSWORD, SU_NAME, SU_PHONE, SU_ADDRESS };
static const struct fd_field signup_fields[] = {
	[SU_EMAIL] =	{ "email", FD_T_STRING, 1, 3, AUTH_EMAIL_MAX, NULL },
	[SU_PASSWORD] =	{ "password", FD_T_STRING, 1, 1, AUTH_PW_MAX, NULL },
	[SU_NAME] =	{ "name", FD_T_STRING, 1, 1, 60, NULL },
	[SU_PHONE] =	{ "phone", FD_T_STRING, 1, 8, 20, NULL },
	[SU_ADDRESS] =	{ "address", FD_T_STRING, 1, 1, 200, NULL },
};
static const struct fd_schema signup_schema = FD_SCHEMA(signup_fields);

enum { LI_EMAIL, LI_PASSWORD };
static const struct fd_field login_fields[] = {
	[LI_EMAIL] =	{ "email", FD_T_STRING, 1, 1, AUTH_EMAIL_MAX, NULL },
	[LI_PASSWORD] =	{ "password", FD_T_STRING, 1, 1, AUTH_PW_MAX, NULL },
};
static const struct fd_schema login_schema = FD_SCHEMA(login_fields);

static void
copy(char *dst, size_t sz, const struct fd_value *v)
{
	snprintf(dst, sz, "%.*s", (int)v->len, v->s);
}

static void
signup(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	struct auth_account a;
	json_object *o;
	enum auth_err e;

	memset(&a, 0, sizeof(a));
	copy(a.email, sizeof(a.email), &v[SU_EMAIL]);
	copy(a.name, sizeof(a.name), &v[SU_NAME]);
	copy(a.phone, sizeof(a.phone), &v[SU_PHONE]);
	copy(a.address, sizeof(a.address), &v[SU_ADDRESS]);
	a.role = FD_ROLE_CUSTOMER;
	if ((e = auth_signup(&a, v[SU_PASSWORD].s)) != AUTH_OK) {
		reply_auth_error(r, e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "userId", json_object_new_int64(a.id));
	json_object_object_add(o, "email", json_object_new_string(a.email));
	json_object_object_add(o, "role", json_object_new_string("customer"));
	fd_reply_json(r, 201, o);
}

static void
login(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	struct auth_token t;
	char cookie[FD_JWT_MAX + 128];
	json_object *o;
	enum auth_err e;

	if ((e = auth_login(v[LI_EMAIL].s, v[LI_PASSWORD].s, &t)) != AUTH_OK) {
		reply_auth_error(r, e);
		return;
	}
	/* The pages use the cookie; scripts use the token in the body. */
	snprintf(cookie, sizeof(cookie), "fd_token=%s; Path=/; Max-Age=%lld; "
	    "HttpOnly; SameSite=Strict%s", t.token, t.ttl,
	    fd_env_int("FD_COOKIE_SECURE", 0) ? "; Secure" : "");
	fd_add_header(r, "Set-Cookie", cookie);
	o = json_object_new_object();
	json_object_object_add(o, "token", json_object_new_string(t.token));
	json_object_object_add(o, "userId", json_object_new_int64(t.claims.sub));
	json_object_object_add(o, "role",
	    json_object_new_string(fd_role_name(t.claims.role)));
	if (t.claims.role == FD_ROLE_OWNER)
		json_object_object_add(o, "storeId",
		    json_object_new_int64(t.claims.store));
	json_object_object_add(o, "expiresIn", json_object_new_int64(t.ttl));
	fd_reply_json(r, 200, o);
}

/* Who the token says the caller is: for pages that show "logged in as". */
static void
me(struct fd_req *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "userId", json_object_new_int64(r->who.sub));
	json_object_object_add(o, "role",
	    json_object_new_string(fd_role_name(r->who.role)));
	if (r->who.role == FD_ROLE_OWNER)
		json_object_object_add(o, "storeId",
		    json_object_new_int64(r->who.store));
	json_object_object_add(o, "expiresAt", json_object_new_int64(r->who.exp));
	fd_reply_json(r, 200, o);
}

/* Clears the page cookie. */
static void
logout(struct fd_req *r)
{
	fd_add_header(r, "Set-Cookie",
	    "fd_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	fd_reply_raw(r, 204, "application/json", NULL, 0);
}

static const struct fd_route routes[] = {
	{ "POST", "/auth/signup", FD_AUTH_PUBLIC, &signup_schema, signup },
	{ "POST", "/auth/login", FD_AUTH_PUBLIC, &login_schema, login },
	{ "POST", "/auth/logout", FD_AUTH_PUBLIC, NULL, logout },
	{ "GET", "/auth/me", FD_AUTH_USER, NULL, me },
};

static int
init(void)
{
	return fd_db_init();
}

static int
ready(void)
{
	return fd_db_ping();
}

const struct fd_app auth_app = {
	.name = "auth",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.init = init,
	.fini = fd_db_fini,
	.ready = ready,
};
