/*
 * order_charge.c - what a store's operations mean for an order: whether
 * the store takes orders at a time (not while closed, nor while paused:
 * a pause ends by itself at its time), and what the customer is charged
 * (the items, at least the store's minimum, plus its delivery fee).
 * Pure: libc and our headers only, no clock (the caller passes now).
 */
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
