# static.sh - the case "static": what nginx serves at all on this machine,
# the table's /static ratio.  The bench nginx serves a file as large as
# GET /stores/1/menu's body (the driver writes it: htdocs/static.json under
# BENCH_VAR); wrk --latency at CONC connections for BENCH_SECONDS after a
# warm-up.

static_run() {
	expect_get static /static.json "$SIZE"
	wrk_case static /static.json
}
