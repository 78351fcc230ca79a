/*
 * unit_event.c - helpers of the event codecs' unit tests (unit_event.h).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_input.h"
#include "unit.h"
#include "unit_event.h"

void
unit_event_cases(const char *type, unit_decode_fn dec, const char *base,
    const struct unit_event_case *cases, size_t n, unsigned int line)
{
	const struct unit_event_case *c;
	json_object *o, *v;
	char err[256];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		c = &cases[i];
		if (c->field == NULL)
			o = json_tokener_parse(c->json);
		else {
			o = json_tokener_parse(base);
			UNIT_CHECK(o != NULL, "line %u: base does not parse", line);
			if (o == NULL)
				return;
			json_object_object_del(o, c->field);
			if (c->json != NULL) {
				v = json_tokener_parse(c->json);
				UNIT_CHECK(v != NULL || strcmp(c->json, "null") == 0,
				    "line %u: case %zu's value does not parse",
				    line, i);
				json_object_object_add(o, c->field, v);
			}
		}
		memset(err, 0, sizeof(err));
		rc = dec(o, err, sizeof(err));
		UNIT_CHECK(rc == (c->ok ? 0 : -1), "line %u: %s %s=%.60s: "
		    "got %d, want %s (%s)", line, type,
		    c->field != NULL ? c->field : "payload",
		    c->json != NULL ? c->json : "(absent)", rc,
		    c->ok ? "taken" : "refused", err);
		if (rc != 0)
			UNIT_CHECK(err[0] != '\0' &&
			    fd_utf8_text(err, strlen(err)) &&
			    strstr(err, type) != NULL, "line %u: %s case %zu: "
			    "a refusal without its reason: \"%s\"", line, type,
			    i, err);
		json_object_put(o);
	}
}

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
