# push.sh - the case "push": the live streams (GET /events/customer, held
# by the gateway's nchan) under load.  bench/push_bench.c opens
# PUSH_STREAMS customer streams through the bench stack's gateway, then
# places orders of those customers at PUSH_RATE a second for BENCH_SECONDS
# and times each order's message from its commit (its OrderPlaced's
# occurredAt, just before the commit: an upper bound) to its arrival on the
# stream (row push: orders/s placed, p50, p99 of every message, the
# relayed events' too; an order not 201 or a message that never came
# fails the run; a note gives the two paths apart).  The memory nginx needs per open
# stream: nginx's proportional set size (master and workers) with the
# streams open, less before, over PUSH_STREAMS.  Then, with the streams
# still open, the orders case's load again (row orders-streams): its
# orders/s against the orders row of the same run, without streams.
#
# Targets: p99 ≤ 50 ms; orders/s with the streams open at least 0.9 of
# orders/s without them (within noise: they should change nothing).

TARGET_PUSH_P99=50		# ms
TARGET_PUSH_ORDERS=0.9		# of the orders row's orders/s
PUSH_STREAMS=${PUSH_STREAMS:-2000}
PUSH_RATE=${PUSH_RATE:-200}
posint PUSH_STREAMS "$PUSH_STREAMS"
posint PUSH_RATE "$PUSH_RATE"
PUSH_BENCH=$FD_BUILD/bench/push_bench
PUSH_KB=''

push_run() {
	need_menu push
	setting "push: $PUSH_STREAMS customer streams (GET /events/customer)," \
	    "orders of them at $PUSH_RATE/s for ${BENCH_SECONDS}s; then" \
	    "order_load -c$ORDER_CONC beside the open streams"
	log "push: $PUSH_STREAMS streams, then ${BENCH_SECONDS}s of orders at $PUSH_RATE/s"
	out=$LOG/load-push.txt
	hold=$((WARMUP_SECONDS + BENCH_SECONDS + 20))
	"$PUSH_BENCH" -u "$URL" -k "$FD_ETC/jwt.secret" -p "$RUN/nginx.pid" \
	    -n "$PUSH_STREAMS" -r "$PUSH_RATE" -d "$BENCH_SECONDS" \
	    -H "$hold" >"$out" 2>&1 &
	pb=$!
	# The streams open, the latency measured: then hold them and load.
	n=$((BENCH_SECONDS + 180))
	while ! grep -q '^holding' "$out" && kill -0 "$pb" 2>/dev/null &&
	    [ $n -gt 0 ]; do
		sleep 1
		n=$((n - 1))
	done
	if ! grep -q '^holding' "$out"; then
		kill "$pb" 2>/dev/null || true
		wait "$pb" 2>/dev/null || true
		cat "$out" >&2
		note "FAIL push: push_bench did not measure; see $out"
		return 0
	fi
	result=$(sed -n 's/^result //p' "$out")
	echo "push $(field rps "$result") $(field p50 "$result")" \
	    "$(field p99 "$result") $(field n "$result") $(field bad "$result")" \
	    "db" >>"$RESULTS"
	[ "$(field bad "$result")" = 0 ] ||
	    note "FAIL push: $(field bad "$result") orders not placed or their" \
	    "messages not arrived (codes $(field codes "$result"))"
	PUSH_KB=$(sed -n 's/^memory .*per_stream_kb=\([0-9.-]*\).*/\1/p' "$out")
	note "note push: $(sed -n 's/^memory //p' "$out") (nginx's Pss)"
	note "note push: by path, ms commit -> client: $(sed -n 's/^paths //p' \
	    "$out") (placed: the order's OrderPlaced, published by POST" \
	    "/orders; relayed: other contexts' events, through their relay)"
	log "push: orders beside $PUSH_STREAMS open streams"
	load_case orders-streams http "$LOG/load-orders-streams.txt" \
	    "$ORDER_LOAD" -u "$URL" -c "$ORDER_CONC" -d "$BENCH_SECONDS" \
	    -w "$WARMUP_SECONDS" || true
	[ "${bad:-0}" = 0 ] ||
	    note "FAIL orders-streams: $bad answers were not 201"
	wait "$pb" || note "FAIL push: push_bench failed; see $out"
}

push_report() {
	p99=$(row push 4)
	[ -z "$p99" ] || target "push p99 commit -> client target ≤ $TARGET_PUSH_P99 ms" \
	    "$p99" "<=" "$TARGET_PUSH_P99"
	[ -z "$PUSH_KB" ] || printf '%-36s %9s\n' "nginx per open stream (kB)" \
	    "$PUSH_KB"
	with=$(row orders-streams 2)
	without=$(row orders 2)
	t="orders/s with streams ÷ without target ≥ $TARGET_PUSH_ORDERS"
	if [ -n "$with" ] && [ -n "$without" ] && holds "$without > 0"; then
		target "$t" "$(calc %.3f "$with / $without")" ">=" \
		    "$TARGET_PUSH_ORDERS" "($(calc %.0f "$with") ÷" \
		    "$(calc %.0f "$without") orders/s)"
	else
		unmeasured "$t" "orders or push did not run"
	fi
}
