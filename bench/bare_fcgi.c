/*
 * bare_fcgi.c - the baseline for benchmarks: a libfcgi responder that does
 * nothing but answer a fixed body of BARE_SIZE bytes, prefork like ours.
 * `make bench` puts it behind the same nginx as the real programs.
 */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	FCGX_Request rq;
	const char *path = argc > 1 ? argv[1] : "bare.sock";
	int workers = argc > 2 ? atoi(argv[2]) : 4;
	size_t size = argc > 3 ? (size_t)atol(argv[3]) : 512, i;
	char head[128], *body;
	int fd, n;

	if ((body = malloc(size + 1)) == NULL)
		return 1;
	for (i = 0; i < size; i++)
		body[i] = 'x';
	n = snprintf(head, sizeof(head), "Status: 200 OK\r\nContent-Type: "
	    "application/json\r\nContent-Length: %lu\r\n\r\n",
	    (unsigned long)size);
	FCGX_Init();
	unlink(path);
	if ((fd = FCGX_OpenSocket(path, 1024)) < 0)
		return 1;
	for (i = 0; i < (size_t)workers; i++)
		if (fork() == 0) {
			FCGX_InitRequest(&rq, fd, 0);
			while (FCGX_Accept_r(&rq) >= 0) {
				FCGX_PutStr(head, n, rq.out);
				FCGX_PutStr(body, (int)size, rq.out);
				FCGX_Finish_r(&rq);
			}
			_exit(0);
		}
	while (wait(NULL) > 0)
		continue;
	return 0;
}
