/*
 * store_main.c - the fishstore program: a FastCGI server, or with
 * arguments the operator's command line over the same use cases.
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
#include "fd_server.h"
#include "store.h"
#include "store_http.h"

int
main(int argc, char **argv)
{
	return fd_main(&store_app, argc, argv, store_cli);
}
