/*
 * order_app.c - the order use cases.
 *
 * Placing an order is three short units of work around one synchronous
 * call, so that no money is ever taken for an order that does not exist:
 *
 *   1. price it from the menu replica and record it as PaymentPending;
 *   2. ask payment (idempotent per orderId) through the breaker;
 *   3. approved: Paid + OrderPlaced (outbox) in one commit;
 *      declined: Declined (never shown); refused as a bad request (a 4xx
 *      but 402 and 409): Failed at once, the customer's error (400);
 *      no answer: left PaymentPending.
 *
 * Whatever stays PaymentPending (a crash or a timeout between 2 and 3) is
 * found by order_reconcile(), which voids it at payment: a payment that
 * never happened can no longer happen, one that did is refunded.
 *
 * An Idempotency-Key stays bound to its attempt until the attempt is
 * decided.  A request that ends without payment's answer leaves the key
 * open: a retry with it asks payment again for the same order (payment
 * is idempotent per orderId), so it finishes the first attempt and never
 * charges twice.  Reconciliation leaves such an attempt alone while its
 * key may still be retried (FD_IDEM_RESUME_S), then voids it and frees
 * the key in the same commit.
 *
 * Cancelling is a saga the store decides (SPEC): the order goes to
 * CancelRequested with its CancelRequested event; fishstore answers
 * CancelConfirmed (the order is Canceled, OrderCanceled refunds) or
 * CancelRefused (the order returns to the store's status).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fd_db.h"
#include "fd_fault.h"
#include "fd_outbox.h"
#include "fd_proc.h"
#include "order.h"

/* A digest of what the request asks for, to tell a replay from a reuse. */
static void
request_hash(const struct order_request *rq, char out[65])
{
	unsigned char h[32];
	crypto_generichash_state st;
	char line[96];
	size_t i;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	snprintf(line, sizeof(line), "%lld|", rq->store_id);
	crypto_generichash_update(&st, (const unsigned char *)line, strlen(line));
	for (i = 0; i < rq->nlines; i++) {
		snprintf(line, sizeof(line), "%lld*%d|", rq->lines[i].menu_id,
		    rq->lines[i].qty);
		crypto_generichash_update(&st, (const unsigned char *)line,
		    strlen(line));
	}
	crypto_generichash_update(&st, (const unsigned char *)rq->address,
	    strlen(rq->address) + 1);
	crypto_generichash_update(&st, (const unsigned char *)rq->phone,
	    strlen(rq->phone) + 1);
	crypto_generichash_update(&st, (const unsigned char *)rq->card,
	    strlen(rq->card) + 1);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/*
 * How long a request may hold its key 'pending' before a retry takes the
 * attempt over: past two payment timeouts it can only have died.
 */
static int
idem_lease_s(void)
{
	long long d = 2 * fd_env_int("FD_PAY_TIMEOUT_MS", 1000) / 1000 + 5;

	return (int)fd_env_int("FD_IDEM_LEASE_S", d);
}

/*
 * Claims the Idempotency-Key, or waits for the request that holds it and
 * returns its answer.  ORDER_OK with *claimed = 1: go ahead and do the work.
 */
static enum order_err
idem_claim(const struct order_request *rq, const char *hash, int *claimed,
    long long *resume, struct order_placed *out)
{
	long long waited = 0, max = fd_env_int("FD_IDEM_WAIT_MS", 10000);
	struct order_idem rec;
	int rc, lease_s = idem_lease_s();

	*claimed = 0;
	*resume = 0;
	for (;;) {
		if (fd_db_begin() != FD_DB_OK)
			return ORDER_E_UNAVAILABLE;
		rc = order_db_idem_claim(rq->customer_id, rq->idem_key, hash);
		if (rc == 0) {
			if (fd_db_commit() != FD_DB_OK)
				return ORDER_E_UNAVAILABLE;
			*claimed = 1;
			return ORDER_OK;
		}
		if (rc < 0) {
			fd_db_rollback();
			return ORDER_E_UNAVAILABLE;
		}
		rc = order_db_idem_get(rq->customer_id, rq->idem_key, lease_s,
		    &rec);
		fd_db_rollback();
		if (rc < 0)
			return ORDER_E_UNAVAILABLE;
		if (rc == 1 && strcmp(rec.hash, hash) != 0)
			return ORDER_E_IDEM_MISMATCH;
		if (rc == 1 && rec.done) {
			out->order_id = rec.order_id;
			out->amount = rec.amount;
			out->delivery_fee = rec.delivery_fee;
			out->replayed = 1;
			return rec.declined ? ORDER_E_DECLINED : ORDER_OK;
		}
		/*
		 * An attempt whose outcome is not known (its key open, or
		 * pending past the lease: the request died): this retry takes
		 * it over, or another retry just did and this one waits.
		 */
		if (rc == 1 && rec.takeable) {
			if (fd_db_begin() != FD_DB_OK)
				return ORDER_E_UNAVAILABLE;
			if ((rc = order_db_idem_resume(rq->customer_id,
			    rq->idem_key, lease_s)) < 0 ||
			    fd_db_commit() != FD_DB_OK) {
				fd_db_rollback();
				return ORDER_E_UNAVAILABLE;
			}
			if (rc == 1) {
				*claimed = 1;
				*resume = rec.order_id;
				return ORDER_OK;
			}
			rc = 1;
		}
		/* rc == 0: released between our insert and read; claim again. */
		if (rc == 1) {
			if (waited >= max)
				return ORDER_E_IDEM_BUSY;
			usleep(20000);
			waited += 20;
		}
	}
}

/*
 * The request is over without a final answer.  open: its attempt is
 * undecided (payment may have charged it) and the key stays bound to it
 * for a retry; otherwise nothing was charged and the key is free again.
 */
static void
idem_leave(const struct order_request *rq, int open, long long attempt)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return;		/* reconciliation expires it */
	rc = open ? order_db_idem_open(rq->customer_id, rq->idem_key,
	    attempt) : order_db_idem_release(rq->customer_id, rq->idem_key,
	    attempt);
	if (rc == 0)
		fd_db_commit();
	else
		fd_db_rollback();
}

/*
 * Step 1: the store takes orders now (the store replica: closed or paused
 * is refused), priced at least its minimum, its fee added, and recorded
 * as PaymentPending.  st: the store as the replica has it, for the
 * answer to a refusal.
 */
static enum order_err
record_pending(struct order_request *rq, struct order *o,
    struct fd_store_changed *st)
{
	static struct order_menu_item menu[256];
	long long items;
	size_t nmenu;
	enum order_err e;
	int rc;

	memset(o, 0, sizeof(*o));
	if (fd_db_begin() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	if (order_menu(rq->store_id, st, menu, sizeof(menu) / sizeof(menu[0]),
	    &nmenu) < 0)
		goto unavailable;
	if ((e = order_store_taking(st, (long long)time(NULL))) != ORDER_OK ||
	    (e = order_price(rq->lines, rq->nlines, rq->store_id, menu, nmenu,
	    &items)) != ORDER_OK ||
	    (e = order_charge(st, items, &o->delivery_fee, &o->amount)) !=
	    ORDER_OK) {
		fd_db_rollback();
		return e;
	}
	o->min_order = st->min_order;
	if (rq->address[0] == '\0' || rq->phone[0] == '\0') {
		char addr[sizeof(o->address)], phone[sizeof(o->phone)];
		/* The profile's, from the customer replica: one primary-key
		 * read, only for a request that lacks one of them. */
		if ((rc = order_customer_defaults(rq->customer_id, addr,
		    sizeof(addr), phone, sizeof(phone))) < 0)
			goto unavailable;
		if (rc == 0) {
			fd_db_rollback();
			return ORDER_E_NO_ADDRESS;
		}
		if (rq->address[0] == '\0')
			snprintf(rq->address, sizeof(rq->address), "%s", addr);
		if (rq->phone[0] == '\0')
			snprintf(rq->phone, sizeof(rq->phone), "%s", phone);
	}
	o->customer_id = rq->customer_id;
	o->store_id = rq->store_id;
	o->status = ORDER_PAYMENT_PENDING;
	snprintf(o->address, sizeof(o->address), "%s", rq->address);
	snprintf(o->phone, sizeof(o->phone), "%s", rq->phone);
	memcpy(o->lines, rq->lines, sizeof(o->lines));
	o->nlines = rq->nlines;
	if (order_db_insert(o) != 0)
		goto unavailable;
	/* The key names its attempt from now on (a retry resumes it). */
	if (rq->idem_key[0] != '\0' && order_db_idem_attempt(rq->customer_id,
	    rq->idem_key, o->id) != 0)
		goto unavailable;
	return fd_db_commit() == FD_DB_OK ? ORDER_OK : ORDER_E_UNAVAILABLE;
unavailable:
	fd_db_rollback();
	return ORDER_E_UNAVAILABLE;
}

/*
 * The order context's own events go into MyPage in the transaction that
 * writes them: that is the order context's subscription to them (the
 * relay sends it no copy, fd_events.c), and the customer sees the change
 * as soon as the request that made it returns.  Called right after the
 * event went into the outbox: its step takes the event's occurredAt, the
 * time every other subscriber sees, not the database's clock.
 */
static int
own_event(const char *type, const struct order *o, const char *items,
    const char *reason)
{
	struct order_view_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.order_id = o->id;
	e.customer_id = o->customer_id;
	e.store_id = o->store_id;
	e.amount = o->amount;
	e.items = items;
	e.reason = reason;
	e.at = fd_outbox_at;
	return order_view_apply(&e);
}

/* Step 3: the payment's outcome, with the order's event and the key's. */
static enum order_err
record_outcome(const struct order_request *rq, struct order *o,
    enum order_pay_rc pay, long long payment_id)
{
	int declined = pay != ORDER_PAY_APPROVED;
	char *items = NULL;

	if (fd_db_begin() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	if (order_db_set_status(o->id, ORDER_PAYMENT_PENDING,
	    declined ? ORDER_DECLINED : ORDER_PAID, payment_id) != 1)
		goto fail;
	/* Test builds: a pause with the order's row locked, so that a test
	 * can lock the rows this unit writes next in the other order and
	 * make a real deadlock (tests/integration/test_deadlock.c). */
	if (fd_fault("order-outcome-pause-ms") > 0)
		usleep((useconds_t)fd_fault("order-outcome-pause-ms") * 1000);
	if (!declined && (order_db_event_placed(o, &items) != 0 ||
	    own_event("OrderPlaced", o, items, NULL) != 0))
		goto fail;
	if (rq->idem_key[0] != '\0' && order_db_idem_finish(rq->customer_id,
	    rq->idem_key, declined, o->id, o->amount, o->delivery_fee) != 0)
		goto fail;
	/* Test builds: die here, between approval and commit. */
	if (!declined && fd_fault("order-crash-after-payment"))
		_exit(3);
	free(items);
	if (fd_db_commit() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	o->status = declined ? ORDER_DECLINED : ORDER_PAID;
	return declined ? ORDER_E_DECLINED : ORDER_OK;
fail:
	free(items);
	fd_db_rollback();
	return ORDER_E_UNAVAILABLE;
}

/*
 * The attempt a retry resumes: 1 with *o still PaymentPending, 0 if it
 * was decided meanwhile (reconciled: a new attempt starts), -1.
 */
static int
resume_attempt(long long id, struct order *o)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	rc = order_db_get(id, 0, o);
	fd_db_rollback();
	if (rc < 0)
		return -1;
	return rc == 1 && o->status == ORDER_PAYMENT_PENDING;
}

/*
 * Step 3 when payment refused the request itself (a 4xx but 402 and 409):
 * nothing was charged and nothing will be, so the attempt is decided now,
 * Failed, rather than left to the reconciler.  If this cannot be written
 * it stays PaymentPending, and reconciliation voids and fails it later;
 * the answer to the customer is the same.
 */
static void
record_refused(const struct order *o)
{
	if (fd_db_begin() != FD_DB_OK)
		return;
	if (order_db_set_status(o->id, ORDER_PAYMENT_PENDING, ORDER_FAILED,
	    0) >= 0)
		fd_db_commit();
	else
		fd_db_rollback();
}

/*
 * Whether to run again a unit of work of this request that met a
 * deadlock (fd_db_retry()): only with an Idempotency-Key.  A unit that
 * met one was rolled back whole, and steps 1 and 3 decide again from what
 * they read (3 moves the order only from PaymentPending), so running one
 * again is safe; but SPEC makes the key the customer's word that the
 * attempt may be repeated, and without it the answer is 503 with
 * Retry-After, the customer's to send again (README, "Running on several
 * machines").  Step 2, the payment call, is never run again here: it is
 * not a unit of work.
 */
static int
run_again(const struct order_request *rq, enum order_err e, int *attempt)
{
	return rq->idem_key[0] != '\0' && e == ORDER_E_UNAVAILABLE &&
	    fd_db_retry(attempt);
}

enum order_err
order_place(struct order_request *rq, struct order_placed *out)
{
	static struct fd_store_changed st;
	struct order o;
	char hash[65];
	enum order_err e;
	enum order_pay_rc pay;
	long long payment_id, resume = 0, attempt;
	int claimed = 0, probe = 0, open = 0, rc, again = 0;

	memset(out, 0, sizeof(*out));
	if ((e = order_check_request(rq)) != ORDER_OK)
		return e;
	if (rq->idem_key[0] != '\0') {
		request_hash(rq, hash);
		if ((e = idem_claim(rq, hash, &claimed, &resume, out)) !=
		    ORDER_OK || !claimed)
			return e;
	}
	attempt = resume;	/* the attempt the key names */
	if (resume > 0) {
		if ((rc = resume_attempt(resume, &o)) < 0) {
			e = ORDER_E_UNAVAILABLE;
			open = 1;
			goto leave;
		}
		open = rc;	/* still undecided: the key stays its own */
	}
	/* An open breaker answers now: no database work, no payment call
	 * (a resumed attempt may have been charged before, though). */
	if (order_breaker_allow(&probe) != 0) {
		e = open ? ORDER_E_PAY_UNKNOWN : ORDER_E_PAY_UNAVAILABLE;
		goto leave;
	}
	if (!open)
		while ((e = record_pending(rq, &o, &st)) != ORDER_OK &&
		    run_again(rq, e, &again))
			;
	if (!open && e != ORDER_OK) {
		order_breaker_abandon(probe);
		if (e == ORDER_E_STORE_CLOSED || e == ORDER_E_BELOW_MINIMUM) {
			/* What the customer is told: why, and until when. */
			out->min_order = st.min_order;
			out->paused_until = st.paused_until;
			memcpy(out->closed_reason, st.closed_reason,
			    sizeof(out->closed_reason));
		}
		goto leave;
	}
	attempt = o.id;
	open = 1;
	pay = order_pay_approve(o.id, o.customer_id, o.amount, rq->card,
	    rq->request_id, probe, &payment_id);
	if (pay == ORDER_PAY_REFUSED) {
		/* The customer's error, decided: the same key may send it
		 * corrected. */
		record_refused(&o);
		e = ORDER_E_PAY_REFUSED;
		open = 0;
		goto leave;
	}
	if (pay == ORDER_PAY_UNAVAILABLE) {
		/* Payment may have charged it: the key stays bound to the
		 * attempt, which a retry finishes or reconciliation voids. */
		e = ORDER_E_PAY_UNKNOWN;
		goto leave;
	}
	if (pay == ORDER_PAY_REJECTED) {
		/* Reconciliation voided it meanwhile: decided, never placed. */
		e = ORDER_E_PAY_UNAVAILABLE;
		open = 0;
		goto leave;
	}
	o.payment_id = payment_id;
	again = 0;
	while ((e = record_outcome(rq, &o, pay, payment_id)) ==
	    ORDER_E_UNAVAILABLE && run_again(rq, e, &again))
		;
	if (e == ORDER_OK || e == ORDER_E_DECLINED) {
		out->order_id = o.id;
		out->amount = o.amount;
		out->delivery_fee = o.delivery_fee;
		return e;
	}
leave:
	/* Only final answers are kept; an undecided attempt keeps its key,
	 * and after a 400 the request may be sent again corrected. */
	if (claimed)
		idem_leave(rq, open, attempt);
	return e;
}

enum order_err
order_get(long long customer, long long id, struct order *o)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	rc = order_db_get(id, 0, o);
	fd_db_rollback();
	if (rc < 0)
		return ORDER_E_UNAVAILABLE;
	/* Someone else's order, or an attempt that never became one: 404. */
	if (rc == 0 || o->customer_id != customer || !order_visible(o->status))
		return ORDER_E_NOT_FOUND;
	return ORDER_OK;
}

enum order_err
order_list(long long customer, order_each_fn fn, void *arg)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	rc = order_db_list(customer, fn, arg);
	fd_db_rollback();
	return rc < 0 ? ORDER_E_UNAVAILABLE : ORDER_OK;
}

/*
 * Waits up to FD_CANCEL_WAIT_MS for the store's decision on a requested
 * cancel: ORDER_OK with o Canceled (confirmed) or still CancelRequested
 * (not decided yet), ORDER_E_CANCEL_REFUSED with o back in the store's
 * status.  The decision is applied by another process (the consumer of
 * the store's event), which makes the customer's pages stale once it has
 * committed; this request makes them stale too before it answers, so a
 * read after the answer never shows the page from before.
 */
static enum order_err
cancel_wait(long long customer, long long id, struct order *o)
{
	long long waited = 0, max = fd_env_int("FD_CANCEL_WAIT_MS", 2000);
	enum order_status st;
	int rc;

	/* The status alone while waiting; the whole order once, to answer. */
	for (;;) {
		if (fd_db_begin() != FD_DB_OK)
			return ORDER_E_UNAVAILABLE;
		rc = order_db_status(id, &st);
		fd_db_rollback();
		if (rc != 1)
			return ORDER_E_UNAVAILABLE;
		if (st != ORDER_CANCEL_REQUESTED || waited >= max)
			break;
		usleep(25000);
		waited += 25;
	}
	if (fd_db_begin() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	rc = order_db_get(id, 0, o);
	fd_db_rollback();
	if (rc != 1)
		return ORDER_E_UNAVAILABLE;
	if (o->status == ORDER_CANCEL_REQUESTED)
		return ORDER_OK;	/* not decided yet: 202 */
	order_cache_invalidate(customer);
	return o->status == ORDER_CANCELED ? ORDER_OK : ORDER_E_CANCEL_REFUSED;
}

enum order_err
order_cancel(long long customer, long long id, const char *reason,
    struct order *o)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	if ((rc = order_db_get(id, 1, o)) < 0)
		goto unavailable;
	if (rc == 0 || o->customer_id != customer || !order_visible(o->status)) {
		fd_db_rollback();
		return ORDER_E_NOT_FOUND;
	}
	if (o->status == ORDER_CANCEL_REQUESTED) {
		/* Asked again: the store is deciding the first request. */
		fd_db_rollback();
		return cancel_wait(customer, id, o);
	}
	if (!order_cancellable(o->status)) {
		fd_db_rollback();
		return ORDER_E_STATE;
	}
	if (order_db_cancel_request(id, o->status, reason) != 1 ||
	    order_db_event_cancel("CancelRequested", id, reason) != 0 ||
	    own_event("CancelRequested", o, NULL, reason) != 0)
		goto unavailable;
	if (fd_db_commit() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	return cancel_wait(customer, id, o);
unavailable:
	fd_db_rollback();
	return ORDER_E_UNAVAILABLE;
}

int
order_reconcile(int age_s)
{
	static struct order o;
	long long ids[100];
	char status[24];
	size_t n, i;
	int done = 0, rc, resume_s = (int)fd_env_int("FD_IDEM_RESUME_S", 30);

	if (fd_db_begin() != FD_DB_OK)
		return -1;
	rc = order_db_stale_pending(age_s, resume_s, ids,
	    sizeof(ids) / sizeof(ids[0]), &n);
	fd_db_rollback();
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++) {
		/*
		 * The row stays locked while payment is voided: the request
		 * that asked for the payment may still try to record it, and
		 * must then find the order Failed, never Paid with its money
		 * refunded.  A crash before the commit leaves it pending for
		 * the next pass; voiding twice is harmless.
		 */
		if (fd_db_begin() != FD_DB_OK)
			return -1;
		if ((rc = order_db_get(ids[i], 1, &o)) < 0)
			goto fail;
		if (rc == 0 || o.status != ORDER_PAYMENT_PENDING) {
			fd_db_rollback();
			continue;
		}
		if (order_pay_void(ids[i], status, sizeof(status)) != 0) {
			fd_db_rollback();
			fd_log("reconcile: cannot void payment of order %lld",
			    ids[i]);
			continue;
		}
		/* Decided: a key that named the attempt is free again. */
		if (order_db_set_status(ids[i], ORDER_PAYMENT_PENDING,
		    ORDER_FAILED, 0) != 1 ||
		    order_db_idem_release_order(ids[i]) != 0 ||
		    fd_db_commit() != FD_DB_OK)
			goto fail;
		fd_log("reconcile: order %lld failed; its payment is %s", ids[i],
		    status);
		done++;
	}
	/* Keys whose request died with its worker. */
	if (fd_db_begin() == FD_DB_OK) {
		if (order_db_idem_expire(age_s > resume_s ? age_s : resume_s) == 0)
			fd_db_commit();
		else
			fd_db_rollback();
	}
	return done;
fail:
	fd_db_rollback();
	return -1;
}

/* Counts the rows and passes on no more than the limit (order_stuck). */
struct stuck_page {
	order_stuck_fn	 fn;
	void		*arg;
	int		 limit;
	int		 n;
};

static int
stuck_row(void *arg, const struct order_stuck *o)
{
	struct stuck_page *p = arg;

	return p->n++ < p->limit ? p->fn(p->arg, o) : 0;
}

enum order_err
order_stuck(const struct order_stuck_query *qy, order_stuck_fn fn, void *arg,
    int *more)
{
	/* What the system itself moves on: the reconciler (PaymentPending),
	 * the store (Paid, Accepted), delivery at once (Prepared). */
	static const enum order_status moving[] = { ORDER_PAYMENT_PENDING,
	    ORDER_PAID, ORDER_ACCEPTED, ORDER_PREPARED, ORDER_DELIVERY_STARTED };
	enum order_status st[5];
	struct stuck_page p;
	unsigned all = 0, want;
	size_t i, n = 0;
	int rc;

	*more = 0;
	for (i = 0; i < sizeof(moving) / sizeof(moving[0]); i++)
		all |= 1u << moving[i];
	want = qy->statuses != 0 ? qy->statuses :
	    all & ~(1u << ORDER_DELIVERY_STARTED);
	if (qy->age_s < 0 || qy->age_s > ORDER_STUCK_AGE_MAX ||
	    qy->limit < 1 || qy->limit > ORDER_STUCK_LIMIT_MAX ||
	    (want & ~all) != 0)
		return ORDER_E_INPUT;
	for (i = 0; i < sizeof(moving) / sizeof(moving[0]); i++)
		if (want & (1u << moving[i]))
			st[n++] = moving[i];
	p.fn = fn;
	p.arg = arg;
	p.limit = qy->limit;
	p.n = 0;
	if (fd_db_begin() != FD_DB_OK)
		return ORDER_E_UNAVAILABLE;
	rc = order_db_stuck(st, n, qy->age_s, qy->limit + 1, stuck_row, &p);
	fd_db_rollback();
	if (rc < 0)
		return ORDER_E_UNAVAILABLE;
	*more = p.n > qy->limit;
	return ORDER_OK;
}

int
order_follow(long long order_id, enum order_status to)
{
	static struct order o;
	int rc;

	if ((rc = order_db_get(order_id, 1, &o)) <= 0)
		return rc;	/* not ours (0): nothing to follow */
	if (o.status == ORDER_CANCEL_REQUESTED) {
		/* The semantic lock: the step is kept for a refusal, not
		 * taken; a confirmation makes it moot. */
		if (!order_status_follows(o.store_status, to))
			return 0;
		return order_db_store_status(order_id, to) < 0 ? -1 : 0;
	}
	if (!order_status_follows(o.status, to))
		return 0;
	return order_db_set_status(order_id, o.status, to, 0) < 0 ? -1 : 0;
}

/* CancelConfirmed: the order is Canceled, and OrderCanceled refunds it. */
int
order_cancel_confirmed(long long order_id)
{
	static struct order o;
	int rc;

	if ((rc = order_db_get(order_id, 1, &o)) <= 0)
		return rc;
	if (o.status != ORDER_CANCEL_REQUESTED)
		return 0;	/* decided already: a repeated answer */
	if (order_db_set_status(order_id, ORDER_CANCEL_REQUESTED,
	    ORDER_CANCELED, 0) != 1 ||
	    order_db_event_cancel("OrderCanceled", order_id,
	    o.cancel_reason) != 0 ||
	    own_event("OrderCanceled", &o, NULL, o.cancel_reason) != 0)
		return -1;
	return 0;
}

/* CancelRefused: back to the store's status, the refusal shown. */
int
order_cancel_refused(long long order_id, enum order_status ticket,
    const char *why)
{
	static struct order o;
	struct order_view_event e;
	int rc;

	if ((rc = order_db_get(order_id, 1, &o)) <= 0)
		return rc;
	if (o.status != ORDER_CANCEL_REQUESTED)
		return 0;
	memset(&e, 0, sizeof(e));
	e.type = "CancelRefused";
	e.order_id = order_id;
	e.customer_id = o.customer_id;
	e.reason = why;
	e.status = order_cancel_settle(o.store_status, ticket);
	if (order_db_cancel_refused(order_id, e.status, why) != 1 ||
	    order_view_apply(&e) != 0)
		return -1;
	return 0;
}
