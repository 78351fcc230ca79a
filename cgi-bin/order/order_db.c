/*
 * order_db.c - orders, their items, the menu replica, idempotency records
 * and the outbox (MariaDB adapter).  Every function runs inside the
 * caller's unit of work.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_db.h"
#include "fd_event_order.h"
#include "fd_outbox.h"
#include "order.h"

int
order_db_menu(long long store_id, struct order_menu_item *menu, size_t max,
    size_t *n)
{
	static const char sql[] =
	    "SELECT menu_id, store_id, name, price, sold_out FROM menu_replica"
	    " WHERE store_id = ? ORDER BY menu_id";
	struct order_menu_item it;
	struct fd_q q;
	int rc = -1;

	*n = 0;
	if (fd_q_exec(&q, sql, "l", store_id) == FD_DB_OK &&
	    fd_q_out(&q, "llsli", &it.menu_id, &it.store_id, it.name,
	    sizeof(it.name), &it.price, &it.sold_out) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (*n < max)
				menu[(*n)++] = it;
	fd_q_close(&q);
	return rc;
}

int
order_db_store(long long store_id, struct fd_store_changed *st)
{
	static const char sql[] =
	    "SELECT store_id, name, is_open,"
	    " CAST(UNIX_TIMESTAMP(paused_until) AS SIGNED), closed_reason,"
	    " min_order, delivery_fee, version FROM store_replica"
	    " WHERE store_id = ?";
	struct fd_q q;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (fd_q_exec(&q, sql, "l", store_id) == FD_DB_OK &&
	    fd_q_out(&q, "lsilslll", &st->store_id, st->name, sizeof(st->name),
	    &st->open, &st->paused_until, st->closed_reason,
	    sizeof(st->closed_reason), &st->min_order, &st->delivery_fee,
	    &st->version) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	return rc;
}

/*
 * Every column follows the event only if it is newer than the row
 * (version last: MariaDB assigns left to right, and the columns before
 * it must compare against the old version).  The session is UTC.
 */
int
order_db_store_upsert(const struct fd_store_changed *st)
{
	static const char sql[] =
	    "INSERT INTO store_replica (store_id, name, is_open, paused_until,"
	    " closed_reason, min_order, delivery_fee, version) VALUES (?, ?, ?,"
	    " IF(? = 0, NULL, FROM_UNIXTIME(?)), NULLIF(?, ''), ?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE"
	    " name = IF(VALUES(version) > version, VALUES(name), name),"
	    " is_open = IF(VALUES(version) > version, VALUES(is_open), is_open),"
	    " paused_until = IF(VALUES(version) > version,"
	    " VALUES(paused_until), paused_until),"
	    " closed_reason = IF(VALUES(version) > version,"
	    " VALUES(closed_reason), closed_reason),"
	    " min_order = IF(VALUES(version) > version, VALUES(min_order),"
	    " min_order),"
	    " delivery_fee = IF(VALUES(version) > version,"
	    " VALUES(delivery_fee), delivery_fee),"
	    " version = GREATEST(version, VALUES(version))";

	return fd_db_exec(sql, "lsill" "slll", st->store_id, st->name, st->open,
	    st->paused_until, st->paused_until, st->closed_reason,
	    st->min_order, st->delivery_fee, st->version);
}

/* Those of the latest order placed, as typed (whatever became of it
 * since): never of an attempt that did not become an order, declined,
 * failed or refused, which may have been mistyped (orders_customer covers
 * the lookup, newest first). */
int
order_db_insert(struct order *o)
{
	static const char sql[] =
	    "INSERT INTO orders (customer_id, store_id, status, amount,"
	    " delivery_fee, min_order, address, phone)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	static const char sql_item[] =
	    "INSERT INTO order_items (order_id, line, menu_id, name, qty, price)"
	    " VALUES (?, ?, ?, ?, ?, ?)";
	long long ids[ORDER_MAX_LINES], menu[ORDER_MAX_LINES],
	    price[ORDER_MAX_LINES];
	int line[ORDER_MAX_LINES], qty[ORDER_MAX_LINES];
	const char *name[ORDER_MAX_LINES];
	struct fd_q q;
	enum fd_db_rc rc;
	size_t i;

	rc = fd_q_exec(&q, sql, "llsllls" "s", o->customer_id, o->store_id,
	    order_status_name(o->status), o->amount, o->delivery_fee,
	    o->min_order, o->address, o->phone);
	if (rc == FD_DB_OK)
		o->id = (long long)fd_q_insert_id(&q);
	fd_q_close(&q);
	if (rc != FD_DB_OK || o->nlines > ORDER_MAX_LINES)
		return -1;
	/* The items in one round trip. */
	for (i = 0; i < o->nlines; i++) {
		ids[i] = o->id;
		line[i] = (int)i;
		menu[i] = o->lines[i].menu_id;
		name[i] = o->lines[i].name;
		qty[i] = o->lines[i].qty;
		price[i] = o->lines[i].price;
	}
	return fd_db_exec_rows(sql_item, (unsigned)o->nlines, "lilsil", ids, line,
	    menu, name, qty, price);
}

/* An UPDATE of at most one row: 1 changed, 0 not (not in the state
 * expected), -1. */
static int
update_one(const char *sql, const char *types, ...)
{
	struct fd_q q;
	enum fd_db_rc rc;
	va_list ap;
	int n;

	va_start(ap, types);
	rc = fd_q_vexec(&q, sql, types, ap);
	va_end(ap);
	n = (int)fd_q_affected(&q);
	fd_q_close(&q);
	return rc != FD_DB_OK ? -1 : n == 1;
}

int
order_db_set_status(long long id, enum order_status from, enum order_status to,
    long long payment_id)
{
	static const char sql[] =
	    "UPDATE orders SET status = ?, payment_id = COALESCE(NULLIF(?, 0),"
	    " payment_id) WHERE id = ? AND status = ?";

	return update_one(sql, "slls", order_status_name(to), payment_id, id,
	    order_status_name(from));
}

int
order_db_cancel_request(long long id, enum order_status from,
    const char *reason)
{
	static const char sql[] =
	    "UPDATE orders SET status = 'CancelRequested', store_status = ?,"
	    " cancel_reason = ?, cancel_refused = NULL WHERE id = ? AND"
	    " status = ?";

	return update_one(sql, "ssls", order_status_name(from), reason, id,
	    order_status_name(from));
}

int
order_db_cancel_refused(long long id, enum order_status to, const char *why)
{
	static const char sql[] =
	    "UPDATE orders SET status = ?, store_status = NULL,"
	    " cancel_refused = ? WHERE id = ? AND status = 'CancelRequested'";

	return update_one(sql, "ssl", order_status_name(to), why, id);
}

int
order_db_store_status(long long id, enum order_status st)
{
	static const char sql[] =
	    "UPDATE orders SET store_status = ? WHERE id = ? AND"
	    " status = 'CancelRequested'";

	return update_one(sql, "sl", order_status_name(st), id);
}

static int
load_items(struct order *o)
{
	static const char sql[] =
	    "SELECT menu_id, name, qty, price FROM order_items"
	    " WHERE order_id = ? ORDER BY line";
	struct order_line l;
	struct fd_q q;
	int rc = -1;

	o->nlines = 0;
	memset(&l, 0, sizeof(l));
	if (fd_q_exec(&q, sql, "l", o->id) == FD_DB_OK &&
	    fd_q_out(&q, "lsil", &l.menu_id, l.name, sizeof(l.name), &l.qty,
	    &l.price) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (o->nlines < ORDER_MAX_LINES)
				o->lines[o->nlines++] = l;
	fd_q_close(&q);
	return rc;
}

/* Times as UTC ISO 8601: the session's zone is UTC (fd_db.c). */
#define ORDER_COLS							\
	"SELECT id, customer_id, store_id, status, amount, delivery_fee,"	\
	" min_order, address, phone,"					\
	" COALESCE(payment_id, 0), COALESCE(store_status, ''),"		\
	" COALESCE(cancel_reason, ''), COALESCE(cancel_refused, ''),"	\
	" DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ'),"		\
	" DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s.%fZ'),"		\
	" COALESCE(DATE_FORMAT(ready_by, '%Y-%m-%dT%H:%i:%s.%fZ'), ''),"	\
	" COALESCE(reject_code, ''), COALESCE(reject_reason, '') FROM orders "

/* The row's statuses as text, parsed by parse_order(). */
struct order_text {
	char	 status[24];
	char	 store_status[24];
};

static enum fd_db_rc
bind_order(struct fd_q *q, struct order *o, struct order_text *t)
{
	return fd_q_out(q, "llls" "lll" "ssl" "sss" "ss" "sss", &o->id,
	    &o->customer_id, &o->store_id, t->status, sizeof(t->status),
	    &o->amount, &o->delivery_fee, &o->min_order, o->address,
	    sizeof(o->address), o->phone, sizeof(o->phone), &o->payment_id,
	    t->store_status, sizeof(t->store_status), o->cancel_reason,
	    sizeof(o->cancel_reason), o->cancel_refused,
	    sizeof(o->cancel_refused), o->created_at, sizeof(o->created_at),
	    o->updated_at, sizeof(o->updated_at), o->ready_by,
	    sizeof(o->ready_by), o->reject_code, sizeof(o->reject_code),
	    o->reject_reason, sizeof(o->reject_reason));
}

static int
parse_order(struct order *o, const struct order_text *t)
{
	if (order_status_parse(t->status, &o->status) != 0)
		return -1;
	if (t->store_status[0] == '\0' ||
	    order_status_parse(t->store_status, &o->store_status) != 0)
		o->store_status = ORDER__NSTATUS;
	return 0;
}

int
order_db_get(long long id, int lock, struct order *o)
{
	static const char sql[] = ORDER_COLS "WHERE id = ?";
	static const char sql_lock[] = ORDER_COLS "WHERE id = ? FOR UPDATE";
	struct order_text t;
	struct fd_q q;
	int rc = -1;

	memset(o, 0, sizeof(*o));
	if (fd_q_exec(&q, lock ? sql_lock : sql, "l", id) == FD_DB_OK &&
	    bind_order(&q, o, &t) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	if (rc != 1)
		return rc;
	if (parse_order(o, &t) != 0)
		return -1;
	return load_items(o) < 0 ? -1 : 1;
}

int
order_db_status(long long id, enum order_status *st)
{
	static const char sql[] = "SELECT status FROM orders WHERE id = ?";
	char status[24];
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "l", id) == FD_DB_OK &&
	    fd_q_out(&q, "s", status, sizeof(status)) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	if (rc == 1 && order_status_parse(status, st) != 0)
		rc = -1;
	return rc;
}

int
order_db_list(long long customer, order_each_fn fn, void *arg)
{
	/* The newest 100 placed orders; never the unplaced attempts. */
	static const char sql[] = ORDER_COLS
	    "WHERE customer_id = ? AND status IN ('Paid', 'Accepted',"
	    " 'Prepared', 'DeliveryStarted', 'Delivered', 'Canceled',"
	    " 'Rejected', 'CancelRequested') ORDER BY id DESC LIMIT 100";
	struct order o;
	struct order_text t;
	struct fd_q q;
	int rc = -1;

	memset(&o, 0, sizeof(o));
	if (fd_q_exec(&q, sql, "l", customer) == FD_DB_OK &&
	    bind_order(&q, &o, &t) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1) {
			if (parse_order(&o, &t) != 0 ||
			    fn(arg, &o) != 0) {
				rc = -1;
				break;
			}
		}
	fd_q_close(&q);
	return rc;
}

int
order_db_stale_pending(int age_s, int resume_s, long long *ids, size_t max,
    size_t *n)
{
	static const char sql[] =
	    "SELECT o.id FROM orders o WHERE o.status = 'PaymentPending' AND"
	    " o.created_at < NOW(6) - INTERVAL ? SECOND AND NOT EXISTS"
	    " (SELECT 1 FROM idempotency_keys k WHERE k.order_id = o.id AND"
	    " k.state <> 'done' AND k.created_at >= NOW(6) - INTERVAL ? SECOND)"
	    " ORDER BY o.id LIMIT 100";
	long long id;
	struct fd_q q;
	int rc = -1;

	*n = 0;
	if (fd_q_exec(&q, sql, "ii", age_s, resume_s) == FD_DB_OK &&
	    fd_q_out(&q, "l", &id) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (*n < max)
				ids[(*n)++] = id;
	fd_q_close(&q);
	return rc;
}

/*
 * Orders in one of up to five statuses, unchanged for age_s seconds,
 * oldest change first.  Unused status slots bind NULL, which matches
 * nothing; orders_status (status, ...) narrows the scan to those statuses.
 */
int
order_db_stuck(const enum order_status *st, size_t nst, int age_s, int limit,
    order_stuck_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT id, customer_id, store_id, status, amount,"
	    " COALESCE(payment_id, 0),"
	    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ'),"
	    " DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s.%fZ'),"
	    " TIMESTAMPDIFF(SECOND, updated_at, NOW(6)) FROM orders"
	    " WHERE status IN (?, ?, ?, ?, ?)"
	    " AND updated_at < NOW(6) - INTERVAL ? SECOND"
	    " ORDER BY updated_at, id LIMIT ?";
	const char *name[5] = { NULL, NULL, NULL, NULL, NULL };
	struct order_stuck o;
	char status[24];
	struct fd_q q;
	size_t i;
	int rc = -1;

	if (nst > 5)
		return -1;
	for (i = 0; i < nst; i++)
		name[i] = order_status_name(st[i]);
	memset(&o, 0, sizeof(o));
	if (fd_q_exec(&q, sql, "sssssii", name[0], name[1], name[2], name[3],
	    name[4], age_s, limit) == FD_DB_OK &&
	    fd_q_out(&q, "lllsllssl", &o.id, &o.customer_id, &o.store_id,
	    status, sizeof(status), &o.amount, &o.payment_id, o.created_at,
	    sizeof(o.created_at), o.updated_at, sizeof(o.updated_at),
	    &o.idle_s) == FD_DB_OK)
		while ((rc = fd_q_fetch(&q)) == 1)
			if (order_status_parse(status, &o.status) != 0 ||
			    fn(arg, &o) != 0) {
				rc = -1;
				break;
			}
	fd_q_close(&q);
	return rc;
}

static void
key_of(long long id, char *key, size_t sz)
{
	snprintf(key, sz, "%lld", id);
}

/* The order's OrderPlaced, as lib/fd_event_order.c shapes it. */
static void
placed_of(const struct order *o, struct fd_order_placed *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->order_id = o->id;
	p->customer_id = o->customer_id;
	p->store_id = o->store_id;
	for (i = 0; i < o->nlines && i < FD_ORDER_ITEMS_MAX; i++) {
		p->items[i].menu_id = o->lines[i].menu_id;
		snprintf(p->items[i].name, sizeof(p->items[i].name), "%s",
		    o->lines[i].name);
		p->items[i].qty = o->lines[i].qty;
		p->items[i].price = o->lines[i].price;
	}
	p->nitems = i;
	p->amount = o->amount;
	p->items_amount = o->amount - o->delivery_fee;
	p->delivery_fee = o->delivery_fee;
	snprintf(p->address, sizeof(p->address), "%s", o->address);
	snprintf(p->phone, sizeof(p->phone), "%s", o->phone);
}

/* The items as OrderPlaced carries them: the API shows the same. */
json_object *
order_lines_json(const struct order *o)
{
	static struct fd_order_placed p;

	placed_of(o, &p);
	return fd_order_items_encode(&p);
}

int
order_db_event_placed(const struct order *o, char **items)
{
	static struct fd_order_placed p;
	json_object *arr;
	char key[24];

	placed_of(o, &p);
	arr = fd_order_items_encode(&p);
	*items = strdup(json_object_to_json_string_ext(arr,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	if (*items == NULL)
		return -1;
	key_of(o->id, key, sizeof(key));
	return fd_outbox_add("OrderPlaced", key, fd_order_placed_encode(&p),
	    NULL) == FD_DB_OK ? 0 : -1;
}

int
order_db_event_cancel(const char *type, long long id, const char *reason)
{
	struct fd_order_canceled c;
	char key[24];

	memset(&c, 0, sizeof(c));
	c.order_id = id;
	snprintf(c.reason, sizeof(c.reason), "%s", reason != NULL ? reason : "");
	key_of(id, key, sizeof(key));
	return fd_outbox_add(type, key, strcmp(type, "CancelRequested") == 0 ?
	    fd_cancel_requested_encode(&c) : fd_order_canceled_encode(&c),
	    NULL) == FD_DB_OK ? 0 : -1;
}

int
order_db_idem_claim(long long customer, const char *key, const char *hash)
{
	static const char sql[] =
	    "INSERT INTO idempotency_keys (customer_id, idem_key, request_hash)"
	    " VALUES (?, ?, ?)";
	struct fd_q q;
	enum fd_db_rc rc;

	rc = fd_q_exec(&q, sql, "lss", customer, key, hash);
	fd_q_close(&q);
	return rc == FD_DB_OK ? 0 : rc == FD_DB_DUP ? 1 : -1;
}

int
order_db_idem_get(long long customer, const char *key, int lease_s,
    struct order_idem *r)
{
	/* takeable: order_db_idem_resume()'s condition, read beside the rest
	 * so a retry waiting on a live request asks for nothing more. */
	static const char sql[] =
	    "SELECT state = 'done', order_id IS NOT NULL AND (state = 'open' OR"
	    " (state = 'pending' AND created_at < NOW(6) - INTERVAL ? SECOND)),"
	    " request_hash, outcome = 'declined', COALESCE(order_id, 0),"
	    " COALESCE(amount, 0), delivery_fee FROM idempotency_keys"
	    " WHERE customer_id = ? AND idem_key = ?";
	struct fd_q q;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (fd_q_exec(&q, sql, "ils", lease_s, customer, key) == FD_DB_OK &&
	    fd_q_out(&q, "iisilll", &r->done, &r->takeable, r->hash,
	    sizeof(r->hash), &r->declined, &r->order_id, &r->amount,
	    &r->delivery_fee) ==
	    FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	return rc;
}

int
order_db_idem_finish(long long customer, const char *key, int declined,
    long long order_id, long long amount, long long delivery_fee)
{
	static const char sql[] =
	    "UPDATE idempotency_keys SET state = 'done', outcome = ?,"
	    " order_id = ?, amount = ?, delivery_fee = ? WHERE customer_id = ?"
	    " AND idem_key = ?";

	return fd_db_exec(sql, "sllll" "s", declined ? "declined" : "placed",
	    order_id, amount, delivery_fee, customer, key);
}

int
order_db_idem_attempt(long long customer, const char *key, long long order_id)
{
	static const char sql[] =
	    "UPDATE idempotency_keys SET order_id = ? WHERE customer_id = ? AND"
	    " idem_key = ? AND state = 'pending'";

	return fd_db_exec(sql, "lls", order_id, customer, key);
}

/*
 * Every change of a key after its claim is fenced on the attempt it names
 * (order_id; 0 = none recorded yet), so a request whose key was taken
 * over or freed meanwhile can never change the key of another request.
 * created_at is the key's last claim: the reconciler's window and the
 * lease of a 'pending' key run from it.
 */
int
order_db_idem_open(long long customer, const char *key, long long order_id)
{
	static const char sql[] =
	    "UPDATE idempotency_keys SET state = 'open', created_at = NOW(6)"
	    " WHERE customer_id = ? AND idem_key = ? AND state = 'pending' AND"
	    " order_id = ?";

	return fd_db_exec(sql, "lsl", customer, key, order_id);
}

/*
 * An open key, or a 'pending' one whose request has not touched it for
 * lease_s seconds (its worker died): 1 taken, 0 not, -1.
 */
int
order_db_idem_resume(long long customer, const char *key, int lease_s)
{
	static const char sql[] =
	    "UPDATE idempotency_keys SET state = 'pending', created_at = NOW(6)"
	    " WHERE customer_id = ? AND idem_key = ? AND order_id IS NOT NULL"
	    " AND (state = 'open' OR (state = 'pending' AND"
	    " created_at < NOW(6) - INTERVAL ? SECOND))";

	return update_one(sql, "lsi", customer, key, lease_s);
}

int
order_db_idem_release(long long customer, const char *key, long long order_id)
{
	static const char sql[] =
	    "DELETE FROM idempotency_keys WHERE customer_id = ? AND idem_key = ?"
	    " AND state = 'pending' AND COALESCE(order_id, 0) = ?";

	return fd_db_exec(sql, "lsl", customer, key, order_id);
}

int
order_db_idem_release_order(long long order_id)
{
	static const char sql[] =
	    "DELETE FROM idempotency_keys WHERE order_id = ? AND state = 'open'";

	return fd_db_exec(sql, "l", order_id);
}

/*
 * Keys whose request died with its worker before it recorded an attempt,
 * and keys of attempts decided without them (a reconciled order frees
 * its key in its own commit; this is the net below it).
 */
int
order_db_idem_expire(int age_s)
{
	static const char sql[] =
	    "DELETE k FROM idempotency_keys k LEFT JOIN orders o ON"
	    " o.id = k.order_id WHERE k.state <> 'done' AND"
	    " k.created_at < NOW(6) - INTERVAL ? SECOND AND"
	    " (o.id IS NULL OR o.status <> 'PaymentPending')";

	return fd_db_exec(sql, "i", age_s);
}

int
order_db_menu_upsert(const struct order_menu_item *it)
{
	static const char sql[] =
	    "INSERT INTO menu_replica (menu_id, store_id, name, price, sold_out)"
	    " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
	    " store_id = VALUES(store_id), name = VALUES(name),"
	    " price = VALUES(price), sold_out = VALUES(sold_out)";

	return fd_db_exec(sql, "llsli", it->menu_id, it->store_id, it->name, it->price,
	    it->sold_out);
}

/*
 * The store's answer as the order keeps it: OrderTaken's estimate, or
 * OrderRejected's code and text (NULL or "": left as it is).  One
 * statement, whatever the order's status: the facts are the store's, and
 * a cancel the store refused shows the estimate again.
 */
int
order_db_store_answer(long long id, const char *ready_by, const char *code,
    const char *reason)
{
	static const char sql[] =
	    "UPDATE orders SET ready_by = COALESCE(STR_TO_DATE(NULLIF(?, ''),"
	    " '%Y-%m-%dT%H:%i:%s.%fZ'), ready_by),"
	    " reject_code = COALESCE(NULLIF(?, ''), reject_code),"
	    " reject_reason = COALESCE(NULLIF(?, ''), reject_reason)"
	    " WHERE id = ?";

	return fd_db_exec(sql, "sssl", ready_by, code, reason, id);
}
