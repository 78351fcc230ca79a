# orders.sh - the case "orders": POST /orders through the bench stack's
# gateway, each answer a placed and paid order (201).  bench/order_load.c,
# ORDER_CONC threads, each one customer on one kept-alive connection,
# WARMUP_SECONDS then BENCH_SECONDS measured; any other answer fails the
# run.  The notes say where an answer's time went (the order and payment
# programs' own latency histograms) and what MariaDB did per placed order
# (statements and commits, every context and relay, once the relays have
# delivered the orders' events).
#
# Target: orders/s at least TARGET_ORDER_FLOOR of the order floor measured
# in the same run (case order_floor: the order's rows alone on the same
# MariaDB); also shown against the commit ceiling (case commit_ceiling).

TARGET_ORDER_FLOOR=0.35		# of order-floor's units/s

orders_run() {
	need_menu orders
	setting "orders: order_load -c$ORDER_CONC -d${BENCH_SECONDS}s through" \
	    "the gateway 127.0.0.1:$PORT"
	breaker closed || note "note orders: the payment breaker was not closed before"
	log "orders: ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC customers"
	o0=$(served order "POST /orders")
	p0=$(served payment "POST /payments")
	db0=$(db_status)
	load_case orders http "$LOG/load-orders.txt" "$ORDER_LOAD" -u "$URL" \
	    -c "$ORDER_CONC" -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS" ||
	    return 0
	note "note orders: statuses $codes"
	[ "$bad" -eq 0 ] || note "FAIL orders: $bad answers were not 201"
	where_time orders "$o0" "$p0"
	db_work orders "$db0"
}

# undelivered: events still in the order and payment outboxes for a
# subscriber.
undelivered() {
	fd_sql -N -e "SELECT (SELECT COUNT(*) FROM fd_order.outbox_deliveries
	    WHERE state IN ('pending', 'inflight')) + (SELECT COUNT(*) FROM
	    fd_payment.outbox_deliveries WHERE state IN ('pending',
	    'inflight'))" 2>>"$LOG/bench-stack.log"
}
drained() { [ "$(undelivered)" = 0 ]; }

# db_work NAME BEFORE: a note on MariaDB's work per placed order since
# BEFORE (db_status), once the relays have applied the orders' events
# elsewhere (at most 30 s): the work of every context and relay, with the
# warm-up's orders counted too, and the relays' polling besides.
db_work() {
	fd_wait_for 30 drained ||
	    note "note $1: the relays had not drained after 30 s"
	# shellcheck disable=SC2046,SC2086 # "statements commits orders"
	set -- "$1" $2 $(db_status)
	[ "$7" -gt "$4" ] || return 0
	note "note $1: $(calc %.1f "($5 - $2) / ($7 - $4)") prepared" \
	    "statements and $(calc %.2f "($6 - $3) / ($7 - $4)") commits per" \
	    "placed order in MariaDB ($(($7 - $4)) orders, every context and" \
	    "relay)"
}

orders_report() {
	ord=$(row orders 2)
	[ -n "$ord" ] || return 0
	ceil=$(row commit-ceiling 2)
	if [ -n "$ceil" ] && holds "$ceil > 0"; then
		printf '%-36s %9s  (%s orders/s ÷ %s commits/s)\n' \
		    "orders/s ÷ commit ceiling" \
		    "$(calc %.3f "$ord / $ceil")" "$(calc %.0f "$ord")" \
		    "$(calc %.0f "$ceil")"
	fi
	floor=$(row order-floor 2)
	t="orders/s ÷ order floor target ≥ $TARGET_ORDER_FLOOR"
	if [ -n "$floor" ] && holds "$floor > 0"; then
		target "$t" "$(calc %.3f "$ord / $floor")" ">=" \
		    "$TARGET_ORDER_FLOOR" "($(calc %.0f "$ord") orders/s ÷" \
		    "$(calc %.0f "$floor"))"
	else
		unmeasured "$t" "order_floor did not run"
	fi
}
