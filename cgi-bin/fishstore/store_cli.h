/*
 * store_cli.h - the fishstore program's command line (store_cli.c): the
 * operator's verbs, which store_main.c lists (fd_cli.h).  Each takes
 * argv[0] as its verb and returns the exit status.
 */
#ifndef STORE_CLI_H
#define STORE_CLI_H

/* ticket [--json] show ID | accept ID MINUTES | prepare ID |
 * reject ID CODE [REASON] */
int		 store_cli_ticket(int argc, char **argv);
/* deadline [once]: the accept deadline's checker, or one pass. */
int		 store_cli_deadline(int argc, char **argv);

#endif
