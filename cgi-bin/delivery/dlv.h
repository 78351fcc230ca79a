/*
 * dlv.h - the delivery context: a delivery per prepared order, started at
 * once, completed by the store's owner, canceled with the order.
 *
 * dlv_domain.c is pure (the delivery's state machine and the events it
 * produces); dlv_app.c holds the use cases and policies over dlv_db.c
 * (MariaDB); dlv_http.c is the HTTP adapter and dlv_events.c the adapter
 * for relayed events (OrderPrepared, OrderCanceled).
 */
#ifndef DLV_H
#define DLV_H

#include <stddef.h>

struct json_object;

enum dlv_err {
	DLV_OK = 0,
	DLV_E_INPUT,		/* 400, or a poison event */
	DLV_E_NOT_FOUND,	/* 404: none, or another store's */
	DLV_E_STATE,		/* 409: an illegal step */
	DLV_E_UNAVAILABLE,	/* 503: our database */
	DLV_E_INTERNAL
};

enum dlv_status {
	DLV_STARTED = 0,	/* "DeliveryStarted" */
	DLV_DELIVERED,
	DLV_CANCELED,
	DLV__NSTATUS
};

#define DLV_TEXT_MAX		200	/* address, reasons: characters */
#define DLV_PHONE_MAX		20
#define DLV_CANCEL_DEFAULT	"canceled"

struct dlv_delivery {
	long long	 id;
	long long	 order_id;
	long long	 ticket_id;
	long long	 store_id;
	enum dlv_status	 status;
	char		 address[801];
	char		 phone[81];
	char		 cancel_reason[801];	/* "" = none */
	char		 created_at[32];
	char		 updated_at[32];
};

enum dlv_ev {
	DLV_EV_NONE = 0,
	DLV_EV_STARTED,		/* DeliveryStarted {orderId, deliveryId} */
	DLV_EV_COMPLETED,	/* DeliveryCompleted {orderId, deliveryId} */
	DLV_EV_CANCELED		/* DeliveryCanceled {orderId, deliveryId} */
};

struct dlv_event {
	enum dlv_ev	 type;
	long long	 order_id;
	long long	 delivery_id;
};

/* A page of a store's deliveries, newest first. */
struct dlv_filter {
	int		 has_status;
	enum dlv_status	 status;
	long long	 before;	/* delivery id; 0 = from the newest */
	int		 limit;		/* 1..DLV_PAGE_MAX */
};
#define DLV_PAGE_DEFAULT	100
#define DLV_PAGE_MAX		500

/* dlv_domain.c: pure. */
/* The statuses' names, by status. */
extern const char *const dlv_status_names[DLV__NSTATUS];
const char	*dlv_status_name(enum dlv_status);
int		 dlv_status_parse(const char *, enum dlv_status *);
const char	*dlv_ev_name(enum dlv_ev);
const char	*dlv_err_message(enum dlv_err);
enum dlv_err	 dlv_check_prepared(const struct dlv_delivery *, char *why,
		    size_t whysz);
enum dlv_err	 dlv_check_canceled(long long order_id, const char *reason,
		    char *why, size_t whysz);
void		 dlv_open(struct dlv_delivery *, const char *canceled_reason,
		    struct dlv_event *ev);
int		 dlv_cancel(struct dlv_delivery *, const char *reason,
		    struct dlv_event *ev);
enum dlv_err	 dlv_step_check(enum dlv_status to, char *why, size_t whysz);
enum dlv_err	 dlv_step(struct dlv_delivery *, enum dlv_status to,
		    struct dlv_event *ev, char *why, size_t whysz);

/* dlv_db.c: inside the caller's unit of work; -1 = database error. */
typedef int	(*dlv_each_fn)(void *arg, const struct dlv_delivery *);
int		 dlv_db_insert(struct dlv_delivery *);		/* 0, 1 dup, -1 */
int		 dlv_db_get(long long id, int lock, struct dlv_delivery *);
int		 dlv_db_by_order(long long order_id, int lock,
		    struct dlv_delivery *);			/* 1, 0, -1 */
int		 dlv_db_update(const struct dlv_delivery *);
int		 dlv_db_list(long long store_id, const struct dlv_filter *,
		    dlv_each_fn, void *arg, int *more);
int		 dlv_db_event(const struct dlv_event *);

/* dlv_app.c: use cases. */
enum dlv_err	 dlv_list(long long owner_store, const struct dlv_filter *,
		    dlv_each_fn, void *arg, int *more);
enum dlv_err	 dlv_get(long long owner_store, long long id,
		    struct dlv_delivery *);
enum dlv_err	 dlv_patch(long long owner_store, long long id,
		    enum dlv_status to, struct dlv_delivery *, char *why,
		    size_t whysz);
/*
 * Policies for relayed events: inside the consumer's open unit of work
 * (fd_consumer.h), never begin or commit.  DLV_E_INPUT: the event can
 * never apply (why says so); DLV_E_UNAVAILABLE: the database.
 */
enum dlv_err	 dlv_on_order_prepared(struct dlv_delivery *, char *why,
		    size_t whysz);
enum dlv_err	 dlv_on_order_canceled(long long order_id, const char *reason,
		    char *why, size_t whysz);

/* dlv_events.c: the relay's inbound adapter (fd_app.apply_event). */
int		 dlv_apply_event(const char *type, struct json_object *ev,
		    char *err, size_t errsz);

#endif
