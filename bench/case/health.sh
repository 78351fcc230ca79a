# health.sh - the case "fishstore/health": a real route of the bench
# stack's fishstore program that touches nothing (no database, no cache),
# so its gap to bare is what our request handling itself costs.  Through
# the bench nginx to fishstore's socket; wrk --latency at CONC connections
# for BENCH_SECONDS after a warm-up.

health_run() {
	expect_get fishstore/health /fishstore/health
	wrk_case fishstore/health /fishstore/health
}
