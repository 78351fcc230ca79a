/*
 * fd_breaker.c - the circuit breaker's state machine (see fd_breaker.h).
 */
#include <string.h>

#include "fd_breaker.h"

void
fd_br_cfg_default(struct fd_br_cfg *c)
{
	c->window_ms = 10000;
	c->buckets = 10;
	c->min_calls = 20;
	c->fail_pct = 50;
	c->open_ms = 5000;
	c->probe_ok = 1;
	c->probe_stale_ms = 10000;
}

void
fd_br_init(struct fd_breaker *b)
{
	memset(b, 0, sizeof(*b));
	b->state = FD_BR_CLOSED;
}

const char *
fd_br_state_name(enum fd_br_state s)
{
	switch (s) {
	case FD_BR_OPEN:
		return "open";
	case FD_BR_HALF_OPEN:
		return "half_open";
	default:
		return "closed";
	}
}

static long long
bucket_ms(const struct fd_br_cfg *c)
{
	int n = c->buckets < 1 ? 1 : c->buckets > FD_BR_MAXBUCKETS ?
	    FD_BR_MAXBUCKETS : c->buckets;
	long long ms = c->window_ms / n;

	return ms > 0 ? ms : 1;
}

static int
nbuckets(const struct fd_br_cfg *c)
{
	return c->buckets < 1 ? 1 : c->buckets > FD_BR_MAXBUCKETS ?
	    FD_BR_MAXBUCKETS : c->buckets;
}

static void
move_to(struct fd_breaker *b, enum fd_br_state s, long long now)
{
	b->state = s;
	b->to_state[s]++;
	b->probing = 0;
	b->probes_good = 0;
	if (s == FD_BR_OPEN)
		b->opened_at = now;
	if (s == FD_BR_CLOSED) {
		memset(b->bucket_start, 0, sizeof(b->bucket_start));
		memset(b->calls, 0, sizeof(b->calls));
		memset(b->fails, 0, sizeof(b->fails));
	}
}

void
fd_br_window(const struct fd_breaker *b, const struct fd_br_cfg *c,
    long long now, unsigned *calls, unsigned *fails)
{
	long long bms = bucket_ms(c), oldest = (now / bms) * bms -
	    (long long)(nbuckets(c) - 1) * bms;
	int i;

	*calls = *fails = 0;
	for (i = 0; i < nbuckets(c); i++)
		if (b->bucket_start[i] >= oldest && b->bucket_start[i] <= now &&
		    (b->calls[i] || b->fails[i])) {
			*calls += b->calls[i];
			*fails += b->fails[i];
		}
}

enum fd_br_decision
fd_br_allow(struct fd_breaker *b, const struct fd_br_cfg *c, long long now)
{
	if (b->state == FD_BR_OPEN && now - b->opened_at >= c->open_ms)
		move_to(b, FD_BR_HALF_OPEN, now);
	switch (b->state) {
	case FD_BR_CLOSED:
		return FD_BR_ALLOW;
	case FD_BR_HALF_OPEN:
		/* One probe at a time; one whose caller vanished is retried. */
		if (!b->probing || now - b->probe_started >= c->probe_stale_ms) {
			b->probing = 1;
			b->probe_started = now;
			return FD_BR_PROBE;
		}
		break;
	default:
		break;
	}
	b->rejected++;
	return FD_BR_REJECT;
}

void
fd_br_abandon(struct fd_breaker *b, enum fd_br_decision how)
{
	if (how == FD_BR_PROBE && b->state == FD_BR_HALF_OPEN)
		b->probing = 0;
}

void
fd_br_record(struct fd_breaker *b, const struct fd_br_cfg *c, long long now,
    int failed, enum fd_br_decision how)
{
	long long bms = bucket_ms(c), start = (now / bms) * bms;
	int i = (int)((now / bms) % nbuckets(c));
	unsigned calls, fails;

	b->calls_total++;
	if (failed)
		b->fails_total++;
	if (how == FD_BR_PROBE) {
		if (b->state != FD_BR_HALF_OPEN)
			return;
		b->probing = 0;
		if (failed)
			move_to(b, FD_BR_OPEN, now);
		else if (++b->probes_good >= c->probe_ok)
			move_to(b, FD_BR_CLOSED, now);
		return;
	}
	/* Late answers of calls let through before it opened don't count. */
	if (b->state != FD_BR_CLOSED)
		return;
	if (b->bucket_start[i] != start) {
		b->bucket_start[i] = start;
		b->calls[i] = b->fails[i] = 0;
	}
	b->calls[i]++;
	if (failed)
		b->fails[i]++;
	fd_br_window(b, c, now, &calls, &fails);
	if (calls >= (unsigned)c->min_calls &&
	    (unsigned long long)fails * 100 >=
	    (unsigned long long)c->fail_pct * calls)
		move_to(b, FD_BR_OPEN, now);
}
