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
# Each case gets a warm-up, then `wrk --latency`.  The table gives req/s,
# p50, p99 and each case's ratio to static and to bare: compare ratios, never
# absolute numbers (STYLE.md, "Traps").  Any non-2xx answer fails the run.
# Everything it started is stopped on exit, also on error or ^C.
#
#   BENCH_SECONDS=10  CONC=32  WARMUP_SECONDS=2  FD_WORKERS=4
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_SECONDS=${BENCH_SECONDS:-10}
CONC=${CONC:-32}
WARMUP_SECONDS=${WARMUP_SECONDS:-2}
FD_WORKERS=${FD_WORKERS:-4}
export FD_WORKERS		# stack.sh hands it to the programs

VAR=$ROOT/var/bench
PORT=28088			# the bench stack's gateway
BPORT=28089			# the bench nginx
# The stack's internal server defaults to FD_PORT + 1, which is BPORT here.
INTERNAL_PORT=28090
RUN=$VAR/run
LOG=$VAR/log
ETC=$VAR/etc
BARE=$ROOT/build/bench/bare_fcgi
BARE_SOCK=$RUN/bare.sock
NGINX_CONF=$ETC/nginx-bench.conf
NGINX_PID=$RUN/nginx-bench.pid
REPORT=$VAR/bench-report.txt
RESULTS=$VAR/tmp/bench-results

log() { echo "bench: $*"; }
die() { echo "bench: $*" >&2; exit 1; }

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
	echo "$name $rps $(to_ms "$p50") $(to_ms "$p99") $reqs ${bad:-0}" \
	    >>"$RESULTS"
	if [ -n "$bad" ] && [ "$bad" -gt 0 ]; then
		echo "FAIL $name: $bad of $reqs responses were not 2xx" \
		    >>"$RESULTS.notes"
	fi
	if [ -n "$sockerr" ]; then
		echo "note $name: socket errors: $sockerr" >>"$RESULTS.notes"
	fi
}

posint BENCH_SECONDS "$BENCH_SECONDS"
posint CONC "$CONC"
posint WARMUP_SECONDS "$WARMUP_SECONDS"
posint FD_WORKERS "$FD_WORKERS"
THREADS=2; [ "$CONC" -lt 2 ] && THREADS=1	# wrk wants a connection per thread
for t in wrk nginx curl timeout; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed"
done
[ -x "$BARE" ] || die "$BARE is not built (make all)"

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

# 5. Measure.
rm -f "$RESULTS" "$RESULTS.notes"
for c in $CASES; do
	bench_case "${c%%:*}" "${c#*:}"
done

# 6. The table, on the terminal and in the report.
{
	echo "fishdelivery bench  $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
	echo "wrk -t$THREADS -c$CONC -d${BENCH_SECONDS}s --latency (after ${WARMUP_SECONDS}s warm-up)," \
	    "nginx 127.0.0.1:$BPORT, $FD_WORKERS libfcgi workers," \
	    "body $SIZE bytes, $(nproc 2>/dev/null || echo '?') cores," \
	    "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo
	awk '
	{ name[NR] = $1; rps[NR] = $2; p50[NR] = $3; p99[NR] = $4; bad[NR] = $6 }
	$1 == "static" { st = $2 }
	$1 == "bare" { ba = $2 }
	END {
		fmt = "%-18s %10s %9s %9s %9s %9s %7s\n"
		printf fmt, "case", "req/s", "p50 ms", "p99 ms", "/static", \
		    "/bare", "non2xx"
		for (i = 1; i <= NR; i++)
			printf "%-18s %10.0f %9.3f %9.3f %9s %9s %7d\n", \
			    name[i], rps[i], p50[i], p99[i], \
			    (st > 0 ? sprintf("%.2f", rps[i] / st) : "-"), \
			    (ba > 0 ? sprintf("%.2f", rps[i] / ba) : "-"), bad[i]
	}' "$RESULTS"
	if [ -s "$RESULTS.notes" ]; then
		echo
		cat "$RESULTS.notes"
	fi
} >"$REPORT"
echo
cat "$REPORT"
echo
log "report: $REPORT; wrk outputs: $LOG/wrk-*.txt"

if grep -q '^FAIL' "$RESULTS.notes" 2>/dev/null; then
	die "some responses were not 2xx (see above)"
fi
