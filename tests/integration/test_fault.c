/*
 * test_fault.c - readiness follows the database: with MariaDB frozen
 * (SIGSTOP) every context's /ready answers 503 with Retry-After while
 * /health stays 200; thawed, they are ready again.  Runs last.
 */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it.h"

static pid_t
mariadb_pid(void)
{
	const char *var = getenv("FD_VAR");
	char path[1024];
	FILE *f;
	long pid = -1;

	snprintf(path, sizeof(path), "%s/run/mysqld.pid", var ? var : "var/test");
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = -1;
	fclose(f);
	return (pid_t)pid;
}

static void
ready_follows_database(void)
{
	const char *ctx[] = { "auth", "fishstore" };
	struct it_resp r;
	char path[64], ra[16];
	pid_t pid = mariadb_pid();
	size_t i;
	int tries;

	CU_ASSERT_FATAL(pid > 0);
	CU_ASSERT_FATAL(kill(pid, SIGSTOP) == 0);
	for (i = 0; i < sizeof(ctx) / sizeof(ctx[0]); i++) {
		snprintf(path, sizeof(path), "/%s/ready", ctx[i]);
		/* A few tries: the stop reaches every server thread a moment
		 * after kill() returns. */
		for (tries = 0; tries < 3; tries++) {
			/* No FATAL asserts while frozen: SIGCONT must come. */
			if (it_req(&r, "GET", path, NULL, NULL, NULL) != 0)
				continue;
			if (r.status == 503)
				break;
			fprintf(stderr, "%s while frozen: %ld %s\n", path,
			    r.status, r.body);
			it_free(&r);
		}
		CU_ASSERT_EQUAL(r.status, 503);
		CU_ASSERT(it_is_error(&r, "unavailable"));
		CU_ASSERT_PTR_NOT_NULL(it_header(&r, "Retry-After", ra, sizeof(ra)));
		it_free(&r);
		snprintf(path, sizeof(path), "/%s/health", ctx[i]);
		CU_ASSERT(it_req(&r, "GET", path, NULL, NULL, NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		it_free(&r);
	}
	/* A use case answers 503 too, not a hang or a 500. */
	CU_ASSERT(it_req(&r, "GET", "/stores", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 503);
	CU_ASSERT(it_is_error(&r, "unavailable"));
	it_free(&r);
	kill(pid, SIGCONT);

	/* Workers reconnect at their next unit of work. */
	for (tries = 0; tries < 50; tries++) {
		CU_ASSERT_FATAL(it_req(&r, "GET", "/stores", NULL, NULL, NULL) == 0);
		if (r.status == 200) {
			it_free(&r);
			break;
		}
		it_free(&r);
		usleep(100000);
	}
	CU_ASSERT(tries < 50);
	for (i = 0; i < sizeof(ctx) / sizeof(ctx[0]); i++) {
		snprintf(path, sizeof(path), "/%s/ready", ctx[i]);
		for (tries = 0; tries < 50; tries++) {
			if (it_req(&r, "GET", path, NULL, NULL, NULL) != 0)
				continue;
			if (r.status == 200) {
				it_free(&r);
				break;
			}
			it_free(&r);
			usleep(100000);
		}
		CU_ASSERT(tries < 50);
	}
}

void
add_fault_tests(void)
{
	CU_pSuite s = CU_add_suite("fault", NULL, NULL);

	CU_add_test(s, "ready follows the database", ready_follows_database);
}
