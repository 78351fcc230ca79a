/*
 * fd_addr.c - "host:port" and lists of them, as the settings spell peers
 * (fd_addr.h).  No I/O: names are resolved by whoever connects.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fd_addr.h"

/* A host name, or an IP literal: letters, digits, '-', '.', '_', and ':'
 * inside brackets only (checked by the caller). */
static int
host_ok(const char *h, size_t n, int v6)
{
	size_t i;

	if (n == 0 || n >= FD_ADDR_HOST)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		if (isalnum(c) || c == '-' || c == '.' || c == '_' ||
		    (v6 && (c == ':' || c == '%')))
			continue;
		return 0;
	}
	return 1;
}

static int
port_parse(const char *p, size_t n)
{
	int port = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		port = port * 10 + (p[i] - '0');
	}
	return port >= 1 && port <= 65535 ? port : -1;
}

/* The entry s[0..len) into out; 0 or -1. */
static int
parse_n(const char *s, size_t len, int defport, struct fd_addr *out)
{
	const char *h = s, *colon, *close;
	size_t hn;
	int port = defport, v6 = 0;

	if (len == 0)
		return -1;
	if (*s == '[') {
		if ((close = memchr(s, ']', len)) == NULL)
			return -1;
		h = s + 1;
		hn = (size_t)(close - h);
		v6 = 1;
		colon = close + 1 < s + len ? close + 1 : NULL;
		if (colon != NULL && *colon != ':')
			return -1;
	} else {
		colon = memchr(s, ':', len);
		hn = colon ? (size_t)(colon - s) : len;
	}
	if (colon != NULL)
		port = port_parse(colon + 1, len - (size_t)(colon + 1 - s));
	if (port < 1 || port > 65535 || !host_ok(h, hn, v6))
		return -1;
	memcpy(out->host, h, hn);
	out->host[hn] = '\0';
	out->port = port;
	return 0;
}

int
fd_addr_parse(const char *s, int defport, struct fd_addr *out)
{
	if (s == NULL)
		return -1;
	return parse_n(s, strlen(s), defport, out);
}

int
fd_addr_list(const char *list, int defport, struct fd_addr *out, int max)
{
	const char *p = list, *end;
	int n = 0;

	if (list == NULL)
		return -1;
	for (;;) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		for (end = p; *end != '\0' && *end != ',' &&
		    !isspace((unsigned char)*end); end++)
			continue;
		if (n == max || parse_n(p, (size_t)(end - p), defport,
		    &out[n]) != 0)
			return -1;
		n++;
		p = end;
	}
	return n > 0 ? n : -1;
}

int
fd_addr_is_tcp(const char *listen)
{
	return listen != NULL && *listen != '/' && strchr(listen, ':') != NULL;
}
