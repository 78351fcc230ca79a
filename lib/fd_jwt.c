/*
 * fd_jwt.c - HS256 tokens with libsodium's HMAC-SHA-256 and base64url.
 */
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "fd_jwt.h"

/* The only header we issue; verification still parses what it is given. */
static const char jwt_header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

const char *
fd_role_name(enum fd_role r)
{
	switch (r) {
	case FD_ROLE_CUSTOMER:
		return "customer";
	case FD_ROLE_OWNER:
		return "owner";
	default:
		return "none";
	}
}

enum fd_role
fd_role_parse(const char *s)
{
	if (strcmp(s, "customer") == 0)
		return FD_ROLE_CUSTOMER;
	if (strcmp(s, "owner") == 0)
		return FD_ROLE_OWNER;
	return FD_ROLE_NONE;
}

static void
hmac(const unsigned char *key, size_t keylen, const char *msg, size_t len,
    unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
}

/* Appends base64url(bin) at out+*off; returns -1 if it does not fit. */
static int
b64_put(char *out, size_t outsz, size_t *off, const void *bin, size_t len)
{
	size_t need = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);

	if (*off + need > outsz)
		return -1;
	sodium_bin2base64(out + *off, need, bin, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*off += strlen(out + *off);
	return 0;
}

int
fd_jwt_sign(const unsigned char *key, size_t keylen, const struct fd_claims *c,
    char *out, size_t outsz)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char payload[256];
	size_t off = 0;
	int n;

	if (c->role == FD_ROLE_OWNER)
		n = snprintf(payload, sizeof(payload),
		    "{\"sub\":\"%lld\",\"role\":\"owner\",\"store\":%lld,"
		    "\"iat\":%lld,\"exp\":%lld}", c->sub, c->store, c->iat, c->exp);
	else
		n = snprintf(payload, sizeof(payload),
		    "{\"sub\":\"%lld\",\"role\":\"%s\",\"iat\":%lld,\"exp\":%lld}",
		    c->sub, fd_role_name(c->role), c->iat, c->exp);
	if (n < 0 || (size_t)n >= sizeof(payload))
		return -1;
	if (b64_put(out, outsz, &off, jwt_header, sizeof(jwt_header) - 1) ||
	    off + 1 >= outsz)
		return -1;
	out[off++] = '.';
	if (b64_put(out, outsz, &off, payload, (size_t)n))
		return -1;
	hmac(key, keylen, out, off, mac);
	if (off + 1 >= outsz)
		return -1;
	out[off++] = '.';
	return b64_put(out, outsz, &off, mac, sizeof(mac));
}

/* Decodes base64url s[0..len) into a NUL-terminated buf; -1 on bad input. */
static int
b64_get(const char *s, size_t len, unsigned char *buf, size_t bufsz,
    size_t *outlen)
{
	const char *end;

	if (len == 0 || bufsz == 0)
		return -1;
	if (sodium_base642bin(buf, bufsz - 1, s, len, NULL, outlen, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || end != s + len)
		return -1;
	buf[*outlen] = '\0';
	return 0;
}

/* Parses a small JSON object strictly; NULL unless it is exactly one object. */
static json_object *
parse_object(const unsigned char *s, size_t len)
{
	json_tokener *tok;
	json_object *o;

	if ((tok = json_tokener_new_ex(2)) == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, (const char *)s, (int)len);
	if (o != NULL && (json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static int
get_int(json_object *o, const char *k, long long *v)
{
	json_object *jv;

	if (!json_object_object_get_ex(o, k, &jv) ||
	    !json_object_is_type(jv, json_type_int))
		return -1;
	*v = json_object_get_int64(jv);
	return 0;
}

static enum fd_jwt_rc
check_header(const unsigned char *s, size_t len)
{
	json_object *h, *alg, *typ;
	enum fd_jwt_rc rc = FD_JWT_ALG;
	int keys;

	if ((h = parse_object(s, len)) == NULL)
		return FD_JWT_MALFORMED;
	keys = json_object_object_length(h);
	if (json_object_object_get_ex(h, "alg", &alg) &&
	    json_object_is_type(alg, json_type_string) &&
	    strcmp(json_object_get_string(alg), "HS256") == 0) {
		rc = FD_JWT_OK;
		if (json_object_object_get_ex(h, "typ", &typ)) {
			keys--;
			if (!json_object_is_type(typ, json_type_string) ||
			    strcmp(json_object_get_string(typ), "JWT") != 0)
				rc = FD_JWT_MALFORMED;
		}
		/* Nothing else: no "kid", "jku", "crit" to be steered by. */
		if (keys != 1)
			rc = FD_JWT_MALFORMED;
	}
	json_object_put(h);
	return rc;
}

static enum fd_jwt_rc
check_claims(const unsigned char *s, size_t len, long long now,
    struct fd_claims *out)
{
	json_object *p, *jv;
	struct fd_claims c;
	enum fd_jwt_rc rc = FD_JWT_CLAIMS;
	const char *sub;
	char *end;

	memset(&c, 0, sizeof(c));
	if ((p = parse_object(s, len)) == NULL)
		return FD_JWT_MALFORMED;
	if (!json_object_object_get_ex(p, "sub", &jv) ||
	    !json_object_is_type(jv, json_type_string))
		goto out;
	sub = json_object_get_string(jv);
	c.sub = strtoll(sub, &end, 10);
	if (*sub == '\0' || *end != '\0' || c.sub <= 0)
		goto out;
	if (!json_object_object_get_ex(p, "role", &jv) ||
	    !json_object_is_type(jv, json_type_string) ||
	    (c.role = fd_role_parse(json_object_get_string(jv))) == FD_ROLE_NONE)
		goto out;
	if (c.role == FD_ROLE_OWNER && (get_int(p, "store", &c.store) ||
	    c.store <= 0))
		goto out;
	if (get_int(p, "iat", &c.iat) || get_int(p, "exp", &c.exp))
		goto out;
	if (now >= c.exp) {
		rc = FD_JWT_EXPIRED;
		goto out;
	}
	*out = c;
	rc = FD_JWT_OK;
out:
	json_object_put(p);
	return rc;
}

enum fd_jwt_rc
fd_jwt_verify(const unsigned char *key, size_t keylen, const char *token,
    size_t len, long long now, struct fd_claims *c)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	unsigned char hdr[256], payload[512], sig[64];
	const char *d1, *d2;
	size_t hlen, plen, slen, i;
	enum fd_jwt_rc rc;

	if (len == 0 || len > FD_JWT_MAX)
		return FD_JWT_MALFORMED;
	/*
	 * Only the base64url alphabet and the dots: libsodium 1.0.18 decodes
	 * any byte over 0x7f as '_', which would give one token many
	 * spellings.
	 */
	for (i = 0; i < len; i++)
		if (!((token[i] >= 'A' && token[i] <= 'Z') ||
		    (token[i] >= 'a' && token[i] <= 'z') ||
		    (token[i] >= '0' && token[i] <= '9') || token[i] == '-' ||
		    token[i] == '_' || token[i] == '.'))
			return FD_JWT_MALFORMED;
	if ((d1 = memchr(token, '.', len)) == NULL ||
	    (d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - token))) == NULL ||
	    memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - token)) != NULL)
		return FD_JWT_MALFORMED;
	if (b64_get(token, (size_t)(d1 - token), hdr, sizeof(hdr), &hlen) ||
	    b64_get(d1 + 1, (size_t)(d2 - d1 - 1), payload, sizeof(payload), &plen))
		return FD_JWT_MALFORMED;
	/* The algorithm is decided before the key is touched. */
	if ((rc = check_header(hdr, hlen)) != FD_JWT_OK)
		return rc;
	if (b64_get(d2 + 1, len - (size_t)(d2 + 1 - token), sig, sizeof(sig),
	    &slen) || slen != sizeof(mac))
		return FD_JWT_SIGNATURE;
	hmac(key, keylen, token, (size_t)(d2 - token), mac);
	if (crypto_verify_32(mac, sig) != 0)
		return FD_JWT_SIGNATURE;
	return check_claims(payload, plen, now, c);
}
