/*
 * fd_events.c - SPEC's event routing table and the relay wake-up.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

void
fd_relay_notify(unsigned mask)
{
	char msg[16];
	int n;

	static int fd = -2;
	static struct sockaddr_in to;
	long long port;

	if (fd == -2) {
		port = fd_env_int("FD_RELAY_PORT", 0);
		fd = port > 0 && port < 65536 ?
		    socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) :
		    -1;
		memset(&to, 0, sizeof(to));
		to.sin_family = AF_INET;
		to.sin_port = htons((unsigned short)port);
		to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	n = snprintf(msg, sizeof(msg), "%u", mask);
	if (fd >= 0)
		(void)sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&to,
		    sizeof(to));
}
