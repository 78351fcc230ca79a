/*
 * unit.h - CUnit unit tests of the pure code: input decoding, tokens,
 * routing, the error table, the domains (auth, fishstore, order and
 * MyPage's projection, payment, delivery).  No servers, no databases:
 * every test runs in this one process.
 */
#ifndef UNIT_H
#define UNIT_H

#include <CUnit/CUnit.h>
#include <stddef.h>

struct json_object;

/* A suite is declared as a table of tests, like a route's fields. */
struct unit_test {
	const char	*name;
	CU_TestFunc	 fn;
};

/*
 * Registers suite name with its n tests.  A registration error is
 * remembered (CUnit's own error code is overwritten by the next call) and
 * makes main() fail before anything runs.
 */
void		 unit_suite(const char *name, const struct unit_test *tests,
		    size_t n);
#define UNIT_SUITE(name, tab) \
	unit_suite((name), (tab), sizeof(tab) / sizeof((tab)[0]))

/*
 * A CU_ASSERT whose failure message is formatted, so that a failing row of
 * a table names itself ("row 7 \"{} x\": got 0, want 2") instead of the
 * same expression text for every row.
 */
#define UNIT_CHECK(cond, ...) \
	unit_check((cond) ? 1 : 0, __LINE__, __FILE__, __VA_ARGS__)
void		 unit_check(int ok, unsigned int line, const char *file,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * 1 when FD_UNIT_KNOWN_BUGS is set (and not "0"): the suites then also
 * register the tests that reproduce bugs found but not yet fixed.  They
 * fail (one aborts under UBSan) until the code is fixed; then they belong
 * in the ordinary suites.
 */

/*
 * The event codecs' tables (unit_event.c): good, a payload of type as
 * JSON text, with path ("orderId", "items.0.qty") set to val (JSON text,
 * "null" a JSON null; NULL: the field removed), through the registry's
 * check: 0 accepted (and the same once encoded and decoded again), -1
 * refused, -2 not the same again, -3 the test's own mistake.
 */
struct unit_event_row {
	const char	*path;		/* NULL: good as it is */
	const char	*val;
	int		 want;
};
int		 unit_event_try(const char *type, const char *good,
		    const char *path, const char *val, char *err, size_t errsz);
/* Each row checked; a refusal's err must be text naming the field (the
 * path's last part). */
void		 unit_event_rows(const char *type, const char *good,
		    const struct unit_event_row *rows, size_t n);
#define UNIT_EVENT_ROWS(type, good, tab) \
	unit_event_rows((type), (good), (tab), sizeof(tab) / sizeof((tab)[0]))
/* A JSON string of n times unit ("\"가가...\"") in buf; returns buf. */
const char	*unit_json_repeat(char *buf, size_t sz, const char *unit,
		    size_t n);
/*
 * An encoder's payload (consumed) must be want on the wire, as the outbox
 * writes it; returns it parsed back, as the relay carries it (caller
 * owns).
 */
struct json_object *unit_event_wire(struct json_object *encoded,
		    const char *want, unsigned int line);

void		 add_input_tests(void);
void		 add_jwt_tests(void);
void		 add_route_tests(void);
void		 add_auth_domain_tests(void);
void		 add_profile_tests(void);
void		 add_store_domain_tests(void);
void		 add_store_ticket_tests(void);
void		 add_breaker_tests(void);
void		 add_order_domain_tests(void);
void		 add_payment_domain_tests(void);
void		 add_order_view_tests(void);
void		 add_order_answer_tests(void);
void		 add_dlv_domain_tests(void);
void		 add_store_ops_tests(void);
void		 add_addr_tests(void);
void		 add_event_order_tests(void);
void		 add_event_payment_tests(void);
void		 add_event_registry_tests(void);
void		 add_event_store_tests(void);
void		 add_event_delivery_tests(void);

#endif
