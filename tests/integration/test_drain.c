/*
 * test_drain.c - a graceful stop cuts no request.  With payment slowed to
 * 600 ms (a test-stack fault hook), eight orders go to the order program's
 * four workers: four are being served and four wait on its socket when
 * its master gets SIGTERM.  Every one is answered 201 and recorded Paid;
 * runit then starts the program again.
 */
#include <CUnit/CUnit.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "it.h"

#define ORDERS	8

static char cust[2][1024];

static const char body[] = "{\"storeId\":1,\"items\":[{\"menuId\":2,"
    "\"qty\":1}],\"address\":\"부산 해운대구 7\",\"phone\":\"010-7777-0000\"}";

struct placed {
	const char	*token;
	long		 status;
	long long	 id;
};

static int
init_suite(void)
{
	char email[128];
	int i;

	it_fault("payment-delay-ms", NULL);
	for (i = 0; i < 2; i++)
		if (it_customer(cust[i], sizeof(cust[i]), email,
		    sizeof(email)) <= 0)
			return -1;
	return 0;
}

static int
clean_suite(void)
{
	it_fault("payment-delay-ms", NULL);
	return 0;
}

static void *
place(void *arg)
{
	struct placed *p = arg;
	struct it_resp r;

	if (it_req(&r, "POST", "/orders", p->token, body, NULL) == 0) {
		p->status = r.status;
		p->id = it_int(&r, "orderId");
		if (r.status != 201)
			fprintf(stderr, "drain: %ld %s\n", r.status, r.body);
		it_free(&r);
	}
	it_done();
	return NULL;
}

static void
sigterm_cuts_nothing(void)
{
	struct placed p[ORDERS];
	pthread_t th[ORDERS];
	struct it_resp r;
	char path[64];
	pid_t master = it_service_pid("order");
	int i, placed = 0, paid = 0;

	CU_ASSERT_FATAL(master > 0);
	it_fault("payment-delay-ms", "600");
	for (i = 0; i < ORDERS; i++) {
		p[i].token = cust[i % 2];
		p[i].status = 0;
		p[i].id = 0;
		pthread_create(&th[i], NULL, place, &p[i]);
	}
	usleep(250000);		/* all eight reached the program */
	CU_ASSERT(kill(master, SIGTERM) == 0);
	for (i = 0; i < ORDERS; i++)
		pthread_join(th[i], NULL);
	it_fault("payment-delay-ms", NULL);
	for (i = 0; i < ORDERS; i++)
		if (p[i].status == 201 && p[i].id > 0)
			placed++;
	printf("\n    %d of %d orders in flight at SIGTERM answered 201 ",
	    placed, ORDERS);
	CU_ASSERT_EQUAL(placed, ORDERS);

	/* The program was really stopped, and runit started it again. */
	CU_ASSERT_FATAL(it_wait_ready("order", 10) == 0);
	CU_ASSERT(it_service_pid("order") != master);
	for (i = 0; i < ORDERS; i++) {
		if (p[i].id <= 0)
			continue;
		snprintf(path, sizeof(path), "/orders/%lld", p[i].id);
		CU_ASSERT_FATAL(it_req(&r, "GET", path, p[i].token, NULL,
		    NULL) == 0);
		if (r.status == 200 && it_str(&r, "status") != NULL &&
		    strcmp(it_str(&r, "status"), "Paid") == 0)
			paid++;
		it_free(&r);
	}
	CU_ASSERT_EQUAL(paid, ORDERS);
}

void
add_drain_tests(void)
{
	CU_pSuite s = CU_add_suite("drain", init_suite, clean_suite);

	CU_add_test(s, "SIGTERM drains in-flight and queued requests",
	    sigterm_cuts_nothing);
}
