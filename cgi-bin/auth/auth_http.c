/*
 * auth_http.c - the auth context's HTTP adapter: handlers, input tables
 * and the mapping of auth errors onto HTTP errors.  Which handler serves
 * which route is auth_main.c's wiring.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "auth_http.h"
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
	[AUTH_E_EMPTY] =	{ FD_E_BAD_INPUT },
	[AUTH_E_NOT_FOUND] =	{ FD_E_NOT_FOUND },
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
const struct fd_schema auth_http_signup_schema = FD_SCHEMA(signup_fields);

enum { LI_EMAIL, LI_PASSWORD };
static const struct fd_field login_fields[] = {
	[LI_EMAIL] =	{ "email", FD_T_STRING, 1, 1, AUTH_EMAIL_MAX, NULL },
	[LI_PASSWORD] =	{ "password", FD_T_STRING, 1, 1, AUTH_PW_MAX, NULL },
};
const struct fd_schema auth_http_login_schema = FD_SCHEMA(login_fields);

/* PATCH /auth/me: each field optional, bounded as at signup. */
enum { PR_NAME, PR_PHONE, PR_ADDRESS };
static const struct fd_field profile_fields[] = {
	[PR_NAME] =	{ "name", FD_T_STRING, 0, 1, 60, NULL },
	[PR_PHONE] =	{ "phone", FD_T_STRING, 0, 8, 20, NULL },
	[PR_ADDRESS] =	{ "address", FD_T_STRING, 0, 1, 200, NULL },
};
const struct fd_schema auth_http_profile_schema = FD_SCHEMA(profile_fields);

static void
copy(char *dst, size_t sz, const struct fd_value *v)
{
	snprintf(dst, sz, "%.*s", (int)v->len, v->s);
}

void
auth_http_signup(struct fd_req *r)
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

void
auth_http_login(struct fd_req *r)
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

/*
 * The account as GET and PATCH /auth/me answer it: {userId, role, email,
 * name, phone, address (customers), storeId (owners), expiresAt (the
 * token's)}.  An owner's address is not theirs to show: owners are made
 * by an operator with their store's number in its place.
 */
static json_object *
profile_json(const struct fd_req *r, const struct auth_account *a)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "userId", json_object_new_int64(a->id));
	json_object_object_add(o, "role",
	    json_object_new_string(fd_role_name(a->role)));
	json_object_object_add(o, "email", json_object_new_string(a->email));
	json_object_object_add(o, "name", json_object_new_string(a->name));
	if (a->phone[0] != '\0')
		json_object_object_add(o, "phone",
		    json_object_new_string(a->phone));
	if (a->role == FD_ROLE_CUSTOMER && a->address[0] != '\0')
		json_object_object_add(o, "address",
		    json_object_new_string(a->address));
	if (a->role == FD_ROLE_OWNER)
		json_object_object_add(o, "storeId",
		    json_object_new_int64(a->store_id));
	json_object_object_add(o, "expiresAt", json_object_new_int64(r->who.exp));
	return o;
}

/* Who the caller is: for pages that greet by name and fill a checkout. */
void
auth_http_me(struct fd_req *r)
{
	struct auth_account a;
	enum auth_err e;

	if ((e = auth_me(r->who.sub, &a)) != AUTH_OK) {
		reply_auth_error(r, e);
		return;
	}
	fd_reply_json(r, 200, profile_json(r, &a));
}

/* A customer's change of name, phone or address; answers the profile. */
void
auth_http_me_patch(struct fd_req *r)
{
	const struct fd_value *v = r->in.v;
	char name[sizeof(((struct auth_account *)0)->name)];
	char phone[sizeof(((struct auth_account *)0)->phone)];
	char address[sizeof(((struct auth_account *)0)->address)];
	struct auth_profile_patch p = { NULL, NULL, NULL };
	struct auth_account a;
	enum auth_err e;

	if (v[PR_NAME].present) {
		copy(name, sizeof(name), &v[PR_NAME]);
		p.name = name;
	}
	if (v[PR_PHONE].present) {
		copy(phone, sizeof(phone), &v[PR_PHONE]);
		p.phone = phone;
	}
	if (v[PR_ADDRESS].present) {
		copy(address, sizeof(address), &v[PR_ADDRESS]);
		p.address = address;
	}
	if ((e = auth_profile_change(r->who.sub, &p, &a)) != AUTH_OK) {
		reply_auth_error(r, e);
		return;
	}
	fd_reply_json(r, 200, profile_json(r, &a));
}

/* Clears the page cookie. */
void
auth_http_logout(struct fd_req *r)
{
	fd_add_header(r, "Set-Cookie",
	    "fd_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	fd_reply_raw(r, 204, "application/json", NULL, 0);
}
