/*
 * fd_event_auth.h - the auth context's events, CustomerRegistered (signup) and
 * CustomerProfileChanged (PATCH /auth/me): one struct, its encoder and its
 * decoder, so that auth (the producer) and order (the customer replica)
 * share one shape and one rule set (STYLE.md, "one shape per message").
 *
 * Besides SPEC's customerId, name, phone and address, each carries
 * profileVersion: 1 at signup, one more with every change, taken under the
 * account's row lock in the transaction that writes the event.  A replica
 * keeps the highest version it has seen, so a late older event (a dead
 * letter replayed after a newer change, say) never overwrites a newer
 * profile.
 */
#ifndef FD_EVENT_AUTH_H
#define FD_EVENT_AUTH_H

#include <stddef.h>

#include "fd_event_field.h"

struct json_object;

#define FD_CUSTOMER_NAME_MAX	FD_EVENT_NAME_MAX	/* characters */
#define FD_CUSTOMER_ADDRESS_MAX	FD_EVENT_ADDRESS_MAX	/* characters */
#define FD_CUSTOMER_PHONE_MAX	FD_EVENT_PHONE_MAX	/* bytes (ASCII) */

struct fd_customer {
	long long	 customer_id;
	long long	 version;		/* profileVersion, >= 1 */
	char		 name[4 * FD_CUSTOMER_NAME_MAX + 1];
	char		 phone[FD_CUSTOMER_PHONE_MAX + 1];
	char		 address[4 * FD_CUSTOMER_ADDRESS_MAX + 1];
};

/* 1 if type is one of the customer events. */
int		 fd_customer_event(const char *type);

/* The event's payload (caller owns it; fd_outbox_add() consumes it). */
struct json_object *fd_customer_encode(const struct fd_customer *);

/*
 * Fills c from a relayed event's payload: 0, or -1 with err saying what is
 * missing or malformed (lib/fd_event_field.h's rules: customerId an id,
 * profileVersion >= 1; name and address text of 1 to 60 and 1 to 200
 * characters; phone 1 to 20 printable ASCII bytes).  Never reads past
 * what json-c holds.
 */
int		 fd_customer_decode(struct json_object *ev, struct fd_customer *c,
		    char *err, size_t errsz);
/* The registry's check of both events (lib/fd_event.c, FD_EVENT_CHECK). */
int		 fd_customer_check(struct json_object *payload, char *err,
		    size_t errsz);

#endif
