/*
 * fuzz_jwt.c - libFuzzer harness for fd_jwt_verify() (and fd_jwt_sign()).
 *
 * A token comes from a header or cookie, so every byte is the attacker's.
 * A fuzzer cannot forge an HMAC, though, so raw tokens alone never reach
 * the claims parser; the first byte therefore picks one of three modes:
 *
 *   0  the rest is a token, verified as the server would;
 *   1  the rest is "payload JSON" or "header JSON\npayload JSON", which the
 *      harness encodes and signs with the key, so the header and claims
 *      parsers see hostile JSON behind a valid signature;
 *   2  the rest is read as claims; fd_jwt_sign() must make a token that
 *      verifies back to exactly those claims until, and not at, expiry,
 *      and that fails once any byte of it is changed.
 *
 * Whatever verifies must carry sane claims (the server trusts them).
 */
#include <limits.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fd_jwt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The seeds' tokens are signed with this key (see fuzz/README.md). */
static const unsigned char key[] = "fishdelivery-fuzz-key-0123456789abcdef";
#define KEYLEN	(sizeof(key) - 1)
/* "Now" for modes 0 and 1: 2023-11-14T22:13:20Z, inside the seeds' tokens. */
#define NOW	1700000000LL

static const char std_header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

/* Aborts unless c is something the server could act on. */
static void
check_claims(const struct fd_claims *c, long long now)
{
	if (c->sub <= 0 || now >= c->exp)
		abort();
	if (c->role != FD_ROLE_CUSTOMER && c->role != FD_ROLE_OWNER)
		abort();
	if (c->role == FD_ROLE_OWNER && c->store <= 0)
		abort();
}

static void
verify(const char *tok, size_t len, long long now)
{
	struct fd_claims c;

	memset(&c, 0, sizeof(c));
	if (fd_jwt_verify(key, KEYLEN, tok, len, now, &c) == FD_JWT_OK)
		check_claims(&c, now);
}

/* Mode 0: an exact-size copy, so reading past the token is caught. */
static void
raw_token(const uint8_t *d, size_t n)
{
	char *tok;

	if ((tok = malloc(n ? n : 1)) == NULL)
		abort();
	memcpy(tok, d, n);
	verify(tok, n, NOW);
	free(tok);
}

static size_t
b64(char *out, size_t outsz, const void *bin, size_t len)
{
	sodium_bin2base64(out, outsz, bin, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return strlen(out);
}

/* Mode 1: header and payload JSON of the input, signed with the key. */
static void
signed_json(const uint8_t *d, size_t n)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	const uint8_t *hdr = (const uint8_t *)std_header, *pl = d, *nl;
	size_t hlen = sizeof(std_header) - 1, plen = n, off, sz;
	char *tok;

	if ((nl = memchr(d, '\n', n)) != NULL) {
		hdr = d;
		hlen = (size_t)(nl - d);
		pl = nl + 1;
		plen = n - hlen - 1;
	}
	sz = sodium_base64_ENCODED_LEN(hlen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) +
	    sodium_base64_ENCODED_LEN(plen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) +
	    sodium_base64_ENCODED_LEN(sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) + 2;
	if ((tok = malloc(sz)) == NULL)
		abort();
	off = b64(tok, sz, hdr, hlen);
	tok[off++] = '.';
	off += b64(tok + off, sz - off, pl, plen);
	/* Not crypto_auth_hmacsha256(): that one takes 32 key bytes only. */
	crypto_auth_hmacsha256_init(&st, key, KEYLEN);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)tok, off);
	crypto_auth_hmacsha256_final(&st, mac);
	tok[off++] = '.';
	off += b64(tok + off, sz - off, mac, sizeof(mac));
	verify(tok, off, NOW);
	free(tok);
}

static long long
take_ll(const uint8_t **d, size_t *n)
{
	uint64_t u = 0;
	size_t i;

	for (i = 0; i < 8 && *n > 0; i++, (*d)++, (*n)--)
		u = (u << 8) | **d;
	return (long long)u;
}

/* Mode 2: sign claims made of the input, then verify them back. */
static void
round_trip(const uint8_t *d, size_t n)
{
	struct fd_claims in, out;
	char tok[FD_JWT_MAX + 1];
	size_t len;
	int roleb;

	memset(&in, 0, sizeof(in));
	roleb = n > 0 ? *d : 0;
	if (n > 0)
		d++, n--;
	/* Only what verification accepts: sub > 0, store > 0 for owners. */
	in.sub = take_ll(&d, &n) & LLONG_MAX;
	if (in.sub == 0)
		in.sub = 1;
	in.role = (roleb & 1) ? FD_ROLE_OWNER : FD_ROLE_CUSTOMER;
	in.store = take_ll(&d, &n) & LLONG_MAX;
	if (in.role == FD_ROLE_CUSTOMER)
		in.store = 0;	/* not in a customer's token */
	else if (in.store == 0)
		in.store = 1;
	in.iat = take_ll(&d, &n);
	in.exp = take_ll(&d, &n);
	if (in.exp == LLONG_MIN)
		in.exp++;	/* so that exp - 1 is a time */

	if (fd_jwt_sign(key, KEYLEN, &in, tok, sizeof(tok)) != 0)
		abort();
	len = strlen(tok);
	memset(&out, 0, sizeof(out));
	if (fd_jwt_verify(key, KEYLEN, tok, len, in.exp - 1, &out) != FD_JWT_OK)
		abort();
	if (out.sub != in.sub || out.role != in.role || out.store != in.store ||
	    out.iat != in.iat || out.exp != in.exp)
		abort();
	if (fd_jwt_verify(key, KEYLEN, tok, len, in.exp, &out) != FD_JWT_EXPIRED)
		abort();
	/* One changed byte anywhere (position and value from the input). */
	if (n >= 2) {
		size_t at = d[0] % len;
		char was = tok[at];

		tok[at] = (char)(tok[at] ^ (d[1] | 1));
		if (fd_jwt_verify(key, KEYLEN, tok, len, in.exp - 1, &out) ==
		    FD_JWT_OK)
			abort();
		tok[at] = was;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		raw_token(data + 1, size - 1);
		break;
	case 1:
		signed_json(data + 1, size - 1);
		break;
	default:
		round_trip(data + 1, size - 1);
		break;
	}
	return 0;
}
