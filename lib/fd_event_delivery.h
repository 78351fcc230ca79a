/*
 * fd_event_delivery.h - the events delivery writes, one shape each:
 * DeliveryStarted, DeliveryCompleted and DeliveryCanceled, all three
 * {orderId, deliveryId}.  The encoders are what dlv_db.c writes, the
 * decoders what order reads them with (its status, MyPage); nobody builds
 * or parses these payloads by hand.  The field rules are
 * lib/fd_event_field.h's; eventId, eventType, occurredAt and traceId are
 * the outbox's envelope, not the codec's.
 */
#ifndef FD_EVENT_DELIVERY_H
#define FD_EVENT_DELIVERY_H

#include <stddef.h>

#include "fd_event_field.h"

struct json_object;

/*
 * The three carry the same fields, so they share one struct; each type
 * still has its own encoder and decoder (its name in err).
 */
struct fd_delivery_event {
	long long	 order_id;
	long long	 delivery_id;
};

/* The payload (caller owns it; fd_outbox_add() consumes it). */
struct json_object *fd_delivery_started_encode(
		    const struct fd_delivery_event *);
struct json_object *fd_delivery_completed_encode(
		    const struct fd_delivery_event *);
struct json_object *fd_delivery_canceled_encode(
		    const struct fd_delivery_event *);

/*
 * The payload back into *out (cleared first): 0, or -1 with err saying
 * which field is missing, mistyped or out of range.
 */
int		 fd_delivery_started_decode(struct json_object *payload,
		    struct fd_delivery_event *out, char *err, size_t errsz);
int		 fd_delivery_completed_decode(struct json_object *payload,
		    struct fd_delivery_event *out, char *err, size_t errsz);
int		 fd_delivery_canceled_decode(struct json_object *payload,
		    struct fd_delivery_event *out, char *err, size_t errsz);

/* The registry's checks (lib/fd_event.h). */
int		 fd_delivery_started_check(struct json_object *payload,
		    char *err, size_t errsz);
int		 fd_delivery_completed_check(struct json_object *payload,
		    char *err, size_t errsz);
int		 fd_delivery_canceled_check(struct json_object *payload,
		    char *err, size_t errsz);

#endif
