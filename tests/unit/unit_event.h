/*
 * unit_event.h - what the event codecs' unit tests share
 * (test_event_store.c, test_event_delivery.c): a table of changes to one
 * valid payload, each decoded and expected taken or refused, and long
 * strings for the bounds.
 */
#ifndef UNIT_EVENT_H
#define UNIT_EVENT_H

#include <stddef.h>

struct json_object;

/* A codec's decoder into a struct of its own (the test's wrapper). */
typedef int	(*unit_decode_fn)(struct json_object *payload, char *err,
		    size_t errsz);

/*
 * One change of a valid payload: field set to json (a JSON text: "null"
 * is null; NULL removes the field), or with field NULL the whole payload
 * replaced by json.  ok: 1 if the decoder must take it.
 */
struct unit_event_case {
	const char	*field;
	const char	*json;
	int		 ok;
};

/*
 * Decodes base (a payload's JSON text) changed by each case with dec and
 * checks the verdict; a refusal must say why in text naming type.  Parsed
 * without UTF-8 validation, so a case can carry invalid bytes.
 */
void		 unit_event_cases(const char *type, unit_decode_fn dec,
		    const char *base, const struct unit_event_case *cases,
		    size_t n, unsigned int line);
#define UNIT_EVENT_CASES(type, dec, base, tab) \
	unit_event_cases((type), (dec), (base), (tab), \
	    sizeof(tab) / sizeof((tab)[0]), __LINE__)

/* A JSON string of n times unit ("\"가가...\"") in buf; returns buf. */
const char	*unit_json_repeat(char *buf, size_t sz, const char *unit,
		    size_t n);

/*
 * The payload's JSON text, as the outbox writes it, must be want; then
 * parsed back as the relay carries it: the caller owns the result.
 */
struct json_object *unit_event_wire(struct json_object *encoded,
		    const char *want, unsigned int line);

#endif
