/*
 * store_db.c - stores, menu items, tickets, canceled orders and the outbox
 * (MariaDB adapter).  Every function runs inside the caller's unit of work.
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fd_db.h"
#include "fd_outbox.h"
#include "fd_push.h"
#include "store.h"

/* Timestamps as UTC ISO 8601: the session's zone is UTC (fd_db.c). */
#define TS(col)	"DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%s.%fZ')"

/* A store's columns, its pause as Unix seconds (NULL reads as 0). */
#define STORE_COLS							\
	"SELECT id, name, address, phone, is_open,"			\
	" CAST(UNIX_TIMESTAMP(paused_until) AS SIGNED), closed_reason,"	\
	" min_order, delivery_fee, version FROM stores "

static enum fd_db_rc
bind_store(struct fd_q *q, struct store *s)
{
	memset(s, 0, sizeof(*s));
	return fd_q_out(q, "lsss" "ilsll" "l", &s->id, s->name, sizeof(s->name),
	    s->address, sizeof(s->address), s->phone, sizeof(s->phone),
	    &s->open, &s->paused_until, s->closed_reason,
	    sizeof(s->closed_reason), &s->min_order, &s->delivery_fee,
	    &s->version);
}

int
store_db_stores(store_each_fn fn, void *arg)
{
	static const char sql[] = STORE_COLS "ORDER BY id";
	struct store s;
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "") == FD_DB_OK &&
	    bind_store(&q, &s) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (fn(arg, &s) != 0) {
				rc = -1;
				break;
			}
	fd_q_close(&q);
	return rc;
}

int
store_db_store_lock(long long store_id, struct store *s)
{
	static const char sql[] = STORE_COLS "WHERE id = ? FOR UPDATE";
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "l", store_id) == FD_DB_OK &&
	    bind_store(&q, s) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	return rc;
}

int
store_db_store_update(const struct store *s)
{
	/* The session is UTC (fd_db.c): FROM_UNIXTIME gives UTC. */
	static const char sql[] =
	    "UPDATE stores SET is_open = ?, paused_until = IF(? = 0, NULL,"
	    " FROM_UNIXTIME(?)), closed_reason = NULLIF(?, ''), min_order = ?,"
	    " delivery_fee = ?, version = ? WHERE id = ?";

	return fd_db_exec(sql, "illslll" "l", s->open, s->paused_until,
	    s->paused_until, s->closed_reason, s->min_order, s->delivery_fee,
	    s->version, s->id);
}

int
store_db_store_changed(const struct store *s)
{
	struct fd_store_changed ev;
	char key[32];

	store_changed_of(s, &ev);
	/* Changes of one store stay in order: they share a key. */
	snprintf(key, sizeof(key), "store:%lld", s->id);
	return fd_outbox_add("StoreChanged", key, fd_store_changed_encode(&ev),
	    NULL) == FD_DB_OK ? 0 : -1;
}

/*
 * Stores are never deleted (menus and tickets refer to them), so a worker
 * remembers the ones it has seen: every OrderPlaced asks, and one store
 * takes most of them.
 */
#define STORES_SEEN	64

int
store_db_store_exists(long long store_id)
{
	static const char sql[] = "SELECT id FROM stores WHERE id = ?";
	static long long seen[STORES_SEEN];
	static size_t nseen;
	long long id;
	struct fd_q q;
	size_t i;
	int rc = -1;

	for (i = 0; i < nseen && i < STORES_SEEN; i++)
		if (seen[i] == store_id)
			return 1;
	if (fd_q_exec(&q, sql, "l", store_id) == FD_DB_OK &&
	    fd_q_out(&q, "l", &id) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	if (rc == 1)
		seen[nseen++ % STORES_SEEN] = store_id;
	return rc;
}

int
store_db_menu(long long store_id, store_each_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT id, store_id, name, price, sold_out FROM menu_items"
	    " WHERE store_id = ? ORDER BY id";
	struct store_menu_item it;
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "l", store_id) == FD_DB_OK &&
	    fd_q_out(&q, "llsli", &it.id, &it.store_id, it.name, sizeof(it.name),
	    &it.price, &it.sold_out) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (fn(arg, &it) != 0) {
				rc = -1;
				break;
			}
	fd_q_close(&q);
	return rc;
}

int
store_db_menu_item_lock(long long store_id, long long menu_id,
    struct store_menu_item *it)
{
	static const char sql[] =
	    "SELECT id, store_id, name, price, sold_out FROM menu_items"
	    " WHERE id = ? AND store_id = ? FOR UPDATE";
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "ll", menu_id, store_id) == FD_DB_OK &&
	    fd_q_out(&q, "llsli", &it->id, &it->store_id, it->name,
	    sizeof(it->name), &it->price, &it->sold_out) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	return rc;
}

int
store_db_menu_item_update(const struct store_menu_item *it)
{
	static const char sql[] =
	    "UPDATE menu_items SET price = ?, sold_out = ? WHERE id = ?";
	struct fd_q q;
	enum fd_db_rc rc;

	rc = fd_q_exec(&q, sql, "lil", it->price, it->sold_out, it->id);
	fd_q_close(&q);
	return rc == FD_DB_OK ? 0 : -1;
}

int
store_db_menu_changed(const struct fd_menu_item_changed *ev)
{
	char key[48];

	/* Changes of one item stay in order: they share a key. */
	snprintf(key, sizeof(key), "menu:%lld", ev->menu_id);
	return fd_outbox_add("MenuItemChanged", key,
	    fd_menu_item_changed_encode(ev), NULL) == FD_DB_OK ? 0 : -1;
}

/*
 * Every ticket written is queued for its store's live stream (GET
 * /events/store, fd_push.h), posted once this unit of work commits.
 * Here, where every write of a ticket passes, so that no use case (the
 * owner's step, OrderPlaced, a cancellation, the operator's command line)
 * can forget it.  {type:"ticket",ticketId,orderId,status,at}.
 */
static void
push_ticket(const struct store_ticket *t)
{
	(void)fd_push_store_row(t->store_id, "ticket", "ticketId", t->id,
	    t->order_id, store_ticket_status_name(t->status));
}

int
store_db_ticket_insert(struct store_ticket *t, int deadline_s)
{
	static const char sql[] =
	    "INSERT INTO tickets (order_id, store_id, customer_id, status, amount,"
	    " address, phone, accept_by) VALUES (?, ?, ?, ?, ?, ?, ?,"
	    " NOW(6) + INTERVAL ? SECOND)";
	static const char sql_item[] =
	    "INSERT INTO ticket_items (ticket_id, line, menu_id, name, qty, price)"
	    " VALUES (?, ?, ?, ?, ?, ?)";
	long long ids[STORE_TICKET_MAX_ITEMS], menu[STORE_TICKET_MAX_ITEMS],
	    qty[STORE_TICKET_MAX_ITEMS], price[STORE_TICKET_MAX_ITEMS];
	int line[STORE_TICKET_MAX_ITEMS];
	const char *name[STORE_TICKET_MAX_ITEMS];
	struct fd_q q;
	enum fd_db_rc rc;
	size_t i;

	rc = fd_q_exec(&q, sql, "lllslssi", t->order_id, t->store_id,
	    t->customer_id, store_ticket_status_name(t->status), t->amount,
	    t->address, t->phone, deadline_s);
	if (rc == FD_DB_OK)
		t->id = (long long)fd_q_insert_id(&q);
	fd_q_close(&q);
	if (rc != FD_DB_OK)
		return rc == FD_DB_DUP ? 1 : -1;
	if (t->nitems > STORE_TICKET_MAX_ITEMS)
		return -1;
	/* The items in one round trip. */
	for (i = 0; i < t->nitems; i++) {
		ids[i] = t->id;
		line[i] = (int)i;
		menu[i] = t->items[i].menu_id;
		name[i] = t->items[i].name;
		qty[i] = t->items[i].qty;
		price[i] = t->items[i].price;
	}
	if (fd_db_exec_rows(sql_item, (unsigned)t->nitems, "lilsll", ids, line,
	    menu, name, qty, price) != 0)
		return -1;
	push_ticket(t);
	return 0;
}

/*
 * The answer's columns (migration 008): the estimate, the reason code,
 * the accept deadline and the milliseconds left to it by the database's
 * clock (the one the deadline is checked against).
 */
#define ANSWER_COLS(p)							\
	"COALESCE(" TS(p "ready_by") ", ''), COALESCE(" p "reject_code, ''),"	\
	" COALESCE(" TS(p "accept_by") ", ''), COALESCE(TIMESTAMPDIFF("	\
	"MICROSECOND, NOW(6), " p "accept_by) DIV 1000, 0)"

#define TICKET_COLS							\
	"SELECT id, order_id, store_id, customer_id, status, amount, address,"	\
	" phone, COALESCE(reject_reason, ''), COALESCE(cancel_reason, ''), "	\
	TS("created_at") ", " TS("updated_at") ", " ANSWER_COLS("")		\
	" FROM tickets "

/* The answer's columns read as text into t (the code parsed after). */
struct answer_cols {
	char	 code[16];
};

static enum fd_db_rc
bind_ticket(struct fd_q *q, struct store_ticket *t, char *status, size_t ssz,
    struct answer_cols *a)
{
	return fd_q_out(q, "llllsl" "ssss" "ss" "sssl", &t->id, &t->order_id,
	    &t->store_id, &t->customer_id, status, ssz, &t->amount,
	    t->address, sizeof(t->address), t->phone, sizeof(t->phone),
	    t->reject_reason, sizeof(t->reject_reason), t->cancel_reason,
	    sizeof(t->cancel_reason), t->created_at, sizeof(t->created_at),
	    t->updated_at, sizeof(t->updated_at), t->ready_by,
	    sizeof(t->ready_by), a->code, sizeof(a->code), t->accept_by,
	    sizeof(t->accept_by), &t->accept_ms);
}

/* The code as read ("" = none); -1 for one we do not know. */
static int
answer_parse(const struct answer_cols *a, struct store_ticket *t)
{
	t->reject_code = STORE_RC_NONE;
	return a->code[0] == '\0' ? 0 :
	    store_reject_code_parse(a->code, &t->reject_code);
}

static int
load_items(struct store_ticket *t)
{
	static const char sql[] =
	    "SELECT menu_id, name, qty, price FROM ticket_items"
	    " WHERE ticket_id = ? ORDER BY line";
	struct store_ticket_item it;
	struct fd_q q;
	int rc = -1;

	t->nitems = 0;
	memset(&it, 0, sizeof(it));
	if (fd_q_exec(&q, sql, "l", t->id) == FD_DB_OK &&
	    fd_q_out(&q, "lsll", &it.menu_id, it.name, sizeof(it.name), &it.qty,
	    &it.price) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (t->nitems < STORE_TICKET_MAX_ITEMS)
				t->items[t->nitems++] = it;
	fd_q_close(&q);
	return rc;
}

/* One ticket by sql (which takes one id); 1, 0 or -1. */
static int
ticket_one(const char *sql, long long id, struct store_ticket *t)
{
	struct answer_cols a;
	char status[16];
	struct fd_q q;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if (fd_q_exec(&q, sql, "l", id) == FD_DB_OK &&
	    bind_ticket(&q, t, status, sizeof(status), &a) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	if (rc != 1)
		return rc;
	if (store_ticket_status_parse(status, &t->status) != 0 ||
	    answer_parse(&a, t) != 0)
		return -1;
	return load_items(t) < 0 ? -1 : 1;
}

int
store_db_ticket_get(long long id, int lock, struct store_ticket *t)
{
	static const char sql[] = TICKET_COLS "WHERE id = ?";
	static const char sql_lock[] = TICKET_COLS "WHERE id = ? FOR UPDATE";

	return ticket_one(lock ? sql_lock : sql, id, t);
}

int
store_db_ticket_by_order(long long order_id, int lock, struct store_ticket *t)
{
	static const char sql[] = TICKET_COLS "WHERE order_id = ?";
	static const char sql_lock[] = TICKET_COLS
	    "WHERE order_id = ? FOR UPDATE";

	return ticket_one(lock ? sql_lock : sql, order_id, t);
}

int
store_db_ticket_update(const struct store_ticket *t)
{
	static const char sql[] =
	    "UPDATE tickets SET status = ?, reject_reason = NULLIF(?, ''),"
	    " cancel_reason = NULLIF(?, ''), reject_code = NULLIF(?, ''),"
	    " ready_by = STR_TO_DATE(NULLIF(?, ''), '%Y-%m-%dT%H:%i:%s.%fZ')"
	    " WHERE id = ?";

	if (fd_db_exec(sql, "sssssl", store_ticket_status_name(t->status),
	    t->reject_reason, t->cancel_reason,
	    store_reject_code_name(t->reject_code), t->ready_by, t->id) != 0)
		return -1;
	push_ticket(t);
	return 0;
}

/*
 * A page of a store's tickets with their items, in one statement: the
 * derived table picks the tickets (one more than the page, to know if
 * there are more), the join brings their items in line order.
 */
#define PAGE_COLS							\
	"SELECT t.id, t.order_id, t.store_id, t.customer_id, t.status,"	\
	" t.amount, t.address, t.phone, COALESCE(t.reject_reason, ''),"	\
	" COALESCE(t.cancel_reason, ''), " TS("t.created_at") ", "	\
	TS("t.updated_at") ", " ANSWER_COLS("t.") ", i.menu_id, i.name,"	\
	" i.qty, i.price FROM"						\
	" (SELECT * FROM tickets WHERE store_id = ? AND id > ? "
#define PAGE_END							\
	"ORDER BY id LIMIT ?) t JOIN ticket_items i ON i.ticket_id = t.id"	\
	" ORDER BY t.id, i.line"

int
store_db_tickets(long long store_id, const struct store_ticket_filter *f,
    store_each_fn fn, void *arg, int *more)
{
	static const char sql[] = PAGE_COLS PAGE_END;
	static const char sql_status[] = PAGE_COLS "AND status = ? " PAGE_END;
	static struct store_ticket row, cur;
	struct store_ticket_item it;
	struct answer_cols a;
	char status[16];
	struct fd_q q;
	enum fd_db_rc rc;
	int n = 0, got = -1;

	*more = 0;
	memset(&row, 0, sizeof(row));
	memset(&cur, 0, sizeof(cur));
	memset(&it, 0, sizeof(it));
	if (f->has_status)
		rc = fd_q_exec(&q, sql_status, "llsi", store_id, f->after,
		    store_ticket_status_name(f->status), f->limit + 1);
	else
		rc = fd_q_exec(&q, sql, "lli", store_id, f->after, f->limit + 1);
	if (rc == FD_DB_OK && fd_q_out(&q, "llllsl" "ssss" "ss" "sssl" "lsll",
	    &row.id, &row.order_id, &row.store_id, &row.customer_id, status,
	    sizeof(status), &row.amount, row.address, sizeof(row.address),
	    row.phone, sizeof(row.phone), row.reject_reason,
	    sizeof(row.reject_reason), row.cancel_reason,
	    sizeof(row.cancel_reason), row.created_at, sizeof(row.created_at),
	    row.updated_at, sizeof(row.updated_at), row.ready_by,
	    sizeof(row.ready_by), a.code, sizeof(a.code), row.accept_by,
	    sizeof(row.accept_by), &row.accept_ms, &it.menu_id, it.name,
	    sizeof(it.name), &it.qty, &it.price) == FD_DB_OK) {
		while ((got = fd_q_fetch(&q)) == 1) {
			if (row.id != cur.id) {
				/* A new ticket: hand over the one before. */
				if (cur.id != 0 && fn(arg, &cur) != 0)
					goto fail;
				if (++n > f->limit) {
					*more = 1;
					cur.id = 0;
					break;
				}
				if (store_ticket_status_parse(status,
				    &row.status) != 0 || answer_parse(&a, &row) != 0)
					goto fail;
				memcpy(&cur, &row, offsetof(struct store_ticket,
				    items));
				cur.nitems = 0;
			}
			if (cur.nitems < STORE_TICKET_MAX_ITEMS)
				cur.items[cur.nitems++] = it;
		}
		if (got >= 0 && cur.id != 0 && fn(arg, &cur) != 0)
			goto fail;
	}
	fd_q_close(&q);
	return got < 0 ? -1 : 0;
fail:
	fd_q_close(&q);
	return -1;
}

/*
 * The domain's event (store_domain.c) in its codec's struct, encoded
 * (lib/fd_event_store.c): the payload, or NULL for no event.
 */
static json_object *
ticket_payload(const struct store_ticket_event *ev)
{
	static struct fd_order_prepared prepared;
	static struct fd_order_rejected rejected;
	static struct fd_cancel_refused refused;
	struct fd_order_taken taken;
	struct fd_cancel_confirmed confirmed;

	switch (ev->type) {
	case STORE_EV_TAKEN:
		memset(&taken, 0, sizeof(taken));
		taken.order_id = ev->order_id;
		taken.ticket_id = ev->ticket_id;
		snprintf(taken.ready_by, sizeof(taken.ready_by), "%s",
		    ev->ready_by);
		return fd_order_taken_encode(&taken);
	case STORE_EV_PREPARED:
		memset(&prepared, 0, sizeof(prepared));
		prepared.order_id = ev->order_id;
		prepared.ticket_id = ev->ticket_id;
		prepared.store_id = ev->store_id;
		snprintf(prepared.address, sizeof(prepared.address), "%s",
		    ev->address);
		/* A ticket's phone came in OrderPlaced: 20 bytes at most. */
		snprintf(prepared.phone, sizeof(prepared.phone), "%.*s",
		    (int)sizeof(prepared.phone) - 1, ev->phone);
		return fd_order_prepared_encode(&prepared);
	case STORE_EV_REJECTED:
		memset(&rejected, 0, sizeof(rejected));
		rejected.order_id = ev->order_id;
		rejected.ticket_id = ev->ticket_id;
		snprintf(rejected.reason_code, sizeof(rejected.reason_code),
		    "%s", store_reject_code_name(ev->code));
		snprintf(rejected.reason, sizeof(rejected.reason), "%s",
		    ev->reason);
		return fd_order_rejected_encode(&rejected);
	case STORE_EV_CANCEL_CONFIRMED:
		memset(&confirmed, 0, sizeof(confirmed));
		confirmed.order_id = ev->order_id;
		confirmed.ticket_id = ev->ticket_id;
		return fd_cancel_confirmed_encode(&confirmed);
	case STORE_EV_CANCEL_REFUSED:
		memset(&refused, 0, sizeof(refused));
		refused.order_id = ev->order_id;
		snprintf(refused.ticket_status, sizeof(refused.ticket_status),
		    "%s", store_ticket_status_name(ev->ticket_status));
		snprintf(refused.reason, sizeof(refused.reason), "%s",
		    ev->reason);
		return fd_cancel_refused_encode(&refused);
	default:
		return NULL;
	}
}

int
store_db_ticket_event(const struct store_ticket_event *ev)
{
	const char *type = store_ticket_ev_name(ev->type);
	json_object *o;
	char key[24];

	if (type == NULL || (o = ticket_payload(ev)) == NULL)
		return -1;
	/* One order's events stay in order: they share its key. */
	snprintf(key, sizeof(key), "%lld", ev->order_id);
	return fd_outbox_add(type, key, o, NULL) == FD_DB_OK ? 0 : -1;
}

/* The oldest first: the one waiting longest is answered first. */
int
store_db_overdue(long long *ids, size_t max, size_t *n)
{
	static const char sql[] =
	    "SELECT id FROM tickets WHERE status = 'Paid' AND accept_by <= NOW(6)"
	    " ORDER BY accept_by LIMIT ?";
	long long id;
	struct fd_q q;
	int rc = -1;

	*n = 0;
	if (fd_q_exec(&q, sql, "i", (int)max) == FD_DB_OK &&
	    fd_q_out(&q, "l", &id) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1 && *n < max)
			ids[(*n)++] = id;
	fd_q_close(&q);
	return rc < 0 ? -1 : 0;
}

/*
 * The condition is in the UPDATE itself: a second checker, or the owner's
 * step, that reached the row first has changed its status, and this one
 * (waiting on the row lock, then reading the row as committed) changes
 * nothing and says so.
 */
int
store_db_ticket_expire(long long id)
{
	static const char sql[] =
	    "UPDATE tickets SET status = 'Rejected', reject_code = 'no_response',"
	    " reject_reason = NULL WHERE id = ? AND status = 'Paid' AND"
	    " accept_by <= NOW(6)";
	struct fd_q q;
	enum fd_db_rc rc;
	int n;

	rc = fd_q_exec(&q, sql, "l", id);
	n = (int)fd_q_affected(&q);
	fd_q_close(&q);
	return rc != FD_DB_OK ? -1 : n == 1;
}
