# bare.sh - the case "bare": the least a FastCGI answer costs here, the
# table's /bare ratio.  bench/bare_fcgi.c, prefork with FD_WORKERS workers
# like our programs, answers as many bytes as GET /stores/1/menu with
# nothing else done, behind the bench nginx (location /bare); wrk --latency
# at CONC connections for BENCH_SECONDS after a warm-up.  The responder
# is stopped once measured.

bare_run() {
	rm -f "$RUN/bare.sock"	# the socket nginx-bench.conf.in names
	bench_spawn bare "$BARE" "$RUN/bare.sock" "$FD_WORKERS" "$SIZE"
	wait_for 10 "the bare_fcgi socket" test -S "$RUN/bare.sock"
	bench_pid bare >/dev/null || die "bare: bare_fcgi exited; see $LOG/bench-bare.log"
	expect_get bare /bare "$SIZE"
	wrk_case bare /bare
	bench_stop bare
}
