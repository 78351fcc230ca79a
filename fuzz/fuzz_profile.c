/*
 * fuzz_profile.c - libFuzzer harness for the customer's profile: the body
 * of PATCH /auth/me (fd_input_parse() against the route's table, then
 * auth_profile_check() and auth_profile_apply(), auth_domain.c) and the
 * two events that carry a profile to the order context,
 * CustomerRegistered and CustomerProfileChanged (fd_customer_decode(),
 * lib/fd_customer.c).
 *
 * The first byte picks: 0 the PATCH body; 1 and 2 an event payload, as
 * json-c parses what the relay delivers (1: as it is; 2: the same with
 * the decoder's buffers checked by encoding what it decoded and decoding
 * that again).  Beyond "no sanitizer fires", the harness aborts if an
 * accepted body or event breaks a promise: a change the domain takes
 * holds only signup-valid text within its bounds, a decoded event has a
 * positive id and version and text within its bounds, and an event
 * decoded, encoded and decoded again is the same.
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fd_event_auth.h"
#include "fd_input.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* auth: PATCH /auth/me (auth_http.c's profile_fields). */
static const struct fd_field profile_fields[] = {
	{ "name", FD_T_STRING, 0, 1, 60, NULL },
	{ "phone", FD_T_STRING, 0, 8, 20, NULL },
	{ "address", FD_T_STRING, 0, 1, 200, NULL },
};
static const struct fd_schema profile_schema = FD_SCHEMA(profile_fields);

/* Text of 1..max characters, valid UTF-8 without controls or NUL. */
static void
check_text(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || !fd_utf8_text(s, n) || fd_utf8_chars(s, n) > max)
		abort();
}

static void
patch_body(const uint8_t *data, size_t size)
{
	struct auth_account a;
	struct auth_profile_patch p = { NULL, NULL, NULL };
	char name[sizeof(a.name)], phone[sizeof(a.phone)];
	char address[sizeof(a.address)];
	struct fd_input in;
	const struct fd_value *v;

	if (fd_input_parse(&in, &profile_schema, (const char *)data, size) !=
	    FD_IN_OK) {
		if (in.msg[0] == '\0' || !fd_utf8_text(in.msg, strlen(in.msg)))
			abort();
		fd_input_free(&in);
		return;
	}
	v = in.v;
	/* As auth_http.c copies them. */
	if (v[0].present) {
		snprintf(name, sizeof(name), "%.*s", (int)v[0].len, v[0].s);
		p.name = name;
	}
	if (v[1].present) {
		snprintf(phone, sizeof(phone), "%.*s", (int)v[1].len, v[1].s);
		p.phone = phone;
	}
	if (v[2].present) {
		snprintf(address, sizeof(address), "%.*s", (int)v[2].len,
		    v[2].s);
		p.address = address;
	}
	if (auth_profile_check(&p) == AUTH_OK) {
		memset(&a, 0, sizeof(a));
		snprintf(a.name, sizeof(a.name), "김민수");
		snprintf(a.phone, sizeof(a.phone), "010-1234-5678");
		snprintf(a.address, sizeof(a.address), "서울 종로구 1");
		a.version = 1;
		if (auth_profile_apply(&a, &p) != (a.version == 2))
			abort();
		check_text(a.name, 60);
		check_text(a.address, 200);
		check_text(a.phone, 20);
		if (strspn(a.name, " ") == strlen(a.name) ||
		    strspn(a.address, " ") == strlen(a.address))
			abort();
	}
	fd_input_free(&in);
}

static void
check_event(const struct fd_customer *c)
{
	size_t i;

	if (c->customer_id <= 0 || c->version <= 0)
		abort();
	check_text(c->name, FD_CUSTOMER_NAME_MAX);
	check_text(c->address, FD_CUSTOMER_ADDRESS_MAX);
	check_text(c->phone, FD_CUSTOMER_PHONE_MAX);
	for (i = 0; c->phone[i] != '\0'; i++)
		if ((unsigned char)c->phone[i] > 0x7e)
			abort();
}

static void
event(const uint8_t *data, size_t size, int again)
{
	struct json_tokener *tok;
	struct json_object *ev, *enc, *back;
	struct fd_customer c, d;
	char err[160];

	if ((tok = json_tokener_new_ex(8)) == NULL)
		return;
	ev = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	err[0] = '\0';
	if (fd_customer_decode(ev, &c, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || !fd_utf8_text(err, strlen(err)))
			abort();
	} else {
		check_event(&c);
		if (again) {
			enc = fd_customer_encode(&c);
			back = json_tokener_parse(json_object_to_json_string(enc));
			if (fd_customer_decode(back, &d, err, sizeof(err)) != 0 ||
			    memcmp(&c, &d, sizeof(c)) != 0)
				abort();
			json_object_put(back);
			json_object_put(enc);
		}
	}
	json_object_put(ev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 65536)
		return 0;
	switch (data[0] % 3) {
	case 0:
		patch_body(data + 1, size - 1);
		break;
	default:
		event(data + 1, size - 1, data[0] % 3 == 2);
		break;
	}
	return 0;
}
