/*
 * store.h - the fishstore context: stores, menus and tickets (the store's
 * copy of an order).
 *
 * store_domain.c is pure (menu rules, the ticket's state machine and the
 * events they produce); store_app.c holds the use cases over store_db.c;
 * store_http.c is the HTTP adapter and store_events.c the adapter for
 * relayed events (OrderPlaced, CancelRequested, OrderCanceled).
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

#include "fd_store_event.h"

struct json_object;

enum store_err {
	STORE_OK = 0,
	STORE_E_INPUT,		/* a value outside the rules */
	STORE_E_NOT_FOUND,
	STORE_E_FORBIDDEN,	/* not this owner's store */
	STORE_E_UNAVAILABLE,
	STORE_E_INTERNAL,
	STORE_E_NO_TICKET,	/* 404: none, or another store's */
	STORE_E_STATE		/* 409: an illegal step of a ticket */
};

#define STORE_PRICE_MIN	100		/* KRW */
#define STORE_PRICE_MAX	10000000

struct store {
	long long	 id;
	char		 name[241];
	char		 address[801];
	char		 phone[21];
	/* Operations (store_state.c): what StoreChanged carries. */
	int		 open;			/* the owner's switch */
	long long	 paused_until;		/* Unix seconds; 0 = none */
	char		 closed_reason[801];	/* "" = none */
	long long	 min_order;		/* KRW, items only */
	long long	 delivery_fee;		/* KRW */
	long long	 version;		/* raised by every change */
};

#define STORE_PAUSE_MAX_S	(7 * 86400)	/* a pause ends within a week */

/* An owner's change of the store's operations; unset fields stay. */
struct store_patch {
	int		 has_open;
	int		 open;
	int		 has_paused_until;
	long long	 paused_until;		/* Unix seconds */
	const char	*closed_reason;		/* NULL: not given (borrowed) */
	int		 has_min_order;
	long long	 min_order;
	int		 has_delivery_fee;
	long long	 delivery_fee;
};

struct store_menu_item {
	long long	 id;
	long long	 store_id;
	char		 name[241];
	long long	 price;
	int		 sold_out;
};

/* An owner's change of one item; unset fields stay as they are. */
struct store_menu_patch {
	int		 has_price;
	long long	 price;
	int		 has_sold_out;
	int		 sold_out;
};

/* The MenuItemChanged event: what the order context's replica needs. */
struct store_menu_changed {
	long long	 store_id;
	long long	 menu_id;
	char		 name[241];
	long long	 price;
	int		 sold_out;
};

/*
 * Tickets.  The statuses are SPEC's customer-facing names; a ticket starts
 * Paid (or Canceled, if the order's cancellation came first).
 */
enum store_ticket_status {
	STORE_T_PAID = 0,
	STORE_T_ACCEPTED,
	STORE_T_PREPARED,
	STORE_T_REJECTED,
	STORE_T_CANCELED,
	STORE_T__N
};

#define STORE_TICKET_MAX_ITEMS	50	/* order takes 20; room to grow */
#define STORE_TEXT_MAX		200	/* address, reasons: characters */
#define STORE_PHONE_MAX		20
#define STORE_NAME_MAX		60
#define STORE_QTY_MAX		999
#define STORE_AMOUNT_MAX	100000000000LL
#define STORE_REJECT_DEFAULT	"rejected by the store"
#define STORE_CANCEL_DEFAULT	"canceled"

struct store_ticket_item {
	long long	 menu_id;
	char		 name[241];		/* 60 characters of UTF-8 */
	long long	 qty;
	long long	 price;
};

struct store_ticket {
	long long	 id;
	long long	 order_id;
	long long	 store_id;
	long long	 customer_id;
	enum store_ticket_status status;
	long long	 amount;
	char		 address[801];
	char		 phone[81];
	char		 reject_reason[801];	/* "" = none */
	char		 cancel_reason[801];	/* "" = none */
	char		 created_at[32];
	char		 updated_at[32];
	struct store_ticket_item items[STORE_TICKET_MAX_ITEMS];
	size_t		 nitems;
};

/* The event an owner's step produces (SPEC's events table). */
enum store_ticket_ev {
	STORE_EV_NONE = 0,
	STORE_EV_TAKEN,		/* OrderTaken {orderId, ticketId} */
	STORE_EV_PREPARED,	/* OrderPrepared {orderId, ticketId, storeId,
				   address, phone}: delivery needs the rest */
	STORE_EV_REJECTED,	/* OrderRejected {orderId, reason} */
	STORE_EV_CANCEL_CONFIRMED,	/* CancelConfirmed {orderId, ticketId
					   (null: no ticket yet)} */
	STORE_EV_CANCEL_REFUSED	/* CancelRefused {orderId, ticketStatus,
				   reason} */
};

struct store_ticket_event {
	enum store_ticket_ev type;
	long long	 order_id;
	long long	 ticket_id;
	enum store_ticket_status ticket_status;	/* CancelRefused */
	long long	 store_id;
	char		 address[801];
	char		 phone[81];
	char		 reason[801];
};

/* A page of an owner's tickets, oldest first. */
struct store_ticket_filter {
	int		 has_status;
	enum store_ticket_status status;
	long long	 after;			/* ticket id; 0 = from the first */
	int		 limit;			/* 1..STORE_PAGE_MAX */
};
#define STORE_PAGE_DEFAULT	100
#define STORE_PAGE_MAX		500

/* store_domain.c */
enum store_err	 store_menu_authorize(long long owner_store, long long store_id);
enum store_err	 store_menu_apply(struct store_menu_item *it,
		    const struct store_menu_patch *p, int *changed,
		    struct store_menu_changed *ev);
const char	*store_err_message(enum store_err);
const char	*store_ticket_status_name(enum store_ticket_status);
int		 store_ticket_status_parse(const char *, enum store_ticket_status *);
const char	*store_ticket_ev_name(enum store_ticket_ev);
enum store_err	 store_ticket_check(const struct store_ticket *, char *why,
		    size_t whysz);
enum store_err	 store_cancel_check(long long order_id, const char *reason,
		    char *why, size_t whysz);
enum store_err	 store_ticket_step_check(enum store_ticket_status to,
		    const char *reason, char *why, size_t whysz);
enum store_err	 store_ticket_step(struct store_ticket *,
		    enum store_ticket_status to, const char *reason,
		    struct store_ticket_event *ev, char *why, size_t whysz);
int		 store_ticket_cancel(struct store_ticket *, const char *reason);
/* The store's decision on a customer's cancel: 1 confirm (no ticket yet,
 * or Paid, Accepted, Canceled), 0 refuse, with ev filled either way. */
int		 store_cancel_decide(long long order_id,
		    const struct store_ticket *t, struct store_ticket_event *ev);

/* store_state.c: pure.  The owner's patch of a store at now (Unix
 * seconds); *changed: whether s changed (its version raised). */
enum store_err	 store_patch_apply(struct store *s, const struct store_patch *p,
		    long long now, int *changed, char *why, size_t whysz);
void		 store_changed_of(const struct store *s,
		    struct fd_store_changed *ev);

/* store_db.c: each runs inside the caller's unit of work; -1 = error. */
typedef int	(*store_each_fn)(void *arg, const void *row);
int		 store_db_stores(store_each_fn, void *arg);
int		 store_db_store_exists(long long store_id);	/* 1, 0, -1 */
int		 store_db_menu(long long store_id, store_each_fn, void *arg);
int		 store_db_store_lock(long long store_id, struct store *s);
						/* 1, 0, -1 */
int		 store_db_store_update(const struct store *s);
/* StoreChanged of s into the outbox. */
int		 store_db_store_changed(const struct store *s);
int		 store_db_menu_item_lock(long long store_id, long long menu_id,
		    struct store_menu_item *it);		/* 1, 0, -1 */
int		 store_db_menu_item_update(const struct store_menu_item *it);
int		 store_db_menu_changed(const struct store_menu_changed *ev);
int		 store_db_ticket_insert(struct store_ticket *t);	/* 0, 1 dup, -1 */
int		 store_db_ticket_get(long long id, int lock,
		    struct store_ticket *t);			/* 1, 0, -1 */
int		 store_db_ticket_by_order(long long order_id, int lock,
		    struct store_ticket *t);			/* 1, 0, -1 */
int		 store_db_ticket_update(const struct store_ticket *t);
int		 store_db_tickets(long long store_id,
		    const struct store_ticket_filter *, store_each_fn,
		    void *arg, int *more);
int		 store_db_ticket_event(const struct store_ticket_event *ev);

/* store_app.c: use cases. */
enum store_err	 store_list(store_each_fn, void *arg);
enum store_err	 store_menu(long long store_id, store_each_fn, void *arg);
/* The owner's change of the store (open, pause, minimum, fee) with its
 * StoreChanged in one commit; out: the store as it now is. */
enum store_err	 store_patch(long long owner_store, long long store_id,
		    const struct store_patch *p, long long now, struct store *out,
		    char *why, size_t whysz);
enum store_err	 store_menu_patch(long long owner_store, long long store_id,
		    long long menu_id, const struct store_menu_patch *p,
		    struct store_menu_item *out);
enum store_err	 store_tickets(long long owner_store,
		    const struct store_ticket_filter *, store_each_fn,
		    void *arg, int *more);
enum store_err	 store_ticket_get(long long owner_store, long long id,
		    struct store_ticket *t);
enum store_err	 store_ticket_patch(long long owner_store, long long id,
		    enum store_ticket_status to, const char *reason,
		    struct store_ticket *t, char *why, size_t whysz);
/* Any store's ticket, for an operator (the command line), who then acts
 * for its store through the owner's own use cases. */
enum store_err	 store_ticket_find(long long id, struct store_ticket *t);
/*
 * Policies for relayed events: run inside the consumer's open unit of
 * work (fd_consumer.h), never begin or commit.  STORE_E_INPUT: the event
 * can never apply (why says so); STORE_E_UNAVAILABLE: the database.
 */
enum store_err	 store_on_order_placed(struct store_ticket *t, char *why,
		    size_t whysz);
enum store_err	 store_on_order_canceled(long long order_id,
		    const char *reason, char *why, size_t whysz);
enum store_err	 store_on_cancel_requested(long long order_id,
		    const char *reason, char *why, size_t whysz);

/* store_cli.c: the operator's command line (store_main.c dispatches). */
int		 store_cli(int argc, char **argv);

/* store_events.c: the relay's inbound adapter (fd_app.apply_event). */
int		 store_apply_event(const char *type, struct json_object *ev,
		    char *err, size_t errsz);

#endif
