/*
 * fd_events.c - SPEC's event routing table and the relay wake-up.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fd_addr.h"
#include "fd_events.h"
#include "fd_proc.h"

/*
 * The order context subscribes to its own OrderPlaced and OrderCanceled
 * (MyPage) by applying them in the transaction that writes them
 * (order_app.c): a relayed copy could only ever be a duplicate, so none is
 * sent.
 */
static const struct {
	const char	*type;
	const char	*from;
	const char	*to[FD_MAX_SUBSCRIBERS + 1];
} routes[] = {
	{ "OrderPlaced", "order", { "fishstore", NULL } },
	{ "PayApproved", "payment", { "order", NULL } },
	{ "OrderTaken", "fishstore", { "order", NULL } },
	{ "OrderPrepared", "fishstore", { "delivery", "order", NULL } },
	{ "OrderRejected", "fishstore", { "payment", "order", NULL } },
	{ "DeliveryStarted", "delivery", { "order", NULL } },
	{ "DeliveryCompleted", "delivery", { "order", NULL } },
	{ "CancelRequested", "order", { "fishstore", NULL } },
	{ "CancelConfirmed", "fishstore", { "order", NULL } },
	{ "CancelRefused", "fishstore", { "order", NULL } },
	{ "OrderCanceled", "order", { "payment", "fishstore", "delivery", NULL } },
	{ "PayCanceled", "payment", { "order", NULL } },
	{ "DeliveryCanceled", "delivery", { "order", NULL } },
	{ "MenuItemChanged", "fishstore", { "order", NULL } },
	{ "StoreChanged", "fishstore", { "order", NULL } },
	{ "CustomerRegistered", "auth", { "order", NULL } },
	{ "CustomerProfileChanged", "auth", { "order", NULL } },
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

const char *const *
fd_event_subscribers(const char *type)
{
	size_t i;

	for (i = 0; i < NROUTES; i++)
		if (strcmp(routes[i].type, type) == 0)
			return routes[i].to;
	return NULL;
}

size_t
fd_context_subscribers(const char *context, const char **out, size_t max)
{
	size_t i, j, k, n = 0;

	for (i = 0; i < NROUTES; i++) {
		if (strcmp(routes[i].from, context) != 0)
			continue;
		for (j = 0; routes[i].to[j] != NULL; j++) {
			for (k = 0; k < n && strcmp(out[k], routes[i].to[j]); k++)
				continue;
			if (k == n && n < max)
				out[n++] = routes[i].to[j];
		}
	}
	if (n < max)
		out[n] = NULL;
	return n;
}

unsigned
fd_subscriber_bit(const char *context)
{
	static const char *const names[] = {
		"auth", "order", "payment", "fishstore", "delivery"
	};
	unsigned i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i], context) == 0)
			return 1u << i;
	return 0;
}

/*
 * The relays to wake: FD_RELAY_WAKE ("host:port,...": this context's relay
 * on every host, so that an event committed through one host's program is
 * claimed at once by whichever relay is free) or else 127.0.0.1:
 * FD_RELAY_PORT.  Resolved once per process; a name that does not resolve
 * is left out and its relay finds the event at its next poll
 * (FD_RELAY_POLL_MS), which bounds every wake-up lost on the way.
 */
static int
wake_targets(struct sockaddr_storage *to, socklen_t *len, int max)
{
	struct fd_addr a[FD_ADDR_MAX];
	struct addrinfo hints, *res;
	const char *list = fd_env("FD_RELAY_WAKE", NULL);
	long long port = fd_env_int("FD_RELAY_PORT", 0);
	char serv[8];
	int n, i, k = 0;

	if (list != NULL && *list != '\0') {
		if ((n = fd_addr_list(list, 0, a, FD_ADDR_MAX)) < 0) {
			fd_log("FD_RELAY_WAKE: cannot parse '%s'", list);
			return 0;
		}
	} else if (port > 0 && port < 65536) {
		snprintf(a[0].host, sizeof(a[0].host), "127.0.0.1");
		a[0].port = (int)port;
		n = 1;
	} else
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	for (i = 0; i < n && k < max; i++) {
		snprintf(serv, sizeof(serv), "%d", a[i].port);
		if (getaddrinfo(a[i].host, serv, &hints, &res) != 0) {
			fd_log("FD_RELAY_WAKE: cannot resolve %s", a[i].host);
			continue;
		}
		memcpy(&to[k], res->ai_addr, res->ai_addrlen);
		len[k++] = res->ai_addrlen;
		freeaddrinfo(res);
	}
	return k;
}

void
fd_relay_notify(unsigned mask)
{
	static struct sockaddr_storage to[FD_ADDR_MAX];
	static socklen_t len[FD_ADDR_MAX];
	static int fd4 = -2, fd6 = -1, n;
	char msg[16];
	int i, m, fd;

	if (fd4 == -2) {
		n = wake_targets(to, len, FD_ADDR_MAX);
		fd4 = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		for (i = 0; i < n; i++)
			if (to[i].ss_family == AF_INET6 && fd6 < 0)
				fd6 = socket(AF_INET6, SOCK_DGRAM |
				    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	m = snprintf(msg, sizeof(msg), "%u", mask);
	for (i = 0; i < n; i++) {
		fd = to[i].ss_family == AF_INET6 ? fd6 : fd4;
		if (fd >= 0)
			(void)sendto(fd, msg, (size_t)m, 0,
			    (struct sockaddr *)&to[i], len[i]);
	}
}
