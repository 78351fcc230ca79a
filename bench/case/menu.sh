# menu.sh - the case "stores/1/menu": a real read route, GET
# /stores/1/menu of the bench stack's fishstore program, the same size as
# static's file and bare's answer.  Through the bench nginx to fishstore's
# socket; wrk --latency at CONC connections for BENCH_SECONDS after a
# warm-up.

menu_run() {
	expect_get stores/1/menu /stores/1/menu "$SIZE"
	wrk_case stores/1/menu /stores/1/menu
}
