/*
 * unit_event.c - the event codecs' table tests share this: a good
 * payload of a type, one field set to another JSON value (or removed),
 * and what the type's codec says of it through the registry
 * (lib/fd_event.c: decode, and encode and decode again).  Used by
 * tests/unit/test_event_*.c.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_event.h"
#include "fd_input.h"
#include "unit.h"

/* The object path ("items.0.qty") names, and the last key in it. */
static json_object *
parent_of(json_object *o, const char *path, char *last, size_t lsz)
{
	char buf[128], *p, *dot;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf; (dot = strchr(p, '.')) != NULL; p = dot + 1) {
		*dot = '\0';
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(p));
		else if (!json_object_object_get_ex(o, p, &o))
			return NULL;
	}
	snprintf(last, lsz, "%s", p);
	return o;
}

int
unit_event_try(const char *type, const char *good, const char *path,
    const char *val, char *err, size_t errsz)
{
	const struct fd_event_codec *c = fd_event_codec(type);
	json_object *o, *parent, *v;
	char key[128];
	int rc;

	err[0] = '\0';
	if (c == NULL || (o = json_tokener_parse(good)) == NULL)
		return -3;
	if (path != NULL) {
		if ((parent = parent_of(o, path, key, sizeof(key))) == NULL) {
			json_object_put(o);
			return -3;
		}
		if (val == NULL)
			json_object_object_del(parent, key);
		else {
			/* "null" parses to NULL: a JSON null. */
			v = json_tokener_parse(val);
			if (v == NULL && strcmp(val, "null") != 0) {
				json_object_put(o);
				return -3;
			}
			json_object_object_add(parent, key, v);
		}
	}
	rc = c->check(o, err, errsz);
	json_object_put(o);
	return rc;
}

void
unit_event_rows(const char *type, const char *good,
    const struct unit_event_row *rows, size_t n)
{
	const char *last;
	char err[300];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = unit_event_try(type, good, rows[i].path, rows[i].val, err,
		    sizeof(err));
		UNIT_CHECK(rc == rows[i].want, "%s row %zu %s=%.60s: got %d (%s), "
		    "want %d", type, i, rows[i].path ? rows[i].path : "-",
		    rows[i].val ? rows[i].val : "(removed)", rc, err,
		    rows[i].want);
		/* A refusal says why, in text, and names the type and the
		 * field. */
		last = rows[i].path == NULL ? "" :
		    strrchr(rows[i].path, '.') != NULL ?
		    strrchr(rows[i].path, '.') + 1 : rows[i].path;
		if (rc == -1)
			UNIT_CHECK(err[0] != '\0' &&
			    fd_utf8_text(err, strlen(err)) &&
			    strstr(err, last) != NULL,
			    "%s row %zu: err \"%s\" does not name %s", type, i,
			    err, last);
	}
}

/* For the codecs' wire tests: a JSON string of n times unit. */
const char *
unit_json_repeat(char *buf, size_t sz, const char *unit, size_t n)
{
	size_t len = strlen(unit), at = 0, i;

	if (sz < 3)
		return "";
	buf[at++] = '"';
	for (i = 0; i < n && at + len + 2 < sz; i++, at += len)
		memcpy(buf + at, unit, len);
	buf[at++] = '"';
	buf[at] = '\0';
	return buf;
}

json_object *
unit_event_wire(json_object *encoded, const char *want, unsigned int line)
{
	const char *text;
	json_object *back;

	text = json_object_to_json_string_ext(encoded, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	UNIT_CHECK(strcmp(text, want) == 0, "line %u: on the wire %s, want %s",
	    line, text, want);
	back = json_tokener_parse(text);
	json_object_put(encoded);
	return back;
}
