/*
 * fd_customer.c - the customer events' encoder and decoder (see
 * fd_customer.h).  No I/O: json-c and our input helpers only, so the fuzz
 * harness links it as it is.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_auth.h"
#include "fd_input.h"

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

static int
int_field(json_object *ev, const char *key, long long *v)
{
	json_object *j;

	if (!json_object_object_get_ex(ev, key, &j) ||
	    !json_object_is_type(j, json_type_int))
		return -1;
	*v = json_object_get_int64(j);
	return 0;
}

/*
 * A string field of 1..maxchars characters of text (no controls) copied
 * into buf; phone: printable ASCII only.  0 or -1.
 */
static int
text_field(json_object *ev, const char *key, char *buf, size_t sz,
    size_t maxchars, int ascii)
{
	json_object *j;
	const char *s;
	size_t n, i, chars;

	if (!json_object_object_get_ex(ev, key, &j) ||
	    !json_object_is_type(j, json_type_string))
		return -1;
	s = json_object_get_string(j);
	n = (size_t)json_object_get_string_len(j);
	/* An embedded NUL would cut the text short unseen. */
	if (n == 0 || n >= sz || memchr(s, '\0', n) != NULL ||
	    !fd_utf8_text(s, n))
		return -1;
	chars = fd_utf8_chars(s, n);
	if (chars > maxchars)
		return -1;
	for (i = 0; ascii && i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

int
fd_customer_decode(json_object *ev, struct fd_customer *c, char *err,
    size_t errsz)
{
	const char *bad = NULL;

	memset(c, 0, sizeof(*c));
	if (ev == NULL || !json_object_is_type(ev, json_type_object))
		bad = "not an object";
	else if (int_field(ev, "customerId", &c->customer_id) != 0 ||
	    c->customer_id <= 0)
		bad = "customerId must be a positive integer";
	else if (int_field(ev, "profileVersion", &c->version) != 0 ||
	    c->version <= 0)
		bad = "profileVersion must be a positive integer";
	else if (text_field(ev, "name", c->name, sizeof(c->name),
	    FD_CUSTOMER_NAME_MAX, 0) != 0)
		bad = "name must be 1 to 60 characters of text";
	else if (text_field(ev, "phone", c->phone, sizeof(c->phone),
	    FD_CUSTOMER_PHONE_MAX, 1) != 0)
		bad = "phone must be 1 to 20 printable ASCII characters";
	else if (text_field(ev, "address", c->address, sizeof(c->address),
	    FD_CUSTOMER_ADDRESS_MAX, 0) != 0)
		bad = "address must be 1 to 200 characters of text";
	if (bad == NULL)
		return 0;
	snprintf(err, errsz, "customer event: %s", bad);
	return -1;
}
