/*
 * dlv_db.c - deliveries, canceled orders and the outbox (MariaDB adapter).
 * Every function runs inside the caller's unit of work.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "dlv.h"
#include "fd_db.h"
#include "fd_event_delivery.h"
#include "fd_outbox.h"
#include "fd_push.h"

/* Timestamps as UTC ISO 8601: the session's zone is UTC (fd_db.c). */
#define TS(col)	"DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%s.%fZ')"

/*
 * Every delivery written is queued for its store's live stream (GET
 * /events/store, fd_push.h), posted once this unit of work commits; here,
 * where every write passes, so no use case can forget it.
 * {type:"delivery",deliveryId,orderId,status,at}.
 */
static void
push_delivery(const struct dlv_delivery *d)
{
	(void)fd_push_store_row(d->store_id, "delivery", "deliveryId", d->id,
	    d->order_id, dlv_status_name(d->status));
}

int
dlv_db_insert(struct dlv_delivery *d)
{
	static const char sql[] =
	    "INSERT INTO deliveries (order_id, ticket_id, store_id, status,"
	    " address, phone, cancel_reason) VALUES (?, ?, ?, ?, ?, ?,"
	    " NULLIF(?, ''))";
	struct fd_q q;
	enum fd_db_rc rc;

	rc = fd_q_exec(&q, sql, "lllssss", d->order_id, d->ticket_id,
	    d->store_id, dlv_status_name(d->status), d->address, d->phone,
	    d->cancel_reason);
	if (rc == FD_DB_OK)
		d->id = (long long)fd_q_insert_id(&q);
	fd_q_close(&q);
	if (rc == FD_DB_OK)
		push_delivery(d);
	return rc == FD_DB_OK ? 0 : rc == FD_DB_DUP ? 1 : -1;
}

#define DLV_COLS							\
	"SELECT id, order_id, ticket_id, store_id, status, address, phone,"	\
	" COALESCE(cancel_reason, ''), " TS("created_at") ", "		\
	TS("updated_at") " FROM deliveries "

static enum fd_db_rc
bind_delivery(struct fd_q *q, struct dlv_delivery *d, char *status,
    size_t ssz)
{
	return fd_q_out(q, "lllls" "sss" "ss", &d->id, &d->order_id,
	    &d->ticket_id, &d->store_id, status, ssz, d->address,
	    sizeof(d->address), d->phone, sizeof(d->phone), d->cancel_reason,
	    sizeof(d->cancel_reason), d->created_at, sizeof(d->created_at),
	    d->updated_at, sizeof(d->updated_at));
}

/* One delivery by sql (which takes one id); 1, 0 or -1. */
static int
delivery_one(const char *sql, long long id, struct dlv_delivery *d)
{
	char status[24];
	struct fd_q q;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	if (fd_q_exec(&q, sql, "l", id) == FD_DB_OK &&
	    bind_delivery(&q, d, status, sizeof(status)) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	if (rc == 1 && dlv_status_parse(status, &d->status) != 0)
		rc = -1;
	return rc;
}

int
dlv_db_get(long long id, int lock, struct dlv_delivery *d)
{
	static const char sql[] = DLV_COLS "WHERE id = ?";
	static const char sql_lock[] = DLV_COLS "WHERE id = ? FOR UPDATE";

	return delivery_one(lock ? sql_lock : sql, id, d);
}

int
dlv_db_by_order(long long order_id, int lock, struct dlv_delivery *d)
{
	static const char sql[] = DLV_COLS "WHERE order_id = ?";
	static const char sql_lock[] = DLV_COLS "WHERE order_id = ? FOR UPDATE";

	return delivery_one(lock ? sql_lock : sql, order_id, d);
}

int
dlv_db_update(const struct dlv_delivery *d)
{
	static const char sql[] =
	    "UPDATE deliveries SET status = ?, cancel_reason = NULLIF(?, '')"
	    " WHERE id = ?";

	if (fd_db_exec(sql, "ssl", dlv_status_name(d->status), d->cancel_reason,
	    d->id) != 0)
		return -1;
	push_delivery(d);
	return 0;
}

int
dlv_db_list(long long store_id, const struct dlv_filter *f, dlv_each_fn fn,
    void *arg, int *more)
{
	/* One more than the page, to know whether there are more. */
	static const char sql[] = DLV_COLS
	    "WHERE store_id = ? AND id < ? ORDER BY id DESC LIMIT ?";
	static const char sql_status[] = DLV_COLS
	    "WHERE store_id = ? AND status = ? AND id < ? ORDER BY id DESC"
	    " LIMIT ?";
	/* Before "nothing" is before any id there can be. */
	long long before = f->before > 0 ? f->before : 0x7fffffffffffffffLL;
	struct dlv_delivery d;
	char status[24];
	struct fd_q q;
	enum fd_db_rc rc;
	int n = 0, got = -1;

	*more = 0;
	memset(&d, 0, sizeof(d));
	if (f->has_status)
		rc = fd_q_exec(&q, sql_status, "lsli", store_id,
		    dlv_status_name(f->status), before, f->limit + 1);
	else
		rc = fd_q_exec(&q, sql, "lli", store_id, before, f->limit + 1);
	if (rc == FD_DB_OK && bind_delivery(&q, &d, status, sizeof(status)) ==
	    FD_DB_OK)
		while ((got = fd_q_fetch(&q)) == 1) {
			if (++n > f->limit) {
				*more = 1;
				break;
			}
			if (dlv_status_parse(status, &d.status) != 0 ||
			    fn(arg, &d) != 0) {
				got = -1;
				break;
			}
		}
	fd_q_close(&q);
	return got < 0 ? -1 : 0;
}

int
dlv_db_event(const struct dlv_event *ev)
{
	struct fd_delivery_event e;
	const char *type = dlv_ev_name(ev->type);
	json_object *o;
	char key[24];

	memset(&e, 0, sizeof(e));
	e.order_id = ev->order_id;
	e.delivery_id = ev->delivery_id;
	switch (ev->type) {
	case DLV_EV_STARTED:
		o = fd_delivery_started_encode(&e);
		break;
	case DLV_EV_COMPLETED:
		o = fd_delivery_completed_encode(&e);
		break;
	case DLV_EV_CANCELED:
		o = fd_delivery_canceled_encode(&e);
		break;
	default:
		return -1;
	}
	/* One order's events stay in order: they share its key. */
	snprintf(key, sizeof(key), "%lld", ev->order_id);
	return fd_outbox_add(type, key, o, NULL) == FD_DB_OK ? 0 : -1;
}
