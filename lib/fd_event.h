/*
 * fd_event.h - the registry of our events' codecs: by type, the one
 * place that knows every decoder (the fuzz harness runs them all,
 * fuzz/fuzz_event.c).  An event's shape is in the file of the context
 * that produces it:
 *
 *   lib/fd_event_order.c    OrderPlaced, CancelRequested, OrderCanceled
 *   lib/fd_event_payment.c  PayApproved, PayCanceled
 *   lib/fd_event_auth.c     CustomerRegistered, CustomerProfileChanged
 *   lib/fd_event_store.c    the fishstore's events (StoreChanged, ...)
 *   lib/fd_event_delivery.c the delivery's events
 *
 * and the field rules every codec shares (ids, amounts, reasons, text)
 * with their readers are in lib/fd_event_field.h: apart from this file,
 * which includes every codec's header, so that no include or link circle
 * runs through the codecs.
 */
#ifndef FD_EVENT_H
#define FD_EVENT_H

#include <stddef.h>

struct json_object;

struct fd_event_codec {
	const char	*type;		/* "OrderPlaced" */
	/*
	 * Decodes payload into a struct of the type's: 0 accepted and, encoded
	 * and decoded again, the same; -1 refused (err says which field);
	 * -2 accepted but not the same again (a codec's bug; err says so).
	 */
	int		(*check)(struct json_object *payload, char *err,
			    size_t errsz);
};

/* The codec of an event type, or NULL if none is registered. */
const struct fd_event_codec *fd_event_codec(const char *type);
/* The i-th registered codec (0 ..), or NULL past the last. */
const struct fd_event_codec *fd_event_codec_at(size_t i);
/* How many are registered. */
size_t		 fd_event_ncodecs(void);

#endif
