/*
 * fd_events.h - who hears which event, and waking the relay.
 *
 * The subscriber table is SPEC's events table, in one place: the outbox
 * writer creates one delivery per subscriber from it, in the transaction
 * that writes the event.
 */
#ifndef FD_EVENTS_H
#define FD_EVENTS_H

#define FD_MAX_SUBSCRIBERS	4

/* NULL-terminated subscriber contexts of an event type, or NULL if unknown. */
const char *const *fd_event_subscribers(const char *type);
/* Every subscriber of any event this context publishes (NULL-terminated). */
size_t		 fd_context_subscribers(const char *context, const char **out,
		    size_t max);

/* A bit per subscriber context, so a wake-up can say whom it concerns. */
unsigned	 fd_subscriber_bit(const char *context);

/*
 * After a commit that wrote events for the subscribers in mask: a datagram
 * to the relay of this context (127.0.0.1:FD_RELAY_PORT, or each of
 * FD_RELAY_WAKE's "host:port,...": the relays on every host) so their
 * deliverers claim them at once instead of at their next poll.  Best
 * effort, never blocks, never fails the caller.
 */
void		 fd_relay_notify(unsigned mask);

#endif
