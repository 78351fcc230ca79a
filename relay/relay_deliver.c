/*
 * relay_deliver.c - one subscriber's delivery loop.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fd_outbox.h"
#include "fd_proc.h"
#include "relay.h"

/*
 * Sleeps up to ms, or less if woken; drains the wake-ups.  -1 when the
 * master is gone (its end of the pipe closed): the deliverer must go too,
 * not spin on a pipe that is always readable.
 */
static int
wait_for(int wake_fd, long long ms)
{
	struct pollfd p = { wake_fd, POLLIN, 0 };
	char drain[64];
	ssize_t n;

	if (ms <= 0 || poll(&p, 1, (int)ms) <= 0)
		return 0;
	while ((n = read(wake_fd, drain, sizeof(drain))) > 0)
		continue;
	return n == 0 ? -1 : 0;
}

void
relay_deliver(const struct relay_cfg *cfg, int wake_fd, volatile int *stop)
{
	static struct relay_item items[RELAY_MAX_BATCH];
	static enum relay_outcome out[RELAY_MAX_BATCH];
	static char errors[RELAY_MAX_BATCH][256];
	long long backoff = 0, next_housekeep = fd_now_ms() + cfg->housekeep_ms / 2;
	char claim[37];
	size_t n, i;
	int rc, failed, purged;
	long long sent;

	while (!*stop) {
		if (fd_now_ms() >= next_housekeep) {
			/* In chunks: a full one means more is due, soon. */
			rc = relay_housekeep(cfg);
			if ((purged = relay_purge(cfg)) > rc)
				rc = purged;
			next_housekeep = fd_now_ms() + (rc >=
			    RELAY_HOUSEKEEP_CHUNK ? 250 : cfg->housekeep_ms);
		}
		fd_uuid(claim);
		if ((rc = relay_claim(cfg, claim, items, &n)) < 0) {
			if (wait_for(wake_fd, 1000) != 0)	/* database away */
				break;
			continue;
		}
		if (n == 0) {
			if (wait_for(wake_fd, cfg->poll_ms) != 0)
				break;
			continue;
		}
		sent = fd_now_ms();
		if (relay_send(cfg, items, n, out, errors) != 0) {
			/* The subscriber is away: keep our place, back off. */
			relay_metrics_unreachable(cfg->subscriber);
			relay_release(claim);
			backoff = backoff ? backoff * 2 : cfg->backoff_ms;
			if (backoff > cfg->backoff_max_ms)
				backoff = cfg->backoff_max_ms;
		} else {
			for (failed = 0, i = 0; i < n; i++)
				if (out[i] != RELAY_APPLIED)
					failed = 1;
			/* If this fails the leases expire and the batch is
			 * delivered again: duplicates, which subscribers ignore. */
			relay_record(cfg, claim, items, out, errors, n);
			relay_metrics_batch(cfg->subscriber, out, n,
			    (double)(fd_now_ms() - sent) / 1000);
			backoff = failed ? cfg->backoff_ms : 0;
		}
		for (i = 0; i < n; i++)
			free(items[i].payload);
		/* Backing off is not cut short by wake-ups; a full batch
		 * means a backlog: go again at once. */
		for (i = 0; backoff > 0 && i < (size_t)backoff / 10 && !*stop; i++)
			usleep(10000);
	}
}
