/*
 * order_cli.h - the order program's command line (order_cli.c): the
 * operator's verbs, which order_main.c lists (fd_cli.h).  Each takes
 * argv[0] as its verb and returns the exit status.
 */
#ifndef ORDER_CLI_H
#define ORDER_CLI_H

/* reconcile [AGE]: one pass over orders PaymentPending for AGE s. */
int		 order_cli_reconcile(int argc, char **argv);
/* reconciler: a pass every FD_RECONCILE_INTERVAL s until SIGTERM. */
int		 order_cli_reconciler(int argc, char **argv);
/* stuck [--json] [--age S] [--status S,...] [--limit N] */
int		 order_cli_stuck(int argc, char **argv);

#endif
