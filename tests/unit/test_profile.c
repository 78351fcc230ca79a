/*
 * test_profile.c - a customer's profile: auth_domain.c's rules for a
 * change (PATCH /auth/me takes signup's rules for each field it names; a
 * change to what is already there raises no version) and the customer
 * events' codec (lib/fd_customer.c: what auth writes, order decodes back,
 * and what order refuses).
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "fd_event_auth.h"
#include "unit.h"

/* s repeated n times into buf. */
static const char *
repeat(char *buf, size_t sz, const char *s, int n)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < sz; i++)
		off += (size_t)snprintf(buf + off, sz - off, "%s", s);
	return buf;
}

static void
patch_takes_signups_rules(void)
{
	char name60[256], name61[256], addr200[1024], addr201[1024];
	struct {
		struct auth_profile_patch p;
		enum auth_err		 want;
	} rows[] = {
		{ { "김바다", NULL, NULL }, AUTH_OK },
		{ { NULL, "+82 10-1234-5678", NULL }, AUTH_OK },
		{ { NULL, NULL, "부산 해운대구 1" }, AUTH_OK },
		{ { "a", "01012345678", "x" }, AUTH_OK },
		{ { NULL, NULL, NULL }, AUTH_E_EMPTY },
		{ { "", NULL, NULL }, AUTH_E_NAME },
		{ { "   ", NULL, NULL }, AUTH_E_NAME },
		{ { "탭\t이름", NULL, NULL }, AUTH_E_NAME },
		{ { "\xff\xfe", NULL, NULL }, AUTH_E_NAME },
		{ { NULL, "", NULL }, AUTH_E_PHONE },
		{ { NULL, "call me now", NULL }, AUTH_E_PHONE },
		{ { NULL, "010-1234-", NULL }, AUTH_E_PHONE },
		{ { NULL, "-0101234567", NULL }, AUTH_E_PHONE },
		{ { NULL, "1234567", NULL }, AUTH_E_PHONE },
		{ { NULL, "0101234567890123", NULL }, AUTH_E_PHONE },
		{ { NULL, "010--12345678", NULL }, AUTH_E_PHONE },
		{ { NULL, NULL, "" }, AUTH_E_ADDRESS },
		{ { NULL, NULL, "  " }, AUTH_E_ADDRESS },
		/* Every field is checked, not only the first. */
		{ { "김", "01012345678", "" }, AUTH_E_ADDRESS },
		{ { "김", "bad", "서울" }, AUTH_E_PHONE },
		{ { name60, NULL, addr200 }, AUTH_OK },
		{ { name61, NULL, NULL }, AUTH_E_NAME },
		{ { NULL, NULL, addr201 }, AUTH_E_ADDRESS },
	};
	size_t i;

	/* Characters, not bytes: Korean is three bytes each. */
	repeat(name60, sizeof(name60), "가", 60);
	repeat(name61, sizeof(name61), "가", 61);
	repeat(addr200, sizeof(addr200), "길", 200);
	repeat(addr201, sizeof(addr201), "길", 201);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum auth_err got = auth_profile_check(&rows[i].p);
		UNIT_CHECK(got == rows[i].want, "row %zu: got %d, want %d", i,
		    (int)got, (int)rows[i].want);
	}
}

static void
apply_raises_the_version_on_change_only(void)
{
	struct auth_account a;
	struct auth_profile_patch same = { "김민수", "010-1234-5678", NULL };
	struct auth_profile_patch addr = { NULL, NULL, "부산 중구 2" };

	memset(&a, 0, sizeof(a));
	snprintf(a.name, sizeof(a.name), "김민수");
	snprintf(a.phone, sizeof(a.phone), "010-1234-5678");
	snprintf(a.address, sizeof(a.address), "서울 종로구 1");
	a.version = 1;
	CU_ASSERT_EQUAL(auth_profile_apply(&a, &same), 0);
	CU_ASSERT_EQUAL(a.version, 1);
	CU_ASSERT_EQUAL(auth_profile_apply(&a, &addr), 1);
	CU_ASSERT_EQUAL(a.version, 2);
	CU_ASSERT_STRING_EQUAL(a.address, "부산 중구 2");
	/* What the patch leaves out stays. */
	CU_ASSERT_STRING_EQUAL(a.name, "김민수");
	CU_ASSERT_STRING_EQUAL(a.phone, "010-1234-5678");
	CU_ASSERT_EQUAL(auth_profile_apply(&a, &addr), 0);
	CU_ASSERT_EQUAL(a.version, 2);
}

static const struct unit_test rules[] = {
	{ "a change takes signup's rules", patch_takes_signups_rules },
	{ "a change raises the version, a no-op not",
	    apply_raises_the_version_on_change_only },
};

static void
event_round_trip(void)
{
	struct fd_customer c, d;
	json_object *o;
	char err[128];

	memset(&c, 0, sizeof(c));
	c.customer_id = 42;
	c.version = 7;
	snprintf(c.name, sizeof(c.name), "김\"민수\\");
	snprintf(c.phone, sizeof(c.phone), "+82 10-1234-5678");
	snprintf(c.address, sizeof(c.address), "서울 <종로구> 1");
	o = fd_customer_encode(&c);
	/* Through the text the relay carries. */
	json_object *back = json_tokener_parse(json_object_to_json_string(o));
	CU_ASSERT_FATAL(back != NULL);
	CU_ASSERT_EQUAL(fd_customer_decode(back, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(d.customer_id, 42);
	CU_ASSERT_EQUAL(d.version, 7);
	CU_ASSERT_STRING_EQUAL(d.name, c.name);
	CU_ASSERT_STRING_EQUAL(d.phone, c.phone);
	CU_ASSERT_STRING_EQUAL(d.address, c.address);
	json_object_put(back);
	json_object_put(o);
	CU_ASSERT(fd_customer_event("CustomerRegistered"));
	CU_ASSERT(fd_customer_event("CustomerProfileChanged"));
	CU_ASSERT(!fd_customer_event("MenuItemChanged"));
}

static void
decoder_refuses_bad_events(void)
{
	static const char *const bad[] = {
		"[]",
		"{}",
		"{\"name\":\"a\",\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":0,\"name\":\"a\",\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":\"5\",\"name\":\"a\",\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":5,\"name\":\"a\",\"phone\":\"1\",\"address\":\"x\"}",
		"{\"customerId\":5,\"name\":\"a\",\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":0}",
		"{\"customerId\":5,\"name\":\"a\",\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":1.5}",
		"{\"customerId\":5,\"name\":\"\",\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":5,\"name\":null,\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":5,\"name\":\"a\\u0000b\",\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":5,\"name\":\"a\\nb\",\"phone\":\"1\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":5,\"name\":\"a\",\"phone\":\"전화\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":5,\"name\":\"a\",\"phone\":\"012345678901234567890\",\"address\":\"x\",\"profileVersion\":1}",
		"{\"customerId\":5,\"name\":\"a\",\"phone\":\"1\",\"address\":\"\",\"profileVersion\":1}",
		"{\"customerId\":5,\"name\":\"a\",\"phone\":\"1\",\"profileVersion\":1}",
	};
	struct fd_customer c;
	json_object *o;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = json_tokener_parse(bad[i]);
		err[0] = '\0';
		UNIT_CHECK(fd_customer_decode(o, &c, err, sizeof(err)) == -1,
		    "accepted %s", bad[i]);
		UNIT_CHECK(err[0] != '\0', "no reason for %s", bad[i]);
		json_object_put(o);
	}
	/* A name of 61 characters is one too many. */
	char name[512], ev[1024];
	repeat(name, sizeof(name), "가", 61);
	snprintf(ev, sizeof(ev), "{\"customerId\":5,\"name\":\"%s\",\"phone\":"
	    "\"1\",\"address\":\"x\",\"profileVersion\":1}", name);
	o = json_tokener_parse(ev);
	CU_ASSERT_EQUAL(fd_customer_decode(o, &c, err, sizeof(err)), -1);
	json_object_put(o);
	CU_ASSERT_EQUAL(fd_customer_decode(NULL, &c, err, sizeof(err)), -1);
}

static const struct unit_test events[] = {
	{ "encoded, decoded back the same", event_round_trip },
	{ "the decoder refuses what is not a profile",
	    decoder_refuses_bad_events },
};

void
add_profile_tests(void)
{
	UNIT_SUITE("profile rules", rules);
	UNIT_SUITE("customer events", events);
}
