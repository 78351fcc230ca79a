/*
 * order_customer.c - the customer replica: auth's CustomerRegistered and
 * CustomerProfileChanged kept per customer (sql/order/012), and read for
 * the address and phone of an order that gives none (SPEC: "address and
 * phone default to the customer's profile").
 *
 * Events of one customer reach order in commit order (the relay keeps an
 * aggregate key's order), but a dead letter replayed after a later change
 * arrives late: each event carries the profile's version and the row
 * keeps the highest one, in one statement, so whatever the order of
 * arrival the replica ends on the newest profile and never goes back.
 * The inbox (lib/fd_consumer.c) makes a redelivery a no-op before this.
 * /mypage's header greets the customer by the replica's name: a change
 * makes the customer's cached pages stale (order_view_touch).
 */
#include "fd_event_auth.h"
#include "fd_db.h"
#include "order.h"

int
order_customer_replicate(const struct fd_customer *c)
{
	/*
	 * ON DUPLICATE KEY UPDATE assigns left to right: version last, so
	 * each IF still compares the row's old version with the event's.
	 */
	static const char sql[] =
	    "INSERT INTO customer_replica (customer_id, name, phone, address,"
	    " version) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
	    " name = IF(VALUES(version) > version, VALUES(name), name),"
	    " phone = IF(VALUES(version) > version, VALUES(phone), phone),"
	    " address = IF(VALUES(version) > version, VALUES(address), address),"
	    " version = GREATEST(version, VALUES(version))";

	return fd_db_exec(sql, "lsssl", c->customer_id, c->name, c->phone,
	    c->address, c->version);
}

int
order_customer_name(long long customer, char *name, size_t sz)
{
	static const char sql[] =
	    "SELECT name FROM customer_replica WHERE customer_id = ?";
	struct fd_q q;
	int rc = -1;

	name[0] = '\0';
	if (fd_db_begin() != FD_DB_OK)
		return -1;
	if (fd_q_exec(&q, sql, "l", customer) == FD_DB_OK &&
	    fd_q_out(&q, "s", name, sz) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	fd_db_rollback();
	if (rc != 1)
		name[0] = '\0';
	return rc;
}

int
order_customer_defaults(long long customer, char *address, size_t asz,
    char *phone, size_t psz)
{
	static const char sql[] =
	    "SELECT address, phone FROM customer_replica WHERE customer_id = ?";
	struct fd_q q;
	int rc = -1;

	if (fd_q_exec(&q, sql, "l", customer) == FD_DB_OK &&
	    fd_q_out(&q, "ss", address, asz, phone, psz) == FD_DB_OK)
		rc = fd_q_fetch(&q);
	fd_q_close(&q);
	return rc;
}
