/* payment_main.c - the payment program: a FastCGI server on $FD_SOCKET. */
#include "fd_server.h"
#include "payment_http.h"

int
main(int argc, char **argv)
{
	return fd_main(&pay_app, argc, argv, NULL);
}
