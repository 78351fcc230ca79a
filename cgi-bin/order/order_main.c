/*
 * order_main.c - the order program: a FastCGI server, or with arguments a
 * command line over the same use cases.
 *
 *   order.fcgi                   serve on $FD_SOCKET
 *   order.fcgi reconcile [AGE]   resolve orders PaymentPending for AGE s
 *   order.fcgi reconciler        the same every FD_RECONCILE_INTERVAL
 *                                seconds, until SIGTERM (the stack runs it)
 *   order.fcgi stuck [--json] [--age S] [--status S,...] [--limit N]
 *                                orders that stopped moving (order_cli.c;
 *                                scripts/fdctl stuck)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_http.h"
#include "fd_server.h"
#include "order.h"
#include "order_http.h"

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int
cli(int argc, char **argv)
{
	int age = (int)fd_env_int("FD_RECONCILE_AGE", 30), n;
	long long every = fd_env_int("FD_RECONCILE_INTERVAL", 10), i;

	if (strcmp(argv[0], "reconcile") == 0) {
		if (argc > 1)
			age = atoi(argv[1]);
		if ((n = order_reconcile(age)) < 0)
			return 1;
		printf("reconciled %d order(s)\n", n);
		return 0;
	}
	if (strcmp(argv[0], "reconciler") == 0) {
		signal(SIGTERM, on_term);
		signal(SIGINT, on_term);
		fd_log("reconciler: every %llds, orders pending over %ds", every,
		    age);
		while (!stop) {
			if (order_reconcile(age) < 0)
				fd_log("reconciler: database unavailable");
			for (i = 0; i < every * 10 && !stop; i++)
				usleep(100000);
		}
		return 0;
	}
	if (strcmp(argv[0], "stuck") == 0)
		return order_cli_stuck(argc, argv);
	fprintf(stderr, "unknown command %s; try reconcile, reconciler or "
	    "stuck\n", argv[0]);
	return 2;
}

int
main(int argc, char **argv)
{
	return fd_main(&order_app, argc, argv, cli);
}
