/*
 * fuzz_event.c - libFuzzer harness over every event decoder: each codec
 * in the registry (lib/fd_event.c: OrderPlaced, PayApproved, StoreChanged,
 * the customer events, ... whatever lib/fd_event_*.c registers) reads
 * payloads a subscriber gets from the relay, and fd_utc_parse
 * (lib/fd_utc.c) reads StoreChanged's pausedUntil and PATCH /stores'.
 *
 * The input: if its first line names a registered type ("OrderPlaced\n"),
 * that type and the rest as its payload; otherwise the first byte modulo
 * the number of codecs picks the type and the rest is the payload.  The
 * payload is parsed as the consumer parses a delivery (strict,
 * depth-limited, valid UTF-8).  Beyond "no sanitizer fires", the harness
 * aborts if a payload a codec accepts does not come back the same through
 * its encoder and decoder (the registry's check says -2), if a refusal's
 * reason (the relay records it) is empty or not text, or if a time
 * fd_utc_parse() accepts does not format back to the same second.
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fd_event.h"
#include "fd_input.h"
#include "fd_event_store.h"
#include "fd_utc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_time(const char *s)
{
	char out[FD_UTC_LEN];
	long long t, back;

	if (fd_utc_parse(s, &t) != 0)
		return;
	if (t < 0 || t > FD_STORE_TIME_MAX)
		abort();
	fd_utc_format(t, out);
	/* The same second, and a prefix of what was parsed. */
	if (fd_utc_parse(out, &back) != 0 || back != t ||
	    strncmp(out, s, 19) != 0)
		abort();
}

/* The codec the input names or picks, and where its payload starts. */
static const struct fd_event_codec *
pick(const uint8_t *data, size_t size, size_t *skip)
{
	const uint8_t *nl;
	char type[64];
	size_t n;
	const struct fd_event_codec *c;

	nl = size > 0 ? memchr(data, '\n', size < sizeof(type) ? size :
	    sizeof(type)) : NULL;
	if (nl != NULL) {
		n = (size_t)(nl - data);
		memcpy(type, data, n);
		type[n] = '\0';
		if ((c = fd_event_codec(type)) != NULL) {
			*skip = n + 1;
			return c;
		}
	}
	*skip = 1;
	if (size == 0 || fd_event_ncodecs() == 0)
		return NULL;
	return fd_event_codec_at(data[0] % fd_event_ncodecs());
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fd_event_codec *c;
	json_tokener *tok;
	json_object *ev;
	char err[300], text[64];
	size_t skip;
	int rc;

	/* The input as a time, too (up to 63 bytes, NUL-terminated). */
	if (size < sizeof(text)) {
		memcpy(text, data, size);
		text[size] = '\0';
		check_time(text);
	}
	if ((c = pick(data, size, &skip)) == NULL || skip > size)
		return 0;
	if ((tok = json_tokener_new_ex(FD_INPUT_DEPTH)) == NULL)
		return 0;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	ev = json_tokener_parse_ex(tok, (const char *)data + skip,
	    (int)(size - skip));
	json_tokener_free(tok);
	if (ev == NULL)
		return 0;
	err[0] = '\0';
	rc = c->check(ev, err, sizeof(err));
	/* Accepted and the same again (0), or refused with a reason in text
	 * (-1); -2 is a codec that loses or changes what it accepted. */
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (err[0] == '\0' || !fd_utf8_text(err, strlen(err))))
		abort();
	json_object_put(ev);
	return 0;
}
