#!/bin/sh
# run.sh - `make bench`: how fast our FastCGI routes are, measured against
# what this machine can do at all, in the same run.
#
#   bench/run.sh [CASE...]		make bench [CASES="CASE..."]
#
# Each case is one file, bench/case/CASE.sh, whose header says what it
# measures and how.  Without CASE every case runs, in this order (the relay
# on a quiet database, before the orders load):
#
#   static          nginx: a file as large as GET /stores/1/menu's body
#   bare            bench/bare_fcgi.c, a bare libfcgi responder: as many bytes
#   health          GET /fishstore/health: a real route that touches nothing
#   menu            GET /stores/1/menu: a real read route
#   mypage          GET /myPages and /mypage, cached, beside bare-mc (bare_fcgi
#                   doing one memcached get of as many bytes)
#   relay           commit -> subscriber commit latency; a backlog drained
#   orders          POST /orders through the gateway (order_load)
#   push            2,000 open customer streams (nchan), orders at 200/s:
#                   commit -> client; nginx per stream; orders beside them
#   commit_ceiling  what the stack's MariaDB commits at all
#   order_floor     the rows a placed order cannot do without, alone
#   order_fallback  POST /orders with payment stopped: 503 + Retry-After
#
# and, only when named (make bench-cluster: relay orders commit_ceiling
# order_floor cluster), needing root:
#
#   cluster         the same orders, relay, commit-ceiling and order-floor
#                   on scripts/cluster.sh's six hosts (Galera) beside the
#                   single-host rows, the ratios, and where the time goes
#
# What they share is started here: the private stack under BENCH_VAR
# (scripts/stack.sh, its gateway on BENCH_PORT) and a second nginx on the
# next port (bench/nginx-bench.conf.in) that the wrk cases go through, with
# the menu's body as its static file; the helpers are in bench/lib.sh.
#
# The table gives req/s (orders/s, commits/s), p50, p99 and each case's
# ratio to static and to bare; then each case's figures and targets:
# compare ratios, never absolute numbers (STYLE.md, "Traps").  Any
# unexpected answer fails the run (a missed target does not).  Everything it
# started is stopped on exit, also on error or ^C.
#
#   BENCH_SECONDS=10  CONC=32  WARMUP_SECONDS=2  FD_WORKERS=4
#   ORDER_CONC=16  FALLBACK_SECONDS=5  MYPAGE_CONC=64  MYPAGE_ORDERS=5
#   RELAY_BACKLOG=20000  BENCH_BUILD=build
#   BENCH_VAR=var/bench  BENCH_PORT=28088 (the bench nginx is on the next
#   port, the stack's internal server on the one after: another stack can
#   be benchmarked beside one that is in use)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ALL_CASES="static bare health menu mypage relay orders push commit_ceiling
order_floor order_fallback"
. "$ROOT/bench/lib.sh"

# The cases asked for (commit-ceiling is commit_ceiling), each file read.
CASES=
# shellcheck disable=SC2086 # a list of names
[ $# -gt 0 ] || set -- $ALL_CASES
for c in "$@"; do
	c=$(echo "$c" | tr - _)
	case $c in '' | *[!a-z0-9_]*) die "no case '$c'; the cases:" $ALL_CASES ;; esac
	[ -f "$ROOT/bench/case/$c.sh" ] ||
	    die "no case '$c'; the cases:" $ALL_CASES
	# shellcheck source=/dev/null # one of bench/case/*.sh
	. "$ROOT/bench/case/$c.sh"
	CASES="$CASES $c"
done

for t in wrk nginx curl timeout mariadb sv ps awk; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed"
done
for p in "$BARE" "$ORDER_LOAD" "$CEILING" "$RELAY_BENCH"; do
	[ -x "$p" ] || die "$p is not built (make all)"
done

mkdir -p "$RUN" "$LOG" "$FD_ETC" "$VAR/htdocs" "$VAR/tmp/nginx-bench"
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Leftovers of an interrupted run are ours: stop them before starting.
fd_stop_pid "$NGINX_PID" "bench nginx" 10
for f in "$RUN"/bench-*.pid; do
	[ ! -f "$f" ] || fd_stop_pid "$f" "$f" 10
done

# Every run on a fresh database.  A previous run's orders are still
# there, Paid: at their accept deadline (600 s) the store rejects them and
# payment refunds them, and their relays' backlog is delivered, all during
# this run's measurements, on the customers the push case streams to.
stack stop >>"$LOG/bench-stack.log" 2>&1 || true
rm -rf "$VAR/db"

# The stack (MariaDB, memcached, the five programs, gateway, demo data).
log "starting the bench stack under $VAR (port $PORT, $FD_WORKERS workers)"
stack start >>"$LOG/bench-stack.log" ||
    die "the bench stack did not start; see $LOG/bench-stack.log and $LOG/"

# The menu's body: its size is the static file's and bare's answer.
curl -fsS --max-time 10 -o "$VAR/htdocs/static.json" "$URL/stores/1/menu" ||
    die "GET /stores/1/menu failed on the bench stack"
SIZE=$(wc -c <"$VAR/htdocs/static.json" | tr -d ' ')
[ "$SIZE" -gt 0 ] || die "GET /stores/1/menu answered an empty body"
log "GET /stores/1/menu is $SIZE bytes"

# The bench nginx.
u=""; [ "$(id -u)" -eq 0 ] && u="user root;"
sed -e "s|@VAR@|$VAR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$BPORT|g" \
    -e "s|@USER@|$u|g" "$ROOT/bench/nginx-bench.conf.in" \
    >"$FD_ETC/nginx-bench.conf"
nginx -q -t -p "$VAR" -e "$LOG/nginx-bench-error.log" \
    -c "$FD_ETC/nginx-bench.conf" 2>>"$LOG/nginx-bench-error.log" ||
    die "the bench nginx configuration is broken; see $LOG/nginx-bench-error.log"
nginx -p "$VAR" -e "$LOG/nginx-bench-error.log" -c "$FD_ETC/nginx-bench.conf" \
    2>>"$LOG/nginx-bench-error.log" ||
    die "the bench nginx did not start; see $LOG/nginx-bench-error.log"
wait_for 10 "the bench nginx" fd_running "$NGINX_PID"

# Measure.
rm -f "$RESULTS" "$RESULTS".*
: >"$RESULTS"
for c in $CASES; do
	"${c}_run"
done

# The report, on the terminal and in $REPORT.
{
	echo "fishdelivery bench  $(date -u '+%Y-%m-%dT%H:%M:%SZ')  cases:$CASES"
	echo "$(nproc 2>/dev/null || echo '?') cores, load" \
	    "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	cat "$RESULTS.settings" 2>/dev/null || true
	echo
	table
	for c in $CASES; do
		! command -v "${c}_report" >/dev/null 2>&1 || "${c}_report"
	done >"$RESULTS.targets"
	if [ -s "$RESULTS.targets" ]; then
		echo
		cat "$RESULTS.targets"
	fi
	echo
	echo "bad: answers not 2xx (wrk cases), not 201 (orders), not 503" \
	    "with Retry-After (order-fallback); failed commits" \
	    "(commit-ceiling), failed units (order-floor)"
	if [ -s "$RESULTS.notes" ]; then
		echo
		cat "$RESULTS.notes"
	fi
} >"$REPORT"
echo
cat "$REPORT"
echo
log "report: $REPORT; outputs: $LOG/wrk-*.txt $LOG/load-*.txt"

if grep -q '^FAIL' "$RESULTS.notes" 2>/dev/null; then
	die "some answers were not what they should be (see above)"
fi
