/*
 * fuzz_route.c - libFuzzer harness for fd_route_match() and fd_query(), the
 * decoders of the request line.
 *
 * The input is copied and NUL-terminated (FastCGI parameters are C
 * strings); up to the first '?' it is the path (DOCUMENT_URI), after it the
 * query string.  The path is matched against the routes' patterns; when one
 * matches, its {id} captures must be in 1..10^15-1 and writing them back
 * into the pattern must give the path again, byte for byte (ids are
 * canonical: no sign, no leading zero).  The query is searched for a few
 * keys with a small and a larger buffer; a value found must fit, nothing
 * past the buffer may change, and it must be exactly what follows the first
 * "key=" up to '&' or the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_http.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const patterns[] = {
	"/stores",
	"/stores/{id}/menu",
	"/stores/{id}/menu/{id}",
	"/fishstores/{id}",
	"/orders",
	"/orders/{id}",
	"/orders/{id}/cancel",
	"/payment/internal/void/{id}",
	"/auth/signup",
};

static const char *const keys[] = { "limit", "cursor", "status", "q", "" };

/* Writes pattern with its {id}s replaced by ids into out; -1 if too long. */
static int
render(const char *pattern, const long long *ids, size_t nids, char *out,
    size_t outsz)
{
	size_t off = 0, nid = 0;
	int n;

	while (*pattern != '\0') {
		if (strncmp(pattern, "{id}", 4) == 0) {
			if (nid == nids)
				abort();
			n = snprintf(out + off, outsz - off, "%lld", ids[nid++]);
			pattern += 4;
		} else
			n = snprintf(out + off, outsz - off, "%c", *pattern++);
		if (n < 0 || (size_t)n >= outsz - off)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

static void
check_route(const char *pattern, const char *path)
{
	long long ids[FD_MAX_IDS];
	char again[256];
	const char *p;
	size_t i, nids = 0;

	for (p = pattern; (p = strstr(p, "{id}")) != NULL; p += 4)
		nids++;
	for (i = 0; i < FD_MAX_IDS; i++)
		ids[i] = -1;
	if (!fd_route_match(pattern, path, ids))
		return;
	for (i = 0; i < nids; i++)
		if (ids[i] < 1 || ids[i] > 999999999999999LL)
			abort();
	if (render(pattern, ids, nids, again, sizeof(again)) != 0 ||
	    strcmp(again, path) != 0)
		abort();
}

static void
check_query(const char *query, const char *key, size_t bufsz)
{
	struct fd_req r;
	char buf[64], *want;
	const char *p;
	size_t klen = strlen(key), vlen;

	if (bufsz > sizeof(buf))
		abort();
	memset(&r, 0, sizeof(r));
	r.query = query;
	/* Guard bytes past bufsz: a write beyond it would show up here. */
	memset(buf, 'X', sizeof(buf));
	if (fd_query(&r, key, buf, bufsz) != 0)
		return;
	if (memchr(buf, '\0', bufsz) == NULL)
		abort();
	for (vlen = bufsz; vlen < sizeof(buf); vlen++)
		if (buf[vlen] != 'X')
			abort();
	/* It must be the value of the first "key=" pair. */
	if ((want = malloc(klen + 2)) == NULL)
		abort();
	snprintf(want, klen + 2, "%s=", key);
	for (p = query; p != NULL; p = (p = strchr(p, '&')) ? p + 1 : NULL) {
		if (strncmp(p, want, klen + 1) != 0)
			continue;
		vlen = strcspn(p + klen + 1, "&");
		if (vlen != strlen(buf) || memcmp(p + klen + 1, buf, vlen) != 0)
			abort();
		break;
	}
	free(want);
	if (p == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *q;
	size_t i;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if ((q = strchr(s, '?')) != NULL)
		*q++ = '\0';
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		check_route(patterns[i], s);
	if (q != NULL)
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			check_query(q, keys[i], 8);
			check_query(q, keys[i], 63);
		}
	free(s);
	return 0;
}
