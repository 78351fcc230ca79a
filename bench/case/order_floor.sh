# order_floor.sh - the case "order-floor": the rows a placed order cannot
# do without, on the same MariaDB with nothing else running: a ceiling for
# orders/s that no program around the database can raise, and what the
# orders target is a share of.  bench/commit_ceiling.c -m order writes them
# into copies of the contexts' tables (its output, in
# $LOG/load-order-floor.txt, says how many statements and commits an order
# is) on ORDER_CONC connections, WARMUP_SECONDS then BENCH_SECONDS
# measured; a failed unit fails the run.

order_floor_run() {
	setting "order-floor: $ORDER_CONC MariaDB connections, an order's rows alone"
	log "order-floor: ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC connections"
	load_case order-floor db "$LOG/load-order-floor.txt" "$CEILING" -m order \
	    -S "$FD_DB_SOCKET" -U "$FD_USER" -c "$ORDER_CONC" \
	    -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS" || return 0
	[ "$bad" -eq 0 ] || note "FAIL order-floor: $bad units failed"
}
