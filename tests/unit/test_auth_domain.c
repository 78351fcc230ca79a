/*
 * test_auth_domain.c - auth_domain.c: what a valid account is (e-mail
 * shape and case, password length, phone, name, address, role and store).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "unit.h"

/* A valid customer; tests change one thing at a time. */
static void
customer(struct auth_account *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->email, sizeof(a->email), "Kim.MinSu@Example.COM");
	snprintf(a->name, sizeof(a->name), "김민수");
	snprintf(a->phone, sizeof(a->phone), "010-1234-5678");
	snprintf(a->address, sizeof(a->address), "서울 종로구 종로 1");
	a->role = FD_ROLE_CUSTOMER;
	a->store_id = 0;
}

/* s repeated n times into buf. */
static void
repeat(char *buf, size_t sz, const char *s, int n)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, sz - off, "%s", s);
	CU_ASSERT_FATAL(off < sz);
}

static void
email_is_lower_cased(void)
{
	static const struct {
		const char	*in, *out;
	} rows[] = {
		{ "User@Example.COM", "user@example.com" },
		{ "user@example.com", "user@example.com" },
		{ "KIM.MINSU+FISH@MAIL.CO.KR", "kim.minsu+fish@mail.co.kr" },
		{ "a@b.c", "a@b.c" },
		{ "O'Brien_1-x@Sub-1.example.org",
		    "o'brien_1-x@sub-1.example.org" },
	};
	char out[AUTH_EMAIL_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(out, 'x', sizeof(out));
		UNIT_CHECK(auth_email_normalize(rows[i].in, out, sizeof(out)) ==
		    AUTH_OK, "'%s' refused", rows[i].in);
		UNIT_CHECK(strcmp(out, rows[i].out) == 0, "'%s' gave '%.*s'",
		    rows[i].in, (int)sizeof(out) - 1, out);
	}
}

static void
email_shape(void)
{
	static const char *bad[] = {
		"",
		"a@",
		"@b",
		"userexample.com",		/* no @ */
		"a@b@example.com",		/* two @ */
		"a@@example.com",
		"@example.com",			/* no local part */
		"user@",			/* no domain */
		"user@localhost",		/* no dot in the domain */
		"user@example.",		/* nothing after the dot */
		"user@.com",			/* nothing before it */
		"user@example..com",		/* ".." in the domain */
		"user@a..",
		"us er@example.com",		/* spaces */
		" user@example.com",
		"user@example.com ",
		"user@exam ple.com",
		"user\t@example.com",
		"user@example.com\n",
		"<user@example.com>",
		"\"user\"@example.com",
		"us\\er@example.com",
		"a,b@example.com",
		"a;b@example.com",
		"user\x7f@example.com",
		"김@example.com",		/* ASCII only */
		"user@예시.com",
	};
	char out[AUTH_EMAIL_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UNIT_CHECK(auth_email_normalize(bad[i], out, sizeof(out)) ==
		    AUTH_E_EMAIL, "'%s' accepted", bad[i]);
}

static void
email_length(void)
{
	char in[2 * AUTH_EMAIL_MAX], local[AUTH_EMAIL_MAX], *out;
	size_t n;

	/* 254 characters is the most; 255 is one too many. */
	n = AUTH_EMAIL_MAX - strlen("@example.com");
	memset(local, 'a', n);
	local[n] = '\0';
	snprintf(in, sizeof(in), "%s@example.com", local);
	CU_ASSERT_EQUAL_FATAL(strlen(in), AUTH_EMAIL_MAX);
	/* out exactly as large as needed, on the heap for ASan. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(out = malloc(AUTH_EMAIL_MAX + 1));
	CU_ASSERT_EQUAL(auth_email_normalize(in, out, AUTH_EMAIL_MAX + 1),
	    AUTH_OK);
	CU_ASSERT_STRING_EQUAL(out, in);
	/* An out buffer without room for the NUL is refused, not overrun. */
	CU_ASSERT_EQUAL(auth_email_normalize(in, out, AUTH_EMAIL_MAX),
	    AUTH_E_EMAIL);
	CU_ASSERT_EQUAL(auth_email_normalize("a@b.c", out, 5), AUTH_E_EMAIL);
	CU_ASSERT_EQUAL(auth_email_normalize("a@b.c", out, 6), AUTH_OK);
	free(out);

	snprintf(in, sizeof(in), "a%s@example.com", local);
	CU_ASSERT_EQUAL_FATAL(strlen(in), AUTH_EMAIL_MAX + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out = malloc(sizeof(in)));
	/* Refused for its length, not for want of room. */
	CU_ASSERT_EQUAL(auth_email_normalize(in, out, sizeof(in)), AUTH_E_EMAIL);
	free(out);
}

static void
password_length(void)
{
	char pw[AUTH_PW_MAX + 8];

	CU_ASSERT_EQUAL(auth_password_check(""), AUTH_E_PASSWORD);
	repeat(pw, sizeof(pw), "p", AUTH_PW_MIN - 1);
	CU_ASSERT_EQUAL(auth_password_check(pw), AUTH_E_PASSWORD);
	repeat(pw, sizeof(pw), "p", AUTH_PW_MIN);
	CU_ASSERT_EQUAL(auth_password_check(pw), AUTH_OK);
	repeat(pw, sizeof(pw), "p", AUTH_PW_MAX);
	CU_ASSERT_EQUAL(auth_password_check(pw), AUTH_OK);
	repeat(pw, sizeof(pw), "p", AUTH_PW_MAX + 1);
	CU_ASSERT_EQUAL(auth_password_check(pw), AUTH_E_PASSWORD);
	/* The bounds are bytes (the message says so): 3 Hangul are 9. */
	CU_ASSERT_EQUAL(auth_password_check("한국어"), AUTH_OK);
	CU_ASSERT_EQUAL(auth_password_check("한국"), AUTH_E_PASSWORD);
	repeat(pw, sizeof(pw), "한", 43);	/* 129 bytes */
	CU_ASSERT_EQUAL(auth_password_check(pw), AUTH_E_PASSWORD);
}

static void
valid_accounts(void)
{
	struct auth_account a;

	customer(&a);
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_OK);
	/* The check leaves the e-mail normalized in the account. */
	CU_ASSERT_STRING_EQUAL(a.email, "kim.minsu@example.com");
	CU_ASSERT_STRING_EQUAL(a.name, "김민수");

	customer(&a);
	a.role = FD_ROLE_OWNER;
	a.store_id = 1;
	CU_ASSERT_EQUAL(auth_account_check(&a, "fish-owner-1"), AUTH_OK);
	a.store_id = 999999999999999LL;
	CU_ASSERT_EQUAL(auth_account_check(&a, "fish-owner-1"), AUTH_OK);
}

static void
store_follows_role(void)
{
	struct auth_account a;

	customer(&a);
	a.role = FD_ROLE_OWNER;
	a.store_id = 0;
	CU_ASSERT_EQUAL(auth_account_check(&a, "fish-owner-1"), AUTH_E_STORE);
	a.store_id = -1;
	CU_ASSERT_EQUAL(auth_account_check(&a, "fish-owner-1"), AUTH_E_STORE);

	customer(&a);
	a.store_id = 1;
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_STORE);
	a.store_id = -1;
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_STORE);
}

static void
phone_rules(void)
{
	static const struct {
		const char	*phone;
		enum auth_err	 want;
	} rows[] = {
		{ "010-1234-5678", AUTH_OK },
		{ "01012345678", AUTH_OK },
		{ "+82 10 1234 5678", AUTH_OK },
		{ "+82-10-1234-5678", AUTH_OK },
		{ "02 123 4567", AUTH_OK },			/* 9 digits */
		{ "12345678", AUTH_OK },			/* 8 digits */
		{ "123456789012345", AUTH_OK },			/* 15 */
		{ "+1-2-3-4-5-6-7-8-9", AUTH_OK },		/* 18 chars */
		{ "1234567", AUTH_E_PHONE },			/* 7 digits */
		{ "1234567890123456", AUTH_E_PHONE },		/* 16 digits */
		{ "", AUTH_E_PHONE },
		{ "+", AUTH_E_PHONE },
		{ "++8210-1234-5678", AUTH_E_PHONE },
		{ "82+10-1234-5678", AUTH_E_PHONE },
		{ "-010-1234-5678", AUTH_E_PHONE },
		{ " 010-1234-5678", AUTH_E_PHONE },
		{ "+-8210-1234-5678", AUTH_E_PHONE },
		{ "010--1234-5678", AUTH_E_PHONE },
		{ "010 - 1234 - 5678", AUTH_E_PHONE },
		{ "010.1234.5678", AUTH_E_PHONE },
		{ "(010) 1234-5678", AUTH_E_PHONE },
		{ "010-abcd-5678", AUTH_E_PHONE },
		{ "010-1234-5678x9", AUTH_E_PHONE },
		{ "010\t1234\t5678", AUTH_E_PHONE },
		{ "１２３４５６", AUTH_E_PHONE },		/* full-width */
		/* The buffer holds 20 characters: the most, if 8-15 digits. */
		{ "+1-2-3-4-5-6-7-8-9-0", AUTH_OK },
	};
	struct auth_account a;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		customer(&a);
		CU_ASSERT_FATAL(strlen(rows[i].phone) < sizeof(a.phone));
		snprintf(a.phone, sizeof(a.phone), "%s", rows[i].phone);
		UNIT_CHECK(auth_account_check(&a, "s3cret-pass") == rows[i].want,
		    "phone '%s': want %d", rows[i].phone, rows[i].want);
	}
}

static void
name_rules(void)
{
	struct auth_account a;

	/* 60 characters of 3 bytes pass; 61 do not. */
	customer(&a);
	repeat(a.name, sizeof(a.name), "광", 60);
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_OK);
	customer(&a);
	repeat(a.name, sizeof(a.name), "a", 61);
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
	customer(&a);
	repeat(a.name, sizeof(a.name), "광", 61);
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
	/* 60 characters of 4 bytes fill the buffer exactly. */
	customer(&a);
	repeat(a.name, sizeof(a.name), "\xf0\x9f\x90\x9f", 60);
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_OK);

	customer(&a);
	a.name[0] = '\0';
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
	snprintf(a.name, sizeof(a.name), "   ");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
	snprintf(a.name, sizeof(a.name), "Kim\tMinsu");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
	snprintf(a.name, sizeof(a.name), "Kim\nMinsu");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
	snprintf(a.name, sizeof(a.name), "Kim\xff");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
	snprintf(a.name, sizeof(a.name), "\xed\xa0\x80");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
	snprintf(a.name, sizeof(a.name), " Kim ");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_OK);
	snprintf(a.name, sizeof(a.name), "K");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_OK);
}

static void
address_rules(void)
{
	struct auth_account a;

	customer(&a);
	repeat(a.address, sizeof(a.address), "동", 200);
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_OK);
	repeat(a.address, sizeof(a.address), "동", 201);
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_ADDRESS);
	repeat(a.address, sizeof(a.address), "\xf0\x9f\x90\x9f", 200);
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_OK);
	a.address[0] = '\0';
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_ADDRESS);
	snprintf(a.address, sizeof(a.address), "  ");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_ADDRESS);
	snprintf(a.address, sizeof(a.address), "서울\r\n종로");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_ADDRESS);
	snprintf(a.address, sizeof(a.address), "서울\xc0\xaf");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_ADDRESS);
}

static void
each_error_is_reported(void)
{
	struct auth_account a;

	customer(&a);
	snprintf(a.email, sizeof(a.email), "not-an-address");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_EMAIL);
	/* A refused e-mail is left as it was given. */
	CU_ASSERT_STRING_EQUAL(a.email, "not-an-address");
	customer(&a);
	CU_ASSERT_EQUAL(auth_account_check(&a, "short"), AUTH_E_PASSWORD);
	customer(&a);
	snprintf(a.phone, sizeof(a.phone), "123");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_PHONE);
	/* Several faults: the first in field order is the one reported. */
	customer(&a);
	snprintf(a.phone, sizeof(a.phone), "123");
	a.name[0] = '\0';
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_NAME);
}

static void
messages(void)
{
	static const enum auth_err errs[] = {
		AUTH_OK, AUTH_E_EMAIL, AUTH_E_PASSWORD, AUTH_E_NAME,
		AUTH_E_PHONE, AUTH_E_ADDRESS, AUTH_E_STORE, AUTH_E_EXISTS,
		AUTH_E_CREDENTIALS, AUTH_E_UNAVAILABLE, AUTH_E_INTERNAL,
	};
	size_t i, j;

	/* One distinct message per error: the client is told which. */
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *m = auth_err_message(errs[i]);

		UNIT_CHECK(m != NULL && *m != '\0', "error %d: no message",
		    errs[i]);
		for (j = 0; m != NULL && j < i; j++)
			UNIT_CHECK(strcmp(m, auth_err_message(errs[j])) != 0,
			    "errors %d and %d share '%s'", errs[j], errs[i], m);
	}
	/* The password message states the bounds the check enforces. */
	CU_ASSERT(strstr(auth_err_message(AUTH_E_PASSWORD), "8 to 128") != NULL);
	CU_ASSERT_STRING_EQUAL(auth_err_message((enum auth_err)99),
	    "internal error");
}

static const struct unit_test tests[] = {
	{ "e-mail is lower-cased", email_is_lower_cased },
	{ "e-mail shape", email_shape },
	{ "e-mail length", email_length },
	{ "password length", password_length },
	{ "valid customer and owner", valid_accounts },
	{ "an owner needs a store, a customer none", store_follows_role },
	{ "phone rules", phone_rules },
	{ "name rules", name_rules },
	{ "address rules", address_rules },
	{ "each error is reported", each_error_is_reported },
	{ "messages", messages },
};

/*
 * Found while writing the above, not fixed yet (see the report): only the
 * last dot of the domain is checked for a label before it, and ".." is
 * looked for in the domain only.
 */
static void
bug_email_empty_labels(void)
{
	static const char *bad[] = {
		"user@.example.com",		/* domain starts with a dot */
		"user@.a.b",
		"us..er@example.com",		/* ".." in the local part */
	};
	char out[AUTH_EMAIL_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UNIT_CHECK(auth_email_normalize(bad[i], out, sizeof(out)) ==
		    AUTH_E_EMAIL, "'%s' accepted", bad[i]);
}

static void
bug_phone_trailing_separator(void)
{
	struct auth_account a;

	customer(&a);
	snprintf(a.phone, sizeof(a.phone), "010-1234-5678-");
	CU_ASSERT_EQUAL(auth_account_check(&a, "s3cret-pass"), AUTH_E_PHONE);
}

static const struct unit_test regressions[] = {
	{ "e-mail labels are not empty", bug_email_empty_labels },
	{ "a phone does not end in a separator", bug_phone_trailing_separator },
};

void
add_auth_domain_tests(void)
{
	UNIT_SUITE("auth domain", tests);
	UNIT_SUITE("auth domain regressions", regressions);
}
