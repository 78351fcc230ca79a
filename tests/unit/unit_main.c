/*
 * unit_main.c - runs every unit suite; the exit status is non-zero if any
 * assertion or test failed, or if CUnit itself reported an error (a suite
 * that could not be registered must not pass silently).
 */
#include <CUnit/Basic.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static int registry_failed;

void
unit_suite(const char *name, const struct unit_test *tests, size_t n)
{
	CU_pSuite s;
	size_t i;

	if ((s = CU_add_suite(name, NULL, NULL)) == NULL) {
		fprintf(stderr, "unit_tests: suite %s: %s\n", name,
		    CU_get_error_msg());
		registry_failed = 1;
		return;
	}
	for (i = 0; i < n; i++)
		if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL) {
			fprintf(stderr, "unit_tests: %s: %s: %s\n", name,
			    tests[i].name, CU_get_error_msg());
			registry_failed = 1;
		}
}

void
unit_check(int ok, unsigned int line, const char *file, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	/* CUnit copies a failure's condition text: a stack buffer will do. */
	if (ok) {
		CU_assertImplementation(CU_TRUE, line, "", file, "", CU_FALSE);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	CU_assertImplementation(CU_FALSE, line, msg, file, "", CU_FALSE);
}

int
main(void)
{
	unsigned int failed, ran;
	CU_ErrorCode err;

	/* The JWT tests forge tokens with libsodium. */
	if (sodium_init() < 0) {
		fprintf(stderr, "unit_tests: sodium_init failed\n");
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "unit_tests: %s\n", CU_get_error_msg());
		return 1;
	}
	add_input_tests();
	add_jwt_tests();
	add_route_tests();
	add_auth_domain_tests();
	add_profile_tests();
	add_store_domain_tests();
	add_store_ticket_tests();
	add_breaker_tests();
	add_order_domain_tests();
	add_payment_domain_tests();
	add_order_view_tests();
	add_order_answer_tests();
	add_dlv_domain_tests();
	add_store_ops_tests();
	add_addr_tests();
	add_event_order_tests();
	add_event_payment_tests();
	add_event_registry_tests();
	add_event_store_tests();
	add_event_delivery_tests();
	if (registry_failed || CU_get_error() != CUE_SUCCESS) {
		fprintf(stderr, "unit_tests: suites not registered\n");
		CU_cleanup_registry();
		return 1;
	}

	CU_basic_set_mode(CU_BRM_VERBOSE);
	err = CU_basic_run_tests();
	/* Read the summary before CU_cleanup_registry() resets it. */
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
	    CU_get_number_of_suites_failed();
	ran = CU_get_number_of_tests_run();
	if (err == CUE_SUCCESS)
		err = CU_get_error();
	if (err != CUE_SUCCESS)
		fprintf(stderr, "unit_tests: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	if (ran == 0)
		fprintf(stderr, "unit_tests: no test ran\n");
	return err != CUE_SUCCESS || failed != 0 || ran == 0 ? 1 : 0;
}
