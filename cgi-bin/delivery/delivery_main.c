/* delivery_main.c - the delivery program: a FastCGI server on $FD_SOCKET. */
#include "dlv_http.h"
#include "fd_server.h"

int
main(int argc, char **argv)
{
	return fd_main(&dlv_app, argc, argv, NULL);
}
