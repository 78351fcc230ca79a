/*
 * fuzz_input.c - libFuzzer harness for fd_input_parse(), the decoder of
 * every request body.
 *
 * The first byte picks one of five tables shaped like the routes' own
 * (they are static in cgi-bin, so their shapes are copied here): strings
 * only (auth's signup), optional int + bool (fishstore's menu patch), an
 * array of objects (order's place), no fields at all (payment's internal
 * void) and optional bool + strings + ints (fishstore's store patch: open,
 * pause, reason, minimum, fee).  The rest is the body, passed without a
 * terminating NUL as the server's reader may.  Beyond "no sanitizer fires",
 * the harness aborts if an accepted body breaks the table's promises or if
 * a refusal's message (sent to the client in a JSON error) is not text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fd_input.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* auth: POST /auth/signup (auth_http.c). */
static const struct fd_field signup_fields[] = {
	{ "email", FD_T_STRING, 1, 3, 254, NULL },
	{ "password", FD_T_STRING, 1, 1, 128, NULL },
	{ "name", FD_T_STRING, 1, 1, 60, NULL },
	{ "phone", FD_T_STRING, 1, 8, 20, NULL },
	{ "address", FD_T_STRING, 1, 1, 200, NULL },
};
static const struct fd_schema signup_schema = FD_SCHEMA(signup_fields);

/* fishstore: PATCH /stores/{id}/menu/{id} (store_http.c); all optional. */
static const struct fd_field menu_patch_fields[] = {
	{ "price", FD_T_INT, 0, 100, 10000000, NULL },
	{ "soldOut", FD_T_BOOL, 0, 0, 0, NULL },
};
static const struct fd_schema menu_patch_schema = FD_SCHEMA(menu_patch_fields);

/* order: POST /orders (order_http.c). */
static const struct fd_field order_item_fields[] = {
	{ "menuId", FD_T_INT, 1, 1, 999999999999999LL, NULL },
	{ "qty", FD_T_INT, 1, 1, 99, NULL },
};
static const struct fd_schema order_item_schema = FD_SCHEMA(order_item_fields);

static const struct fd_field order_fields[] = {
	{ "storeId", FD_T_INT, 1, 1, 999999999999999LL, NULL },
	{ "items", FD_T_ARRAY, 1, 1, 20, &order_item_schema },
	{ "address", FD_T_STRING, 0, 1, 200, NULL },
	{ "phone", FD_T_STRING, 0, 8, 20, NULL },
	{ "card", FD_T_STRING, 0, 12, 23, NULL },
};
static const struct fd_schema order_schema = FD_SCHEMA(order_fields);

/* payment: POST /payment/internal/void/{id} takes "{}" only. */
static const struct fd_schema empty_schema = { NULL, 0 };

/* fishstore: PATCH /stores/{id} (store_http.c); all optional.  The
 * pausedUntil text is then read by fd_utc_parse() (fuzz_event.c). */
static const struct fd_field store_patch_fields[] = {
	{ "open", FD_T_BOOL, 0, 0, 0, NULL },
	{ "pausedUntil", FD_T_STRING, 0, 20, 30, NULL },
	{ "closedReason", FD_T_STRING, 0, 1, 200, NULL },
	{ "minOrder", FD_T_INT, 0, 0, 1000000, NULL },
	{ "deliveryFee", FD_T_INT, 0, 0, 100000, NULL },
};
static const struct fd_schema store_patch_schema =
    FD_SCHEMA(store_patch_fields);

/*
 * Seeds start with '0'..'4' (0x30..0x34), which % 8 gives 0..4; the
 * bytes % 8 gives 5..7 fold onto 0..2 (mode()).
 */
static const struct fd_schema *const schemas[] = {
	&signup_schema, &menu_patch_schema, &order_schema, &empty_schema,
	&store_patch_schema
};

static size_t
mode(uint8_t b)
{
	size_t n = sizeof(schemas) / sizeof(schemas[0]);

	return (size_t)(b % 8) % n;
}

/* Aborts unless vals (one per field of schema) keep the table's promises. */
static void
check_values(const struct fd_schema *schema, const struct fd_value *vals)
{
	const struct fd_field *f;
	const struct fd_value *v;
	size_t i, e, n;

	for (i = 0; i < schema->nfields; i++) {
		f = &schema->fields[i];
		v = &vals[i];
		if (!v->present) {
			if (f->required)
				abort();
			continue;
		}
		switch (f->type) {
		case FD_T_STRING:
			if (v->s == NULL || !fd_utf8_text(v->s, v->len))
				abort();
			/* Handlers copy with %.*s: no NUL may hide inside. */
			if (memchr(v->s, '\0', v->len) != NULL)
				abort();
			n = fd_utf8_chars(v->s, v->len);
			if ((long long)n < f->min || (long long)n > f->max)
				abort();
			break;
		case FD_T_INT:
			if (v->i < f->min || v->i > f->max)
				abort();
			break;
		case FD_T_BOOL:
			if (v->b != 0 && v->b != 1)
				abort();
			break;
		case FD_T_ARRAY:
			if ((long long)v->n < f->min || (long long)v->n > f->max)
				abort();
			if (v->n > 0 && v->elems == NULL)
				abort();
			for (e = 0; e < v->n; e++)
				check_values(f->elem,
				    fd_input_elem(v, f->elem, e, 0));
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fd_schema *schema;
	struct fd_input in;
	enum fd_input_rc rc;

	if (size == 0)
		return 0;
	schema = schemas[mode(data[0])];
	rc = fd_input_parse(&in, schema, (const char *)data + 1, size - 1);
	if (rc == FD_IN_OK)
		check_values(schema, in.v);
	else if (in.msg[0] == '\0' || !fd_utf8_text(in.msg, strlen(in.msg)))
		/* The message goes back to the client as a JSON string. */
		abort();
	fd_input_free(&in);
	return 0;
}
