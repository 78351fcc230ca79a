/*
 * order_charge.c - what a store's operations mean for an order: whether
 * the store takes orders at a time (not while closed, nor while paused:
 * a pause ends by itself at its time), and what the customer is charged
 * (the items, at least the store's minimum, plus its delivery fee).
 * Pure: libc and our headers only, no clock (the caller passes now).
 */
#include <stdio.h>

#include "order.h"

enum order_err
order_store_taking(const struct fd_store_changed *st, long long now)
{
	return fd_store_state_at(st, now) == FD_STORE_OPEN ? ORDER_OK :
	    ORDER_E_STORE_CLOSED;
}

/*
 * The minimum is of the items alone (the fee does not make it up), and
 * the fee is added to what payment charges: amount = items + fee.
 */
enum order_err
order_charge(const struct fd_store_changed *st, long long items,
    long long *fee, long long *amount)
{
	*fee = 0;
	*amount = 0;
	if (items < st->min_order)
		return ORDER_E_BELOW_MINIMUM;
	*fee = st->delivery_fee;
	*amount = items + st->delivery_fee;
	return ORDER_OK;
}

/* v KRW with thousands separators ("30,000"), as customers read money. */
void
order_krw(long long v, char *buf, size_t sz)
{
	char digits[32];
	size_t n, i, j = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%lld", v < 0 ? 0 : v);
	for (i = 0; i < n && j + 2 < sz; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = digits[i];
	}
	if (sz > 0)
		buf[j < sz ? j : sz - 1] = '\0';
}
