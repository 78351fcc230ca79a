#!/bin/sh
# run.sh - `make bench`: how fast our FastCGI routes are, measured against
# what this machine can do at all, in the same run.
#
# It starts a private stack under var/bench (port 28088, scripts/stack.sh),
# the bare libfcgi baseline (build/bench/bare_fcgi) with as many workers as
# the programs, and a second nginx (port 28089, bench/nginx-bench.conf.in)
# that serves four cases through one server:
#
#   static            a file as large as GET /stores/1/menu's body
#   bare              bare_fcgi answering that many bytes
#   fishstore/health  a real route that touches nothing
#   stores/1/menu     a real read route
#
# Each of those gets a warm-up, then `wrk --latency`.  Then three cases at
# ORDER_CONC, with our own load programs (build/bench/):
#
#   orders            POST /orders through the stack's gateway: order_load,
#                     one customer and one kept-alive connection per thread
#   commit-ceiling    what the stack's MariaDB commits at all (commit_ceiling:
#                     one-row INSERT + COMMIT, a connection per thread)
#   order-fallback    POST /orders with the payment program stopped and the
#                     breaker open: every answer must be 503 + Retry-After;
#                     payment is started again afterwards
#
# The table gives req/s (orders/s, commits/s), p50, p99 and each case's
# ratio to static and to bare, then orders/s to the commit ceiling and the
# targets: compare ratios, never absolute numbers (STYLE.md, "Traps").  Any
# unexpected answer fails the run (a missed target does not).  Everything it
# started is stopped on exit, also on error or ^C.
#
#   BENCH_SECONDS=10  CONC=32  WARMUP_SECONDS=2  FD_WORKERS=4
#   ORDER_CONC=16  FALLBACK_SECONDS=5
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_SECONDS=${BENCH_SECONDS:-10}
CONC=${CONC:-32}
WARMUP_SECONDS=${WARMUP_SECONDS:-2}
FD_WORKERS=${FD_WORKERS:-4}
export FD_WORKERS		# stack.sh hands it to the programs
ORDER_CONC=${ORDER_CONC:-16}
FALLBACK_SECONDS=${FALLBACK_SECONDS:-5}
TARGET_ORDERS=2000		# orders/s
TARGET_FALLBACK_P99=2		# ms

VAR=$ROOT/var/bench
PORT=28088			# the bench stack's gateway
BPORT=28089			# the bench nginx
# The stack's internal server defaults to FD_PORT + 1, which is BPORT here.
INTERNAL_PORT=28090
RUN=$VAR/run
LOG=$VAR/log
ETC=$VAR/etc
BARE=$ROOT/build/bench/bare_fcgi
ORDER_LOAD=$ROOT/build/bench/order_load
CEILING=$ROOT/build/bench/commit_ceiling
RELAY_BENCH=$ROOT/build/bench/relay_bench
RELAY_BACKLOG=${RELAY_BACKLOG:-20000}
URL=http://127.0.0.1:$PORT
BARE_SOCK=$RUN/bare.sock
NGINX_CONF=$ETC/nginx-bench.conf
NGINX_PID=$RUN/nginx-bench.pid
REPORT=$VAR/bench-report.txt
RESULTS=$VAR/tmp/bench-results

log() { echo "bench: $*"; }
die() { echo "bench: $*" >&2; exit 1; }
note() { echo "$*" >>"$RESULTS.notes"; }

posint() {	# posint NAME VALUE
	case $2 in '' | *[!0-9]*) die "$1 must be a positive integer, not '$2'" ;; esac
	[ "$2" -gt 0 ] || die "$1 must be a positive integer, not '$2'"
}

running() {	# running PIDFILE
	[ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

wait_for() {	# wait_for SECONDS DESCRIPTION COMMAND...
	n=$(($1 * 10)); what=$2; shift 2
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || die "timed out waiting for $what"
		sleep 0.1
	done
}

stop_pid() {	# stop_pid PIDFILE NAME: TERM, wait up to 10 s, then KILL
	running "$1" || { rm -f "$1"; return 0; }
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null || true
	n=100
	while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$2 did not stop; killing it"
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$1"
}

stack() {
	FD_VAR=$VAR FD_PORT=$PORT FD_INTERNAL_PORT=$INTERNAL_PORT \
	    "$ROOT/scripts/stack.sh" "$@"
}

cleanup() {
	rc=$?
	trap - EXIT INT TERM
	stop_pid "$NGINX_PID" "bench nginx"
	stop_pid "$RUN/bare.pid" bare_fcgi
	rm -f "$BARE_SOCK"
	stack stop >>"$LOG/bench-stack.log" 2>&1 ||
	    echo "bench: stopping the bench stack failed; see $LOG/bench-stack.log" >&2
	exit $rc
}

# code_size URL: "HTTP-STATUS BYTES" of one GET.
code_size() {
	curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{size_download}' "$1"
}

# to_ms VALUE: wrk's latency ("812.00us", "1.52ms", "2.01s") in ms.
to_ms() {
	echo "$1" | awk '{
		v = $1 + 0; u = $1; sub(/^[0-9.]+/, "", u)
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000
		else if (u == "m") v *= 60000; else if (u != "ms") v = -1
		printf "%.3f", v }'
}

# bench_case NAME PATH: warm up, measure, append one line to $RESULTS.
bench_case() {
	name=$1; url=http://127.0.0.1:$BPORT$2
	out=$LOG/wrk-$(echo "$name" | tr / -).txt
	log "$name: warm-up ${WARMUP_SECONDS}s, then ${BENCH_SECONDS}s at $CONC connections"
	timeout $((WARMUP_SECONDS + 30)) wrk -t$THREADS -c"$CONC" \
	    -d"${WARMUP_SECONDS}s" "$url" >/dev/null 2>&1 ||
	    die "$name: wrk warm-up failed"
	timeout $((BENCH_SECONDS + 30)) wrk -t$THREADS -c"$CONC" \
	    -d"${BENCH_SECONDS}s" --latency "$url" >"$out" 2>&1 ||
	    { cat "$out" >&2; die "$name: wrk failed"; }
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	p50=$(awk '$1 == "50%" { print $2 }' "$out")
	p99=$(awk '$1 == "99%" { print $2 }' "$out")
	reqs=$(awk '/ requests in / { print $1 }' "$out")
	bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
	sockerr=$(sed -n 's/^ *Socket errors: //p' "$out")
	[ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] && [ -n "$reqs" ] ||
	    { cat "$out" >&2; die "$name: cannot read wrk's output ($out)"; }
	echo "$name $rps $(to_ms "$p50") $(to_ms "$p99") $reqs ${bad:-0} http" \
	    >>"$RESULTS"
	if [ -n "$bad" ] && [ "$bad" -gt 0 ]; then
		note "FAIL $name: $bad of $reqs responses were not 2xx"
	fi
	if [ -n "$sockerr" ]; then
		note "note $name: socket errors: $sockerr"
	fi
}

# field KEY LINE: the value of KEY=value in a `result` line.
field() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# load_case NAME KIND OUT COMMAND...: runs one of our load programs (bounded
# by timeout), keeps its output in OUT and appends its `result` line to
# $RESULTS; KIND is http or db.  Sets $rps, $p50, $p99, $bad and $codes.
load_case() {
	name=$1; kind=$2; out=$3; shift 3
	rps=; p50=; p99=; bad=; codes=
	if ! timeout $((WARMUP_SECONDS + BENCH_SECONDS + 120)) "$@" \
	    >"$out" 2>&1; then
		cat "$out" >&2
		note "FAIL $name: $(basename "$1") failed; see $out"
		return 1
	fi
	r=$(sed -n 's/^result //p' "$out")
	rps=$(field rps "$r"); p50=$(field p50 "$r"); p99=$(field p99 "$r")
	bad=$(field bad "$r"); codes=$(field codes "$r")
	[ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] && [ -n "$bad" ] || {
		cat "$out" >&2
		note "FAIL $name: cannot read $out"
		return 1
	}
	echo "$name $rps $p50 $p99 $(field n "$r") $bad $kind" >>"$RESULTS"
}

# breaker STATE: the order program's payment breaker is in STATE.
breaker() {
	curl -fsS --max-time 5 "$URL/order/metrics" |
	    grep -q "^fd_breaker_state{breaker=\"payment\",state=\"$1\"} 1\$"
}

# served CTX ROUTE: "seconds count" the stack's CTX program has spent on
# ROUTE so far, from its latency histogram ("0 0" if it cannot tell).
served() {
	{ curl -fsS --max-time 5 "$URL/$1/metrics" 2>/dev/null || true; } |
	    awk -v l="{context=\"$1\",route=\"$2\"} " '
		# The route has a space in it: match from the start of the line.
		index($0, "fd_http_request_duration_seconds_sum" l) == 1 { s = $NF }
		index($0, "fd_http_request_duration_seconds_count" l) == 1 { c = $NF }
		END { printf "%.6f %d\n", s, c }'
}

# where_time CASE BEFORE-ORDER [BEFORE-PAYMENT]: a note on where the time
# of POST /orders went since BEFORE, from the programs' own histograms: the
# order program's time per answer, payment's part of it (without
# BEFORE-PAYMENT payment is down: not asked), and what that allows
# FD_WORKERS order workers.  (Answers wait for a worker besides.)
where_time() {
	pay_now="0 0"
	[ -n "${3:-}" ] && pay_now=$(served payment "POST /payments")
	# shellcheck disable=SC2046,SC2086 # split: "seconds count" pairs
	set -- "$1" $2 ${3:-0 0} $(served order "POST /orders") $pay_now
	awk -v name="$1" -v os="$2" -v oc="$3" -v ps="$4" -v pc="$5" \
	    -v os1="$6" -v oc1="$7" -v ps1="$8" -v pc1="$9" \
	    -v w="$FD_WORKERS" 'BEGIN {
		if (oc1 <= oc)
			exit
		o = (os1 - os) / (oc1 - oc) * 1000
		p = pc1 > pc ? sprintf("%.2f", (ps1 - ps) / (pc1 - pc) * 1000) : "0"
		printf "note %s: %.2f ms in the order program per answer, %s ms" \
		    " of it in payment; %d order workers serve at most %.0f/s" \
		    " at that\n", name, o, p, w, w * 1000 / o
	}' >>"$RESULTS.notes"
}

# The breaker's fallback: payment stopped, the breaker opened by orders
# that fail, then the same load as `orders` expecting 503 + Retry-After.
# Payment is started again before it returns, whatever happened.  The
# stack's programs run under runit, which starts a killed master again
# within a second: `sv down` is what keeps payment stopped.
fallback_case() {
	out=$LOG/load-order-fallback.txt
	: >"$LOG/load-order-fallback-open.txt"
	log "order-fallback: stopping payment, opening the breaker"
	sv -w 30 down "$VAR/service/payment" >>"$LOG/bench-stack.log" 2>&1 ||
	    { note "FAIL order-fallback: payment did not stop"; return 1; }
	wait_for 10 "payment's socket to go" test ! -S "$RUN/payment.sock"
	# 20 failed calls in 10 s, half the window failing: a few batches
	# once the window has forgotten the successes of `orders`.
	n=0
	until breaker open; do
		n=$((n + 1))
		if [ $n -gt 40 ]; then
			note "FAIL order-fallback: the breaker did not open"
			break
		fi
		timeout 60 "$ORDER_LOAD" -u "$URL" -c 1 -r 30 -x 503 \
		    >>"$LOG/load-order-fallback-open.txt" 2>&1 ||
		    { note "FAIL order-fallback: opening orders failed"; break; }
		breaker open || sleep 0.5
	done
	if breaker open; then
		note "note order-fallback: the breaker opened after" \
		    "$((n * 30)) orders failing for want of payment"
		log "order-fallback: breaker open after $((n * 30)) orders;" \
		    "warm-up ${WARMUP_SECONDS}s, then ${FALLBACK_SECONDS}s at $ORDER_CONC"
		o0=$(served order "POST /orders")
		if load_case order-fallback http "$out" "$ORDER_LOAD" -u "$URL" \
		    -c "$ORDER_CONC" -d "$FALLBACK_SECONDS" \
		    -w "$WARMUP_SECONDS" -x 503; then
			note "note order-fallback: statuses $codes" \
			    "($(field noretry "$(sed -n 's/^result //p' "$out")")" \
			    "503s without Retry-After)"
			[ "$bad" -eq 0 ] || note "FAIL order-fallback: $bad" \
			    "answers were not 503 with Retry-After"
			breaker open || note "FAIL order-fallback: the breaker" \
			    "was not open at the end"
			where_time order-fallback "$o0"
		fi
	fi
	log "order-fallback: starting payment again"
	if stack start >>"$LOG/bench-stack.log" 2>&1 &&
	    curl -fsS --max-time 10 -o /dev/null "$URL/payment/ready"; then
		:
	else
		note "FAIL order-fallback: payment did not start again;" \
		    "see $LOG/bench-stack.log"
	fi
}

posint BENCH_SECONDS "$BENCH_SECONDS"
posint CONC "$CONC"
posint WARMUP_SECONDS "$WARMUP_SECONDS"
posint FD_WORKERS "$FD_WORKERS"
posint ORDER_CONC "$ORDER_CONC"
posint FALLBACK_SECONDS "$FALLBACK_SECONDS"
THREADS=2; [ "$CONC" -lt 2 ] && THREADS=1	# wrk wants a connection per thread
for t in wrk nginx curl timeout mariadb sv; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed"
done
for p in "$BARE" "$ORDER_LOAD" "$CEILING" "$RELAY_BENCH"; do
	[ -x "$p" ] || die "$p is not built (make all)"
done

mkdir -p "$RUN" "$LOG" "$ETC" "$VAR/htdocs" "$VAR/tmp/nginx-bench"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Leftovers of an interrupted run are ours: stop them before starting.
stop_pid "$NGINX_PID" "bench nginx"
stop_pid "$RUN/bare.pid" bare_fcgi

# 1. The stack (MariaDB, memcached, the five programs, gateway, demo data).
log "starting the bench stack under $VAR (port $PORT, $FD_WORKERS workers)"
stack start >>"$LOG/bench-stack.log" ||
    die "the bench stack did not start; see $LOG/bench-stack.log and $LOG/"

# 2. The menu's body, its size, and the same bytes as the static file.
curl -fsS --max-time 10 -o "$VAR/htdocs/static.json" \
    "http://127.0.0.1:$PORT/stores/1/menu" ||
    die "GET /stores/1/menu failed on the bench stack"
SIZE=$(wc -c <"$VAR/htdocs/static.json" | tr -d ' ')
[ "$SIZE" -gt 0 ] || die "GET /stores/1/menu answered an empty body"
log "GET /stores/1/menu is $SIZE bytes"

# 3. The baseline, on its own socket, as many workers as the programs.
rm -f "$BARE_SOCK"
"$BARE" "$BARE_SOCK" "$FD_WORKERS" "$SIZE" >>"$LOG/bare.log" 2>&1 &
echo $! >"$RUN/bare.pid"
wait_for 10 "the bare_fcgi socket" test -S "$BARE_SOCK"
running "$RUN/bare.pid" || die "bare_fcgi exited; see $LOG/bare.log"

# 4. The bench nginx.
u=""; [ "$(id -u)" -eq 0 ] && u="user root;"
sed -e "s|@VAR@|$VAR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$BPORT|g" \
    -e "s|@USER@|$u|g" "$ROOT/bench/nginx-bench.conf.in" >"$NGINX_CONF"
nginx -q -t -p "$VAR" -e "$LOG/nginx-bench-error.log" -c "$NGINX_CONF" \
    2>>"$LOG/nginx-bench-error.log" ||
    die "the bench nginx configuration is broken; see $LOG/nginx-bench-error.log"
nginx -p "$VAR" -e "$LOG/nginx-bench-error.log" -c "$NGINX_CONF" \
    2>>"$LOG/nginx-bench-error.log" ||
    die "the bench nginx did not start; see $LOG/nginx-bench-error.log"
wait_for 10 "the bench nginx" running "$NGINX_PID"

# Every case answers 200 before it is measured; the three that should be
# the same size are.
CASES="static:/static.json bare:/bare fishstore/health:/fishstore/health stores/1/menu:/stores/1/menu"
for c in $CASES; do
	# shellcheck disable=SC2046 # two words: status and size
	set -- $(code_size "http://127.0.0.1:$BPORT${c#*:}")
	[ "${1:-}" = 200 ] || die "${c%%:*}: GET ${c#*:} answered ${1:-nothing}, not 200"
	case ${c%%:*} in
	fishstore/health) ;;
	*) [ "$2" = "$SIZE" ] ||
	    die "${c%%:*}: GET ${c#*:} is $2 bytes, not $SIZE" ;;
	esac
done

# The orders are of menu items 1 and 2 of store 1: the order program's
# menu replica must have them for sale (the seed's sql/seed/order.sql).
n=$(mariadb --no-defaults --socket="$RUN/mysqld.sock" -u "$(id -un)" -N \
    -e "SELECT COUNT(*) FROM fd_order.menu_replica WHERE store_id = 1 AND
	menu_id IN (1, 2) AND sold_out = 0" 2>>"$LOG/bench-stack.log") ||
    die "cannot read the bench stack's menu replica"
[ "$n" = 2 ] || die "the menu replica lacks items 1 and 2 of store 1 for sale"

# 5. Measure.
rm -f "$RESULTS" "$RESULTS.notes"
for c in $CASES; do
	bench_case "${c%%:*}" "${c#*:}"
done

breaker closed || note "note orders: the payment breaker was not closed before"
log "orders: ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC customers"
o0=$(served order "POST /orders"); p0=$(served payment "POST /payments")
if load_case orders http "$LOG/load-orders.txt" "$ORDER_LOAD" -u "$URL" \
    -c "$ORDER_CONC" -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS"; then
	note "note orders: statuses $codes"
	[ "$bad" -eq 0 ] || note "FAIL orders: $bad answers were not 201"
	where_time orders "$o0" "$p0"
fi

log "commit-ceiling: ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC connections"
load_case commit-ceiling db "$LOG/load-commit-ceiling.txt" "$CEILING" \
    -S "$RUN/mysqld.sock" -U "$(id -un)" -c "$ORDER_CONC" \
    -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS" &&
    { [ "$bad" -eq 0 ] || note "FAIL commit-ceiling: $bad commits failed"; }

fallback_case

# The relay: commit -> subscriber-commit latency at 200 events/s, then a
# backlog of RELAY_BACKLOG events drained with the relay started after it
# was written (fishstore's outbox to the order subscriber).
relay_cases() {
	rport=$(sed -n "s/.*FD_RELAY_PORT='\([0-9]*\)'.*/\1/p" \
	    "$VAR/service/relay-fishstore/run" | head -1)
	log "relay: ${BENCH_SECONDS}s of events at 200/s"
	if FD_DB_SOCKET=$RUN/mysqld.sock FD_RELAY_PORT=$rport \
	    "$RELAY_BENCH" latency "$BENCH_SECONDS" 200 >"$LOG/relay-latency.txt" \
	    2>&1; then
		note "relay $(cat "$LOG/relay-latency.txt")"
		set -- $(sed -n 's/.*p50 \([0-9.]*\) ms p99 \([0-9.]*\) ms.*/\1 \2/p' \
		    "$LOG/relay-latency.txt")
		RELAY_P50=${1:-}; RELAY_P99=${2:-}
	else
		note "FAIL relay-latency: $(tail -1 "$LOG/relay-latency.txt")"
	fi
	log "relay: a backlog of $RELAY_BACKLOG events"
	sv -w 30 down "$VAR/service/relay-fishstore" >/dev/null ||
	    { note "FAIL relay-backlog: the relay did not stop"; return; }
	first=$(FD_DB_SOCKET=$RUN/mysqld.sock "$RELAY_BENCH" backlog \
	    "$RELAY_BACKLOG" 2>>"$LOG/relay-backlog.txt")
	sv up "$VAR/service/relay-fishstore" >/dev/null
	if FD_DB_SOCKET=$RUN/mysqld.sock "$RELAY_BENCH" drain "$first" \
	    "$RELAY_BACKLOG" >>"$LOG/relay-backlog.txt" 2>&1; then
		note "relay $(tail -1 "$LOG/relay-backlog.txt")"
		RELAY_EPS=$(sed -n 's/.*: \([0-9]*\) events\/s.*/\1/p' \
		    "$LOG/relay-backlog.txt" | tail -1)
	else
		note "FAIL relay-backlog: $(tail -1 "$LOG/relay-backlog.txt")"
	fi
}
RELAY_P50= RELAY_P99= RELAY_EPS=
relay_cases

# 6. The table, on the terminal and in the report.
{
	echo "fishdelivery bench  $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
	echo "wrk -t$THREADS -c$CONC -d${BENCH_SECONDS}s --latency (after ${WARMUP_SECONDS}s warm-up)," \
	    "nginx 127.0.0.1:$BPORT, $FD_WORKERS libfcgi workers," \
	    "body $SIZE bytes, $(nproc 2>/dev/null || echo '?') cores," \
	    "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo "orders: order_load -c$ORDER_CONC -d${BENCH_SECONDS}s through the" \
	    "gateway 127.0.0.1:$PORT; commit-ceiling: $ORDER_CONC MariaDB" \
	    "connections, INSERT+COMMIT; order-fallback: -c$ORDER_CONC" \
	    "-d${FALLBACK_SECONDS}s, payment stopped, breaker open"
	echo
	LC_ALL=C awk -v target="$TARGET_ORDERS" -v ftarget="$TARGET_FALLBACK_P99" '
	{ name[NR] = $1; rps[NR] = $2; p50[NR] = $3; p99[NR] = $4
	  bad[NR] = $6; kind[NR] = $7 }
	$1 == "static" { st = $2 }
	$1 == "bare" { ba = $2 }
	$1 == "orders" { ord = $2; have_ord = 1 }
	$1 == "commit-ceiling" { ceil = $2 }
	$1 == "order-fallback" { fb = $4; have_fb = 1 }
	function ratio(x, y, k) {
		return (k == "http" && y > 0) ? sprintf("%.2f", x / y) : "-"
	}
	END {
		fmt = "%-18s %10s %9s %9s %9s %9s %7s\n"
		printf fmt, "case", "req/s", "p50 ms", "p99 ms", "/static", \
		    "/bare", "bad"
		for (i = 1; i <= NR; i++)
			printf "%-18s %10.0f %9.3f %9.3f %9s %9s %7d\n", \
			    name[i], rps[i], p50[i], p99[i], \
			    ratio(rps[i], st, kind[i]), \
			    ratio(rps[i], ba, kind[i]), bad[i]
		print ""
		if (have_ord && ceil > 0)
			printf "%-35s %9.3f  (%.0f orders/s ÷ %.0f commits/s)\n", \
			    "orders/s ÷ commit ceiling", ord / ceil, ord, ceil
		if (have_ord)
			printf "%-36s %9.0f  %s\n", \
			    "target ≥ " target " orders/s", ord, \
			    (ord >= target ? "met" : "MISSED")
		if (have_fb)
			printf "%-36s %9.3f  %s\n", \
			    "fallback p99 target ≤ " ftarget " ms", fb, \
			    (fb <= ftarget ? "met" : "MISSED")
		print ""
		print "bad: answers not 2xx (wrk cases), not 201 (orders), not" \
		    " 503 with Retry-After (order-fallback); failed commits" \
		    " (commit-ceiling)"
	}' "$RESULTS"
	ceil=$(awk '$1 == "commit-ceiling" { print $2 }' "$RESULTS")
	[ -n "$RELAY_P50" ] && printf '%-36s %9s  %s\n' \
	    "relay p50 target ≤ 5 ms" "$RELAY_P50" \
	    "$(awk -v v="$RELAY_P50" 'BEGIN { print (v <= 5 ? "met" : "MISSED") }')"
	[ -n "$RELAY_P99" ] && printf '%-36s %9s  %s\n' \
	    "relay p99 target ≤ 25 ms" "$RELAY_P99" \
	    "$(awk -v v="$RELAY_P99" 'BEGIN { print (v <= 25 ? "met" : "MISSED") }')"
	[ -n "$RELAY_EPS" ] && printf '%-36s %9s  %s (%s of the commit ceiling)\n' \
	    "relay backlog target ≥ 5000 events/s" "$RELAY_EPS" \
	    "$(awk -v v="$RELAY_EPS" 'BEGIN { print (v >= 5000 ? "met" : "MISSED") }')" \
	    "$(awk -v v="$RELAY_EPS" -v c="${ceil:-0}" 'BEGIN { if (c > 0) printf "%.2f", v / c; else print "-" }')"
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
