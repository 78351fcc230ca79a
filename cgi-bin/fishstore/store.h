/*
 * store.h - the fishstore context: stores, menus and tickets (the store's
 * copy of an order).
 *
 * store_domain.c is pure (menu rules, the ticket's state machine and the
 * events they produce); store_app.c holds the use cases over store_db.c;
 * store_http.c is the HTTP adapter, store_cli.c the operator's command
 * line (both write a ticket with store_json.c) and store_events.c the
 * adapter for relayed events (OrderPlaced, CancelRequested,
 * OrderCanceled); store_main.c wires them.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

#include "fd_event_store.h"

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

/* The MenuItemChanged event is struct fd_menu_item_changed
 * (lib/fd_event_store.h): what the order context's replica needs. */

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
#define STORE_CANCEL_DEFAULT	"canceled"

/* The owner's estimate on accepting (SPEC: readyInMinutes). */
#define STORE_READY_MIN		5
#define STORE_READY_MAX		120
/* The accept deadline (FD_ACCEPT_DEADLINE_S): bounds of the setting. */
#define STORE_DEADLINE_DEFAULT	600
#define STORE_DEADLINE_MAX	86400
/* Menu items a sold_out rejection may mark sold out at once. */
#define STORE_SOLD_OUT_MAX	20

/*
 * Why a ticket was rejected (SPEC: OrderRejected's reasonCode).  The
 * owner gives one of the first four; no_response is the store context's
 * own, when the accept deadline passes.
 */
enum store_reject_code {
	STORE_RC_NONE = 0,
	STORE_RC_SOLD_OUT,
	STORE_RC_CLOSING,
	STORE_RC_TOO_BUSY,
	STORE_RC_OTHER,
	STORE_RC_NO_RESPONSE,
	STORE_RC__N
};

/* An owner's step of a ticket, as asked (PATCH /fishstores/{id}). */
struct store_ticket_cmd {
	enum store_ticket_status to;
	int		 ready_in;	/* Accepted: minutes; 0 = not given */
	enum store_reject_code code;	/* Rejected; NONE = not given */
	const char	*reason;	/* Rejected: the owner's text, or NULL */
	long long	 sold_out[STORE_SOLD_OUT_MAX];	/* menu ids, sold_out */
	size_t		 nsold_out;
	long long	 now;		/* the step's clock: seconds since the
					   epoch (readyBy counts from it) */
};

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
	char		 ready_by[32];		/* Accepted: "" = none */
	enum store_reject_code reject_code;	/* Rejected */
	char		 accept_by[32];		/* the accept deadline */
	long long	 accept_ms;		/* ms left to it when read (<= 0:
						   past) */
	struct store_ticket_item items[STORE_TICKET_MAX_ITEMS];
	size_t		 nitems;
};

/* The event an owner's step produces (SPEC's events table). */
enum store_ticket_ev {
	STORE_EV_NONE = 0,
	STORE_EV_TAKEN,		/* OrderTaken {orderId, ticketId, readyBy} */
	STORE_EV_PREPARED,	/* OrderPrepared {orderId, ticketId, storeId,
				   address, phone}: delivery needs the rest */
	STORE_EV_REJECTED,	/* OrderRejected {orderId, ticketId,
				   reasonCode, reason (null: none)} */
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
	char		 ready_by[32];		/* OrderTaken */
	enum store_reject_code code;		/* OrderRejected */
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
/* The ticket's statuses' names, by status. */
extern const char *const store_ticket_status_names[STORE_T__N];
enum store_err	 store_menu_authorize(long long owner_store, long long store_id);
enum store_err	 store_menu_apply(struct store_menu_item *it,
		    const struct store_menu_patch *p, int *changed,
		    struct fd_menu_item_changed *ev);
const char	*store_err_message(enum store_err);
const char	*store_ticket_status_name(enum store_ticket_status);
int		 store_ticket_status_parse(const char *, enum store_ticket_status *);
const char	*store_ticket_ev_name(enum store_ticket_ev);
enum store_err	 store_ticket_check(const struct store_ticket *, char *why,
		    size_t whysz);
enum store_err	 store_cancel_check(long long order_id, const char *reason,
		    char *why, size_t whysz);
const char	*store_reject_code_name(enum store_reject_code);
int		 store_reject_code_parse(const char *, enum store_reject_code *);
/* now + minutes as UTC ISO 8601 ("...T12:34:56.000000Z"): 0, or -1. */
int		 store_ready_by(long long now, int minutes, char *out,
		    size_t sz);
/* The accept deadline of the setting FD_ACCEPT_DEADLINE_S (text or NULL),
 * in seconds: the default when unset or out of bounds. */
int		 store_deadline_seconds(const char *setting);
/* 1 if the ticket waits for the owner past its accept deadline. */
int		 store_ticket_overdue(const struct store_ticket *);
/* Sorts the command's sold-out menu ids and drops repeats. */
void		 store_ticket_cmd_sold_out_norm(struct store_ticket_cmd *);
enum store_err	 store_ticket_step_check(const struct store_ticket_cmd *,
		    char *why, size_t whysz);
enum store_err	 store_ticket_step(struct store_ticket *,
		    const struct store_ticket_cmd *,
		    struct store_ticket_event *ev, char *why, size_t whysz);
/* The OrderRejected of a Rejected ticket (its code and text); 0, or -1
 * if the ticket is not Rejected. */
int		 store_ticket_rejected_event(const struct store_ticket *,
		    struct store_ticket_event *ev);
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
int		 store_db_menu_changed(const struct fd_menu_item_changed *ev);
/* A new ticket, its accept deadline deadline_s from now: 0, 1 dup, -1. */
int		 store_db_ticket_insert(struct store_ticket *t, int deadline_s);
int		 store_db_ticket_get(long long id, int lock,
		    struct store_ticket *t);			/* 1, 0, -1 */
int		 store_db_ticket_by_order(long long order_id, int lock,
		    struct store_ticket *t);			/* 1, 0, -1 */
int		 store_db_ticket_update(const struct store_ticket *t);
int		 store_db_tickets(long long store_id,
		    const struct store_ticket_filter *, store_each_fn,
		    void *arg, int *more);
int		 store_db_ticket_event(const struct store_ticket_event *ev);
/* Paid tickets past their deadline, oldest first: ids, *n of max. */
int		 store_db_overdue(long long *ids, size_t max, size_t *n);
/* Rejects ticket id with no_response if it is still Paid and past its
 * deadline, in one conditional UPDATE: 1 done, 0 not (any more), -1. */
int		 store_db_ticket_expire(long long id);

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
		    const struct store_ticket_cmd *, struct store_ticket *t,
		    char *why, size_t whysz);
/*
 * The accept deadline (store_deadline.c): rejects every Paid ticket past
 * its deadline with no_response, each in its own commit with its
 * OrderRejected; exactly once whoever else checks at the same moment.
 * Returns how many, or -1 (database).
 */
int		 store_deadline_pass(void);
/* Inside the caller's unit of work: ticket id rejected (no_response) with
 * its event if still Paid past its deadline; 1, 0 (not), -1. */
int		 store_deadline_expire(long long id, struct store_ticket *t);
/* The checker: a pass every FD_ACCEPT_SWEEP_MS until SIGTERM. */
int		 store_deadline_run(void);
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

/* store_events.c: the relay's inbound adapter (fd_app.apply_event). */
int		 store_apply_event(const char *type, struct json_object *ev,
		    char *err, size_t errsz);

#endif
