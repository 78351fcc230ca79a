/*
 * bare_fcgi.c - the baseline for benchmarks: a libfcgi responder that does
 * nothing but answer a fixed body, prefork like ours (lib/fd_server.c).
 * `make bench` puts it behind the same nginx as the real programs, so the
 * gap between it and a real route is what the route itself costs.
 *
 *	bare_fcgi SOCKET WORKERS SIZE
 *
 * The answer carries the same headers as fd_reply_json() so that nginx does
 * the same work for it.  SIGTERM or SIGINT to the master stops the workers
 * and removes the socket; a worker also dies with its master (even -9), so a
 * benchmark that is interrupted leaves nothing behind.
 */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS	64
#define MAX_SIZE	(16 * 1024 * 1024)

static void __attribute__((noreturn))
worker(int fd, const char *head, int hlen, const char *body, int blen)
{
	FCGX_Request rq;
	sigset_t none;

	/* Default dispositions: SIGTERM ends a worker at once. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);

	FCGX_InitRequest(&rq, fd, 0);
	while (FCGX_Accept_r(&rq) >= 0) {
		FCGX_PutStr(head, hlen, rq.out);
		if (blen > 0)
			FCGX_PutStr(body, blen, rq.out);
		FCGX_Finish_r(&rq);
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	const char *path;
	pid_t pids[MAX_WORKERS];
	char head[256], *body, *end;
	long workers, size;
	sigset_t set;
	int fd, hlen, i, sig;

	if (argc != 4) {
		fprintf(stderr, "usage: bare_fcgi SOCKET WORKERS SIZE\n");
		return 2;
	}
	path = argv[1];
	errno = 0;
	workers = strtol(argv[2], &end, 10);
	if (errno != 0 || *end != '\0' || workers < 1 || workers > MAX_WORKERS) {
		fprintf(stderr, "bare_fcgi: WORKERS must be 1..%d\n", MAX_WORKERS);
		return 2;
	}
	size = strtol(argv[3], &end, 10);
	if (errno != 0 || *end != '\0' || size < 0 || size > MAX_SIZE) {
		fprintf(stderr, "bare_fcgi: SIZE must be 0..%d\n", MAX_SIZE);
		return 2;
	}

	if ((body = malloc((size_t)size + 1)) == NULL)
		return 1;
	memset(body, 'x', (size_t)size);
	/* FCGX_FPrintF knows no %zu (STYLE.md): snprintf, then FCGX_PutStr. */
	hlen = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Length: %ld\r\n\r\n", size);
	if (hlen < 0 || (size_t)hlen >= sizeof(head))
		return 1;

	if (FCGX_Init() != 0)
		return 1;
	unlink(path);
	if ((fd = FCGX_OpenSocket(path, 1024)) < 0) {
		fprintf(stderr, "bare_fcgi: cannot listen on %s\n", path);
		return 1;
	}
	chmod(path, 0666);	/* nginx workers may be another user */

	/* The master takes its signals with sigwait(); workers reset them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	for (i = 0; i < workers; i++) {
		if ((pids[i] = fork()) == 0)
			worker(fd, head, hlen, body, (int)size);
		if (pids[i] < 0) {
			perror("bare_fcgi: fork");
			workers = i;
			goto out;
		}
	}
	/* Run until told to stop, or until a worker dies (then stop too). */
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			break;
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGCHLD && waitpid(-1, NULL, WNOHANG) > 0) {
			fprintf(stderr, "bare_fcgi: a worker died; stopping\n");
			break;
		}
	}
out:
	for (i = 0; i < workers; i++)
		kill(pids[i], SIGTERM);
	while (wait(NULL) > 0)
		continue;
	unlink(path);
	free(body);
	return 0;
}
