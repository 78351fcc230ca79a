/*
 * test_isolation.c - each context's DB user reaches its own database and
 * no other; and a menu change writes its event to the outbox in the same
 * transaction (read as the fishstore user itself).
 */
#include <CUnit/CUnit.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "it.h"

static const char *const contexts[] = {
	"auth", "order", "payment", "fishstore", "delivery"
};
#define NCTX	(sizeof(contexts) / sizeof(contexts[0]))

static void
each_user_only_its_database(void)
{
	char sql[128];
	size_t i, j;
	MYSQL *m;
	MYSQL_RES *res;

	for (i = 0; i < NCTX; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db(contexts[i]));
		for (j = 0; j < NCTX; j++) {
			snprintf(sql, sizeof(sql),
			    "SELECT COUNT(*) FROM fd_%s.schema_migrations",
			    contexts[j]);
			if (i == j) {
				CU_ASSERT_EQUAL(mysql_query(m, sql), 0);
				if ((res = mysql_store_result(m)) != NULL)
					mysql_free_result(res);
			} else {
				CU_ASSERT_NOT_EQUAL(mysql_query(m, sql), 0);
				CU_ASSERT_EQUAL(mysql_errno(m),
				    ER_TABLEACCESS_DENIED_ERROR);
				snprintf(sql, sizeof(sql), "USE fd_%s", contexts[j]);
				CU_ASSERT_NOT_EQUAL(mysql_query(m, sql), 0);
			}
		}
		/* No DDL either: migrations are the admin's. */
		CU_ASSERT_NOT_EQUAL(mysql_query(m,
		    "CREATE TABLE sneaky (id INT)"), 0);
		mysql_close(m);
	}
}

static void
payment_cannot_read_orders(void)
{
	MYSQL *m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("payment"));
	CU_ASSERT_NOT_EQUAL(mysql_query(m, "SELECT * FROM fd_order.outbox"), 0);
	CU_ASSERT_EQUAL(mysql_errno(m), ER_TABLEACCESS_DENIED_ERROR);
	mysql_close(m);
}

static long long
count_menu_events(MYSQL *m, long long menu_id)
{
	return it_db_int(m, "SELECT COUNT(*) FROM outbox WHERE event_type ="
	    " 'MenuItemChanged' AND aggregate_key = 'menu:%lld'", menu_id);
}

static void
menu_change_writes_its_event(void)
{
	char tok[1024];
	struct it_resp r;
	long long before, after;
	MYSQL *m;

	CU_ASSERT_FATAL(it_login("owner2@fishdelivery.test", "fish-owner-2", tok,
	    sizeof(tok)) == 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m = it_db("fishstore"));
	before = count_menu_events(m, 10);
	CU_ASSERT(before >= 0);
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/10", tok,
	    "{\"soldOut\":true}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	/* The same value again changes nothing and adds no event. */
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/10", tok,
	    "{\"soldOut\":true}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/10", tok,
	    "{\"soldOut\":false}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	/* A refused change adds none. */
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/10", tok,
	    "{\"price\":1}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 400);
	it_free(&r);
	after = count_menu_events(m, 10);
	CU_ASSERT_EQUAL(after - before, 2);
	mysql_close(m);
}

void
add_isolation_tests(void)
{
	CU_pSuite s = CU_add_suite("isolation", NULL, NULL);

	CU_add_test(s, "each DB user reaches only its database",
	    each_user_only_its_database);
	CU_add_test(s, "payment cannot read the order database",
	    payment_cannot_read_orders);
	CU_add_test(s, "a menu change writes MenuItemChanged once",
	    menu_change_writes_its_event);
}
