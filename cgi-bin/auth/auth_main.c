/*
 * auth_main.c - the auth program's wiring: a FastCGI server whose routes
 * are the HTTP adapter's handlers (auth_http.c), or with arguments the
 * operator's command line (auth_cli.c), both over the same use cases
 * (auth_app.c) and MariaDB (fd_db.c).
 *
 *   auth.fcgi                                    serve on $FD_SOCKET
 *   auth.fcgi add-owner EMAIL NAME PHONE STORE   password on stdin
 */
#include <stdio.h>

#include "auth_cli.h"
#include "auth_http.h"
#include "fd_cli.h"
#include "fd_db.h"
#include "fd_outbox.h"
#include "fd_server.h"

static const struct fd_route routes[] = {
	{ "POST", "/auth/signup", FD_AUTH_PUBLIC, &auth_http_signup_schema,
	    auth_http_signup },
	{ "POST", "/auth/login", FD_AUTH_PUBLIC, &auth_http_login_schema,
	    auth_http_login },
	{ "POST", "/auth/logout", FD_AUTH_PUBLIC, NULL, auth_http_logout },
	{ "GET", "/auth/me", FD_AUTH_USER, NULL, auth_http_me },
	{ "PATCH", "/auth/me", FD_AUTH_CUSTOMER, &auth_http_profile_schema,
	    auth_http_me_patch },
};

static const struct fd_verb verbs[] = {
	{ "add-owner", auth_cli_add_owner },
};
static const struct fd_cli cli = FD_CLI(verbs);

/* Its outbox's lag, as every producing context shows it. */
static void
metrics(FILE *f)
{
	fd_outbox_metrics(f, "auth");
}

static const struct fd_app auth_app = {
	.name = "auth",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.init = fd_db_init,
	.fini = fd_db_fini,
	.ready = fd_db_ping,
	.metrics = metrics,
};

int
main(int argc, char **argv)
{
	return fd_main(&auth_app, argc, argv, &cli);
}
