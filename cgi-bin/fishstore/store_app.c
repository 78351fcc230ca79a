/*
 * store_app.c - the fishstore use cases: the catalog (list stores, read a
 * menu, the owner's change of a menu item, state and MenuItemChanged in
 * one commit; the owner's change of the store's operations, state and
 * StoreChanged in one commit), the owner's tickets (read them, step one under its row
 * lock with its event in the same commit), and the policies that keep
 * tickets in line with the order's events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_canceled.h"
#include "fd_db.h"
#include "fd_fault.h"
#include "store.h"

/*
 * Test builds only (fd_fault.h): holds an OrderCanceled's unit of work
 * open after each of its statements, so that a test can apply the
 * order's placement at each point of it and check the outcome.
 */
static void
cancel_pause(void)
{
	long long ms = fd_fault("store-cancel-pause-ms");

	if (ms > 0 && ms <= 10000)
		usleep((useconds_t)(ms * 1000));
}

enum store_err
store_list(store_each_fn fn, void *arg)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	rc = store_db_stores(fn, arg);
	fd_db_rollback();
	return rc < 0 ? STORE_E_UNAVAILABLE : STORE_OK;
}

enum store_err
store_menu(long long store_id, store_each_fn fn, void *arg)
{
	int exists, rc = 0;

	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	exists = store_db_store_exists(store_id);
	if (exists == 1)
		rc = store_db_menu(store_id, fn, arg);
	fd_db_rollback();
	if (exists < 0 || rc < 0)
		return STORE_E_UNAVAILABLE;
	return exists == 1 ? STORE_OK : STORE_E_NOT_FOUND;
}

enum store_err
store_menu_patch(long long owner_store, long long store_id, long long menu_id,
    const struct store_menu_patch *p, struct store_menu_item *out)
{
	struct fd_menu_item_changed ev;
	enum store_err e;
	int changed, rc;

	if ((e = store_menu_authorize(owner_store, store_id)) != STORE_OK)
		return e;
	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	if ((rc = store_db_menu_item_lock(store_id, menu_id, out)) != 1) {
		fd_db_rollback();
		return rc == 0 ? STORE_E_NOT_FOUND : STORE_E_UNAVAILABLE;
	}
	if ((e = store_menu_apply(out, p, &changed, &ev)) != STORE_OK) {
		fd_db_rollback();
		return e;
	}
	if (!changed) {
		fd_db_rollback();
		return STORE_OK;
	}
	if (store_db_menu_item_update(out) != 0 ||
	    store_db_menu_changed(&ev) != 0) {
		fd_db_rollback();
		return STORE_E_UNAVAILABLE;
	}
	return fd_db_commit() == FD_DB_OK ? STORE_OK : STORE_E_UNAVAILABLE;
}

/*
 * The owner's change of the store: under the store row's lock, so two
 * changes line up and each version is given once; the state and its
 * StoreChanged in one commit.  A change that alters nothing writes
 * nothing (no event) and answers the store as it is.
 */
enum store_err
store_patch(long long owner_store, long long store_id,
    const struct store_patch *p, long long now, struct store *out, char *why,
    size_t whysz)
{
	enum store_err e;
	int changed, rc;

	*why = '\0';
	if ((e = store_menu_authorize(owner_store, store_id)) != STORE_OK)
		return e;
	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	if ((rc = store_db_store_lock(store_id, out)) != 1) {
		fd_db_rollback();
		return rc == 0 ? STORE_E_NOT_FOUND : STORE_E_UNAVAILABLE;
	}
	if ((e = store_patch_apply(out, p, now, &changed, why, whysz)) !=
	    STORE_OK || !changed) {
		fd_db_rollback();
		return e;
	}
	if (store_db_store_update(out) != 0 ||
	    store_db_store_changed(out) != 0) {
		fd_db_rollback();
		return STORE_E_UNAVAILABLE;
	}
	return fd_db_commit() == FD_DB_OK ? STORE_OK : STORE_E_UNAVAILABLE;
}

enum store_err
store_tickets(long long owner_store, const struct store_ticket_filter *f,
    store_each_fn fn, void *arg, int *more)
{
	int rc;

	if (owner_store <= 0)
		return STORE_E_FORBIDDEN;
	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	rc = store_db_tickets(owner_store, f, fn, arg, more);
	fd_db_rollback();
	return rc < 0 ? STORE_E_UNAVAILABLE : STORE_OK;
}

enum store_err
store_ticket_get(long long owner_store, long long id, struct store_ticket *t)
{
	enum store_err e = store_ticket_find(id, t);

	/* Another store's ticket is none of this owner's business: 404. */
	if (e == STORE_OK && (owner_store <= 0 || t->store_id != owner_store))
		return STORE_E_NO_TICKET;
	return e;
}

enum store_err
store_ticket_find(long long id, struct store_ticket *t)
{
	int rc;

	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	rc = store_db_ticket_get(id, 0, t);
	fd_db_rollback();
	if (rc < 0)
		return STORE_E_UNAVAILABLE;
	return rc == 1 ? STORE_OK : STORE_E_NO_TICKET;
}

/*
 * Marks the items a sold_out rejection names sold out, each with its
 * MenuItemChanged, in the caller's unit of work (the rejection's commit).
 * The ids come sorted (store_ticket_cmd_sold_out_norm), so the rows are
 * locked in one order.  STORE_E_INPUT: an item not on the store's menu.
 */
static enum store_err
sold_out_items(long long store_id, const struct store_ticket_cmd *c,
    char *why, size_t whysz)
{
	static const struct store_menu_patch sold = { .has_sold_out = 1,
	    .sold_out = 1 };
	struct fd_menu_item_changed ev;
	struct store_menu_item it;
	size_t i;
	int rc, changed;

	for (i = 0; i < c->nsold_out; i++) {
		if ((rc = store_db_menu_item_lock(store_id, c->sold_out[i],
		    &it)) < 0)
			return STORE_E_UNAVAILABLE;
		if (rc == 0) {
			snprintf(why, whysz, "soldOutItems: menu item %lld is not "
			    "on this store's menu", c->sold_out[i]);
			return STORE_E_INPUT;
		}
		if (store_menu_apply(&it, &sold, &changed, &ev) != STORE_OK)
			return STORE_E_INTERNAL;
		if (changed && (store_db_menu_item_update(&it) != 0 ||
		    store_db_menu_changed(&ev) != 0))
			return STORE_E_UNAVAILABLE;
	}
	return STORE_OK;
}

enum store_err
store_ticket_patch(long long owner_store, long long id,
    const struct store_ticket_cmd *cmd, struct store_ticket *t, char *why,
    size_t whysz)
{
	struct store_ticket_cmd c = *cmd;
	struct store_ticket_event ev;
	enum store_err e;
	int rc;

	*why = '\0';
	store_ticket_cmd_sold_out_norm(&c);
	/* A request that can never be right is refused before any lookup. */
	if ((e = store_ticket_step_check(&c, why, whysz)) != STORE_OK)
		return e;
	if (fd_db_begin() != FD_DB_OK)
		return STORE_E_UNAVAILABLE;
	/* The row lock orders this step against a concurrent OrderCanceled,
	 * and against the deadline's checker. */
	if ((rc = store_db_ticket_get(id, 1, t)) < 0)
		goto unavailable;
	if (rc == 0 || owner_store <= 0 || t->store_id != owner_store) {
		fd_db_rollback();
		return STORE_E_NO_TICKET;
	}
	/*
	 * Past its deadline the ticket is no longer the owner's to answer:
	 * the rule holds between two passes of the checker too.  It is
	 * rejected now (the customer refunded now, not at the next pass) and
	 * the owner told so.
	 */
	if (store_ticket_overdue(t)) {
		if (store_deadline_expire(id, t) < 0 ||
		    fd_db_commit() != FD_DB_OK)
			goto unavailable;
		snprintf(why, whysz, "the accept deadline has passed: the order "
		    "is rejected (no_response) and refunded");
		return STORE_E_STATE;
	}
	if ((e = store_ticket_step(t, &c, &ev, why, whysz)) != STORE_OK) {
		fd_db_rollback();
		return e;
	}
	if ((e = sold_out_items(t->store_id, &c, why, whysz)) != STORE_OK) {
		fd_db_rollback();
		return e;
	}
	if (store_db_ticket_update(t) != 0 || store_db_ticket_event(&ev) != 0 ||
	    store_db_ticket_get(id, 0, t) != 1)	/* its new updatedAt */
		goto unavailable;
	return fd_db_commit() == FD_DB_OK ? STORE_OK : STORE_E_UNAVAILABLE;
unavailable:
	fd_db_rollback();
	return STORE_E_UNAVAILABLE;
}

/*
 * The accept deadline a new ticket gets: FD_ACCEPT_DEADLINE_S, or in a
 * test build the hook accept-deadline-s while armed (the tests' short
 * deadline touches only the tickets they make meanwhile).
 */
static int
deadline_seconds(void)
{
	long long hook = fd_fault("accept-deadline-s");

	if (hook > 0 && hook <= STORE_DEADLINE_MAX)
		return (int)hook;
	return store_deadline_seconds(getenv("FD_ACCEPT_DEADLINE_S"));
}

/*
 * OrderPlaced: the ticket, once per order.  The order's cancellation may
 * have been applied first (a replayed dead letter, say), so the ticket
 * starts Canceled if the order is known canceled.
 *
 * Under READ COMMITTED there are no gap locks, so "no ticket yet" cannot
 * be locked.  Instead each policy writes its own row first and then reads
 * the other's with a locking read, which waits for an uncommitted write:
 * whichever commits second sees the first (or they deadlock and one is
 * retried).  Here: insert the ticket, then look for the cancellation.
 */
enum store_err
store_on_order_placed(struct store_ticket *t, char *why, size_t whysz)
{
	char reason[801];
	enum store_err e;
	int rc;

	t->status = STORE_T_PAID;
	if ((e = store_ticket_check(t, why, whysz)) != STORE_OK)
		return e;
	if ((rc = store_db_store_exists(t->store_id)) < 0)
		return STORE_E_UNAVAILABLE;
	if (rc == 0) {
		snprintf(why, whysz, "no store %lld", t->store_id);
		return STORE_E_INPUT;
	}
	if ((rc = store_db_ticket_insert(t, deadline_seconds())) < 0)
		return STORE_E_UNAVAILABLE;
	if (rc == 1)
		return STORE_OK;	/* the same order placed again: one ticket */
	if ((rc = fd_canceled_reason(t->order_id, 1, reason,
	    sizeof(reason))) < 0)
		return STORE_E_UNAVAILABLE;
	if (rc == 1 && store_ticket_cancel(t, reason) &&
	    store_db_ticket_update(t) != 0)
		return STORE_E_UNAVAILABLE;
	return STORE_OK;
}

/*
 * OrderCanceled: the ticket follows the order, if it is still open.  The
 * cancellation is recorded first in every case (see above): if the ticket
 * does not exist yet, its OrderPlaced will find the record.
 */
enum store_err
store_on_order_canceled(long long order_id, const char *reason, char *why,
    size_t whysz)
{
	static struct store_ticket t;
	enum store_err e;
	int rc;

	if ((e = store_cancel_check(order_id, reason, why, whysz)) != STORE_OK)
		return e;
	if (reason == NULL)
		reason = STORE_CANCEL_DEFAULT;
	if (fd_canceled_add(order_id, reason) != 0)
		return STORE_E_UNAVAILABLE;
	cancel_pause();
	if ((rc = store_db_ticket_by_order(order_id, 1, &t)) < 0)
		return STORE_E_UNAVAILABLE;
	if (rc == 1 && store_ticket_cancel(&t, reason) &&
	    store_db_ticket_update(&t) != 0)
		return STORE_E_UNAVAILABLE;
	cancel_pause();
	return STORE_OK;
}

/*
 * CancelRequested: the store decides (store_cancel_decide) and answers
 * with CancelConfirmed or CancelRefused in the same commit.  The ticket's
 * row lock orders the decision against the owner's steps: an Accept or
 * Prepare committed first is seen, one after finds the ticket Canceled.
 * A confirmation records the cancellation first, as OrderCanceled does:
 * an OrderPlaced still to come makes its ticket Canceled.
 */
enum store_err
store_on_cancel_requested(long long order_id, const char *reason, char *why,
    size_t whysz)
{
	static struct store_ticket t;
	struct store_ticket_event ev;
	enum store_err e;
	int found;

	if ((e = store_cancel_check(order_id, reason, why, whysz)) != STORE_OK)
		return e;
	if (reason == NULL)
		reason = STORE_CANCEL_DEFAULT;
	if ((found = store_db_ticket_by_order(order_id, 1, &t)) < 0)
		return STORE_E_UNAVAILABLE;
	/* No ticket yet: the cancellation is recorded before looking again,
	 * the order store_on_order_placed() relies on (see there). */
	if (!found && (fd_canceled_add(order_id, reason) != 0 ||
	    (found = store_db_ticket_by_order(order_id, 1, &t)) < 0))
		return STORE_E_UNAVAILABLE;
	if (store_cancel_decide(order_id, found ? &t : NULL, &ev) && found &&
	    (fd_canceled_add(order_id, reason) != 0 ||
	    (store_ticket_cancel(&t, reason) && store_db_ticket_update(&t) != 0)))
		return STORE_E_UNAVAILABLE;
	return store_db_ticket_event(&ev) == 0 ? STORE_OK : STORE_E_UNAVAILABLE;
}
