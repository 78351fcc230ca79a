/*
 * store_main.c - the fishstore program's wiring: a FastCGI server whose
 * routes are the HTTP adapter's handlers (store_http.c), or with
 * arguments the operator's command line (store_cli.c), both over the same
 * use cases (store_app.c) and MariaDB (fd_db.c); the relay's events are
 * applied by store_events.c.
 *
 *   fishstore.fcgi                         serve on $FD_SOCKET
 *   fishstore.fcgi ticket [--json] show ID
 *   fishstore.fcgi ticket [--json] accept ID MINUTES | prepare ID |
 *                  reject ID CODE [REASON] step a ticket as its store's
 *                                          owner would (store_cli.c)
 *   fishstore.fcgi deadline [once]         the accept deadline's checker
 *                                          (store_deadline.c; the stack
 *                                          runs it as fishstore-deadline)
 */
#include <stdio.h>

#include "fd_cli.h"
#include "fd_db.h"
#include "fd_outbox.h"
#include "fd_server.h"
#include "store.h"
#include "store_cli.h"
#include "store_http.h"

static const struct fd_route routes[] = {
	{ "GET", "/stores", FD_AUTH_PUBLIC, NULL, store_http_stores },
	{ "PATCH", "/stores/{id}", FD_AUTH_OWNER, &store_http_patch_schema,
	    store_http_patch },
	{ "GET", "/stores/{id}/menu", FD_AUTH_PUBLIC, NULL, store_http_menu },
	{ "PATCH", "/stores/{id}/menu/{id}", FD_AUTH_OWNER,
	    &store_http_menu_patch_schema, store_http_menu_patch },
	{ "GET", "/fishstores", FD_AUTH_OWNER, NULL, store_http_tickets },
	{ "GET", "/fishstores/{id}", FD_AUTH_OWNER, NULL, store_http_ticket },
	{ "PATCH", "/fishstores/{id}", FD_AUTH_OWNER,
	    &store_http_ticket_patch_schema, store_http_ticket_patch },
	{ "GET", "/events/store", FD_AUTH_OWNER, NULL, store_http_events },
};

static const struct fd_verb verbs[] = {
	{ "ticket", store_cli_ticket },
	{ "deadline", store_cli_deadline },
};
static const struct fd_cli cli = FD_CLI(verbs);

static void
metrics(FILE *f)
{
	fd_outbox_metrics(f, "fishstore");
}

static const struct fd_app store_app = {
	.name = "fishstore",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.init = fd_db_init,
	.fini = fd_db_fini,
	.ready = fd_db_ping,
	.metrics = metrics,
	.apply_event = store_apply_event,
};

int
main(int argc, char **argv)
{
	return fd_main(&store_app, argc, argv, &cli);
}
