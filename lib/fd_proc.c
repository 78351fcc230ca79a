/*
 * fd_proc.c - the log, the environment, shared memory, the clock and the
 * trace id (see fd_proc.h): what every program and every layer needs,
 * with nothing of FastCGI or HTTP.
 */
#include <sys/mman.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "fd_proc.h"

static const char *log_name = "fd";
const char *fd_trace_id;

void
fd_log_name(const char *name)
{
	log_name = name;
}

void
fd_log(const char *fmt, ...)
{
	char msg[1024], ts[32];
	struct timespec now;
	struct tm tm;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s.%03ldZ %s[%d] %s\n", ts, now.tv_nsec / 1000000,
	    log_name, (int)getpid(), msg);
}

const char *
fd_env(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : fallback;
}

long long
fd_env_int(const char *name, long long fallback)
{
	const char *v = getenv(name);
	char *end;
	long long n;

	if (v == NULL || *v == '\0')
		return fallback;
	n = strtoll(v, &end, 10);
	return *end == '\0' ? n : fallback;
}

int
fd_env_fd(const char *name)
{
	long long fd = fd_env_int(name, -1);

	unsetenv(name);
	return fd >= 0 && fd <= 1024 && fcntl((int)fd, F_GETFD) != -1 ?
	    (int)fd : -1;
}

void *
fd_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

long long
fd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double
fd_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
fd_trace_id_ok(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' &&
		    s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
			return 0;
	return n >= 8 && n <= 64;
}
