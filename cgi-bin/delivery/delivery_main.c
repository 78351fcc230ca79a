/*
 * delivery_main.c - the delivery program.
 *
 * So far it answers the operator's routes (/delivery/health, /ready, /metrics)
 * that every context serves; its own use cases come with their issues.
 */
#include <stddef.h>

#include "fd_db.h"
#include "fd_http.h"

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

static const struct fd_app app = {
	.name = "delivery",
	.init = init,
	.fini = fd_db_fini,
	.ready = ready,
};

int
main(int argc, char **argv)
{
	return fd_main(&app, argc, argv, NULL);
}
