/*
 * store_state.c - a store's operations as its owner sets them: open,
 * closed, or paused until a time with the reason customers see; the
 * minimum order and the delivery fee.  Pure: libc and our headers only,
 * no clock (the caller passes now).
 *
 * A store is closed while the owner's switch is off, paused while a
 * pause has not ended (it ends by itself: nothing needs to run then), and
 * open otherwise (fd_store_state_at).  The reason belongs to a closure or
 * a pause: it goes when the store opens, and a store that was open gets
 * a new closure without the reason of an old one.
 */
#include <stdio.h>
#include <string.h>

#include "fd_input.h"
#include "store.h"

static enum fd_store_state
state_at(const struct store *s, long long now)
{
	struct fd_store_changed ev;

	store_changed_of(s, &ev);
	return fd_store_state_at(&ev, now);
}

/* Whether the owner's patch is valid at all, whatever the store is. */
static enum store_err
patch_check(const struct store_patch *p, long long now, char *why,
    size_t whysz)
{
	size_t n;

	if (!p->has_open && !p->has_paused_until && p->closed_reason == NULL &&
	    !p->has_min_order && !p->has_delivery_fee) {
		snprintf(why, whysz, "send open, pausedUntil, closedReason, "
		    "minOrder and/or deliveryFee");
		return STORE_E_INPUT;
	}
	if (p->has_min_order && (p->min_order < 0 ||
	    p->min_order > FD_STORE_MIN_ORDER_MAX)) {
		snprintf(why, whysz, "minOrder must be 0 to %lld KRW",
		    FD_STORE_MIN_ORDER_MAX);
		return STORE_E_INPUT;
	}
	if (p->has_delivery_fee && (p->delivery_fee < 0 ||
	    p->delivery_fee > FD_STORE_FEE_MAX)) {
		snprintf(why, whysz, "deliveryFee must be 0 to %lld KRW",
		    FD_STORE_FEE_MAX);
		return STORE_E_INPUT;
	}
	if (p->has_open && !p->open && p->has_paused_until) {
		snprintf(why, whysz, "close the store (open: false) or pause it "
		    "(pausedUntil), not both");
		return STORE_E_INPUT;
	}
	if (p->has_paused_until && p->paused_until <= now) {
		snprintf(why, whysz, "pausedUntil must be in the future (a UTC "
		    "time, ...Z)");
		return STORE_E_INPUT;
	}
	if (p->has_paused_until && p->paused_until > now + STORE_PAUSE_MAX_S) {
		snprintf(why, whysz, "a pause ends within 7 days; close the "
		    "store (open: false) for longer");
		return STORE_E_INPUT;
	}
	if (p->closed_reason != NULL && ((n = strlen(p->closed_reason)) == 0 ||
	    !fd_utf8_text(p->closed_reason, n) ||
	    fd_utf8_chars(p->closed_reason, n) > FD_STORE_REASON_MAX)) {
		snprintf(why, whysz, "closedReason must be 1 to %d characters "
		    "of text", FD_STORE_REASON_MAX);
		return STORE_E_INPUT;
	}
	return STORE_OK;
}

enum store_err
store_patch_apply(struct store *s, const struct store_patch *p, long long now,
    int *changed, char *why, size_t whysz)
{
	struct store n = *s;
	enum store_err e;

	*changed = 0;
	if ((e = patch_check(p, now, why, whysz)) != STORE_OK)
		return e;
	if (p->has_open) {
		n.open = p->open != 0;
		if (n.open && !p->has_paused_until)
			n.paused_until = 0;	/* opening ends a pause */
	}
	if (p->has_paused_until) {
		/* Open again by itself when the pause ends. */
		n.open = 1;
		n.paused_until = p->paused_until;
	}
	if (state_at(&n, now) == FD_STORE_OPEN) {
		if (p->closed_reason != NULL) {
			snprintf(why, whysz, "closedReason goes with closing "
			    "(open: false) or pausing (pausedUntil) the store");
			return STORE_E_INPUT;
		}
		n.closed_reason[0] = '\0';
		n.paused_until = 0;
	} else if (p->closed_reason != NULL)
		snprintf(n.closed_reason, sizeof(n.closed_reason), "%s",
		    p->closed_reason);
	else if (state_at(s, now) == FD_STORE_OPEN)
		n.closed_reason[0] = '\0';	/* not the last closure's */
	if (p->has_min_order)
		n.min_order = p->min_order;
	if (p->has_delivery_fee)
		n.delivery_fee = p->delivery_fee;
	*changed = n.open != s->open || n.paused_until != s->paused_until ||
	    strcmp(n.closed_reason, s->closed_reason) != 0 ||
	    n.min_order != s->min_order || n.delivery_fee != s->delivery_fee;
	if (*changed) {
		n.version = s->version + 1;
		*s = n;
	}
	return STORE_OK;
}

void
store_changed_of(const struct store *s, struct fd_store_changed *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->store_id = s->id;
	memcpy(ev->name, s->name, sizeof(ev->name));
	ev->open = s->open;
	ev->paused_until = s->paused_until;
	memcpy(ev->closed_reason, s->closed_reason, sizeof(ev->closed_reason));
	ev->min_order = s->min_order;
	ev->delivery_fee = s->delivery_fee;
	ev->version = s->version;
}
