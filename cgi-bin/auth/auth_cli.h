/*
 * auth_cli.h - the auth program's command line (auth_cli.c): the
 * operator's verbs, which auth_main.c lists (fd_cli.h).  Each takes
 * argv[0] as its verb and returns the exit status.
 */
#ifndef AUTH_CLI_H
#define AUTH_CLI_H

/* add-owner EMAIL NAME PHONE STORE, the password on stdin: 0 made (or
 * there already), 1 failed, 2 a bad argument. */
int		 auth_cli_add_owner(int argc, char **argv);

#endif
