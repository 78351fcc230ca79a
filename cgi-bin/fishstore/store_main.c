/* store_main.c - the fishstore program: a FastCGI server on $FD_SOCKET. */
#include "store_http.h"

int
main(int argc, char **argv)
{
	return fd_main(&store_app, argc, argv, NULL);
}
