/*
 * dlv_main.c - the delivery program's wiring: a FastCGI server on
 * $FD_SOCKET whose routes are the HTTP adapter's handlers (dlv_http.c),
 * over MariaDB (fd_db.c), with the relay's events applied by
 * dlv_events.c.  No command line.
 */
#include <stdio.h>

#include "dlv.h"
#include "dlv_http.h"
#include "fd_db.h"
#include "fd_outbox.h"
#include "fd_server.h"

static const struct fd_route routes[] = {
	{ "GET", "/deliveries", FD_AUTH_OWNER, NULL, dlv_http_list },
	{ "GET", "/deliveries/{id}", FD_AUTH_OWNER, NULL, dlv_http_get },
	{ "PATCH", "/deliveries/{id}", FD_AUTH_OWNER, &dlv_http_patch_schema,
	    dlv_http_patch },
};

static void
metrics(FILE *f)
{
	fd_outbox_metrics(f, "delivery");
}

static const struct fd_app dlv_app = {
	.name = "delivery",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.init = fd_db_init,
	.fini = fd_db_fini,
	.ready = fd_db_ping,
	.metrics = metrics,
	.apply_event = dlv_apply_event,
};

int
main(int argc, char **argv)
{
	return fd_main(&dlv_app, argc, argv, NULL);
}
