/*
 * test_jwt.c - fd_jwt: issuing and verifying HS256 tokens.
 *
 * Tokens with bad headers or bad claims are forged here with libsodium and
 * a real HMAC under the verifier's key, so that each test reaches the check
 * it is about instead of stopping at the signature.
 */
#include <CUnit/CUnit.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_jwt.h"
#include "unit.h"

#define B64	sodium_base64_VARIANT_URLSAFE_NO_PADDING

/*
 * 32 bytes: crypto_auth_hmacsha256() (one-shot) wants exactly that many.
 * The last is not 0: HMAC pads keys with zero bytes, so a key and the
 * same key without its trailing zeros are one key.
 */
static const unsigned char key[crypto_auth_hmacsha256_KEYBYTES] = {
	'u', 'n', 'i', 't', '-', 't', 'e', 's', 't', '-', 'k', 'e', 'y', '-',
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd',
	'e', 'f', '!', '!'
};
static const unsigned char other_key[crypto_auth_hmacsha256_KEYBYTES] = {
	'u', 'n', 'i', 't', '-', 't', 'e', 's', 't', '-', 'k', 'e', 'y', '-',
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd',
	'e', 'f', '!', '?'
};

#define IAT	1700000000LL
#define EXP	1700003600LL
#define NOW	(IAT + 10)
#define IAT_S	"1700000000"
#define EXP_S	"1700003600"

static const char hs256[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
/* A valid customer payload, for tests about everything else. */
static const char customer[] = "{\"sub\":\"1\",\"role\":\"customer\","
    "\"iat\":" IAT_S ",\"exp\":" EXP_S "}";

/* Appends base64url(bin) at out + *off. */
static void
b64(char *out, size_t outsz, size_t *off, const void *bin, size_t len)
{
	size_t need = sodium_base64_ENCODED_LEN(len, B64);

	CU_ASSERT_FATAL(*off + need <= outsz);
	sodium_bin2base64(out + *off, need, bin, len, B64);
	*off += strlen(out + *off);
}

/*
 * base64url(hdr) "." base64url(payload) "." base64url(HMAC-SHA-256 under k
 * of the first two parts); returns the length.
 */
static size_t
forge_k(char *out, size_t outsz, const unsigned char *k, const char *hdr,
    size_t hlen, const char *payload, size_t plen)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	size_t off = 0;

	b64(out, outsz, &off, hdr, hlen);
	CU_ASSERT_FATAL(off + 1 < outsz);
	out[off++] = '.';
	b64(out, outsz, &off, payload, plen);
	crypto_auth_hmacsha256(mac, (const unsigned char *)out, off, k);
	CU_ASSERT_FATAL(off + 1 < outsz);
	out[off++] = '.';
	b64(out, outsz, &off, mac, sizeof(mac));
	return off;
}

static size_t
forge(char *out, size_t outsz, const char *hdr, const char *payload)
{
	return forge_k(out, outsz, key, hdr, strlen(hdr), payload,
	    strlen(payload));
}

/* Verifies a heap copy of exactly len bytes, so ASan sees overreads. */
static enum fd_jwt_rc
verify_n(const unsigned char *k, const char *tok, size_t len, long long now,
    struct fd_claims *c)
{
	enum fd_jwt_rc rc;
	char *copy;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy = malloc(len ? len : 1));
	memcpy(copy, tok, len);
	rc = fd_jwt_verify(k, sizeof(key), copy, len, now, c);
	free(copy);
	return rc;
}

static enum fd_jwt_rc
verify(const char *tok, long long now, struct fd_claims *c)
{
	return verify_n(key, tok, strlen(tok), now, c);
}

static void
claims(struct fd_claims *c, long long sub, enum fd_role role, long long store)
{
	memset(c, 0, sizeof(*c));
	c->sub = sub;
	c->role = role;
	c->store = store;
	c->iat = IAT;
	c->exp = EXP;
}

static void
sign(char *tok, size_t sz, const struct fd_claims *c)
{
	CU_ASSERT_EQUAL_FATAL(fd_jwt_sign(key, sizeof(key), c, tok, sz), 0);
}

/* snprintf that must not truncate: a cut token would test nothing. */
static void	mk(char *out, size_t sz, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

static void
mk(char *out, size_t sz, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, sz, fmt, ap);
	va_end(ap);
	CU_ASSERT_FATAL(n >= 0 && (size_t)n < sz);
}

/* Splits tok into its three parts (each buffer FD_JWT_MAX + 1 bytes). */
static void
split(const char *tok, char *h, char *p, char *s)
{
	const char *d1 = strchr(tok, '.'), *d2;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d1);
	d2 = strchr(d1 + 1, '.');
	CU_ASSERT_PTR_NOT_NULL_FATAL(d2);
	CU_ASSERT_FATAL(strchr(d2 + 1, '.') == NULL);
	CU_ASSERT_FATAL(strlen(tok) <= FD_JWT_MAX);
	memcpy(h, tok, (size_t)(d1 - tok));
	h[d1 - tok] = '\0';
	memcpy(p, d1 + 1, (size_t)(d2 - d1 - 1));
	p[d2 - d1 - 1] = '\0';
	strcpy(s, d2 + 1);
}

/* Replaces s[i] by another base64url character. */
static void
flip(char *s, size_t i)
{
	s[i] = s[i] == 'A' ? 'B' : 'A';
}

static int
same_claims(const struct fd_claims *a, const struct fd_claims *b)
{
	return a->sub == b->sub && a->role == b->role && a->store == b->store &&
	    a->iat == b->iat && a->exp == b->exp;
}

static void
roundtrip_customer(void)
{
	char tok[FD_JWT_MAX], h[FD_JWT_MAX + 1], p[FD_JWT_MAX + 1],
	    s[FD_JWT_MAX + 1];
	unsigned char hdr[64];
	struct fd_claims in, out;
	size_t hlen;

	claims(&in, 42, FD_ROLE_CUSTOMER, 0);
	sign(tok, sizeof(tok), &in);
	memset(&out, 0xa5, sizeof(out));
	CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_OK);
	CU_ASSERT(same_claims(&in, &out));

	/* The header we issue is the plain HS256 one. */
	split(tok, h, p, s);
	CU_ASSERT_EQUAL_FATAL(sodium_base642bin(hdr, sizeof(hdr), h, strlen(h),
	    NULL, &hlen, NULL, B64), 0);
	CU_ASSERT_EQUAL(hlen, strlen(hs256));
	CU_ASSERT(memcmp(hdr, hs256, hlen) == 0);
	CU_ASSERT_EQUAL(strlen(s), 43);		/* 32 bytes */
}

static void
roundtrip_owner(void)
{
	char tok[FD_JWT_MAX];
	struct fd_claims in, out;

	claims(&in, 7, FD_ROLE_OWNER, 2);
	sign(tok, sizeof(tok), &in);
	CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_OK);
	CU_ASSERT(same_claims(&in, &out));
	CU_ASSERT_EQUAL(out.role, FD_ROLE_OWNER);
	CU_ASSERT_EQUAL(out.store, 2);

	/* The largest ids and times survive the trip. */
	claims(&in, 9223372036854775807LL, FD_ROLE_OWNER, 999999999999999LL);
	in.exp = 9223372036854775807LL;
	sign(tok, sizeof(tok), &in);
	CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_OK);
	CU_ASSERT(same_claims(&in, &out));
}

static void
sign_is_standard_hs256(void)
{
	char tok[FD_JWT_MAX], again[FD_JWT_MAX], h[FD_JWT_MAX + 1],
	    p[FD_JWT_MAX + 1], s[FD_JWT_MAX + 1];
	unsigned char payload[512];
	struct fd_claims c;
	size_t plen;

	/*
	 * Re-signing the issued header and payload with libsodium's one-shot
	 * HMAC must give the same token: what we issue is plain HS256 that
	 * any JWT library can check.
	 */
	claims(&c, 5, FD_ROLE_OWNER, 1);
	sign(tok, sizeof(tok), &c);
	split(tok, h, p, s);
	CU_ASSERT_EQUAL_FATAL(sodium_base642bin(payload, sizeof(payload), p,
	    strlen(p), NULL, &plen, NULL, B64), 0);
	forge_k(again, sizeof(again), key, hs256, strlen(hs256),
	    (const char *)payload, plen);
	CU_ASSERT_STRING_EQUAL(again, tok);
}

static void
sign_refuses_small_buffers(void)
{
	char tok[FD_JWT_MAX], *buf;
	struct fd_claims c;
	size_t len, sz, sizes[5];
	int i;

	claims(&c, 5, FD_ROLE_CUSTOMER, 0);
	sign(tok, sizeof(tok), &c);
	len = strlen(tok);
	sizes[0] = 1;
	sizes[1] = 10;
	sizes[2] = 40;
	sizes[3] = len - 20;
	sizes[4] = len;		/* no room for the NUL */
	for (i = 0; i < 5; i++) {
		/* Exactly sz bytes: ASan catches a write past them. */
		sz = sizes[i];
		CU_ASSERT_PTR_NOT_NULL_FATAL(buf = malloc(sz));
		UNIT_CHECK(fd_jwt_sign(key, sizeof(key), &c, buf, sz) == -1,
		    "outsz %zu of %zu: not refused", sz, len + 1);
		free(buf);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf = malloc(len + 1));
	CU_ASSERT_EQUAL(fd_jwt_sign(key, sizeof(key), &c, buf, len + 1), 0);
	CU_ASSERT_STRING_EQUAL(buf, tok);
	free(buf);
}

static void
tampered_tokens(void)
{
	char tok[FD_JWT_MAX], otok[FD_JWT_MAX], bad[2 * FD_JWT_MAX],
	    h[FD_JWT_MAX + 1], p[FD_JWT_MAX + 1], s[FD_JWT_MAX + 1],
	    oh[FD_JWT_MAX + 1], op[FD_JWT_MAX + 1], os[FD_JWT_MAX + 1];
	struct fd_claims c, out;
	enum fd_jwt_rc rc;
	size_t i;

	claims(&c, 42, FD_ROLE_CUSTOMER, 0);
	sign(tok, sizeof(tok), &c);
	split(tok, h, p, s);
	claims(&c, 42, FD_ROLE_OWNER, 1);
	sign(otok, sizeof(otok), &c);
	split(otok, oh, op, os);

	/* A customer promoting itself: the owner payload, its signature. */
	mk(bad, sizeof(bad), "%s.%s.%s", h, op, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_SIGNATURE);

	/* One character of the payload, anywhere but the last. */
	for (i = 0; i + 1 < strlen(p); i += 7) {
		char q[FD_JWT_MAX + 1];

		strcpy(q, p);
		flip(q, i);
		mk(bad, sizeof(bad), "%s.%s.%s", h, q, s);
		rc = verify(bad, NOW, &out);
		UNIT_CHECK(rc == FD_JWT_SIGNATURE, "payload char %zu: got %d",
		    i, rc);
	}

	/* One character of the signature. */
	for (i = 0; i + 1 < strlen(s); i += 5) {
		char t[FD_JWT_MAX + 1];

		strcpy(t, s);
		flip(t, i);
		mk(bad, sizeof(bad), "%s.%s.%s", h, p, t);
		rc = verify(bad, NOW, &out);
		UNIT_CHECK(rc == FD_JWT_SIGNATURE, "signature char %zu: got %d",
		    i, rc);
	}

	/* A signature cut short, lengthened, or taken from elsewhere. */
	mk(bad, sizeof(bad), "%s.%s.%.40s", h, p, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_SIGNATURE);
	mk(bad, sizeof(bad), "%s.%s.%sAAAA", h, p, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_SIGNATURE);
	mk(bad, sizeof(bad), "%s.%s.%s", h, p, os);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_SIGNATURE);
	mk(bad, sizeof(bad), "%s.%s.%s%s", h, p, s, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_SIGNATURE);

	/* The header is signed too: the same header spelt otherwise. */
	{
		char t2[FD_JWT_MAX], h2[FD_JWT_MAX + 1], p2[FD_JWT_MAX + 1],
		    s2[FD_JWT_MAX + 1];

		forge(t2, sizeof(t2), "{\"typ\":\"JWT\",\"alg\":\"HS256\"}",
		    "{}");
		split(t2, h2, p2, s2);
		mk(bad, sizeof(bad), "%s.%s.%s", h2, p, s);
		CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_SIGNATURE);
	}
	/* A changed header character: broken JSON or a bad signature. */
	for (i = 0; i + 1 < strlen(h); i += 3) {
		char g[FD_JWT_MAX + 1];

		strcpy(g, h);
		flip(g, i);
		mk(bad, sizeof(bad), "%s.%s.%s", g, p, s);
		rc = verify(bad, NOW, &out);
		UNIT_CHECK(rc == FD_JWT_SIGNATURE || rc == FD_JWT_MALFORMED ||
		    rc == FD_JWT_ALG, "header char %zu: got %d", i, rc);
	}
	/* And the untouched token still verifies. */
	CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_OK);
}

static void
non_canonical_base64_is_refused(void)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char tok[FD_JWT_MAX], bad[FD_JWT_MAX];
	struct fd_claims c, out;
	const char *pos;
	size_t len;

	/*
	 * 32 bytes take 43 characters whose last carries 2 unused bits.
	 * Setting them spells the same signature differently: a verifier
	 * that accepted it would let one token have many forms.
	 */
	claims(&c, 42, FD_ROLE_CUSTOMER, 0);
	sign(tok, sizeof(tok), &c);
	len = strlen(tok);
	pos = strchr(alphabet, tok[len - 1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pos);
	CU_ASSERT_EQUAL_FATAL((pos - alphabet) % 4, 0);
	strcpy(bad, tok);
	bad[len - 1] = alphabet[(pos - alphabet) + 1];
	CU_ASSERT_NOT_EQUAL(verify(bad, NOW, &out), FD_JWT_OK);
	/* Padding is not part of base64url here. */
	mk(bad, sizeof(bad), "%s=", tok);
	CU_ASSERT_NOT_EQUAL(verify(bad, NOW, &out), FD_JWT_OK);
}

static void
alg_none_is_refused(void)
{
	static const char *payload = "{\"sub\":\"1\",\"role\":\"owner\","
	    "\"store\":1,\"iat\":" IAT_S ",\"exp\":" EXP_S "}";
	static const char *hdrs[] = {
		"{\"alg\":\"none\",\"typ\":\"JWT\"}",
		"{\"alg\":\"none\"}",
		"{\"alg\":\"None\"}",
		"{\"alg\":\"NONE\",\"typ\":\"JWT\"}",
	};
	char tok[FD_JWT_MAX], h[FD_JWT_MAX + 1], p[FD_JWT_MAX + 1],
	    s[FD_JWT_MAX + 1], bad[2 * FD_JWT_MAX];
	struct fd_claims out;
	enum fd_jwt_rc rc;
	size_t i;

	for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
		forge(tok, sizeof(tok), hdrs[i], payload);
		/* With a valid HMAC ... */
		rc = verify(tok, NOW, &out);
		UNIT_CHECK(rc == FD_JWT_ALG, "%s, signed: got %d", hdrs[i], rc);
		/* ... and the classic form, with an empty signature. */
		split(tok, h, p, s);
		mk(bad, sizeof(bad), "%s.%s.", h, p);
		rc = verify(bad, NOW, &out);
		UNIT_CHECK(rc == FD_JWT_ALG, "%s, unsigned: got %d", hdrs[i], rc);
		/* ... and with garbage for a signature: key never consulted
		 * (refused by the alphabet check even before the header). */
		mk(bad, sizeof(bad), "%s.%s.!!", h, p);
		rc = verify(bad, NOW, &out);
		UNIT_CHECK(rc == FD_JWT_ALG || rc == FD_JWT_MALFORMED,
		    "%s, garbage: got %d", hdrs[i], rc);
	}
}

static void
other_algs_are_refused(void)
{
	static const char *hdrs[] = {
		"{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
		"{\"alg\":\"HS384\",\"typ\":\"JWT\"}",
		"{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
		"{\"alg\":\"ES256\"}",
		"{\"alg\":\"hs256\",\"typ\":\"JWT\"}",
		"{\"alg\":\"HS256 \",\"typ\":\"JWT\"}",
		"{\"alg\":\"\",\"typ\":\"JWT\"}",
		"{\"alg\":256,\"typ\":\"JWT\"}",
		"{\"alg\":null,\"typ\":\"JWT\"}",
		"{\"alg\":true}",
		"{\"typ\":\"JWT\"}",
		"{}",
	};
	char tok[FD_JWT_MAX];
	struct fd_claims out;
	enum fd_jwt_rc rc;
	size_t i;

	for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
		forge(tok, sizeof(tok), hdrs[i], customer);
		rc = verify(tok, NOW, &out);
		UNIT_CHECK(rc == FD_JWT_ALG, "%s: got %d", hdrs[i], rc);
	}
}

static void
header_must_be_exact(void)
{
	static const struct {
		const char	*hdr;
		enum fd_jwt_rc	 want;
	} rows[] = {
		{ "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", FD_JWT_OK },
		{ "{\"alg\":\"HS256\"}", FD_JWT_OK },
		{ " {\"typ\" : \"JWT\", \"alg\" : \"HS256\"} ", FD_JWT_OK },
		/* Nothing to be steered by. */
		{ "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"1\"}",
		    FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\",\"jku\":\"http://evil/\"}",
		    FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\",\"crit\":\"b64\"}", FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"x\":null}",
		    FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\",\"typ\":\"JWS\"}", FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\",\"typ\":1}", FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\",\"typ\":null}", FD_JWT_MALFORMED },
		/* Not one JSON object. */
		{ "[\"HS256\"]", FD_JWT_MALFORMED },
		{ "\"HS256\"", FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\"", FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\"}x", FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\"}{}", FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS256\",\"x\":{\"y\":{}}}", FD_JWT_MALFORMED },
		{ "{'alg':'HS256'}", FD_JWT_MALFORMED },
		{ "{\"alg\":\"HS\xff\"}", FD_JWT_MALFORMED },
	};
	char tok[FD_JWT_MAX];
	struct fd_claims out;
	enum fd_jwt_rc rc;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		forge(tok, sizeof(tok), rows[i].hdr, customer);
		rc = verify(tok, NOW, &out);
		UNIT_CHECK(rc == rows[i].want, "row %zu %s: got %d, want %d", i,
		    rows[i].hdr, rc, rows[i].want);
	}
}

static void
wrong_key_is_refused(void)
{
	char tok[FD_JWT_MAX];
	struct fd_claims c, out;
	size_t len;

	claims(&c, 42, FD_ROLE_CUSTOMER, 0);
	sign(tok, sizeof(tok), &c);
	len = strlen(tok);
	CU_ASSERT_EQUAL(verify_n(other_key, tok, len, NOW, &out),
	    FD_JWT_SIGNATURE);
	/* A key that is a prefix of the right one. */
	CU_ASSERT_EQUAL(fd_jwt_verify(key, sizeof(key) - 1, tok, len, NOW, &out),
	    FD_JWT_SIGNATURE);
	CU_ASSERT_EQUAL(fd_jwt_verify(key, 0, tok, len, NOW, &out),
	    FD_JWT_SIGNATURE);
	/* The signature is checked before expiry: no oracle on claims. */
	CU_ASSERT_EQUAL(verify_n(other_key, tok, len, EXP + 1, &out),
	    FD_JWT_SIGNATURE);
	/* Forged under another key by hand. */
	forge_k(tok, sizeof(tok), other_key, hs256, strlen(hs256), customer,
	    strlen(customer));
	CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_SIGNATURE);
	CU_ASSERT_EQUAL(verify_n(other_key, tok, strlen(tok), NOW, &out),
	    FD_JWT_OK);
}

static void
expiry(void)
{
	char tok[FD_JWT_MAX];
	struct fd_claims c, out, sentinel;

	claims(&c, 42, FD_ROLE_CUSTOMER, 0);
	sign(tok, sizeof(tok), &c);
	CU_ASSERT_EQUAL(verify(tok, EXP - 1, &out), FD_JWT_OK);
	CU_ASSERT_EQUAL(verify(tok, IAT, &out), FD_JWT_OK);

	memset(&sentinel, 0x5a, sizeof(sentinel));
	out = sentinel;
	CU_ASSERT_EQUAL(verify(tok, EXP, &out), FD_JWT_EXPIRED);
	CU_ASSERT(memcmp(&out, &sentinel, sizeof(out)) == 0);
	CU_ASSERT_EQUAL(verify(tok, EXP + 1, &out), FD_JWT_EXPIRED);
	CU_ASSERT_EQUAL(verify(tok, EXP + 86400LL * 365, &out), FD_JWT_EXPIRED);

	/* Issued already expired. */
	c.exp = c.iat;
	sign(tok, sizeof(tok), &c);
	CU_ASSERT_EQUAL(verify(tok, IAT, &out), FD_JWT_EXPIRED);
	c.exp = 0;
	sign(tok, sizeof(tok), &c);
	CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_EXPIRED);
	c.exp = -1;
	sign(tok, sizeof(tok), &c);
	CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_EXPIRED);
}

/* json with spaces inserted before its last '}' to make it len bytes. */
static void
pad(char *out, size_t sz, const char *json, size_t len)
{
	size_t n = strlen(json);

	CU_ASSERT_FATAL(len >= n && len < sz && json[n - 1] == '}');
	memcpy(out, json, n - 1);
	memset(out + n - 1, ' ', len - n);
	out[len - 1] = '}';
	out[len] = '\0';
}

static void
malformed_tokens(void)
{
	static const char *junk[] = {
		"abc", "a.b", "a.b.c.d", ".", "..", "...", "....",
		"!!!.###.$$$", "a b.c d.e f", "\xff\xfe.\x01.\x02",
	};
	char tok[FD_JWT_MAX], big[2 * FD_JWT_MAX], bad[3 * FD_JWT_MAX],
	    h[FD_JWT_MAX + 1], p[FD_JWT_MAX + 1], s[FD_JWT_MAX + 1],
	    hp[512], pp[1024];
	struct fd_claims c, out;
	enum fd_jwt_rc rc;
	size_t i;

	CU_ASSERT_EQUAL(fd_jwt_verify(key, sizeof(key), "", 0, NOW, &out),
	    FD_JWT_MALFORMED);
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		rc = verify(junk[i], NOW, &out);
		UNIT_CHECK(rc == FD_JWT_MALFORMED, "'%s': got %d", junk[i], rc);
	}

	claims(&c, 42, FD_ROLE_CUSTOMER, 0);
	sign(tok, sizeof(tok), &c);
	split(tok, h, p, s);

	/* Empty header or payload; too many dots. */
	mk(bad, sizeof(bad), ".%s.%s", p, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	mk(bad, sizeof(bad), "%s..%s", h, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	mk(bad, sizeof(bad), "%s.%s.%s.", h, p, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	mk(bad, sizeof(bad), "%s.%s.%s.%s", h, p, s, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	mk(bad, sizeof(bad), "%s.%s", h, p);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	mk(bad, sizeof(bad), "%s..", h);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	/* An empty signature with an HS256 header: no signature. */
	mk(bad, sizeof(bad), "%s.%s.", h, p);
	rc = verify(bad, NOW, &out);
	CU_ASSERT(rc == FD_JWT_SIGNATURE || rc == FD_JWT_MALFORMED);

	/* Not base64url: spaces, padding, the standard alphabet, "Bearer". */
	mk(bad, sizeof(bad), " %s", tok);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	mk(bad, sizeof(bad), "Bearer %s", tok);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	mk(bad, sizeof(bad), "%s=.%s.%s", h, p, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	mk(bad, sizeof(bad), "%s.%s+/.%s", h, p, s);
	CU_ASSERT_EQUAL(verify(bad, NOW, &out), FD_JWT_MALFORMED);
	/* A NUL inside the bytes to verify. */
	{
		size_t hl = strlen(h);

		mk(bad, sizeof(bad), "%s.%s.%s", h, p, s);
		bad[hl - 1] = '\0';
		CU_ASSERT_EQUAL(verify_n(key, bad, strlen(tok), NOW, &out),
		    FD_JWT_MALFORMED);
	}

	/* Exactly FD_JWT_MAX bytes passes; one more does not. */
	pad(hp, sizeof(hp), hs256, 255);
	pad(pp, sizeof(pp), customer, 479);
	CU_ASSERT_EQUAL(forge(big, sizeof(big), hp, pp), FD_JWT_MAX);
	CU_ASSERT_EQUAL(verify(big, NOW, &out), FD_JWT_OK);
	pad(pp, sizeof(pp), customer, 480);
	CU_ASSERT_EQUAL(forge(big, sizeof(big), hp, pp), FD_JWT_MAX + 1);
	CU_ASSERT_EQUAL(verify(big, NOW, &out), FD_JWT_MALFORMED);
	/* A long run of base64 characters is refused by its length alone. */
	memset(bad, 'A', FD_JWT_MAX + 1);
	CU_ASSERT_EQUAL(verify_n(key, bad, FD_JWT_MAX + 1, NOW, &out),
	    FD_JWT_MALFORMED);
	CU_ASSERT_EQUAL(verify_n(key, bad, sizeof(bad), NOW, &out),
	    FD_JWT_MALFORMED);

	/* A header or payload too big for the decoder's buffers. */
	pad(hp, sizeof(hp), hs256, 256);
	pad(pp, sizeof(pp), customer, 100);
	forge(big, sizeof(big), hp, pp);
	CU_ASSERT_EQUAL(verify(big, NOW, &out), FD_JWT_MALFORMED);
	pad(pp, sizeof(pp), customer, 512);
	forge(big, sizeof(big), hs256, pp);
	CU_ASSERT_EQUAL(verify(big, NOW, &out), FD_JWT_MALFORMED);
	pad(pp, sizeof(pp), customer, 511);
	forge(big, sizeof(big), hs256, pp);
	CU_ASSERT_EQUAL(verify(big, NOW, &out), FD_JWT_OK);
}

static void
bad_claims(void)
{
	static const struct {
		const char	*payload;
		enum fd_jwt_rc	 want;
	} rows[] = {
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_OK },
		{ "{\"sub\":\"7\",\"role\":\"owner\",\"store\":3,\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_OK },
		/* An owner without a store, or with a bad one. */
		{ "{\"sub\":\"7\",\"role\":\"owner\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"owner\",\"store\":0,\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"owner\",\"store\":-3,\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"owner\",\"store\":\"3\",\"iat\":"
		    IAT_S ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"owner\",\"store\":3.0,\"iat\":"
		    IAT_S ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"owner\",\"store\":null,\"iat\":"
		    IAT_S ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		/* sub: a positive decimal string. */
		{ "{\"sub\":7,\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"0\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"-7\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7x\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"x7\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":null,\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"role\":\"customer\",\"iat\":" IAT_S ",\"exp\":" EXP_S "}",
		    FD_JWT_CLAIMS },
		/* role: one of ours. */
		{ "{\"sub\":\"7\",\"role\":\"admin\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"none\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"Owner\",\"store\":1,\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":1,\"iat\":" IAT_S ",\"exp\":" EXP_S
		    "}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"iat\":" IAT_S ",\"exp\":" EXP_S "}",
		    FD_JWT_CLAIMS },
		/* iat and exp: integers, both present. */
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"iat\":" IAT_S "}",
		    FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"exp\":" EXP_S "}",
		    FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":\"" EXP_S "\"}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":1.7e9}", FD_JWT_CLAIMS },
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"iat\":null,\"exp\":"
		    EXP_S "}", FD_JWT_CLAIMS },
		{ "{}", FD_JWT_CLAIMS },
		/* Not one JSON object. */
		{ "[]", FD_JWT_MALFORMED },
		{ "7", FD_JWT_MALFORMED },
		{ "not json", FD_JWT_MALFORMED },
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "} x", FD_JWT_MALFORMED },
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}{}", FD_JWT_MALFORMED },
		{ "{\"sub\":\"7\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S, FD_JWT_MALFORMED },
		{ "{\"sub\":\"\xff\",\"role\":\"customer\",\"iat\":" IAT_S
		    ",\"exp\":" EXP_S "}", FD_JWT_MALFORMED },
	};
	char tok[FD_JWT_MAX];
	struct fd_claims out, sentinel;
	enum fd_jwt_rc rc;
	size_t i;

	memset(&sentinel, 0x5a, sizeof(sentinel));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		forge(tok, sizeof(tok), hs256, rows[i].payload);
		out = sentinel;
		rc = verify(tok, NOW, &out);
		UNIT_CHECK(rc == rows[i].want, "row %zu %s: got %d, want %d", i,
		    rows[i].payload, rc, rows[i].want);
		/* *c is filled only on success. */
		if (rows[i].want != FD_JWT_OK)
			UNIT_CHECK(memcmp(&out, &sentinel, sizeof(out)) == 0,
			    "row %zu: claims written on failure", i);
	}
}

static void
forged_claims_are_read(void)
{
	char tok[FD_JWT_MAX];
	struct fd_claims out;

	/* A customer's token says nothing about a store, even if it tries. */
	forge(tok, sizeof(tok), hs256, "{\"sub\":\"12\",\"role\":\"customer\","
	    "\"store\":5,\"iat\":" IAT_S ",\"exp\":" EXP_S "}");
	CU_ASSERT_EQUAL_FATAL(verify(tok, NOW, &out), FD_JWT_OK);
	CU_ASSERT_EQUAL(out.sub, 12);
	CU_ASSERT_EQUAL(out.role, FD_ROLE_CUSTOMER);
	CU_ASSERT_EQUAL(out.store, 0);
	CU_ASSERT_EQUAL(out.iat, IAT);
	CU_ASSERT_EQUAL(out.exp, EXP);

	/* Claims we do not use are ignored; the ones we do are read. */
	forge(tok, sizeof(tok), hs256, "{\"iss\":\"x\",\"exp\":" EXP_S
	    ",\"store\":9,\"role\":\"owner\",\"iat\":" IAT_S ",\"sub\":\"3\"}");
	CU_ASSERT_EQUAL_FATAL(verify(tok, NOW, &out), FD_JWT_OK);
	CU_ASSERT_EQUAL(out.sub, 3);
	CU_ASSERT_EQUAL(out.role, FD_ROLE_OWNER);
	CU_ASSERT_EQUAL(out.store, 9);

	/* A role we never issue, signed by us all the same, is refused. */
	{
		struct fd_claims c;

		memset(&c, 0, sizeof(c));
		c.sub = 1;
		c.role = FD_ROLE_NONE;
		c.iat = IAT;
		c.exp = EXP;
		sign(tok, sizeof(tok), &c);
		CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_CLAIMS);
		/* So is an owner signed without a store. */
		c.role = FD_ROLE_OWNER;
		sign(tok, sizeof(tok), &c);
		CU_ASSERT_EQUAL(verify(tok, NOW, &out), FD_JWT_CLAIMS);
	}
}

static void
role_names(void)
{
	CU_ASSERT_STRING_EQUAL(fd_role_name(FD_ROLE_CUSTOMER), "customer");
	CU_ASSERT_STRING_EQUAL(fd_role_name(FD_ROLE_OWNER), "owner");
	CU_ASSERT_STRING_EQUAL(fd_role_name(FD_ROLE_NONE), "none");
	CU_ASSERT_STRING_EQUAL(fd_role_name((enum fd_role)42), "none");
	CU_ASSERT_EQUAL(fd_role_parse("customer"), FD_ROLE_CUSTOMER);
	CU_ASSERT_EQUAL(fd_role_parse("owner"), FD_ROLE_OWNER);
	CU_ASSERT_EQUAL(fd_role_parse("none"), FD_ROLE_NONE);
	CU_ASSERT_EQUAL(fd_role_parse("Owner"), FD_ROLE_NONE);
	CU_ASSERT_EQUAL(fd_role_parse("owner "), FD_ROLE_NONE);
	CU_ASSERT_EQUAL(fd_role_parse(""), FD_ROLE_NONE);
}

/*
 * libsodium 1.0.18 decodes any byte over 0x7f as '_': a token with such a
 * byte in place of an '_' (or anywhere) must not verify (found by
 * fuzz/fuzz_jwt.c, fuzz/crashes-found/jwt-sig-high-byte-alias).
 */
static void
high_bytes_do_not_alias(void)
{
	char tok[FD_JWT_MAX];
	struct fd_claims in, out;
	size_t i, n;
	int c;

	claims(&in, 7, FD_ROLE_CUSTOMER, 0);
	/* Sign until the signature holds an '_' (about 1 in 2 tokens). */
	for (n = 0; n < 64; n++) {
		in.sub = 7 + (long long)n;
		sign(tok, sizeof(tok), &in);
		if (strchr(strrchr(tok, '.'), '_') != NULL)
			break;
	}
	CU_ASSERT_FATAL(n < 64);
	CU_ASSERT_EQUAL_FATAL(verify(tok, NOW, &out), FD_JWT_OK);
	i = (size_t)(strchr(strrchr(tok, '.'), '_') - tok);
	for (c = 0x80; c <= 0xff; c++) {
		tok[i] = (char)c;
		UNIT_CHECK(verify(tok, NOW, &out) == FD_JWT_MALFORMED,
		    "byte 0x%02x in place of '_' verified", c);
	}
}

static const struct unit_test tests[] = {
	{ "customer token round trip", roundtrip_customer },
	{ "high bytes are no alias of '_'", high_bytes_do_not_alias },
	{ "owner token round trip", roundtrip_owner },
	{ "issued tokens are standard HS256", sign_is_standard_hs256 },
	{ "sign refuses a buffer too small", sign_refuses_small_buffers },
	{ "tampered tokens are refused", tampered_tokens },
	{ "non-canonical base64 is refused", non_canonical_base64_is_refused },
	{ "alg none is refused", alg_none_is_refused },
	{ "algorithms other than HS256 are refused", other_algs_are_refused },
	{ "the header is exactly alg and typ", header_must_be_exact },
	{ "a wrong key is refused", wrong_key_is_refused },
	{ "expiry: now >= exp is expired", expiry },
	{ "malformed tokens", malformed_tokens },
	{ "validly signed but bad claims", bad_claims },
	{ "forged claims are read as written", forged_claims_are_read },
	{ "role names", role_names },
};

void
add_jwt_tests(void)
{
	UNIT_SUITE("fd_jwt", tests);
}
