/*
 * auth_http.h - the auth context's HTTP adapter (auth_http.c): its
 * handlers and input tables, which the route table in auth_main.c plugs
 * together.
 */
#ifndef AUTH_HTTP_H
#define AUTH_HTTP_H

#include "fd_http.h"

void		 auth_http_signup(struct fd_req *);
void		 auth_http_login(struct fd_req *);
void		 auth_http_logout(struct fd_req *);
void		 auth_http_me(struct fd_req *);
void		 auth_http_me_patch(struct fd_req *);
extern const struct fd_schema auth_http_signup_schema;
extern const struct fd_schema auth_http_login_schema;
extern const struct fd_schema auth_http_profile_schema;

#endif
