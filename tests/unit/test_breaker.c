/*
 * test_breaker.c - fd_breaker.c: the circuit breaker's state machine, with
 * the time passed in.  Closed counts calls over a sliding window of
 * buckets, opens at min_calls and fail_pct, rejects while open, lets one
 * probe through when half-open, and closes again after probe_ok good ones.
 */
#include <CUnit/CUnit.h>
#include <limits.h>
#include <string.h>

#include "fd_breaker.h"
#include "unit.h"

/*
 * A monotonic clock in ms is small after boot and the tests also run at an
 * epoch-like time: both must behave the same.
 */
#define T0	1700000000000LL

/* The defaults: a 10 s window of 10 buckets of 1 s, 20 calls, 50 %, 5 s. */
static void
defaults(struct fd_br_cfg *c)
{
	fd_br_cfg_default(c);
}

/* n calls at now, failed ones first: the last call decides. */
static void
record_n(struct fd_breaker *b, const struct fd_br_cfg *c, long long now,
    int n, int failed)
{
	int i;

	for (i = 0; i < n; i++)
		fd_br_record(b, c, now, failed, FD_BR_ALLOW);
}

static unsigned
win_calls(const struct fd_breaker *b, const struct fd_br_cfg *c, long long now)
{
	unsigned calls, fails;

	fd_br_window(b, c, now, &calls, &fails);
	return calls;
}

static unsigned
win_fails(const struct fd_breaker *b, const struct fd_br_cfg *c, long long now)
{
	unsigned calls, fails;

	fd_br_window(b, c, now, &calls, &fails);
	return fails;
}

/* Opens b at now with min_calls failures; returns with state OPEN. */
static void
trip(struct fd_breaker *b, const struct fd_br_cfg *c, long long now)
{
	record_n(b, c, now, c->min_calls, 1);
	CU_ASSERT_FATAL(b->state == FD_BR_OPEN);
	CU_ASSERT_FATAL(b->opened_at == now);
}

static void
cfg_default(void)
{
	struct fd_br_cfg c;

	memset(&c, 0xa5, sizeof(c));
	fd_br_cfg_default(&c);
	CU_ASSERT_EQUAL(c.window_ms, 10000);
	CU_ASSERT_EQUAL(c.buckets, 10);
	CU_ASSERT_EQUAL(c.min_calls, 20);
	CU_ASSERT_EQUAL(c.fail_pct, 50);
	CU_ASSERT_EQUAL(c.open_ms, 5000);
	/* A breaker that never closes or never retries is no default. */
	CU_ASSERT(c.probe_ok >= 1);
	CU_ASSERT(c.probe_stale_ms > 0);
	CU_ASSERT(c.buckets >= 1 && c.buckets <= FD_BR_MAXBUCKETS);
}

static void
init_and_names(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;

	defaults(&c);
	memset(&b, 0xa5, sizeof(b));
	fd_br_init(&b);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	CU_ASSERT_EQUAL(b.probing, 0);
	CU_ASSERT_EQUAL(b.probes_good, 0);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_CLOSED], 0);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_OPEN], 0);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_HALF_OPEN], 0);
	CU_ASSERT_EQUAL(b.rejected, 0);
	CU_ASSERT_EQUAL(b.calls_total, 0);
	CU_ASSERT_EQUAL(b.fails_total, 0);
	CU_ASSERT_EQUAL(win_calls(&b, &c, 0), 0);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0), 0);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, 0), FD_BR_ALLOW);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, T0), FD_BR_ALLOW);
	CU_ASSERT_EQUAL(b.rejected, 0);

	CU_ASSERT_STRING_EQUAL(fd_br_state_name(FD_BR_CLOSED), "closed");
	CU_ASSERT_STRING_EQUAL(fd_br_state_name(FD_BR_OPEN), "open");
	CU_ASSERT_STRING_EQUAL(fd_br_state_name(FD_BR_HALF_OPEN), "half_open");
}

/* 19 failures out of 19 calls: 100 %, but too few calls to judge. */
static void
closed_below_min_calls(void)
{
	static const long long base[] = { 0, 5, T0 };
	struct fd_breaker b;
	struct fd_br_cfg c;
	size_t k;
	int i;

	defaults(&c);
	for (k = 0; k < sizeof(base) / sizeof(base[0]); k++) {
		fd_br_init(&b);
		for (i = 0; i < c.min_calls - 1; i++) {
			fd_br_record(&b, &c, base[k], 1, FD_BR_ALLOW);
			UNIT_CHECK(b.state == FD_BR_CLOSED,
			    "t=%lld: open after %d failures", base[k], i + 1);
			UNIT_CHECK(fd_br_allow(&b, &c, base[k]) == FD_BR_ALLOW,
			    "t=%lld: refused after %d failures", base[k], i + 1);
		}
		UNIT_CHECK(win_calls(&b, &c, base[k]) == 19 &&
		    win_fails(&b, &c, base[k]) == 19, "t=%lld: window %u/%u",
		    base[k], win_fails(&b, &c, base[k]),
		    win_calls(&b, &c, base[k]));
		UNIT_CHECK(b.to_state[FD_BR_OPEN] == 0, "t=%lld: opened",
		    base[k]);
		/* The 20th failure is the one that opens it. */
		fd_br_record(&b, &c, base[k], 1, FD_BR_ALLOW);
		UNIT_CHECK(b.state == FD_BR_OPEN, "t=%lld: not open at 20/20",
		    base[k]);
		UNIT_CHECK(b.opened_at == base[k], "t=%lld: opened_at %lld",
		    base[k], b.opened_at);
	}
}

/*
 * Opens on the very call that makes min_calls with fail_pct failed, not
 * one call earlier, and not at one failure fewer (fail_pct - 1 % of 100).
 */
static void
opens_at_threshold(void)
{
	static const int pcts[] = { 1, 2, 33, 50, 51, 99, 100 };
	struct fd_breaker b;
	struct fd_br_cfg c;
	size_t k;

	defaults(&c);
	c.min_calls = 100;
	for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		c.fail_pct = pcts[k];

		/* fail_pct - 1 failures of exactly min_calls: stays closed. */
		fd_br_init(&b);
		record_n(&b, &c, T0, pcts[k] - 1, 1);
		record_n(&b, &c, T0, 100 - (pcts[k] - 1), 0);
		UNIT_CHECK(b.state == FD_BR_CLOSED,
		    "pct %d: open at %d%% of 100", pcts[k], pcts[k] - 1);
		UNIT_CHECK(win_calls(&b, &c, T0) == 100, "pct %d: window %u",
		    pcts[k], win_calls(&b, &c, T0));

		/* fail_pct failures: open on the 100th call, not the 99th. */
		fd_br_init(&b);
		record_n(&b, &c, T0, pcts[k] - 1, 1);
		record_n(&b, &c, T0, 100 - pcts[k], 0);
		UNIT_CHECK(b.state == FD_BR_CLOSED,
		    "pct %d: open at 99 calls", pcts[k]);
		fd_br_record(&b, &c, T0, 1, FD_BR_ALLOW);
		UNIT_CHECK(b.state == FD_BR_OPEN,
		    "pct %d: closed at %d%% of 100", pcts[k], pcts[k]);
		UNIT_CHECK(b.to_state[FD_BR_OPEN] == 1,
		    "pct %d: %llu opens", pcts[k], b.to_state[FD_BR_OPEN]);
	}

	/* The defaults: 10 of 20 opens, 9 of 20 does not. */
	defaults(&c);
	fd_br_init(&b);
	record_n(&b, &c, T0, 9, 1);
	record_n(&b, &c, T0, 11, 0);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	fd_br_init(&b);
	record_n(&b, &c, T0, 10, 1);
	record_n(&b, &c, T0, 9, 0);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	fd_br_record(&b, &c, T0, 0, FD_BR_ALLOW);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
}

/* Failures spread over the window add up; one bucket too old does not. */
static void
window_spans_buckets(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;
	int i;

	defaults(&c);
	/* 2 failures in each of the 10 buckets of the window: opens. */
	fd_br_init(&b);
	for (i = 0; i < 10; i++) {
		record_n(&b, &c, T0 + i * 1000LL + 500, 2, 1);
		UNIT_CHECK(i == 9 || b.state == FD_BR_CLOSED,
		    "open after bucket %d", i);
	}
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);

	/* The same, but the first two land one bucket too early. */
	fd_br_init(&b);
	record_n(&b, &c, T0 - 1000 + 500, 2, 1);
	for (i = 1; i < 10; i++)
		record_n(&b, &c, T0 + i * 1000LL + 500, 2, 1);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 + 9500), 18);
	record_n(&b, &c, T0 + 9500, 1, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	record_n(&b, &c, T0 + 9500, 1, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
}

/* Failures older than window_ms are forgotten. */
static void
window_forgets_old_buckets(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;

	defaults(&c);
	fd_br_init(&b);
	record_n(&b, &c, T0, 19, 1);
	/* Still in the window at the end of its last bucket... */
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 + 9999), 19);
	CU_ASSERT_EQUAL(win_fails(&b, &c, T0 + 9999), 19);
	/* ...gone once window_ms have passed. */
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 + 10000), 0);
	CU_ASSERT_EQUAL(win_fails(&b, &c, T0 + 10000), 0);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 + 1000000), 0);

	/* A 20th failure in another bucket, after the window: no open. */
	record_n(&b, &c, T0 + 11500, 1, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 + 11500), 1);

	/* The same 20th failure inside the window opens it. */
	fd_br_init(&b);
	record_n(&b, &c, T0, 19, 1);
	record_n(&b, &c, T0 + 9500, 1, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);

	/* The window is a sum of its buckets: a time before them is empty. */
	fd_br_init(&b);
	record_n(&b, &c, T0, 3, 1);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 - 1), 0);
}

/* A bucket reused after a full rotation starts from zero. */
static void
bucket_reused_is_reset(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;

	defaults(&c);
	fd_br_init(&b);
	/* 15 good calls and 4 failures in bucket 0 (T0 is a whole second). */
	record_n(&b, &c, T0, 4, 1);
	record_n(&b, &c, T0, 15, 0);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0), 19);
	/* Exactly one rotation later: the same slot, a new bucket. */
	record_n(&b, &c, T0 + 10000, 1, 1);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 + 10000), 1);
	CU_ASSERT_EQUAL(win_fails(&b, &c, T0 + 10000), 1);
	/* 19 more failures: 20 of 20 -- the old 15 good ones are gone too. */
	record_n(&b, &c, T0 + 10000, 18, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	record_n(&b, &c, T0 + 10000, 1, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);

	/* Several rotations later, still reset (not added to). */
	fd_br_init(&b);
	record_n(&b, &c, T0 + 3000, 19, 1);
	record_n(&b, &c, T0 + 3000 + 70000, 1, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 + 73000), 1);
}

/* While open every call is refused at once, and counted. */
static void
open_rejects(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;
	unsigned long long i;

	defaults(&c);
	fd_br_init(&b);
	trip(&b, &c, T0);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_OPEN], 1);
	for (i = 0; i < 5; i++) {
		UNIT_CHECK(fd_br_allow(&b, &c, T0 + (long long)i * 1000) ==
		    FD_BR_REJECT, "allowed %llu ms after opening", i * 1000);
		UNIT_CHECK(b.rejected == i + 1, "rejected %llu, want %llu",
		    b.rejected, i + 1);
	}
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, T0 + c.open_ms - 1), FD_BR_REJECT);
	CU_ASSERT_EQUAL(b.rejected, 6);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_HALF_OPEN], 0);
}

/*
 * After open_ms: half-open, one probe at a time.  Early after boot (a
 * small monotonic time, old buckets still "in" the window) as well.
 */
static void
half_open_one_probe_at(long long base)
{
	struct fd_breaker b;
	struct fd_br_cfg c;
	long long t = base + 5000;

	defaults(&c);
	fd_br_init(&b);
	trip(&b, &c, base);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t), FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_HALF_OPEN);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_HALF_OPEN], 1);
	CU_ASSERT_EQUAL(b.rejected, 0);
	/* A second caller, now or until the probe goes stale: refused. */
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t), FD_BR_REJECT);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 1), FD_BR_REJECT);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + c.probe_stale_ms - 1),
	    FD_BR_REJECT);
	CU_ASSERT_EQUAL(b.rejected, 3);
	CU_ASSERT_EQUAL(b.state, FD_BR_HALF_OPEN);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_HALF_OPEN], 1);
	/* The probe answers well: closed, and an empty window. */
	fd_br_record(&b, &c, t + 200, 0, FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_CLOSED], 1);
	CU_ASSERT_EQUAL(win_calls(&b, &c, t + 200), 0);
	CU_ASSERT_EQUAL(win_calls(&b, &c, base), 0);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 201), FD_BR_ALLOW);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 201), FD_BR_ALLOW);
	/* The failures that opened it don't count again: 19 more are fine. */
	record_n(&b, &c, t + 300, 19, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
}

static void
half_open_one_probe(void)
{
	half_open_one_probe_at(100);
	half_open_one_probe_at(T0);
}

/* A failed probe opens it again from the probe's answer. */
static void
failed_probe_reopens(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;
	long long t = T0 + 5000, r = t + 700;

	defaults(&c);
	fd_br_init(&b);
	trip(&b, &c, T0);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t), FD_BR_PROBE);
	fd_br_record(&b, &c, r, 1, FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
	CU_ASSERT_EQUAL(b.opened_at, r);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_OPEN], 2);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_CLOSED], 0);
	/* Another open_ms from the failure, not from the first opening. */
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, T0 + 2 * c.open_ms), FD_BR_REJECT);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, r + c.open_ms - 1), FD_BR_REJECT);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, r + c.open_ms), FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_HALF_OPEN);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_HALF_OPEN], 2);
}

/* probe_ok good probes in a row close it; one bad one starts over. */
static void
probe_ok_probes_close(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;
	long long t = T0 + 5000;
	int i;

	defaults(&c);
	c.probe_ok = 3;
	fd_br_init(&b);
	trip(&b, &c, T0);
	for (i = 0; i < 2; i++) {
		UNIT_CHECK(fd_br_allow(&b, &c, t + i) == FD_BR_PROBE,
		    "probe %d not let through", i + 1);
		UNIT_CHECK(fd_br_allow(&b, &c, t + i) == FD_BR_REJECT,
		    "probe %d: a second one let through", i + 1);
		fd_br_record(&b, &c, t + i, 0, FD_BR_PROBE);
		UNIT_CHECK(b.state == FD_BR_HALF_OPEN,
		    "state %s after %d good probes of 3",
		    fd_br_state_name(b.state), i + 1);
	}
	/* The third bad: open, and the two good ones are forgotten. */
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 2), FD_BR_PROBE);
	fd_br_record(&b, &c, t + 2, 1, FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
	t += 2 + c.open_ms;
	for (i = 0; i < 3; i++) {
		UNIT_CHECK(fd_br_allow(&b, &c, t + i) == FD_BR_PROBE,
		    "after reopening: probe %d not let through", i + 1);
		UNIT_CHECK(b.state == FD_BR_HALF_OPEN,
		    "after reopening: closed after %d good probes", i);
		fd_br_record(&b, &c, t + i, 0, FD_BR_PROBE);
	}
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_CLOSED], 1);
	CU_ASSERT_EQUAL(b.probes_good, 0);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 3), FD_BR_ALLOW);
}

/* A probe whose caller never reports is replaced after probe_stale_ms. */
static void
stale_probe_is_replaced(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;
	long long t = T0 + 5000;

	defaults(&c);
	fd_br_init(&b);
	trip(&b, &c, T0);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t), FD_BR_PROBE);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + c.probe_stale_ms - 1),
	    FD_BR_REJECT);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + c.probe_stale_ms), FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.probe_started, t + c.probe_stale_ms);
	/* The new probe is the only one again. */
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + c.probe_stale_ms),
	    FD_BR_REJECT);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 2 * c.probe_stale_ms - 1),
	    FD_BR_REJECT);
	CU_ASSERT_EQUAL(b.state, FD_BR_HALF_OPEN);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_HALF_OPEN], 1);
	fd_br_record(&b, &c, t + c.probe_stale_ms + 10, 0, FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);

	/* A short probe_stale_ms is honoured as well. */
	defaults(&c);
	c.probe_stale_ms = 3000;
	fd_br_init(&b);
	trip(&b, &c, T0);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t), FD_BR_PROBE);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 2999), FD_BR_REJECT);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 3000), FD_BR_PROBE);
}

/* Answers of calls let through before it opened change nothing. */
static void
late_results_ignored(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;
	long long t = T0 + 5000;

	defaults(&c);
	fd_br_init(&b);
	trip(&b, &c, T0);
	/* Open: 50 late successes don't close it, nor shorten open_ms. */
	record_n(&b, &c, T0 + 100, 50, 0);
	record_n(&b, &c, T0 + 100, 50, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
	CU_ASSERT_EQUAL(b.opened_at, T0);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_OPEN], 1);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_CLOSED], 0);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t - 1), FD_BR_REJECT);
	/* A late probe report while open (a probe of no half-open): same. */
	fd_br_record(&b, &c, T0 + 200, 0, FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_CLOSED], 0);

	/* Half-open with a probe out: late answers neither close nor reopen. */
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t), FD_BR_PROBE);
	record_n(&b, &c, t + 1, 30, 0);
	CU_ASSERT_EQUAL(b.state, FD_BR_HALF_OPEN);
	record_n(&b, &c, t + 1, 30, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_HALF_OPEN);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_OPEN], 1);
	/* ...nor free the probe's slot. */
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 2), FD_BR_REJECT);
	/* Only the probe decides. */
	fd_br_record(&b, &c, t + 3, 0, FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	/* And none of those late answers is in the new window. */
	CU_ASSERT_EQUAL(win_calls(&b, &c, t + 3), 0);
}

/* to_state[] counts every move, the metrics totals every answer. */
static void
counters(void)
{
	struct fd_breaker b;
	struct fd_br_cfg c;
	long long t;

	defaults(&c);
	fd_br_init(&b);
	record_n(&b, &c, T0, 5, 0);
	record_n(&b, &c, T0, 20, 1);
	/*
	 * It opened on the 20th call (15 of 20 failed); the last 5 answers
	 * came late and change no state, but the totals count every answer.
	 */
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);
	CU_ASSERT_EQUAL(b.calls_total, 25);
	CU_ASSERT_EQUAL(b.fails_total, 20);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_OPEN], 1);

	/* open -> half_open -> open -> half_open -> closed -> open. */
	t = b.opened_at + c.open_ms;
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t), FD_BR_PROBE);
	fd_br_record(&b, &c, t, 1, FD_BR_PROBE);
	t += c.open_ms;
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t), FD_BR_PROBE);
	fd_br_record(&b, &c, t, 0, FD_BR_PROBE);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_CLOSED], 1);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_OPEN], 2);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_HALF_OPEN], 2);
	CU_ASSERT_EQUAL(b.calls_total, 27);
	CU_ASSERT_EQUAL(b.fails_total, 21);
	trip(&b, &c, t + 1);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_OPEN], 3);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_CLOSED], 1);
	CU_ASSERT_EQUAL(b.to_state[FD_BR_HALF_OPEN], 2);
	/* Rejections are not calls. */
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, t + 2), FD_BR_REJECT);
	CU_ASSERT_EQUAL(b.calls_total, 47);
	CU_ASSERT_EQUAL(b.rejected, 1);
}

/*
 * Configurations outside the documented ranges: no crash, no division by
 * zero, no access outside the arrays (ASan/UBSan watch), and the breaker
 * still opens on a burst of failures and can close again.
 */
static void
odd_configs(void)
{
	static const struct {
		long long	 window_ms;
		int		 buckets;
	} rows[] = {
		{ 10000, 0 }, { 10000, -1 }, { 10000, INT_MIN },
		{ 10000, FD_BR_MAXBUCKETS }, { 10000, FD_BR_MAXBUCKETS + 1 },
		{ 10000, 1000 }, { 10000, INT_MAX }, { 10000, 1 },
		{ 5, 10 }, { 1, 60 }, { 0, 10 }, { 0, 0 }, { -10000, 10 },
		{ 59, 60 }, { LLONG_MAX, 10 },
	};
	static const long long times[] = { 0, 1, 999, T0, T0 + 12345 };
	struct fd_breaker b;
	struct fd_br_cfg c;
	size_t k, m;
	long long t;
	unsigned calls, fails;

	for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
		for (m = 0; m < sizeof(times) / sizeof(times[0]); m++) {
			defaults(&c);
			c.window_ms = rows[k].window_ms;
			c.buckets = rows[k].buckets;
			t = times[m];
			fd_br_init(&b);
			record_n(&b, &c, t, 19, 1);
			fd_br_window(&b, &c, t, &calls, &fails);
			UNIT_CHECK(calls == 19 && fails == 19 &&
			    b.state == FD_BR_CLOSED,
			    "window %lld buckets %d t %lld: %u/%u %s",
			    rows[k].window_ms, rows[k].buckets, t, fails, calls,
			    fd_br_state_name(b.state));
			fd_br_record(&b, &c, t, 1, FD_BR_ALLOW);
			UNIT_CHECK(b.state == FD_BR_OPEN,
			    "window %lld buckets %d t %lld: not open",
			    rows[k].window_ms, rows[k].buckets, t);
			UNIT_CHECK(fd_br_allow(&b, &c, t + c.open_ms) ==
			    FD_BR_PROBE, "window %lld buckets %d t %lld: no probe",
			    rows[k].window_ms, rows[k].buckets, t);
			fd_br_record(&b, &c, t + c.open_ms, 0, FD_BR_PROBE);
			UNIT_CHECK(b.state == FD_BR_CLOSED,
			    "window %lld buckets %d t %lld: not closed",
			    rows[k].window_ms, rows[k].buckets, t);
			/* Calls spread over a long time touch every slot. */
			for (t = times[m]; t < times[m] + 3000; t += 7)
				fd_br_record(&b, &c, t, 0, FD_BR_ALLOW);
			fd_br_window(&b, &c, t, &calls, &fails);
			UNIT_CHECK(fails == 0 && b.state == FD_BR_CLOSED,
			    "window %lld buckets %d: %u fails after good calls",
			    rows[k].window_ms, rows[k].buckets, fails);
		}

	/* A window shorter than its buckets: 1 ms buckets, forgets fast. */
	defaults(&c);
	c.window_ms = 5;
	fd_br_init(&b);
	record_n(&b, &c, T0, 19, 1);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0), 19);
	CU_ASSERT_EQUAL(win_calls(&b, &c, T0 + 1000), 0);
	record_n(&b, &c, T0 + 1000, 1, 1);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);

	/* min_calls 0 or 1: a single failure opens, a success doesn't. */
	defaults(&c);
	c.min_calls = 0;
	fd_br_init(&b);
	fd_br_record(&b, &c, T0, 0, FD_BR_ALLOW);
	CU_ASSERT_EQUAL(b.state, FD_BR_CLOSED);
	fd_br_record(&b, &c, T0, 1, FD_BR_ALLOW);
	CU_ASSERT_EQUAL(b.state, FD_BR_OPEN);

	/* open_ms 0: half-open on the next call. */
	defaults(&c);
	c.open_ms = 0;
	fd_br_init(&b);
	trip(&b, &c, T0);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, T0), FD_BR_PROBE);
	CU_ASSERT_EQUAL(fd_br_allow(&b, &c, T0), FD_BR_REJECT);
}

static const struct unit_test tests[] = {
	{ "fd_br_cfg_default", cfg_default },
	{ "init and state names", init_and_names },
	{ "closed below min_calls even at 100 %", closed_below_min_calls },
	{ "opens at min_calls and fail_pct, not below",
	    opens_at_threshold },
	{ "the window adds up its buckets", window_spans_buckets },
	{ "the window forgets old buckets", window_forgets_old_buckets },
	{ "a bucket reused after a rotation is reset",
	    bucket_reused_is_reset },
	{ "open rejects and counts", open_rejects },
	{ "half-open lets one probe through", half_open_one_probe },
	{ "a failed probe reopens", failed_probe_reopens },
	{ "probe_ok good probes close it", probe_ok_probes_close },
	{ "a stale probe is replaced", stale_probe_is_replaced },
	{ "late results change nothing", late_results_ignored },
	{ "transition and call counters", counters },
	{ "odd configurations", odd_configs },
};

void
add_breaker_tests(void)
{
	UNIT_SUITE("fd_breaker", tests);
}
