/*
 * test_input.c - fd_input: strict, table-driven decoding of request bodies,
 * and the UTF-8 checks it is built on.
 *
 * Every body is copied into a heap buffer of exactly its length, with no
 * NUL after it, so that under ASan a decoder reading past the body fails.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_input.h"
#include "unit.h"

/* An account-like table: every scalar type, required and optional. */
enum { A_EMAIL, A_NAME, A_AGE, A_VIP, A_NOTE };
static const struct fd_field acct_fields[] = {
	[A_EMAIL] =	{ "email", FD_T_STRING, 1, 3, 254, NULL },
	[A_NAME] =	{ "name", FD_T_STRING, 1, 1, 60, NULL },
	[A_AGE] =	{ "age", FD_T_INT, 0, 0, 150, NULL },
	[A_VIP] =	{ "vip", FD_T_BOOL, 0, 0, 0, NULL },
	[A_NOTE] =	{ "note", FD_T_STRING, 0, 0, 10, NULL },
};
static const struct fd_schema acct = FD_SCHEMA(acct_fields);

/* An order-like table: an array of objects with their own table. */
enum { L_MENU, L_QTY };
static const struct fd_field line_fields[] = {
	[L_MENU] =	{ "menuId", FD_T_INT, 1, 1, 999999999999999LL, NULL },
	[L_QTY] =	{ "qty", FD_T_INT, 1, 1, 99, NULL },
};
static const struct fd_schema line = FD_SCHEMA(line_fields);

enum { O_STORE, O_ITEMS, O_ADDRESS };
static const struct fd_field order_fields[] = {
	[O_STORE] =	{ "storeId", FD_T_INT, 1, 1, 999999999999999LL, NULL },
	[O_ITEMS] =	{ "items", FD_T_ARRAY, 1, 1, 3, &line },
	[O_ADDRESS] =	{ "address", FD_T_STRING, 0, 1, 200, NULL },
};
static const struct fd_schema order = FD_SCHEMA(order_fields);

/* Arrays inside array elements: what fd_input_free() must walk. */
enum { G_NAME, G_LINES };
static const struct fd_field group_fields[] = {
	[G_NAME] =	{ "name", FD_T_STRING, 1, 1, 20, NULL },
	[G_LINES] =	{ "lines", FD_T_ARRAY, 0, 0, 5, &line },
};
static const struct fd_schema group = FD_SCHEMA(group_fields);
static const struct fd_field batch_fields[] = {
	{ "groups", FD_T_ARRAY, 1, 0, 4, &group },
};
static const struct fd_schema batch = FD_SCHEMA(batch_fields);

/* Nothing required: "{}" is valid, so only the framing is under test. */
enum { P_A, P_S, P_B };
static const struct fd_field opt_fields[] = {
	[P_A] =		{ "a", FD_T_INT, 0, -10, 10, NULL },
	[P_S] =		{ "s", FD_T_STRING, 0, 0, 5, NULL },
	[P_B] =		{ "b", FD_T_BOOL, 0, 0, 0, NULL },
};
static const struct fd_schema opt = FD_SCHEMA(opt_fields);

static const struct fd_schema empty = { NULL, 0 };

/* One body and what decoding it must give. */
struct row {
	const char		*body;
	size_t			 len;	/* 0: strlen(body) */
	enum fd_input_rc	 want;
	const char		*msg;	/* expected in in.msg, or NULL */
};

/* body made printable for a failure message (static buffer). */
static const char *
show(const char *s, size_t len)
{
	static char buf[160];
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < sizeof(buf); i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			    "\\x%02x", c);
	}
	buf[o] = '\0';
	return buf;
}

/* Parses a heap copy of body[0..len) without a terminating NUL. */
static enum fd_input_rc
parse_n(struct fd_input *in, const struct fd_schema *s, const char *body,
    size_t len)
{
	enum fd_input_rc rc;
	char *copy;

	if ((copy = malloc(len ? len : 1)) == NULL) {
		CU_FAIL_FATAL("out of memory");
		return FD_IN_SYNTAX;
	}
	memcpy(copy, body, len);
	rc = fd_input_parse(in, s, copy, len);
	/*
	 * Strings in the values are borrowed from the decoded tree, not from
	 * the body: freeing the body now makes ASan catch the opposite.
	 */
	free(copy);
	return rc;
}

static enum fd_input_rc
parse(struct fd_input *in, const struct fd_schema *s, const char *body)
{
	return parse_n(in, s, body, strlen(body));
}

static void
run_rows(const struct fd_schema *s, const struct row *rows, size_t n)
{
	struct fd_input in;
	enum fd_input_rc rc;
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = rows[i].len ? rows[i].len : strlen(rows[i].body);
		rc = parse_n(&in, s, rows[i].body, len);
		UNIT_CHECK(rc == rows[i].want, "row %zu '%s': got %d, want %d "
		    "(%s)", i, show(rows[i].body, len), rc, rows[i].want, in.msg);
		if (rows[i].want != FD_IN_OK)
			UNIT_CHECK(in.msg[0] != '\0', "row %zu '%s': no message",
			    i, show(rows[i].body, len));
		if (rows[i].msg != NULL)
			UNIT_CHECK(strstr(in.msg, rows[i].msg) != NULL,
			    "row %zu '%s': message '%s' lacks '%s'", i,
			    show(rows[i].body, len), in.msg, rows[i].msg);
		fd_input_free(&in);
	}
}

#define RUN_ROWS(s, rows) run_rows((s), (rows), sizeof(rows) / sizeof((rows)[0]))

/* "{\"name\":\"<s repeated n times>\",\"email\":\"a@b.c\"}" into buf. */
static void
name_body(char *buf, size_t sz, const char *s, int n)
{
	size_t off;
	int i;

	off = (size_t)snprintf(buf, sz, "{\"email\":\"a@b.c\",\"name\":\"");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, sz - off, "%s", s);
	snprintf(buf + off, sz - off, "\"}");
}

static void
accepts_valid_bodies(void)
{
	struct fd_input in;
	const struct fd_value *v;

	CU_ASSERT_EQUAL_FATAL(parse(&in, &acct, "{\"email\":\"kim@example.com\","
	    "\"name\":\"김민수\",\"age\":42,\"vip\":true}"), FD_IN_OK);
	v = in.v;
	CU_ASSERT_TRUE(v[A_EMAIL].present);
	CU_ASSERT_EQUAL(v[A_EMAIL].len, strlen("kim@example.com"));
	CU_ASSERT_NSTRING_EQUAL(v[A_EMAIL].s, "kim@example.com", v[A_EMAIL].len);
	CU_ASSERT_TRUE(v[A_NAME].present);
	CU_ASSERT_EQUAL(v[A_NAME].len, 9);	/* 3 characters, 9 bytes */
	CU_ASSERT_NSTRING_EQUAL(v[A_NAME].s, "김민수", 9);
	CU_ASSERT_TRUE(v[A_AGE].present);
	CU_ASSERT_EQUAL(v[A_AGE].i, 42);
	CU_ASSERT_TRUE(v[A_VIP].present);
	CU_ASSERT_EQUAL(v[A_VIP].b, 1);
	CU_ASSERT_FALSE(v[A_NOTE].present);
	fd_input_free(&in);

	/* Any order, JSON whitespace around and inside, false, escapes. */
	CU_ASSERT_EQUAL_FATAL(parse(&in, &acct, " \r\n\t{ \"vip\" : false ,"
	    "\"name\":\"Jos\\u00e9 \\\"J\\\"\", \"email\":\"a@b.c\" ,"
	    "\"note\":\"\" } \n"), FD_IN_OK);
	v = in.v;
	CU_ASSERT_TRUE(v[A_VIP].present);
	CU_ASSERT_EQUAL(v[A_VIP].b, 0);
	CU_ASSERT_EQUAL(v[A_NAME].len, strlen("José \"J\""));
	CU_ASSERT_NSTRING_EQUAL(v[A_NAME].s, "José \"J\"", v[A_NAME].len);
	CU_ASSERT_TRUE(v[A_NOTE].present);
	CU_ASSERT_EQUAL(v[A_NOTE].len, 0);
	CU_ASSERT_FALSE(v[A_AGE].present);
	fd_input_free(&in);

	/* A surrogate pair escape is one 4-byte character. */
	CU_ASSERT_EQUAL_FATAL(parse(&in, &acct, "{\"email\":\"a@b.c\","
	    "\"name\":\"\\ud83d\\udc1f\"}"), FD_IN_OK);
	CU_ASSERT_EQUAL(in.v[A_NAME].len, 4);
	CU_ASSERT_NSTRING_EQUAL(in.v[A_NAME].s, "\xf0\x9f\x90\x9f", 4);
	fd_input_free(&in);

	/* The table with no fields takes exactly {}. */
	CU_ASSERT_EQUAL(parse(&in, &empty, "{}"), FD_IN_OK);
	fd_input_free(&in);
	CU_ASSERT_EQUAL(parse(&in, &empty, "{\"a\":1}"), FD_IN_UNKNOWN);
	fd_input_free(&in);
}

static void
reads_only_len_bytes(void)
{
	static const char text[] = "{\"a\":7}{\"a\":8} trailing";
	struct fd_input in;

	/* len stops before the second object: that is not trailing data. */
	CU_ASSERT_EQUAL_FATAL(parse_n(&in, &opt, text, 7), FD_IN_OK);
	CU_ASSERT_EQUAL(in.v[P_A].i, 7);
	fd_input_free(&in);
	/* One byte short is a truncated body. */
	CU_ASSERT_EQUAL(parse_n(&in, &opt, text, 6), FD_IN_SYNTAX);
	fd_input_free(&in);
}

static void
rejects_empty_body(void)
{
	struct fd_input in;

	CU_ASSERT_EQUAL(fd_input_parse(&in, &acct, NULL, 0), FD_IN_EMPTY);
	CU_ASSERT(in.msg[0] != '\0');
	fd_input_free(&in);
	CU_ASSERT_EQUAL(fd_input_parse(&in, &acct, "", 0), FD_IN_EMPTY);
	fd_input_free(&in);
	/* A non-empty buffer with len 0 is still no body. */
	CU_ASSERT_EQUAL(fd_input_parse(&in, &opt, "{}", 0), FD_IN_EMPTY);
	fd_input_free(&in);
	/* Only whitespace is not a JSON value. */
	CU_ASSERT_EQUAL(parse(&in, &opt, " \r\n\t"), FD_IN_SYNTAX);
	fd_input_free(&in);
}

static void
rejects_non_json(void)
{
	static const struct row rows[] = {
		{ "x", 0, FD_IN_SYNTAX, NULL },
		{ "{", 0, FD_IN_SYNTAX, NULL },
		{ "{\"a\":", 0, FD_IN_SYNTAX, NULL },
		{ "{\"a\":1", 0, FD_IN_SYNTAX, NULL },
		{ "{\"s\":\"abc", 0, FD_IN_SYNTAX, NULL },
		{ "{\"a\":1,}", 0, FD_IN_SYNTAX, NULL },
		{ "{,}", 0, FD_IN_SYNTAX, NULL },
		{ "{\"a\" 1}", 0, FD_IN_SYNTAX, NULL },
		{ "{a:1}", 0, FD_IN_SYNTAX, NULL },
		{ "{\"s\":'x'}", 0, FD_IN_SYNTAX, NULL },
		{ "{\"a\":01}", 0, FD_IN_SYNTAX, NULL },
		{ "{\"a\":+1}", 0, FD_IN_SYNTAX, NULL },
		{ "{\"a\":0x1}", 0, FD_IN_SYNTAX, NULL },
		{ "{\"b\":True}", 0, FD_IN_SYNTAX, NULL },
		{ "/* c */{}", 0, FD_IN_SYNTAX, NULL },
		{ "{\"s\":\"\\x41\"}", 0, FD_IN_SYNTAX, NULL },
		{ "{\"s\":\"\\u12\"}", 0, FD_IN_SYNTAX, NULL },
	};
	/* json-c's strict mode reads these as doubles: no table takes one. */
	static const char *non_numbers[] = {
		"{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}",
		"{\"s\":NaN}", "{\"b\":Infinity}",
	};
	struct fd_input in;
	enum fd_input_rc rc;
	size_t i;

	RUN_ROWS(&opt, rows);
	for (i = 0; i < sizeof(non_numbers) / sizeof(non_numbers[0]); i++) {
		rc = parse(&in, &opt, non_numbers[i]);
		UNIT_CHECK(rc == FD_IN_SYNTAX || rc == FD_IN_TYPE,
		    "'%s': got %d", non_numbers[i], rc);
		fd_input_free(&in);
	}
}

static void
rejects_trailing_bytes(void)
{
	static const struct row rows[] = {
		{ "{} x", 0, FD_IN_SYNTAX, NULL },
		{ "{}{}", 0, FD_IN_SYNTAX, NULL },
		{ "{} {}", 0, FD_IN_SYNTAX, NULL },
		{ "{},", 0, FD_IN_SYNTAX, NULL },
		{ "{}]", 0, FD_IN_SYNTAX, NULL },
		{ "{}}", 0, FD_IN_SYNTAX, NULL },
		{ "{}\0", 3, FD_IN_SYNTAX, NULL },
		{ "{\"a\":1}\0{\"a\":2}", 15, FD_IN_SYNTAX, NULL },
		{ "{}1", 0, FD_IN_SYNTAX, NULL },
		/* Trailing whitespace is not a second value. */
		{ "{} \r\n\t", 0, FD_IN_OK, NULL },
	};

	RUN_ROWS(&opt, rows);
}

/* {"a": followed by n '[' ... n ']' } : nesting depth n + 1. */
static char *
nested(size_t n)
{
	size_t len = 6 + 2 * n + 1, i;
	char *s = malloc(len + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, "{\"a\":", 5);
	for (i = 0; i < n; i++) {
		s[5 + i] = '[';
		s[5 + n + i] = ']';
	}
	s[5 + 2 * n] = '}';
	s[6 + 2 * n] = '\0';
	return s;
}

static void
rejects_deep_nesting(void)
{
	static const size_t depth[] = { FD_INPUT_DEPTH + 1, FD_INPUT_DEPTH + 2,
	    100, 100000 };
	struct fd_input in;
	enum fd_input_rc rc;
	char *s;
	size_t i;

	/* Below the limit, it parses: "a" is then merely of the wrong type. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = nested(FD_INPUT_DEPTH - 2));
	CU_ASSERT_EQUAL(parse(&in, &opt, s), FD_IN_TYPE);
	fd_input_free(&in);
	free(s);

	for (i = 0; i < sizeof(depth) / sizeof(depth[0]); i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(s = nested(depth[i] - 1));
		rc = parse(&in, &opt, s);
		UNIT_CHECK(rc == FD_IN_SYNTAX, "depth %zu: got %d (%s)",
		    depth[i], rc, in.msg);
		UNIT_CHECK(strstr(in.msg, "deep") != NULL,
		    "depth %zu: message '%s'", depth[i], in.msg);
		fd_input_free(&in);
		free(s);
	}

	/* Objects count as much as arrays. */
	CU_ASSERT_EQUAL(parse(&in, &opt, "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":"
	    "{\"f\":{\"g\":{\"h\":{}}}}}}}}}"), FD_IN_SYNTAX);
	fd_input_free(&in);
}

static void
rejects_non_object(void)
{
	static const struct row rows[] = {
		{ "[]", 0, FD_IN_NOT_OBJECT, "object" },
		{ "[{}]", 0, FD_IN_NOT_OBJECT, NULL },
		{ "\"{}\"", 0, FD_IN_NOT_OBJECT, NULL },
		{ "1 ", 0, FD_IN_NOT_OBJECT, NULL },
		{ "true ", 0, FD_IN_NOT_OBJECT, NULL },
	};
	/*
	 * A bare number or literal at the very end of the body leaves json-c
	 * waiting for more (is "1" all of "12"?), and null is no object to
	 * it: these are refused as syntax.  Either code is a refusal.
	 */
	static const char *scalars[] = { "1", "-1.5", "true", "false", "null" };
	struct fd_input in;
	enum fd_input_rc rc;
	size_t i;

	RUN_ROWS(&opt, rows);
	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		rc = parse(&in, &opt, scalars[i]);
		UNIT_CHECK(rc == FD_IN_NOT_OBJECT || rc == FD_IN_SYNTAX,
		    "'%s': got %d", scalars[i], rc);
		fd_input_free(&in);
	}
}

static void
rejects_unknown_fields(void)
{
	static const struct row rows[] = {
		{ "{\"email\":\"a@b.c\",\"name\":\"n\",\"admin\":true}", 0,
		    FD_IN_UNKNOWN, "'admin'" },
		{ "{\"role\":\"owner\",\"email\":\"a@b.c\",\"name\":\"n\"}", 0,
		    FD_IN_UNKNOWN, "'role'" },
		/* Names match exactly: no case folding, no trimming. */
		{ "{\"Email\":\"a@b.c\",\"name\":\"n\"}", 0, FD_IN_UNKNOWN,
		    "'Email'" },
		{ "{\"email \":\"a@b.c\",\"name\":\"n\"}", 0, FD_IN_UNKNOWN,
		    NULL },
		{ "{\"\":1,\"email\":\"a@b.c\",\"name\":\"n\"}", 0,
		    FD_IN_UNKNOWN, "''" },
		/* Unknown even when null. */
		{ "{\"x\":null,\"email\":\"a@b.c\",\"name\":\"n\"}", 0,
		    FD_IN_UNKNOWN, "'x'" },
		/* A control character is not echoed back to the client. */
		{ "{\"\\u0001\":1}", 0, FD_IN_UNKNOWN, "'?'" },
	};
	char body[400], key[201];
	struct fd_input in;

	RUN_ROWS(&acct, rows);

	/* A long unknown name is cut short in the message. */
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	snprintf(body, sizeof(body), "{\"%s\":1}", key);
	CU_ASSERT_EQUAL(parse(&in, &acct, body), FD_IN_UNKNOWN);
	CU_ASSERT(strlen(in.msg) < sizeof(in.msg));
	CU_ASSERT(strstr(in.msg, key) == NULL);
	fd_input_free(&in);
}

static void
rejects_missing_required(void)
{
	static const struct row rows[] = {
		{ "{\"email\":\"a@b.c\"}", 0, FD_IN_MISSING, "name" },
		{ "{\"name\":\"n\",\"age\":3}", 0, FD_IN_MISSING, "email" },
		{ "{}", 0, FD_IN_MISSING, NULL },
		/* null is absent, so a required null is missing. */
		{ "{\"email\":\"a@b.c\",\"name\":null}", 0, FD_IN_MISSING,
		    "name" },
	};

	RUN_ROWS(&acct, rows);
}

static void
null_is_absent(void)
{
	struct fd_input in;

	CU_ASSERT_EQUAL_FATAL(parse(&in, &acct, "{\"email\":\"a@b.c\","
	    "\"name\":\"n\",\"age\":null,\"vip\":null,\"note\":null}"), FD_IN_OK);
	CU_ASSERT_FALSE(in.v[A_AGE].present);
	CU_ASSERT_FALSE(in.v[A_VIP].present);
	CU_ASSERT_FALSE(in.v[A_NOTE].present);
	CU_ASSERT_PTR_NULL(in.v[A_NOTE].s);
	fd_input_free(&in);

	CU_ASSERT_EQUAL_FATAL(parse(&in, &order, "{\"storeId\":1,"
	    "\"items\":[{\"menuId\":2,\"qty\":1}],\"address\":null}"), FD_IN_OK);
	CU_ASSERT_FALSE(in.v[O_ADDRESS].present);
	fd_input_free(&in);
}

static void
rejects_wrong_types(void)
{
	static const struct row rows[] = {
		/* int */
		{ "{\"a\":\"5\"}", 0, FD_IN_TYPE, "a must be an integer" },
		{ "{\"a\":1.0}", 0, FD_IN_TYPE, NULL },
		{ "{\"a\":1.5}", 0, FD_IN_TYPE, NULL },
		{ "{\"a\":1e2}", 0, FD_IN_TYPE, NULL },
		{ "{\"a\":-0.0}", 0, FD_IN_TYPE, NULL },
		{ "{\"a\":true}", 0, FD_IN_TYPE, NULL },
		{ "{\"a\":[1]}", 0, FD_IN_TYPE, NULL },
		{ "{\"a\":{}}", 0, FD_IN_TYPE, NULL },
		/* bool */
		{ "{\"b\":1}", 0, FD_IN_TYPE, "b must be true or false" },
		{ "{\"b\":0}", 0, FD_IN_TYPE, NULL },
		{ "{\"b\":\"true\"}", 0, FD_IN_TYPE, NULL },
		{ "{\"b\":[]}", 0, FD_IN_TYPE, NULL },
		/* string */
		{ "{\"s\":5}", 0, FD_IN_TYPE, "s must be a string" },
		{ "{\"s\":false}", 0, FD_IN_TYPE, NULL },
		{ "{\"s\":[\"x\"]}", 0, FD_IN_TYPE, NULL },
		{ "{\"s\":{\"x\":1}}", 0, FD_IN_TYPE, NULL },
		/* A bad field after a good one still fails the body. */
		{ "{\"a\":1,\"s\":\"ok\",\"b\":\"no\"}", 0, FD_IN_TYPE,
		    "b must be" },
	};

	RUN_ROWS(&opt, rows);
}

static void
int_bounds(void)
{
	static const struct row rows[] = {
		{ "{\"a\":-10}", 0, FD_IN_OK, NULL },
		{ "{\"a\":10}", 0, FD_IN_OK, NULL },
		{ "{\"a\":0}", 0, FD_IN_OK, NULL },
		{ "{\"a\":-0}", 0, FD_IN_OK, NULL },
		{ "{\"a\":-11}", 0, FD_IN_RANGE, "a is out of range" },
		{ "{\"a\":11}", 0, FD_IN_RANGE, NULL },
		{ "{\"a\":9223372036854775807}", 0, FD_IN_RANGE, NULL },
		{ "{\"a\":-9223372036854775808}", 0, FD_IN_RANGE, NULL },
		/* Beyond 64 bits: saturated by json-c, still out of range. */
		{ "{\"a\":18446744073709551616}", 0, FD_IN_RANGE, NULL },
		{ "{\"a\":99999999999999999999999999}", 0, FD_IN_RANGE, NULL },
		{ "{\"a\":-99999999999999999999999999}", 0, FD_IN_RANGE, NULL },
	};
	struct fd_input in;

	RUN_ROWS(&opt, rows);

	CU_ASSERT_EQUAL_FATAL(parse(&in, &opt, "{\"a\":-10}"), FD_IN_OK);
	CU_ASSERT_EQUAL(in.v[P_A].i, -10);
	fd_input_free(&in);
	CU_ASSERT_EQUAL_FATAL(parse(&in, &order, "{\"storeId\":999999999999999,"
	    "\"items\":[{\"menuId\":1,\"qty\":99}]}"), FD_IN_OK);
	CU_ASSERT_EQUAL(in.v[O_STORE].i, 999999999999999LL);
	fd_input_free(&in);
	CU_ASSERT_EQUAL(parse(&in, &order, "{\"storeId\":1000000000000000,"
	    "\"items\":[{\"menuId\":1,\"qty\":1}]}"), FD_IN_RANGE);
	fd_input_free(&in);
	CU_ASSERT_EQUAL(parse(&in, &order, "{\"storeId\":0,"
	    "\"items\":[{\"menuId\":1,\"qty\":1}]}"), FD_IN_RANGE);
	fd_input_free(&in);
}

static void
string_length_in_characters(void)
{
	static const struct {
		const char	*unit;	/* one character */
		size_t		 bytes;
	} units[] = {
		{ "a", 1 },
		{ "\xc3\xa9", 2 },		/* é */
		{ "\xea\xb0\x80", 3 },		/* 가 */
		{ "\xf0\x9f\x90\x9f", 4 },	/* a fish */
		{ "\\u00e9", 2 },		/* é, escaped */
	};
	char body[1024];
	struct fd_input in;
	enum fd_input_rc rc;
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		name_body(body, sizeof(body), units[i].unit, 60);
		rc = parse(&in, &acct, body);
		UNIT_CHECK(rc == FD_IN_OK, "60 x '%s': got %d (%s)",
		    units[i].unit, rc, in.msg);
		UNIT_CHECK(in.v[A_NAME].len == 60 * units[i].bytes,
		    "60 x '%s': %zu bytes", units[i].unit, in.v[A_NAME].len);
		fd_input_free(&in);

		name_body(body, sizeof(body), units[i].unit, 61);
		rc = parse(&in, &acct, body);
		UNIT_CHECK(rc == FD_IN_RANGE, "61 x '%s': got %d (%s)",
		    units[i].unit, rc, in.msg);
		UNIT_CHECK(strstr(in.msg, "name") != NULL, "61 x '%s': '%s'",
		    units[i].unit, in.msg);
		fd_input_free(&in);
	}

	/* The lower bound is in characters too. */
	CU_ASSERT_EQUAL(parse(&in, &acct, "{\"email\":\"a@b.c\",\"name\":\"\"}"),
	    FD_IN_RANGE);
	fd_input_free(&in);
	CU_ASSERT_EQUAL(parse(&in, &acct, "{\"email\":\"a@\",\"name\":\"n\"}"),
	    FD_IN_RANGE);
	fd_input_free(&in);
	/* Two 3-byte characters are 2, not 6, against a minimum of 3. */
	CU_ASSERT_EQUAL(parse(&in, &acct, "{\"email\":\"가나\",\"name\":\"n\"}"),
	    FD_IN_RANGE);
	fd_input_free(&in);
	CU_ASSERT_EQUAL(parse(&in, &acct, "{\"email\":\"가나다\",\"name\":\"n\"}"),
	    FD_IN_OK);
	fd_input_free(&in);
}

static void
rejects_invalid_utf8(void)
{
	static const struct row rows[] = {
		{ "{\"s\":\"\xff\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xfe\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"a\x80\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xc3\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xe4\xb8\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xe4\x41\xad\"}", 0, FD_IN_UTF8, NULL },
		/* Overlong forms of '/' and NUL. */
		{ "{\"s\":\"\xc0\xaf\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xc1\xbf\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xe0\x80\xaf\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xf0\x80\x80\xaf\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xc0\x80\"}", 0, FD_IN_UTF8, NULL },
		/* UTF-16 surrogates encoded as UTF-8 (CESU). */
		{ "{\"s\":\"\xed\xa0\x80\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xed\xbf\xbf\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xed\xa0\xbd\xed\xb0\x9f\"}", 0, FD_IN_UTF8, NULL },
		/* Beyond U+10FFFF, and 5-byte forms. */
		{ "{\"s\":\"\xf4\x90\x80\x80\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xf5\x80\x80\x80\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xf8\x88\x80\x80\x80\"}", 0, FD_IN_UTF8, NULL },
		/* In a field name. */
		{ "{\"\xff\":1}", 0, FD_IN_UTF8, NULL },
		/* Valid, for contrast: U+D7FF, U+E000, U+10FFFF. */
		{ "{\"s\":\"\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\"}", 0,
		    FD_IN_OK, NULL },
	};

	RUN_ROWS(&opt, rows);
}

static void
rejects_control_characters(void)
{
	static const struct row rows[] = {
		{ "{\"s\":\"a\\tb\"}", 0, FD_IN_UTF8, "s must be UTF-8" },
		{ "{\"s\":\"a\\nb\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\\r\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\\b\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\\u001f\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\\u001b[2J\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\\u007f\"}", 0, FD_IN_UTF8, NULL },
		/* C1 controls, escaped and raw. */
		{ "{\"s\":\"\\u0085\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\\u009f\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"\xc2\x80\"}", 0, FD_IN_UTF8, NULL },
		/* Embedded NUL: would cut a C string short downstream. */
		{ "{\"s\":\"\\u0000\"}", 0, FD_IN_UTF8, NULL },
		{ "{\"s\":\"ab\\u0000c\"}", 0, FD_IN_UTF8, NULL },
		/* No-break space is text. */
		{ "{\"s\":\"a\\u00a0b\"}", 0, FD_IN_OK, NULL },
	};
	static const char *raw[] = {
		"{\"s\":\"a\tb\"}", "{\"s\":\"a\nb\"}", "{\"s\":\"a\x7f\"}",
		"{\"s\":\"a\x01\"}",
	};
	struct fd_input in;
	enum fd_input_rc rc;
	size_t i;

	RUN_ROWS(&opt, rows);
	/* Raw control bytes: refused by json-c or by us. */
	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		rc = parse(&in, &opt, raw[i]);
		UNIT_CHECK(rc == FD_IN_UTF8 || rc == FD_IN_SYNTAX,
		    "raw %zu '%s': got %d", i, show(raw[i], strlen(raw[i])), rc);
		fd_input_free(&in);
	}
}

static void
lone_surrogate_escape_is_not_passed_through(void)
{
	static const char *bodies[] = {
		"{\"s\":\"\\ud800\"}", "{\"s\":\"\\udc00\"}",
		"{\"s\":\"x\\ud83dy\"}", "{\"s\":\"\\udc1f\\ud83d\"}",
	};
	struct fd_input in;
	enum fd_input_rc rc;
	size_t i;

	/*
	 * json-c replaces an unpaired surrogate escape with U+FFFD; refusing
	 * it would be as good.  What must never come out is invalid UTF-8.
	 */
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		rc = parse(&in, &opt, bodies[i]);
		UNIT_CHECK(rc == FD_IN_OK || rc == FD_IN_UTF8 ||
		    rc == FD_IN_SYNTAX, "'%s': got %d", bodies[i], rc);
		if (rc == FD_IN_OK)
			UNIT_CHECK(fd_utf8_text(in.v[P_S].s, in.v[P_S].len),
			    "'%s': invalid UTF-8 passed through", bodies[i]);
		fd_input_free(&in);
	}
}

static void
arrays_of_objects(void)
{
	struct fd_input in;
	const struct fd_value *items, *g, *lines;

	CU_ASSERT_EQUAL_FATAL(parse(&in, &order, "{\"storeId\":1,\"items\":["
	    "{\"menuId\":10,\"qty\":2},{\"qty\":1,\"menuId\":11},"
	    "{\"menuId\":12,\"qty\":99}],\"address\":\"서울\"}"), FD_IN_OK);
	items = &in.v[O_ITEMS];
	CU_ASSERT_TRUE(items->present);
	CU_ASSERT_EQUAL_FATAL(items->n, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(items->elems);
	CU_ASSERT_EQUAL(fd_input_elem(items, &line, 0, L_MENU)->i, 10);
	CU_ASSERT_EQUAL(fd_input_elem(items, &line, 0, L_QTY)->i, 2);
	CU_ASSERT_EQUAL(fd_input_elem(items, &line, 1, L_MENU)->i, 11);
	CU_ASSERT_EQUAL(fd_input_elem(items, &line, 1, L_QTY)->i, 1);
	CU_ASSERT_EQUAL(fd_input_elem(items, &line, 2, L_MENU)->i, 12);
	CU_ASSERT_EQUAL(fd_input_elem(items, &line, 2, L_QTY)->i, 99);
	CU_ASSERT_TRUE(fd_input_elem(items, &line, 2, L_QTY)->present);
	CU_ASSERT_EQUAL(in.v[O_ADDRESS].len, 6);
	fd_input_free(&in);

	/* Arrays in array elements, some empty, some absent. */
	CU_ASSERT_EQUAL_FATAL(parse(&in, &batch, "{\"groups\":["
	    "{\"name\":\"a\",\"lines\":[{\"menuId\":1,\"qty\":1},"
	    "{\"menuId\":2,\"qty\":2}]},"
	    "{\"name\":\"b\",\"lines\":[]},"
	    "{\"name\":\"c\"},"
	    "{\"name\":\"d\",\"lines\":[{\"menuId\":4,\"qty\":4}]}]}"), FD_IN_OK);
	CU_ASSERT_EQUAL_FATAL(in.v[0].n, 4);
	g = fd_input_elem(&in.v[0], &group, 0, G_LINES);
	CU_ASSERT_EQUAL_FATAL(g->n, 2);
	CU_ASSERT_EQUAL(fd_input_elem(g, &line, 1, L_QTY)->i, 2);
	lines = fd_input_elem(&in.v[0], &group, 1, G_LINES);
	CU_ASSERT_TRUE(lines->present);
	CU_ASSERT_EQUAL(lines->n, 0);
	CU_ASSERT_PTR_NULL(lines->elems);
	CU_ASSERT_FALSE(fd_input_elem(&in.v[0], &group, 2, G_LINES)->present);
	g = fd_input_elem(&in.v[0], &group, 3, G_LINES);
	CU_ASSERT_EQUAL_FATAL(g->n, 1);
	CU_ASSERT_EQUAL(fd_input_elem(g, &line, 0, L_MENU)->i, 4);
	CU_ASSERT_NSTRING_EQUAL(fd_input_elem(&in.v[0], &group, 3, G_NAME)->s,
	    "d", 1);
	fd_input_free(&in);

	/* An empty array where none is the minimum. */
	CU_ASSERT_EQUAL(parse(&in, &batch, "{\"groups\":[]}"), FD_IN_OK);
	CU_ASSERT_TRUE(in.v[0].present);
	CU_ASSERT_EQUAL(in.v[0].n, 0);
	fd_input_free(&in);
}

static void
array_errors(void)
{
	static const struct row rows[] = {
		/* Element count. */
		{ "{\"storeId\":1,\"items\":[]}", 0, FD_IN_RANGE, "items" },
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1},"
		    "{\"menuId\":1,\"qty\":1},{\"menuId\":1,\"qty\":1},"
		    "{\"menuId\":1,\"qty\":1}]}", 0, FD_IN_RANGE, "items" },
		/* Not an array. */
		{ "{\"storeId\":1,\"items\":{\"menuId\":1,\"qty\":1}}", 0,
		    FD_IN_TYPE, "items must be an array" },
		{ "{\"storeId\":1,\"items\":\"[]\"}", 0, FD_IN_TYPE, NULL },
		{ "{\"storeId\":1,\"items\":null}", 0, FD_IN_MISSING, "items" },
		{ "{\"storeId\":1}", 0, FD_IN_MISSING, "items" },
		/* Elements that are not objects. */
		{ "{\"storeId\":1,\"items\":[1]}", 0, FD_IN_NOT_OBJECT, NULL },
		{ "{\"storeId\":1,\"items\":[null]}", 0, FD_IN_NOT_OBJECT, NULL },
		{ "{\"storeId\":1,\"items\":[[]]}", 0, FD_IN_NOT_OBJECT, NULL },
		/* Element fields, checked against the element table. */
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1}]}", 0,
		    FD_IN_MISSING, "qty" },
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1,"
		    "\"price\":1}]}", 0, FD_IN_UNKNOWN, "'price'" },
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":0}]}", 0,
		    FD_IN_RANGE, "qty" },
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":100}]}", 0,
		    FD_IN_RANGE, "qty" },
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":\"2\"}]}", 0,
		    FD_IN_TYPE, "qty" },
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1.5}]}", 0,
		    FD_IN_TYPE, "qty" },
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":-1}]}", 0,
		    FD_IN_RANGE, NULL },
		/* The bad element last, after good ones were decoded. */
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1},"
		    "{\"menuId\":2,\"qty\":2},{\"menuId\":3}]}", 0,
		    FD_IN_MISSING, "qty" },
		{ "{\"items\":[{\"menuId\":1,\"qty\":1}],\"storeId\":\"1\"}", 0,
		    FD_IN_TYPE, "storeId" },
		/* An element field of the top table is unknown in elements. */
		{ "{\"storeId\":1,\"items\":[{\"menuId\":1,\"qty\":1,"
		    "\"storeId\":1}]}", 0, FD_IN_UNKNOWN, "'storeId'" },
	};
	static const struct row nested_rows[] = {
		{ "{\"groups\":[{\"name\":\"a\",\"lines\":[{\"menuId\":1,"
		    "\"qty\":1}]},{\"name\":\"b\",\"lines\":[{\"menuId\":1,"
		    "\"qty\":1},{\"menuId\":1,\"qty\":1,\"x\":0}]}]}", 0,
		    FD_IN_UNKNOWN, "'x'" },
		{ "{\"groups\":[{\"name\":\"a\",\"lines\":[{},{},{},{},{},{}]}]}",
		    0, FD_IN_RANGE, "lines" },
		{ "{\"groups\":[{\"name\":\"a\",\"lines\":[{\"menuId\":1,"
		    "\"qty\":1}]},{\"lines\":[]}]}", 0, FD_IN_MISSING, "name" },
		{ "{\"groups\":[{},{},{},{},{}]}", 0, FD_IN_RANGE, "groups" },
	};

	RUN_ROWS(&order, rows);
	RUN_ROWS(&batch, nested_rows);
}

static void
free_is_safe(void)
{
	struct fd_input in;

	/* On a zeroed struct, and twice after a parse. */
	memset(&in, 0, sizeof(in));
	fd_input_free(&in);
	CU_ASSERT_PTR_NULL(in.v);
	CU_ASSERT_EQUAL(parse(&in, &order, "{\"storeId\":1,\"items\":["
	    "{\"menuId\":1,\"qty\":1}]}"), FD_IN_OK);
	fd_input_free(&in);
	CU_ASSERT_PTR_NULL(in.v);
	CU_ASSERT_PTR_NULL(in.root);
	fd_input_free(&in);

	/* After every kind of failure. */
	CU_ASSERT_EQUAL(fd_input_parse(&in, &order, NULL, 0), FD_IN_EMPTY);
	fd_input_free(&in);
	fd_input_free(&in);
	CU_ASSERT_EQUAL(parse(&in, &order, "{"), FD_IN_SYNTAX);
	fd_input_free(&in);
	fd_input_free(&in);
	CU_ASSERT_PTR_NULL(in.v);
}

static void
utf8_text(void)
{
	static const struct {
		const char	*s;
		size_t		 len;	/* 0: strlen */
		int		 want;
	} rows[] = {
		{ "", 0, 1 },
		{ "plain ASCII ~!", 0, 1 },
		{ "\xc2\xa0\xc3\xa9", 0, 1 },			/* U+00A0 é */
		{ "\xea\xb4\x91\xec\x96\xb4", 0, 1 },		/* 광어 */
		{ "\xe0\xa0\x80", 0, 1 },			/* U+0800 */
		{ "\xed\x9f\xbf", 0, 1 },			/* U+D7FF */
		{ "\xee\x80\x80", 0, 1 },			/* U+E000 */
		{ "\xef\xbf\xbd", 0, 1 },			/* U+FFFD */
		{ "\xf0\x90\x80\x80", 0, 1 },			/* U+10000 */
		{ "\xf4\x8f\xbf\xbf", 0, 1 },			/* U+10FFFF */
		/* C0 controls, DEL, C1 controls. */
		{ "\t", 0, 0 },
		{ "a\nb", 0, 0 },
		{ "\x1f", 0, 0 },
		{ "\x7f", 0, 0 },
		{ "a\0b", 3, 0 },
		{ "\xc2\x80", 0, 0 },
		{ "\xc2\x9f", 0, 0 },
		/* Bad lead bytes and lone continuations. */
		{ "\x80", 0, 0 },
		{ "\xbf", 0, 0 },
		{ "\xc0\x80", 0, 0 },
		{ "\xc1\xbf", 0, 0 },
		{ "\xf5\x80\x80\x80", 0, 0 },
		{ "\xf8\x88\x80\x80\x80", 0, 0 },
		{ "\xfe", 0, 0 },
		{ "\xff", 0, 0 },
		/* Overlong. */
		{ "\xc0\xaf", 0, 0 },
		{ "\xe0\x80\xaf", 0, 0 },
		{ "\xe0\x9f\xbf", 0, 0 },
		{ "\xf0\x8f\xbf\xbf", 0, 0 },
		/* Surrogates, beyond U+10FFFF. */
		{ "\xed\xa0\x80", 0, 0 },
		{ "\xed\xbf\xbf", 0, 0 },
		{ "\xf4\x90\x80\x80", 0, 0 },
		/* Truncated, or a non-continuation where one belongs. */
		{ "\xc3", 0, 0 },
		{ "\xe4\xb8", 0, 0 },
		{ "\xf0\x9f\x90", 0, 0 },
		{ "\xe4\x41\xad", 0, 0 },
		{ "\xe4\xb8\xc3\xa9", 0, 0 },
		/* len cuts a valid sequence: the bytes after do not count. */
		{ "\xe4\xb8\xad", 2, 0 },
		{ "ab\xf0\x9f\x90\x9f", 5, 0 },
	};
	char *copy;
	size_t i, len;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		len = rows[i].len ? rows[i].len : strlen(rows[i].s);
		/* Exactly len bytes on the heap: no reading past them. */
		CU_ASSERT_PTR_NOT_NULL_FATAL(copy = malloc(len ? len : 1));
		memcpy(copy, rows[i].s, len);
		UNIT_CHECK(fd_utf8_text(copy, len) == rows[i].want,
		    "row %zu '%s': want %d", i, show(rows[i].s, len),
		    rows[i].want);
		free(copy);
	}
}

static void
utf8_chars(void)
{
	CU_ASSERT_EQUAL(fd_utf8_chars("", 0), 0);
	CU_ASSERT_EQUAL(fd_utf8_chars("abc", 3), 3);
	CU_ASSERT_EQUAL(fd_utf8_chars("\xc3\xa9", 2), 1);
	CU_ASSERT_EQUAL(fd_utf8_chars("광어", strlen("광어")), 2);
	CU_ASSERT_EQUAL(fd_utf8_chars("\xf0\x9f\x90\x9f" "a", 5), 2);
	CU_ASSERT_EQUAL(fd_utf8_chars("a광\xf0\x9f\x90\x9f\xc3\xa9z", 11), 5);
	/* Only len bytes are counted. */
	CU_ASSERT_EQUAL(fd_utf8_chars("abcdef", 2), 2);
}

static const struct unit_test tests[] = {
	{ "accepts valid bodies", accepts_valid_bodies },
	{ "reads only len bytes", reads_only_len_bytes },
	{ "rejects an empty body", rejects_empty_body },
	{ "rejects what is not JSON", rejects_non_json },
	{ "rejects trailing bytes", rejects_trailing_bytes },
	{ "rejects nesting deeper than FD_INPUT_DEPTH", rejects_deep_nesting },
	{ "rejects a top level that is not an object", rejects_non_object },
	{ "rejects unknown fields", rejects_unknown_fields },
	{ "rejects missing required fields", rejects_missing_required },
	{ "treats null as absent", null_is_absent },
	{ "rejects wrong types", rejects_wrong_types },
	{ "checks integer bounds", int_bounds },
	{ "counts string lengths in characters", string_length_in_characters },
	{ "rejects invalid UTF-8", rejects_invalid_utf8 },
	{ "rejects control characters and NUL", rejects_control_characters },
	{ "never passes a lone surrogate through",
	    lone_surrogate_escape_is_not_passed_through },
	{ "decodes arrays of objects", arrays_of_objects },
	{ "rejects bad arrays and bad elements", array_errors },
	{ "fd_input_free is safe after anything", free_is_safe },
	{ "fd_utf8_text", utf8_text },
	{ "fd_utf8_chars", utf8_chars },
};

/*
 * Found while writing the above, not fixed yet (see the report).  json-c
 * keeps object keys as C strings, so "age\u0000x" arrives as the known
 * key "age"; and its strict mode still takes single-quoted keys.
 */
static void
bug_key_with_nul_is_refused(void)
{
	struct fd_input in;

	CU_ASSERT_EQUAL(parse(&in, &opt, "{\"a\\u0000junk\":1}"), FD_IN_UTF8);
	fd_input_free(&in);
}

static void
bug_single_quoted_key_is_syntax(void)
{
	struct fd_input in;

	CU_ASSERT_EQUAL(parse(&in, &opt, "{'a':1}"), FD_IN_SYNTAX);
	fd_input_free(&in);
}

static const struct unit_test regressions[] = {
	{ "a key with an embedded NUL is refused", bug_key_with_nul_is_refused },
	{ "a single-quoted key is not JSON", bug_single_quoted_key_is_syntax },
};

void
add_input_tests(void)
{
	UNIT_SUITE("fd_input", tests);
	UNIT_SUITE("fd_input regressions", regressions);
}
