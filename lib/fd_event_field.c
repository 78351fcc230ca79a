/*
 * fd_event_field.c - the shared field rules and readers of the event
 * codecs (see fd_event_field.h).
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fd_event_field.h"
#include "fd_input.h"

void
fd_event_in_init(struct fd_event_in *in, const char *type,
    json_object *payload, char *err, size_t errsz)
{
	memset(in, 0, sizeof(*in));
	in->payload = payload;
	in->type = type;
	in->where = "";
	in->err = err;
	in->errsz = errsz;
	if (errsz > 0)
		err[0] = '\0';
	if (payload == NULL || !json_object_is_type(payload, json_type_object)) {
		in->bad = 1;
		snprintf(err, errsz, "%s: the payload is not a JSON object",
		    type);
	}
}

int
fd_event_in_end(const struct fd_event_in *in)
{
	return in->bad ? -1 : 0;
}

/* The first refusal: "<type>: <where><key> <why>". */
static int
refuse(struct fd_event_in *in, const char *key, const char *fmt, ...)
{
	struct fd_event_in *p;
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* An element's refusal is its array's, and its event's. */
	for (p = in; p != NULL; p = p->up)
		p->bad = 1;
	snprintf(in->err, in->errsz, "%s: %s%s %s", in->type, in->where, key,
	    why);
	return -1;
}

int
fd_event_in_elem(struct fd_event_in *in, const char *key, json_object *elem,
    size_t i, struct fd_event_in *sub)
{
	struct fd_event_in *p;

	memset(sub, 0, sizeof(*sub));
	sub->payload = elem;
	sub->type = in->type;
	sub->err = in->err;
	sub->errsz = in->errsz;
	sub->bad = in->bad;
	sub->up = in;
	snprintf(sub->at, sizeof(sub->at), "%s[%zu].", key, i);
	sub->where = sub->at;
	if (in->bad)
		return -1;
	if (elem == NULL || !json_object_is_type(elem, json_type_object)) {
		for (p = sub; p != NULL; p = p->up)
			p->bad = 1;
		snprintf(in->err, in->errsz, "%s: %s[%zu] must be an object",
		    in->type, key, i);
		return -1;
	}
	return 0;
}

/* The field, or NULL (absent, or JSON null). */
static json_object *
field(struct fd_event_in *in, const char *key)
{
	json_object *j = NULL;

	if (!json_object_object_get_ex(in->payload, key, &j))
		return NULL;
	return j;
}

int
fd_event_int(struct fd_event_in *in, const char *key, long long min,
    long long max, long long *out)
{
	json_object *j;
	long long v;

	*out = 0;
	if (in->bad)
		return -1;
	if ((j = field(in, key)) == NULL)
		return refuse(in, key, "is missing");
	if (!json_object_is_type(j, json_type_int))
		return refuse(in, key, "must be an integer");
	/* json-c clamps what does not fit an int64: beyond any max here. */
	v = json_object_get_int64(j);
	if (v < min || v > max)
		return refuse(in, key, "must be %lld to %lld", min, max);
	*out = v;
	return 0;
}

int
fd_event_int_opt(struct fd_event_in *in, const char *key, long long min,
    long long max, long long def, long long *out)
{
	*out = def;
	if (in->bad)
		return -1;
	if (field(in, key) == NULL)
		return 0;
	return fd_event_int(in, key, min, max, out);
}

int
fd_event_id(struct fd_event_in *in, const char *key, long long *out)
{
	return fd_event_int(in, key, 1, FD_EVENT_ID_MAX, out);
}

int
fd_event_amount(struct fd_event_in *in, const char *key, long long *out)
{
	return fd_event_int(in, key, 0, FD_EVENT_AMOUNT_MAX, out);
}

int
fd_event_bool(struct fd_event_in *in, const char *key, int *out)
{
	json_object *j;

	*out = 0;
	if (in->bad)
		return -1;
	if ((j = field(in, key)) == NULL)
		return refuse(in, key, "is missing");
	if (!json_object_is_type(j, json_type_boolean))
		return refuse(in, key, "must be true or false");
	*out = json_object_get_boolean(j) ? 1 : 0;
	return 0;
}

int
fd_event_text_ok(const char *s, size_t maxchars)
{
	size_t n = strlen(s);

	return n > 0 && fd_utf8_text(s, n) && fd_utf8_chars(s, n) <= maxchars;
}

/*
 * A string of 1 .. max characters (ascii: bytes of printable ASCII) into
 * buf; empty_ok: "" too.
 */
static int
string(struct fd_event_in *in, const char *key, char *buf, size_t sz,
    size_t max, int ascii, int empty_ok)
{
	json_object *j;
	const char *s;
	size_t n, i;

	buf[0] = '\0';
	if (in->bad)
		return -1;
	if ((j = field(in, key)) == NULL)
		return refuse(in, key, "is missing");
	if (!json_object_is_type(j, json_type_string))
		return refuse(in, key, "must be a string");
	s = json_object_get_string(j);
	n = (size_t)json_object_get_string_len(j);
	if (n == 0 && empty_ok)
		return 0;
	/* An embedded NUL would cut the text short unseen; controls and
	 * invalid UTF-8 are no text. */
	if (n == 0 || memchr(s, '\0', n) != NULL || !fd_utf8_text(s, n))
		return refuse(in, key, ascii ? "must be 1 to %zu printable "
		    "ASCII characters" : "must be 1 to %zu characters of text",
		    max);
	for (i = 0; ascii && i < n; i++)
		if ((unsigned char)s[i] > 0x7e)
			return refuse(in, key, "must be 1 to %zu printable "
			    "ASCII characters", max);
	if ((ascii ? n : fd_utf8_chars(s, n)) > max || n >= sz)
		return refuse(in, key, "must be at most %zu characters", max);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

int
fd_event_text(struct fd_event_in *in, const char *key, char *buf, size_t sz,
    size_t maxchars)
{
	return string(in, key, buf, sz, maxchars, 0, 0);
}

int
fd_event_ascii(struct fd_event_in *in, const char *key, char *buf,
    size_t sz, size_t maxbytes)
{
	return string(in, key, buf, sz, maxbytes, 1, 0);
}

int
fd_event_text_opt(struct fd_event_in *in, const char *key, char *buf,
    size_t sz, size_t maxchars)
{
	buf[0] = '\0';
	if (in->bad)
		return -1;
	if (field(in, key) == NULL)
		return 0;
	return string(in, key, buf, sz, maxchars, 0, 1);
}

int
fd_event_reason(struct fd_event_in *in, const char *key, char *buf,
    size_t sz)
{
	return fd_event_text_opt(in, key, buf, sz, FD_EVENT_REASON_MAX);
}

json_object *
fd_event_array(struct fd_event_in *in, const char *key, size_t min,
    size_t max, size_t *n)
{
	json_object *j;

	*n = 0;
	if (in->bad)
		return NULL;
	if ((j = field(in, key)) == NULL) {
		refuse(in, key, "is missing");
		return NULL;
	}
	if (!json_object_is_type(j, json_type_array)) {
		refuse(in, key, "must be an array");
		return NULL;
	}
	*n = json_object_array_length(j);
	if (*n < min || *n > max) {
		*n = 0;
		refuse(in, key, "must have %zu to %zu elements", min, max);
		return NULL;
	}
	return j;
}
