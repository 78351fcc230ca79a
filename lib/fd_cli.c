/*
 * fd_cli.c - runs the verb of a program's command line (fd_cli.h); the
 * verbs themselves are each context's *_cli.c.
 */
#include <stdio.h>
#include <string.h>

#include "fd_cli.h"

int
fd_cli_run(const struct fd_cli *cli, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < cli->nverbs; i++)
		if (strcmp(argv[0], cli->verbs[i].name) == 0)
			return cli->verbs[i].run(argc, argv);
	/* "try a, b or c": the table is the list. */
	fprintf(stderr, "unknown command %s; try ", argv[0]);
	for (i = 0; i < cli->nverbs; i++)
		fprintf(stderr, "%s%s", i == 0 ? "" : i + 1 == cli->nverbs ?
		    " or " : ", ", cli->verbs[i].name);
	fprintf(stderr, "\n");
	return 2;
}
