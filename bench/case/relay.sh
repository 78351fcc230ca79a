# relay.sh - the case "relay": how soon an event reaches its subscriber,
# and how fast a backlog drains.  bench/relay_bench.c on fishstore's outbox
# and the order subscriber of the bench stack:
#   latency  events committed at RELAY_RATE/s for BENCH_SECONDS, each
#            woken relay's delivery timed from the producer's commit to the
#            subscriber's (p50, p99);
#   backlog  RELAY_BACKLOG events written with fishstore's relay stopped,
#            then the relay started and the whole backlog timed (events/s).
# A relay_bench that fails fails the run.  Best on a quiet database: the
# driver runs it before the orders load, whose writes MariaDB is still
# flushing afterwards.
#
# Targets: p50 ≤ 5 ms, p99 ≤ 25 ms, backlog ≥ 5000 events/s (also shown
# against the commit ceiling, case commit_ceiling, when it ran).

TARGET_RELAY_P50=5		# ms
TARGET_RELAY_P99=25		# ms
TARGET_RELAY_EPS=5000		# events/s

RELAY_P50='' RELAY_P99='' RELAY_EPS=

relay_run() {
	setting "relay: $RELAY_RATE events/s for ${BENCH_SECONDS}s (latency)," \
	    "a backlog of $RELAY_BACKLOG events (fishstore's outbox to order)"
	log "relay: ${BENCH_SECONDS}s of events at $RELAY_RATE/s"
	if FD_RELAY_PORT=$(fd_relay_port fishstore) "$RELAY_BENCH" latency \
	    "$BENCH_SECONDS" "$RELAY_RATE" >"$LOG/relay-latency.txt" 2>&1; then
		note "relay $(cat "$LOG/relay-latency.txt")"
		# shellcheck disable=SC2046 # two words: p50 and p99
		set -- $(sed -n 's/.*p50 \([0-9.]*\) ms p99 \([0-9.]*\) ms.*/\1 \2/p' \
		    "$LOG/relay-latency.txt")
		RELAY_P50=${1:-} RELAY_P99=${2:-}
	else
		note "FAIL relay-latency: $(tail -1 "$LOG/relay-latency.txt")"
	fi
	log "relay: a backlog of $RELAY_BACKLOG events"
	sv -w 30 down "$VAR/service/relay-fishstore" >/dev/null ||
	    { note "FAIL relay-backlog: the relay did not stop"; return 0; }
	: >"$LOG/relay-backlog.txt"
	first=$("$RELAY_BENCH" backlog "$RELAY_BACKLOG" \
	    2>>"$LOG/relay-backlog.txt") || first=
	sv up "$VAR/service/relay-fishstore" >/dev/null
	if [ -n "$first" ] && "$RELAY_BENCH" drain "$first" "$RELAY_BACKLOG" \
	    >>"$LOG/relay-backlog.txt" 2>&1; then
		note "relay $(tail -1 "$LOG/relay-backlog.txt")"
		RELAY_EPS=$(sed -n 's/.*: \([0-9]*\) events\/s.*/\1/p' \
		    "$LOG/relay-backlog.txt" | tail -1)
	else
		note "FAIL relay-backlog: $(tail -1 "$LOG/relay-backlog.txt")"
	fi
}

relay_report() {
	[ -z "$RELAY_P50" ] || target "relay p50 target ≤ $TARGET_RELAY_P50 ms" \
	    "$RELAY_P50" "<=" "$TARGET_RELAY_P50"
	[ -z "$RELAY_P99" ] || target "relay p99 target ≤ $TARGET_RELAY_P99 ms" \
	    "$RELAY_P99" "<=" "$TARGET_RELAY_P99"
	[ -n "$RELAY_EPS" ] || return 0
	ceil=$(row commit-ceiling 2)
	of="-"
	[ -n "$ceil" ] && holds "$ceil > 0" && of=$(calc %.2f "$RELAY_EPS / $ceil")
	target "relay backlog target ≥ $TARGET_RELAY_EPS events/s" \
	    "$RELAY_EPS" ">=" "$TARGET_RELAY_EPS" "($of of the commit ceiling)"
}
