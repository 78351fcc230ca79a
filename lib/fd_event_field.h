/*
 * fd_event_field.h - the one rule set of our events' fields, shared by
 * every codec (lib/fd_event_<producer>.c): what an id, an amount, a
 * reason or a text field may be, and the readers that take them out of a
 * payload and say, in text the relay records, which field was missing,
 * mistyped or out of range.
 *
 * The rules, for every event alike:
 *   id       a JSON integer 1 .. FD_EVENT_ID_MAX (10^15 - 1: the ids a
 *            route takes, 1 to 15 digits, fd_route_match() in
 *            lib/fd_http.c);
 *   amount   a JSON integer 0 .. FD_EVENT_AMOUNT_MAX KRW (payment's and
 *            fishstore's bound on what one order may charge);
 *   reason   optional: absent or null is "" (none); else valid UTF-8 text
 *            (no control character, no NUL) of at most FD_EVENT_REASON_MAX
 *            characters ("" allowed, read as none);
 *   text     valid UTF-8 text (no control character, no NUL) of 1 .. max
 *            characters; ascii: printable ASCII only (phones).
 * A missing optional field has one default: "" for text, 0 for a number.
 *
 * A decoder reads its fields through one struct fd_event_in: the first
 * field refused writes err and every later read is skipped, so a decoder
 * is a list of reads and fd_event_in_end() (0, or -1).  No I/O; json-c
 * and fd_input.c's UTF-8 checks only, so the fuzz harness links it.
 * (Kept apart from the registry, lib/fd_event.c, which includes every
 * codec: the codecs include this, so no include or link circle.)
 */
#ifndef FD_EVENT_FIELD_H
#define FD_EVENT_FIELD_H

#include <stddef.h>

struct json_object;

#define FD_EVENT_ID_MAX		999999999999999LL	/* 10^15 - 1 */
#define FD_EVENT_AMOUNT_MAX	100000000000LL		/* KRW, 10^11 */
#define FD_EVENT_REASON_MAX	200	/* characters: POST /orders/{id}/cancel,
					   PATCH /fishstores/{id} take 200 */
#define FD_EVENT_NAME_MAX	60	/* characters: a menu item, a store */
#define FD_EVENT_ADDRESS_MAX	200	/* characters */
#define FD_EVENT_PHONE_MAX	20	/* bytes, printable ASCII */
/* Buffers for them: UTF-8 takes up to 4 bytes a character, and a NUL. */
#define FD_EVENT_TEXT_SZ(chars)	(4 * (chars) + 1)

struct fd_event_in {
	struct json_object *payload;	/* borrowed */
	const char	*type;		/* the event, for err */
	const char	*where;		/* "" or "items[3] ": a nested object */
	char		*err;
	size_t		 errsz;
	int		 bad;		/* a read failed: err says why */
	struct fd_event_in *up;		/* the object an element is in */
	char		 at[32];	/* where's storage */
};

/*
 * Starts reading payload as an event of type (err, errsz: where a refusal
 * is written); refused at once if payload is not a JSON object.
 */
void		 fd_event_in_init(struct fd_event_in *, const char *type,
		    struct json_object *payload, char *err, size_t errsz);
/*
 * Reads element i of the array key's (an object) with in's err: a refusal
 * there is in's.  0, or -1.
 */
int		 fd_event_in_elem(struct fd_event_in *in, const char *key,
		    struct json_object *elem, size_t i, struct fd_event_in *sub);
/* 0 if every read succeeded, else -1 (err says which field). */
int		 fd_event_in_end(const struct fd_event_in *);

/* Each: 0 and *out set, or -1 with err written (and out "" or 0). */
int		 fd_event_id(struct fd_event_in *, const char *key,
		    long long *out);
int		 fd_event_amount(struct fd_event_in *, const char *key,
		    long long *out);
/* A JSON integer min .. max. */
int		 fd_event_int(struct fd_event_in *, const char *key,
		    long long min, long long max, long long *out);
/* An optional integer min .. max: absent or null is def. */
int		 fd_event_int_opt(struct fd_event_in *, const char *key,
		    long long min, long long max, long long def, long long *out);
int		 fd_event_bool(struct fd_event_in *, const char *key, int *out);
/* Text of 1 .. maxchars characters into buf (sz bytes, sz large enough
 * for maxchars: FD_EVENT_TEXT_SZ). */
int		 fd_event_text(struct fd_event_in *, const char *key,
		    char *buf, size_t sz, size_t maxchars);
/* Printable ASCII (0x20..0x7e) of 1 .. maxbytes bytes. */
int		 fd_event_ascii(struct fd_event_in *, const char *key,
		    char *buf, size_t sz, size_t maxbytes);
/* Optional text: absent or null is ""; "" is taken; else as
 * fd_event_text(). */
int		 fd_event_text_opt(struct fd_event_in *, const char *key,
		    char *buf, size_t sz, size_t maxchars);
/* The reason rule: fd_event_text_opt() of FD_EVENT_REASON_MAX. */
int		 fd_event_reason(struct fd_event_in *, const char *key,
		    char *buf, size_t sz);
/* An array of min .. max elements: the array (borrowed) and its length. */
struct json_object *fd_event_array(struct fd_event_in *, const char *key,
		    size_t min, size_t max, size_t *n);

/* 1 if s is text the rules above take as 1 .. maxchars characters (what
 * an encoder's caller may check before writing). */
int		 fd_event_text_ok(const char *s, size_t maxchars);

/*
 * Defines the registry's check of one event (lib/fd_event.c): decode,
 * and for an accepted payload encode it, through its JSON text, and
 * decode that again: 0 the same, -1 refused (err says why), -2 not the
 * same (a codec that loses or changes a field: err says so).  The
 * decoders memset their struct first, so memcmp compares every byte.
 * The file that uses it includes <json-c/json.h>, <stdio.h> and
 * <string.h>.
 */
#define FD_EVENT_CHECK(pfx, st)						\
int									\
pfx##_check(struct json_object *payload, char *err, size_t errsz)	\
{									\
	static struct st a, b;						\
	struct json_object *o, *back;					\
	int rc;								\
									\
	if (pfx##_decode(payload, &a, err, errsz) != 0)			\
		return -1;						\
	o = pfx##_encode(&a);						\
	back = json_tokener_parse(json_object_to_json_string_ext(o,	\
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));	\
	rc = pfx##_decode(back, &b, err, errsz) != 0 ||			\
	    memcmp(&a, &b, sizeof(a)) != 0 ? -2 : 0;			\
	if (rc != 0)							\
		snprintf(err, errsz, "%s", #pfx ": not the same after"	\
		    " encode and decode");				\
	json_object_put(back);						\
	json_object_put(o);						\
	return rc;							\
}

#endif
