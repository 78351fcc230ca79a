/*
 * fd_event_auth.c - the customer events' encoder and decoder (see
 * fd_event_auth.h).  No I/O: json-c and the shared field rules only, so
 * the fuzz harness links it as it is.
 */
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_auth.h"
#include "fd_event_field.h"

int
fd_customer_event(const char *type)
{
	return strcmp(type, "CustomerRegistered") == 0 ||
	    strcmp(type, "CustomerProfileChanged") == 0;
}

json_object *
fd_customer_encode(const struct fd_customer *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "customerId",
	    json_object_new_int64(c->customer_id));
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "phone", json_object_new_string(c->phone));
	json_object_object_add(o, "address",
	    json_object_new_string(c->address));
	json_object_object_add(o, "profileVersion",
	    json_object_new_int64(c->version));
	return o;
}

int
fd_customer_decode(json_object *ev, struct fd_customer *c, char *err,
    size_t errsz)
{
	struct fd_event_in in;

	memset(c, 0, sizeof(*c));
	fd_event_in_init(&in, "customer event", ev, err, errsz);
	fd_event_id(&in, "customerId", &c->customer_id);
	fd_event_int(&in, "profileVersion", 1, LLONG_MAX, &c->version);
	fd_event_text(&in, "name", c->name, sizeof(c->name),
	    FD_CUSTOMER_NAME_MAX);
	fd_event_ascii(&in, "phone", c->phone, sizeof(c->phone),
	    FD_CUSTOMER_PHONE_MAX);
	fd_event_text(&in, "address", c->address, sizeof(c->address),
	    FD_CUSTOMER_ADDRESS_MAX);
	if (fd_event_in_end(&in) == 0)
		return 0;
	memset(c, 0, sizeof(*c));
	return -1;
}

FD_EVENT_CHECK(fd_customer, fd_customer)
