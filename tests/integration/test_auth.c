/*
 * test_auth.c - signup, login, the cookie, and every way a token can be
 * wrong, against the real auth program and its database.
 */
#include <CUnit/CUnit.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fd_jwt.h"
#include "it.h"

static char secret[256];

static int
init_suite(void)
{
	return it_read_etc("jwt.secret", secret, sizeof(secret));
}

static void
signup_body(char *buf, size_t sz, const char *email, const char *pw)
{
	snprintf(buf, sz, "{\"email\":\"%s\",\"password\":\"%s\",\"name\":"
	    "\"김민수\",\"phone\":\"010-1234-5678\",\"address\":\"서울 종로구 1\"}",
	    email, pw);
}

static void
signup_then_login(void)
{
	char email[128], body[512], cookie[1400], upper[128];
	struct it_resp r;
	long long id;
	size_t i;

	snprintf(email, sizeof(email), "Signup-%s@Example.COM", it_unique());
	signup_body(body, sizeof(body), email, "s3cret-pass");
	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/signup", NULL, body, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	id = it_int(&r, "userId");
	CU_ASSERT(id > 0);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "role"), "customer");
	it_free(&r);

	/* The same address in other case is the same account. */
	for (i = 0; email[i] && i < sizeof(upper) - 1; i++)
		upper[i] = (char)(email[i] >= 'a' && email[i] <= 'z' ?
		    email[i] - 32 : email[i]);
	upper[i] = '\0';
	signup_body(body, sizeof(body), upper, "other-pass");
	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/signup", NULL, body, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 409);
	CU_ASSERT(it_is_error(&r, "conflict"));
	it_free(&r);

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":"
	    "\"s3cret-pass\"}", upper);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/login", NULL, body, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "userId"), id);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "role"), "customer");
	CU_ASSERT_EQUAL(it_int(&r, "expiresIn"), 3600);
	CU_ASSERT_PTR_NOT_NULL_FATAL(it_str(&r, "token"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(it_header(&r, "Set-Cookie", cookie,
	    sizeof(cookie)));
	CU_ASSERT(strncmp(cookie, "fd_token=", 9) == 0);
	CU_ASSERT(strncmp(cookie + 9, it_str(&r, "token"),
	    strlen(it_str(&r, "token"))) == 0);
	CU_ASSERT(strstr(cookie, "HttpOnly") != NULL);
	CU_ASSERT(strstr(cookie, "SameSite=Strict") != NULL);
	CU_ASSERT(strstr(cookie, "Path=/") != NULL);
	it_free(&r);
}

static void
wrong_credentials_are_401(void)
{
	char tok[1024], email[128], body[512];
	struct it_resp r;

	CU_ASSERT_FATAL(it_customer(tok, sizeof(tok), email, sizeof(email)) > 0);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":"
	    "\"wrong password\"}", email);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/login", NULL, body, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	CU_ASSERT(it_is_error(&r, "unauthorized"));
	CU_ASSERT_PTR_NULL(it_str(&r, "token"));
	it_free(&r);

	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/login", NULL,
	    "{\"email\":\"nobody@example.com\",\"password\":\"whatever1\"}",
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	/* The same message either way: nothing tells which part was wrong. */
	CU_ASSERT_STRING_EQUAL(it_str(&r, "error.message"),
	    "wrong e-mail or password");
	it_free(&r);
}

static void
owner_login_carries_store(void)
{
	char tok[1024];
	struct it_resp r;

	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/login", NULL,
	    "{\"email\":\"owner2@fishdelivery.test\",\"password\":"
	    "\"fish-owner-2\"}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "role"), "owner");
	CU_ASSERT_EQUAL(it_int(&r, "storeId"), 2);
	snprintf(tok, sizeof(tok), "%s", it_str(&r, "token"));
	it_free(&r);

	CU_ASSERT_FATAL(it_req(&r, "GET", "/auth/me", tok, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "role"), "owner");
	CU_ASSERT_EQUAL(it_int(&r, "storeId"), 2);
	it_free(&r);
}

static void
cookie_authenticates(void)
{
	char tok[1024], email[128], cookie[1200];
	const char *hs[2] = { cookie, NULL };
	struct it_resp r;
	long long id;

	CU_ASSERT_FATAL((id = it_customer(tok, sizeof(tok), email,
	    sizeof(email))) > 0);
	snprintf(cookie, sizeof(cookie), "Cookie: lang=ko; fd_token=%s", tok);
	CU_ASSERT_FATAL(it_req_raw(&r, "GET", "/auth/me", hs, NULL, 0) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "userId"), id);
	it_free(&r);
}

/* Signs an arbitrary header and payload with key: a forged token. */
static void
forge(char *out, size_t sz, const char *header, const char *payload,
    const char *key)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	size_t n;

	sodium_bin2base64(out, sz, (const unsigned char *)header, strlen(header),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = strlen(out);
	out[n++] = '.';
	sodium_bin2base64(out + n, sz - n, (const unsigned char *)payload,
	    strlen(payload), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = strlen(out);
	if (key == NULL) {
		snprintf(out + n, sz - n, ".");
		return;
	}
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)out, n);
	crypto_auth_hmacsha256_final(&st, mac);
	out[n++] = '.';
	sodium_bin2base64(out + n, sz - n, mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void
expect_401(const char *token, const char *message)
{
	struct it_resp r;

	CU_ASSERT_FATAL(it_req(&r, "GET", "/auth/me", token, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	CU_ASSERT(it_is_error(&r, "unauthorized"));
	if (message != NULL)
		CU_ASSERT_STRING_EQUAL(it_str(&r, "error.message"), message);
	it_free(&r);
}

static void
bad_tokens_are_401(void)
{
	char tok[1024], email[128], bad[2048], payload[256];
	struct it_resp r;
	long long now = (long long)time(NULL);
	struct fd_claims c = { 1, FD_ROLE_CUSTOMER, 0, now - 7200, now - 3600 };

	CU_ASSERT_FATAL(it_customer(tok, sizeof(tok), email, sizeof(email)) > 0);

	/* Missing. */
	CU_ASSERT_FATAL(it_req(&r, "GET", "/auth/me", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	CU_ASSERT_STRING_EQUAL(it_str(&r, "error.message"),
	    "a bearer token is required");
	it_free(&r);

	/* Tampered: one character of the payload changed. */
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[strchr(bad, '.') - bad + 5] ^= 1;
	expect_401(bad, "the token is not valid");
	/* Tampered signature. */
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'A' ? 'B' : 'A';
	expect_401(bad, "the token is not valid");
	/* Garbage. */
	expect_401("not-a-token", "the token is not valid");

	snprintf(payload, sizeof(payload), "{\"sub\":\"1\",\"role\":\"owner\","
	    "\"store\":2,\"iat\":%lld,\"exp\":%lld}", now, now + 3600);
	/* alg none, unsigned. */
	forge(bad, sizeof(bad), "{\"alg\":\"none\",\"typ\":\"JWT\"}", payload,
	    NULL);
	expect_401(bad, "the token is not valid");
	/* Another algorithm, validly signed with the real secret. */
	forge(bad, sizeof(bad), "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", payload,
	    secret);
	expect_401(bad, "the token is not valid");
	/* HS256 signed with a key that is not ours. */
	forge(bad, sizeof(bad), "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload,
	    "an attacker's key of some length 12345");
	expect_401(bad, "the token is not valid");
	/* Correctly signed but expired. */
	CU_ASSERT_FATAL(fd_jwt_sign((const unsigned char *)secret,
	    strlen(secret), &c, bad, sizeof(bad)) == 0);
	expect_401(bad, "the token has expired");
	/* Correctly signed and current: the control that the forger works. */
	c.exp = now + 600;
	CU_ASSERT_FATAL(fd_jwt_sign((const unsigned char *)secret,
	    strlen(secret), &c, bad, sizeof(bad)) == 0);
	CU_ASSERT_FATAL(it_req(&r, "GET", "/auth/me", bad, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
}

/* Each bad body is refused with 400, and nothing is stored: the same
 * e-mail signs up afterwards. */
static void
bad_signups_change_nothing(void)
{
	char email[128], body[1024];
	struct it_resp r;
	size_t i;
	const char *fmts[] = {
		"{\"email\":\"%s\",\"password\":\"short\",\"name\":\"a\","
		    "\"phone\":\"010-1234-5678\",\"address\":\"x\"}",
		"{\"email\":\"%s\",\"password\":12345678,\"name\":\"a\","
		    "\"phone\":\"010-1234-5678\",\"address\":\"x\"}",
		"{\"email\":\"%s\",\"password\":\"long-enough\",\"name\":\"a\","
		    "\"phone\":\"010-1234-5678\",\"address\":\"x\",\"role\":"
		    "\"owner\"}",
		"{\"email\":\"%s\",\"password\":\"long-enough\",\"name\":\"a\","
		    "\"phone\":\"call me\",\"address\":\"x\"}",
		"{\"email\":\"%s\",\"password\":\"long-enough\",\"name\":\"\","
		    "\"phone\":\"010-1234-5678\",\"address\":\"x\"}",
		"{\"email\":\"%s\",\"password\":\"long-enough\",\"name\":\"a\\u0000b\","
		    "\"phone\":\"010-1234-5678\",\"address\":\"x\"}",
		"{\"email\":\"%s\",\"password\":\"long-enough\",\"name\":\"a\","
		    "\"phone\":\"010-1234-5678\"}",
		"{\"email\":\"%s\",\"password\":\"long-enough\",\"name\":\"a\","
		    "\"phone\":\"010-1234-5678\",\"address\":\"x\"} trailing",
		"{\"email\":\"%s\",\"password\":\"long-enough\",\"name\":[[[[[[[[["
		    "[[[[]]]]]]]]]]]]],\"phone\":\"010-1234-5678\",\"address\":\"x\"}",
		"{\"email\":\"%s\",\"password\":\"long-enough\",\"name\":\"\xff\xfe\","
		    "\"phone\":\"010-1234-5678\",\"address\":\"x\"}",
		"{'email':'%s'}",
		"[\"%s\"]",
	};

	snprintf(email, sizeof(email), "bad-%s@example.com", it_unique());
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		snprintf(body, sizeof(body), fmts[i], email);
		CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/signup", NULL, body,
		    NULL) == 0);
		if (r.status != 400)
			fprintf(stderr, "case %zu: %ld %s\n", i, r.status, r.body);
		CU_ASSERT_EQUAL(r.status, 400);
		CU_ASSERT(it_is_error(&r, "bad_request"));
		it_free(&r);
	}
	signup_body(body, sizeof(body), email, "long-enough");
	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/signup", NULL, body, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	it_free(&r);
}

static void
bad_emails_are_400(void)
{
	const char *emails[] = { "plain", "a@b", "a@@b.cd", "a b@c.de",
	    "@x.kr", "x@.kr", "x@y..kr" };
	char body[512];
	struct it_resp r;
	size_t i;

	for (i = 0; i < sizeof(emails) / sizeof(emails[0]); i++) {
		signup_body(body, sizeof(body), emails[i], "long-enough");
		CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/signup", NULL, body,
		    NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 400);
		CU_ASSERT_STRING_EQUAL(it_str(&r, "error.message"),
		    "email is not a valid e-mail address");
		it_free(&r);
	}
}

static void
logout_clears_cookie(void)
{
	struct it_resp r;
	char cookie[256];

	CU_ASSERT_FATAL(it_req(&r, "POST", "/auth/logout", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 204);
	CU_ASSERT_PTR_NOT_NULL(it_header(&r, "Set-Cookie", cookie, sizeof(cookie)));
	CU_ASSERT(strstr(cookie, "fd_token=;") != NULL);
	CU_ASSERT(strstr(cookie, "Max-Age=0") != NULL);
	it_free(&r);
}

void
add_auth_tests(void)
{
	CU_pSuite s = CU_add_suite("auth", init_suite, NULL);

	CU_add_test(s, "signup then login, cookie", signup_then_login);
	CU_add_test(s, "wrong credentials are 401", wrong_credentials_are_401);
	CU_add_test(s, "owner token carries the store", owner_login_carries_store);
	CU_add_test(s, "cookie authenticates", cookie_authenticates);
	CU_add_test(s, "bad tokens are 401", bad_tokens_are_401);
	CU_add_test(s, "bad signups are 400 and store nothing",
	    bad_signups_change_nothing);
	CU_add_test(s, "bad e-mail addresses are 400", bad_emails_are_400);
	CU_add_test(s, "logout clears the cookie", logout_clears_cookie);
}
