/*
 * order.h - the order context: placing, reading and cancelling orders.
 *
 * order_domain.c is pure (pricing against the menu replica, the lifecycle);
 * order_app.c holds the use cases over order_db.c (MariaDB), order_pay.c
 * (the synchronous payment call through the shared circuit breaker in
 * order_breaker.c); order_http.c (with MyPage's order_mypage.c) and the
 * command line in order_cli.c are the inbound adapters, order_events.c
 * the relay's; order_main.c wires them.
 */
#ifndef ORDER_H
#define ORDER_H

#include <stddef.h>
#include <stdio.h>

#include "fd_event_store.h"

enum order_err {
	ORDER_OK = 0,
	ORDER_E_INPUT,		/* 400: a rule of the request */
	ORDER_E_NO_ADDRESS,	/* 400: no address/phone given or known */
	ORDER_E_CARD,		/* 400: not a card number */
	ORDER_E_NOT_FOUND,	/* 404 */
	ORDER_E_UNAVAILABLE_ITEM,	/* 409 sold_out: unknown or sold-out item */
	ORDER_E_STORE_CLOSED,	/* 409 store_closed: closed or paused */
	ORDER_E_BELOW_MINIMUM,	/* 409 below_minimum: items under the minimum */
	ORDER_E_STATE,		/* 409: illegal step (too late to cancel) */
	ORDER_E_CANCEL_REFUSED,	/* 409: the store refused the cancel */
	ORDER_E_IDEM_MISMATCH,	/* 409: key reused for another request */
	ORDER_E_IDEM_BUSY,	/* 409: the first request is still running */
	ORDER_E_DECLINED,	/* 402 */
	ORDER_E_PAY_REFUSED,	/* 400: payment refused what it was sent */
	ORDER_E_PAY_UNAVAILABLE,	/* 503: breaker open, nothing charged */
	ORDER_E_PAY_UNKNOWN,	/* 503: payment's answer unknown (a timeout,
				   an error): the attempt may be resumed */
	ORDER_E_UNAVAILABLE,	/* 503: our database */
	ORDER_E_INTERNAL
};

/* Customer-facing statuses first; the rest are never shown. */
enum order_status {
	ORDER_PAID = 0,
	ORDER_ACCEPTED,
	ORDER_PREPARED,
	ORDER_DELIVERY_STARTED,
	ORDER_DELIVERED,
	ORDER_CANCELED,
	ORDER_REJECTED,
	ORDER_CANCEL_REQUESTED,	/* the store decides the cancel (SPEC) */
	ORDER_PAYMENT_PENDING,	/* payment asked, outcome not recorded yet */
	ORDER_DECLINED,		/* payment declined: no order */
	ORDER_FAILED,		/* no order: payment voided or refunded by
				   reconciliation, or it refused the request */
	ORDER__NSTATUS
};

#define ORDER_MAX_LINES	20
#define ORDER_MAX_QTY	99
#define ORDER_NAME_MAX	241	/* 60 characters of UTF-8 */
#define ORDER_CARD_MIN	12	/* digits, as payment takes them */
#define ORDER_CARD_MAX	19

struct order_line {
	long long	 menu_id;
	int		 qty;
	char		 name[ORDER_NAME_MAX];	/* from the replica */
	long long	 price;			/* unit price, from the replica */
};

struct order_menu_item {
	long long	 menu_id;
	long long	 store_id;
	char		 name[ORDER_NAME_MAX];
	long long	 price;
	int		 sold_out;
};

struct order {
	long long	 id;
	long long	 customer_id;
	long long	 store_id;
	enum order_status status;
	/* While CancelRequested: the furthest step the store or courier
	 * announced meanwhile (from the status the cancel was asked in). */
	enum order_status store_status;
	long long	 amount;		/* charged: items + fee */
	long long	 delivery_fee;		/* the store's, when placed */
	long long	 min_order;		/* the store's, when placed */
	char		 address[801];
	char		 phone[21];
	long long	 payment_id;
	char		 cancel_reason[801];	/* the customer's, "" = none */
	char		 cancel_refused[801];	/* the store's refusal, "" */
	char		 created_at[32];
	char		 updated_at[32];
	char		 ready_by[32];		/* the store's estimate: "" none */
	char		 reject_code[16];	/* the store's reasonCode, "" */
	char		 reject_reason[801];	/* and its text, "" */
	struct order_line lines[ORDER_MAX_LINES];
	size_t		 nlines;
};

struct order_request {
	long long	 customer_id;
	long long	 store_id;
	struct order_line lines[ORDER_MAX_LINES];
	size_t		 nlines;
	char		 address[801];	/* "" = the profile's */
	char		 phone[21];
	char		 card[24];	/* "" = none given; as typed, then
					   its digits alone once checked */
	char		 idem_key[65];	/* "" = no Idempotency-Key */
	const char	*request_id;	/* carried to payment */
};

struct order_placed {
	long long	 order_id;
	long long	 amount;	/* charged: items + fee */
	long long	 delivery_fee;
	int		 replayed;	/* answered from the idempotency record */
	/* Why a store refused (ORDER_E_STORE_CLOSED, _BELOW_MINIMUM). */
	long long	 min_order;
	long long	 paused_until;	/* Unix seconds; 0 = not paused */
	char		 closed_reason[801];
};

/* order_domain.c: pure. */
/* Checks rq and normalises its card to the digits alone (once: payment
 * is sent those, and the Idempotency-Key's digest covers them). */
enum order_err	 order_check_request(struct order_request *rq);
enum order_err	 order_price(struct order_line *lines, size_t n,
		    long long store_id, const struct order_menu_item *menu,
		    size_t nmenu, long long *amount);
int		 order_cancellable(enum order_status);
enum order_status order_cancel_settle(enum order_status kept,
		    enum order_status ticket);
int		 order_visible(enum order_status);
int		 order_status_follows(enum order_status cur,
		    enum order_status next);
int		 order_status_of_event(const char *type, enum order_status *to);
const char	*order_status_name(enum order_status);
int		 order_status_parse(const char *, enum order_status *);
int		 order_idem_key_ok(const char *);
/* 1 if s is one of OrderRejected's reasonCodes (SPEC). */
int		 order_reject_code_ok(const char *s);
/* 1 if s is a UTC time as our events carry them ("...T12:34:56[.f]Z"). */
int		 order_utc_time_ok(const char *s);
int		 order_card_normalize(const char *card,
		    char digits[ORDER_CARD_MAX + 1]);	/* 0, or -1: not a card */
int		 order_card_ok(const char *);
int		 order_phone_ok(const char *);
const char	*order_err_message(enum order_err);

/* order_charge.c: pure.  Whether the store takes orders at now (Unix
 * seconds): ORDER_OK or ORDER_E_STORE_CLOSED. */
enum order_err	 order_store_taking(const struct fd_store_changed *st,
		    long long now);
/* items (KRW) at st: ORDER_OK with the fee and the amount charged (items
 * + fee), or ORDER_E_BELOW_MINIMUM. */
enum order_err	 order_charge(const struct fd_store_changed *st,
		    long long items, long long *fee, long long *amount);
/* v KRW as "30,000" into buf. */
void		 order_krw(long long v, char *buf, size_t sz);

/* order_db.c: inside the caller's unit of work; -1 = database error. */
typedef int	(*order_each_fn)(void *arg, const struct order *);
int		 order_db_menu(long long store_id, struct order_menu_item *menu,
		    size_t max, size_t *n);
/* The store replica's row: 1, 0 (none), -1. */
int		 order_db_store(long long store_id, struct fd_store_changed *st);
/* StoreChanged into the replica, if newer than its row (never back). */
int		 order_db_store_upsert(const struct fd_store_changed *st);
int		 order_db_insert(struct order *o);		/* fills id */
int		 order_db_set_status(long long id, enum order_status from,
		    enum order_status to, long long payment_id);	/* 1, 0, -1 */
int		 order_db_get(long long id, int lock, struct order *o);	/* 1, 0, -1 */
/* The status alone, for a poll: 1, 0, -1. */
int		 order_db_status(long long id, enum order_status *st);
int		 order_db_list(long long customer, order_each_fn, void *arg);
/* Attempts pending for over age_s seconds, but those whose key may
 * still be retried (younger than resume_s). */
int		 order_db_stale_pending(int age_s, int resume_s, long long *ids,
		    size_t max, size_t *n);
/* The order's lines as JSON (menuId, name, qty, price), as its events and
 * the API show them. */
struct json_object *order_lines_json(const struct order *);
/* *items: the items as JSON, caller frees. */
int		 order_db_event_placed(const struct order *o, char **items);
/* OrderCanceled or CancelRequested {orderId, reason}. */
int		 order_db_event_cancel(const char *type, long long id,
		    const char *reason);
/* The cancellation saga's steps on the order row: 1, 0 (not in the
 * status expected), -1. */
int		 order_db_cancel_request(long long id, enum order_status from,
		    const char *reason);
int		 order_db_cancel_refused(long long id, enum order_status to,
		    const char *why);
int		 order_db_store_status(long long id, enum order_status st);
int		 order_db_store_answer(long long id, const char *ready_by,
		    const char *code, const char *reason);

/* Idempotency records. */
struct order_idem {
	int		 done;
	int		 takeable;	/* an undecided attempt a retry may
					   resume: open, or pending past
					   the lease */
	char		 hash[65];
	int		 declined;
	long long	 order_id;
	long long	 amount;
	long long	 delivery_fee;
};
int		 order_db_idem_claim(long long customer, const char *key,
		    const char *hash);			/* 0 claimed, 1 exists, -1 */
int		 order_db_idem_get(long long customer, const char *key,
		    int lease_s, struct order_idem *);		/* 1, 0, -1 */
int		 order_db_idem_finish(long long customer, const char *key,
		    int declined, long long order_id, long long amount,
		    long long delivery_fee);
/* The attempt the key now names (pending), its request running. */
int		 order_db_idem_attempt(long long customer, const char *key,
		    long long order_id);
/* The request ended without payment's answer: open for a retry.  The
 * changes after a claim are fenced on the attempt (order_id, 0: none). */
int		 order_db_idem_open(long long customer, const char *key,
		    long long order_id);
/* An open key, or a pending one untouched for lease_s (its request
 * died), taken by a retry: 1 taken, 0 not, -1. */
int		 order_db_idem_resume(long long customer, const char *key,
		    int lease_s);
int		 order_db_idem_release(long long customer, const char *key,
		    long long order_id);
/* A decided attempt frees the open key that named it (reconciliation). */
int		 order_db_idem_release_order(long long order_id);
int		 order_db_idem_expire(int age_s);

/* order_pay.c: the synchronous call to payment, behind the breaker. */
enum order_pay_rc {
	ORDER_PAY_APPROVED,
	ORDER_PAY_DECLINED,
	ORDER_PAY_UNAVAILABLE,	/* error, timeout, or breaker open */
	ORDER_PAY_REJECTED,	/* 409: that order's payment was voided */
	ORDER_PAY_REFUSED	/* other 4xx: the request's fault, not payment's */
};
/* probe: what order_breaker_allow() said; the outcome is recorded. */
enum order_pay_rc order_pay_approve(long long order_id, long long customer,
		    long long amount, const char *card, const char *request_id,
		    int probe, long long *payment_id);
/* Voids (or refunds) the payment of an order that will not exist. */
int		 order_pay_void(long long order_id, char *status, size_t sz);

/* order_breaker.c: the shared breaker. */
int		 order_breaker_init(void);	/* in the master, before fork */
int		 order_breaker_allow(int *probe);	/* 0 = go ahead */
void		 order_breaker_record(int failed, int probe);
void		 order_breaker_abandon(int probe);	/* allowed, not made */
void		 order_breaker_metrics(void *file);

int		 order_db_menu_upsert(const struct order_menu_item *it);

/*
 * MyPage (order_view.c): the projection of the order's events into the
 * customer's view, its rules (order_view_rules.c, pure) and its cache
 * (order_cache.c).
 */
struct order_view_event {
	const char	*type;
	long long	 order_id;
	long long	 customer_id;	/* OrderPlaced; PayApproved and
					   PayCanceled when they carry it */
	long long	 store_id;	/* OrderPlaced */
	long long	 amount;	/* OrderPlaced */
	const char	*items;		/* OrderPlaced: the items, JSON text */
	const char	*at;		/* occurredAt */
	const char	*reason;	/* OrderCanceled, OrderRejected,
					   CancelRequested, CancelRefused */
	const char	*ready_by;	/* OrderTaken: the estimate */
	const char	*reason_code;	/* OrderRejected */
	enum order_status status;	/* CancelRefused: the order's status
					   again */
};

#define ORDER_VIEW_STEPS	10
struct order_view_row {
	long long	 order_id;
	long long	 store_id;
	long long	 amount;
	char		 store_name[241];
	char		 items[16384];
	char		 status[20];
	char		 payment[12];
	char		 delivery[12];
	char		 reason[801];
	char		 ready_by[32];		/* "" = no estimate */
	char		 reason_code[16];	/* "" = none */
	char		 at[ORDER_VIEW_STEPS][32];	/* "" = not yet */
};
extern const char *const order_view_steps[ORDER_VIEW_STEPS];
typedef int	(*order_view_fn)(void *arg, const struct order_view_row *);

int		 order_view_status_follows(enum order_status cur,
		    enum order_status next);
/* order_view_rules.c: pure.  1 if MyPage takes events of this type. */
int		 order_view_applies(const char *type);
/* Applies one event inside the open unit of work: 0, or -1 (database). */
int		 order_view_apply(const struct order_view_event *);
/* The customer's pages go stale once the open unit of work commits (their
 * view, or what /mypage's header says, changed): 0, or -1 (too many in
 * one unit of work). */
int		 order_view_touch(long long customer);
/* The customer's rows (order_id 0: all, newest first): 0, or -1. */
int		 order_view_read(long long customer, long long order_id,
		    order_view_fn fn, void *arg);

/* order_view_db.c: inside the caller's unit of work; -1 = database. */
enum order_view_step {
	ORDER_STEP_PLACED, ORDER_STEP_PAID, ORDER_STEP_ACCEPTED,
	ORDER_STEP_PREPARED, ORDER_STEP_DELIVERY_STARTED, ORDER_STEP_DELIVERED,
	ORDER_STEP_CANCELED, ORDER_STEP_REJECTED, ORDER_STEP_REFUNDED,
	ORDER_STEP_DELIVERY_CANCELED
};
int		 order_view_db_lock(long long order_id, long long *customer,
		    enum order_status *status, char *payment, size_t psz,
		    char *delivery, size_t dsz);
int		 order_view_db_placed(const struct order_view_event *);
int		 order_view_db_status(long long order_id,
		    enum order_status *status);
/* PayApproved (refunded: 0) or PayCanceled (1) in one statement, the row
 * started if it is the order's first event. */
int		 order_view_db_payment(long long order_id, int refunded,
		    const char *at);
/* One event's effect on an existing, locked row; NULL/-1: left as it is. */
struct order_view_change {
	long long	 order_id;
	int		 step;		/* enum order_view_step, or -1 */
	const char	*at;		/* the step's time (NULL: now) */
	const char	*status;	/* order_status_name() */
	const char	*reason;	/* with status: kept when NULL or "" */
	const char	*payment;	/* "approved", "refunded" */
	const char	*delivery;	/* "started", "delivered", "canceled" */
	const char	*ready_by;	/* the store's estimate (NULL: kept) */
	const char	*reason_code;	/* a rejection's code (NULL: kept) */
};
/*
 * order_view_rules.c: pure.  What event e moves in an existing row whose
 * status is cur, payment "" (none), "approved" or "refunded", delivery ""
 * (none), "started", "delivered" or "canceled": c is filled (order_id, at
 * and what moves).  OrderPlaced moves nothing here: it is written whole.
 */
void		 order_view_project(const struct order_view_event *e,
		    enum order_status cur, const char *payment,
		    const char *delivery, struct order_view_change *c);
/*
 * order_view_rules.c: pure.  What the customer's live stream is told of
 * change c of a row whose status was cur (order_view.c): the status it
 * moved to; the status it keeps when only the timeline, the payment or
 * the delivery moved (a refund is a change the page shows); NULL
 * (nothing said) when nothing did.
 */
const char	*order_view_pushed(const struct order_view_change *c,
		    enum order_status cur);
/* Every column an event moves, in one statement; 0 also when there is
 * nothing to write. */
int		 order_view_db_change(const struct order_view_change *);
int		 order_view_db_rows(long long customer, long long order_id,
		    order_view_fn fn, void *arg);

/* order_cache.c: memcached, advisory (any error is a miss). */
int		 order_cache_shm_init(void);	/* master, before fork */
int		 order_cache_init(void);	/* per worker */
void		 order_cache_fini(void);
/*
 * 1: the page of the current version (malloc'd, caller frees) and its
 * ETag; 0: a miss, *version the version to store a page rendered now under
 * (0: no cache to store in).
 */
int		 order_cache_get(long long customer, const char *kind,
		    long long *version, char **page, size_t *len,
		    char etag[40]);
void		 order_cache_put(long long customer, const char *kind,
		    long long version, const char *etag, const char *page,
		    size_t len);
/* After a committed change of the customer's view: pages go stale. */
void		 order_cache_invalidate(long long customer);
void		 order_cache_metrics(FILE *);
/* Versions raised in the open unit of work, published after its commit. */
void		 order_view_after_commit(void);
void		 order_view_after_rollback(void);

/* order_app.c: use cases. */
enum order_err	 order_place(struct order_request *, struct order_placed *);
enum order_err	 order_get(long long customer, long long id, struct order *);
enum order_err	 order_list(long long customer, order_each_fn, void *arg);
enum order_err	 order_cancel(long long customer, long long id,
		    const char *reason, struct order *);
/* Event policies, inside the consumer's unit of work: 0, or -1 (DB). */
int		 order_follow(long long order_id, enum order_status to);
/* The store's answer to a CancelRequested. */
int		 order_cancel_confirmed(long long order_id);
int		 order_cancel_refused(long long order_id, enum order_status ticket,
		    const char *why);
/* order_menu.c: the store and menu placement prices from, kept per
 * worker.  st: the store replica's row (open, no minimum, no fee when it
 * has none). */
int		 order_menu_shm_init(void);
void		 order_menu_fini(void);
int		 order_menu(long long store_id, struct fd_store_changed *st,
		    struct order_menu_item *menu, size_t max, size_t *n);
int		 order_menu_replicate(const struct order_menu_item *it);
int		 order_store_replicate(const struct fd_store_changed *st);
void		 order_menu_after_commit(void);
void		 order_menu_after_rollback(void);
/* order_customer.c: the customer replica (auth's customer events). */
struct fd_customer;
/* Applies one event's profile unless the row has a newer one: 0, -1. */
int		 order_customer_replicate(const struct fd_customer *);
/* The profile's address and phone, the default of an order that gives
 * none: one primary-key read.  1 found, 0 (no event arrived yet), -1. */
int		 order_customer_defaults(long long customer, char *address,
		    size_t asz, char *phone, size_t psz);
/* The name /mypage's header greets the customer by, in its own unit of
 * work: 1 found, 0, -1. */
int		 order_customer_name(long long customer, char *name, size_t sz);
/* order_events.c: the subscriber (fd_app.apply_event). */
struct json_object;
int		 order_apply_event(const char *type, struct json_object *ev,
		    char *err, size_t errsz);
/* Resolves orders stuck in PaymentPending; returns how many, -1 on error. */
int		 order_reconcile(int age_s);

/*
 * Stuck orders, for operators: an order in one of the statuses the system
 * itself should move on within minutes (PaymentPending, Paid, Accepted,
 * Prepared; DeliveryStarted only when asked for: a courier's ride may
 * take long) whose row has not changed for age_s seconds.
 */
#define ORDER_STUCK_AGE_DEFAULT	600
#define ORDER_STUCK_AGE_MAX	(400 * 86400)
#define ORDER_STUCK_LIMIT_DEFAULT 100
#define ORDER_STUCK_LIMIT_MAX	1000
struct order_stuck {
	long long	 id;
	long long	 customer_id;
	long long	 store_id;
	enum order_status status;
	long long	 amount;
	long long	 payment_id;		/* 0 = none yet */
	char		 created_at[32];
	char		 updated_at[32];	/* its last change */
	long long	 idle_s;		/* seconds since then */
};
typedef int	(*order_stuck_fn)(void *arg, const struct order_stuck *);
struct order_stuck_query {
	int		 age_s;		/* 0..ORDER_STUCK_AGE_MAX */
	int		 limit;		/* 1..ORDER_STUCK_LIMIT_MAX */
	unsigned	 statuses;	/* 1 << enum order_status; 0 = default */
};
/* Oldest change first; *more: rows beyond the limit.  ORDER_E_INPUT for
 * a query outside the bounds or a final status asked for. */
enum order_err	 order_stuck(const struct order_stuck_query *,
		    order_stuck_fn, void *arg, int *more);
int		 order_db_stuck(const enum order_status *st, size_t nst,
		    int age_s, int limit, order_stuck_fn, void *arg);

#endif
