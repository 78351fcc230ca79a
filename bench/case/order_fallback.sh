# order_fallback.sh - the case "order-fallback": the payment breaker's
# fallback under load.  The payment program is stopped (`sv down`: runit
# would start a killed master again within a second), orders are placed
# (bench/order_load.c, one customer) until the order program's breaker is
# open, then order_load at ORDER_CONC for WARMUP_SECONDS and
# FALLBACK_SECONDS measured expects every answer to be 503 with
# Retry-After; any other answer, or a breaker not open at the end, fails
# the run.  Payment is started again before it returns, whatever happened.
#
# Target: p99 ≤ 2 ms (the fallback answers at once, asking nobody).

TARGET_FALLBACK_P99=2		# ms

order_fallback_run() {
	need_menu order-fallback
	setting "order-fallback: order_load -c$ORDER_CONC" \
	    "-d${FALLBACK_SECONDS}s, payment stopped, breaker open"
	out=$LOG/load-order-fallback.txt
	: >"$LOG/load-order-fallback-open.txt"
	log "order-fallback: stopping payment, opening the breaker"
	if sv -w 30 down "$VAR/service/payment" >>"$LOG/bench-stack.log" 2>&1
	then
		wait_for 10 "payment's socket to go" test ! -S "$RUN/payment.sock"
		fallback_measure
	else
		note "FAIL order-fallback: payment did not stop"
	fi
	log "order-fallback: starting payment again"
	if ! stack start >>"$LOG/bench-stack.log" 2>&1 ||
	    ! curl -fsS --max-time 10 -o /dev/null "$URL/payment/ready"; then
		note "FAIL order-fallback: payment did not start again;" \
		    "see $LOG/bench-stack.log"
	fi
}

# The breaker opens on 20 failed calls in 10 s with half the window
# failing: a few batches of 30 once the window has forgotten the successes
# of the orders case.
fallback_measure() {
	n=0
	until breaker open; do
		n=$((n + 1))
		if [ $n -gt 40 ]; then
			note "FAIL order-fallback: the breaker did not open"
			return 0
		fi
		timeout 60 "$ORDER_LOAD" -u "$URL" -c 1 -r 30 -x 503 \
		    >>"$LOG/load-order-fallback-open.txt" 2>&1 || {
			note "FAIL order-fallback: opening orders failed"
			return 0
		}
		breaker open || sleep 0.5
	done
	note "note order-fallback: the breaker opened after $((n * 30))" \
	    "orders failing for want of payment"
	log "order-fallback: breaker open after $((n * 30)) orders;" \
	    "warm-up ${WARMUP_SECONDS}s, then ${FALLBACK_SECONDS}s at $ORDER_CONC"
	o0=$(served order "POST /orders")
	load_case order-fallback http "$out" "$ORDER_LOAD" -u "$URL" \
	    -c "$ORDER_CONC" -d "$FALLBACK_SECONDS" -w "$WARMUP_SECONDS" \
	    -x 503 || return 0
	note "note order-fallback: statuses $codes" \
	    "($(field noretry "$result") 503s without Retry-After)"
	[ "$bad" -eq 0 ] ||
	    note "FAIL order-fallback: $bad answers were not 503 with Retry-After"
	breaker open ||
	    note "FAIL order-fallback: the breaker was not open at the end"
	where_time order-fallback "$o0"
}

order_fallback_report() {
	p99=$(row order-fallback 4)
	[ -z "$p99" ] || target "fallback p99 target ≤ $TARGET_FALLBACK_P99 ms" \
	    "$p99" "<=" "$TARGET_FALLBACK_P99"
}
