/*
 * fuzz_event.c - libFuzzer harness for the decoder of StoreChanged's
 * payload (fd_store_changed_decode, lib/fd_event_store.c), which the
 * order context applies to its store replica from whatever the relay
 * delivers, and for fd_utc_parse (lib/fd_utc.c), which reads its
 * pausedUntil and PATCH /stores' (fishstore).
 *
 * The input is the event's JSON text (parsed as the consumer does:
 * strict, depth-limited, valid UTF-8).  Beyond "no sanitizer fires", the
 * harness aborts if a decoded event breaks its rules (fd_store_changed_ok)
 * or does not come back the same through the encoder and the decoder, if
 * a refusal's reason (the relay records it) is not text, or if a time
 * fd_utc_parse() accepts does not format back to the same second.
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fd_store_changed a, b;
	json_tokener *tok;
	json_object *ev, *again;
	char err[300], text[64];

	/* The input as a time, too (up to 63 bytes, NUL-terminated). */
	if (size < sizeof(text)) {
		memcpy(text, data, size);
		text[size] = '\0';
		check_time(text);
	}
	if ((tok = json_tokener_new_ex(FD_INPUT_DEPTH)) == NULL)
		return 0;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	ev = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (ev == NULL)
		return 0;
	err[0] = '\0';
	if (fd_store_changed_decode(ev, &a, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || !fd_utf8_text(err, strlen(err)))
			abort();
	} else {
		if (!fd_store_changed_ok(&a))
			abort();
		again = fd_store_changed_encode(&a);
		if (fd_store_changed_decode(again, &b, err, sizeof(err)) != 0 ||
		    memcmp(&a, &b, sizeof(a)) != 0)
			abort();
		json_object_put(again);
	}
	json_object_put(ev);
	return 0;
}
