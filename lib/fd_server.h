/*
 * fd_server.h - the prefork server every context's program runs.
 *
 * fd_main() runs a context (struct fd_app, fd_http.h) as a master that
 * owns the listening socket and keeps N single-threaded workers alive
 * (libfcgi does not multiplex), each accepting one request at a time;
 * SIGTERM drains, SIGHUP deploys a new build (see fd_server.c).
 */
#ifndef FD_SERVER_H
#define FD_SERVER_H

struct fd_app;
struct fd_cli;

/*
 * Runs the app: a server (no arguments) or, if cli is set, the verb of
 * the command line its first argument names (fd_cli.h), between the
 * app's init and fini.  Both borrowed; each *_main.c wires its own.
 */
int		 fd_main(const struct fd_app *, int argc, char **argv,
		    const struct fd_cli *cli);

#endif
