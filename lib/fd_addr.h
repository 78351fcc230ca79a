/*
 * fd_addr.h - network addresses in settings: "host:port" and lists of
 * them, the same spelling for every setting that names a peer
 * (FD_SOCKET's TCP form, FD_DB_HOSTS, FD_MEMCACHED, FD_RELAY_WAKE).
 * Pure: libc only, no I/O, so the unit tests check every form.
 */
#ifndef FD_ADDR_H
#define FD_ADDR_H

#include <stddef.h>

#define FD_ADDR_HOST	256
#define FD_ADDR_MAX	16	/* peers in one list */

struct fd_addr {
	char	host[FD_ADDR_HOST];	/* a name or an IPv4/IPv6 literal */
	int	port;			/* 1..65535 */
};

/*
 * "host:port", "[v6]:port", or "host" alone when defport is over 0.  0, or
 * -1 when s is empty, the host too long or has a character no host name
 * has, or the port is missing or out of range.
 */
int	fd_addr_parse(const char *s, int defport, struct fd_addr *out);

/*
 * A list of addresses separated by commas or white space, in order, into
 * out[max].  The number parsed (at least 1), or -1 when the list is empty,
 * longer than max, or any entry is bad: a setting half understood would
 * route to fewer peers than the operator named.
 */
int	fd_addr_list(const char *list, int defport, struct fd_addr *out,
	    int max);

/*
 * Whether a FastCGI listen address (FD_SOCKET) is TCP ("host:port",
 * ":port") rather than a unix socket's path: a path is absolute or
 * relative but never has a colon in our layout, an address always does.
 */
int	fd_addr_is_tcp(const char *listen);

#endif
