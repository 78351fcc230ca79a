# commit_ceiling.sh - the case "commit-ceiling": what the bench stack's
# MariaDB commits at all, the ceiling the orders and the relay are put
# against.  bench/commit_ceiling.c: a one-row INSERT + COMMIT in a loop on
# each of ORDER_CONC connections, WARMUP_SECONDS then BENCH_SECONDS
# measured; a failed commit fails the run.

commit_ceiling_run() {
	setting "commit-ceiling: $ORDER_CONC MariaDB connections, INSERT+COMMIT"
	log "commit-ceiling: ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC connections"
	load_case commit-ceiling db "$LOG/load-commit-ceiling.txt" "$CEILING" \
	    -S "$FD_DB_SOCKET" -U "$FD_USER" -c "$ORDER_CONC" \
	    -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS" || return 0
	[ "$bad" -eq 0 ] || note "FAIL commit-ceiling: $bad commits failed"
}
