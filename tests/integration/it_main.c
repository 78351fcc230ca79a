/*
 * it_main.c - runs every integration suite against the stack at $FD_URL.
 * An optional argument names one suite to run, a second one test of it.
 */
#include <CUnit/Basic.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "it.h"

int
main(int argc, char **argv)
{
	unsigned int failed;

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	add_gateway_tests();
	add_ratelimit_tests();
	add_auth_tests();
	add_profile_tests();
	add_csrf_tests();
	add_catalog_tests();
	add_order_tests();
	add_store_ops_tests();
	add_breaker_tests();
	add_tickets_tests();
	add_isolation_tests();
	add_payment_tests();
	add_mypage_tests();
	add_money_tests();
	add_trace_tests();
	add_relay_tests();
	add_cli_tests();
	add_estimate_tests();
	add_drain_tests();
	add_purge_tests();
	add_utc_tests();
	add_hosts_tests();
	add_push_tests();
	add_deadlock_tests();
	add_fault_tests();	/* last: it pauses the database */
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (argc > 1) {
		CU_pSuite s = CU_get_suite(argv[1]);
		if (s == NULL) {
			fprintf(stderr, "no suite %s\n", argv[1]);
			return 2;
		}
		if (argc > 2) {
			CU_pTest t = CU_get_test(s, argv[2]);
			if (t == NULL) {
				fprintf(stderr, "no test %s in %s\n", argv[2],
				    argv[1]);
				return 2;
			}
			CU_basic_run_test(s, t);
		} else
			CU_basic_run_suite(s);
	} else
		CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	if (CU_get_error() != CUE_SUCCESS)
		failed++;
	CU_cleanup_registry();
	it_done();
	curl_global_cleanup();
	return failed ? 1 : 0;
}
