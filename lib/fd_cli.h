/*
 * fd_cli.h - a program's command line, the second inbound adapter beside
 * HTTP: a table of verbs.  Each context's *_main.c lists its verbs (their
 * code is in its *_cli.c, over the same use cases as the HTTP adapter);
 * fd_main() (fd_server.h) runs the one its first argument names.
 */
#ifndef FD_CLI_H
#define FD_CLI_H

#include <stddef.h>

struct fd_verb {
	const char	*name;			/* "reconcile" */
	int		(*run)(int argc, char **argv);	/* argv[0]: the verb;
						   returns the exit status */
};

struct fd_cli {
	const struct fd_verb	*verbs;
	size_t			 nverbs;
};

#define FD_CLI(tab) { (tab), sizeof(tab) / sizeof((tab)[0]) }

/*
 * Runs the verb argv[0] names (argc >= 1) and returns its exit status;
 * an unknown verb: 2, having said on stderr which there are.
 */
int		 fd_cli_run(const struct fd_cli *, int argc, char **argv);

#endif
