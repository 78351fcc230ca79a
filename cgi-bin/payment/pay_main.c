/*
 * pay_main.c - the payment program's wiring: a FastCGI server on
 * $FD_SOCKET whose routes are the HTTP adapter's handlers
 * (pay_http.c), over MariaDB (fd_db.c), with the relay's events
 * applied by pay_events.c.  No command line.
 */
#include <stdio.h>

#include "fd_db.h"
#include "fd_outbox.h"
#include "fd_server.h"
#include "pay.h"
#include "pay_http.h"

static const struct fd_route routes[] = {
	{ "POST", "/payments", FD_AUTH_PUBLIC, &pay_http_charge_schema,
	    pay_http_charge },
	{ "GET", "/payments", FD_AUTH_CUSTOMER, NULL, pay_http_show },
	{ "POST", "/payment/internal/void/{id}", FD_AUTH_PUBLIC,
	    &pay_http_empty_schema, pay_http_void },
	{ "POST", "/payment/internal/refund/{id}", FD_AUTH_PUBLIC,
	    &pay_http_refund_schema, pay_http_refund },
};

static void
metrics(FILE *f)
{
	fd_outbox_metrics(f, "payment");
}

static const struct fd_app pay_app = {
	.name = "payment",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.init = fd_db_init,
	.fini = fd_db_fini,
	.ready = fd_db_ping,
	.metrics = metrics,
	.apply_event = pay_apply_event,
};

int
main(int argc, char **argv)
{
	return fd_main(&pay_app, argc, argv, NULL);
}
