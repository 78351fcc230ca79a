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
# Each of those gets a warm-up, then `wrk --latency`.  Then MyPage, cached,
# at MYPAGE_CONC, for a customer with MYPAGE_ORDERS orders (placed through
# the gateway, their payments approved):
#
#   bare-mc           bare_fcgi doing one memcached get (of the bench stack's
#                     memcached) of a value as large as GET /myPages's body
#   mypage-json       GET /myPages, `Authorization: Bearer` the customer's
#   mypage-html       GET /mypage, likewise
#
# The warm-up's first request fills the cache; the measured requests should
# all be hits.  The notes give, over each measured run, the CPU per answer
# of the program, the bench nginx and memcached (on these 2 cores the
# req/s ratio follows the CPU ratio), the order program's cache counters
# and own time; and RSS per process of the order program and of bare-mc.
# Then three cases at ORDER_CONC, with our own load programs (build/bench/):
#
#   orders            POST /orders through the stack's gateway: order_load,
#                     one customer and one kept-alive connection per thread
#   commit-ceiling    what the stack's MariaDB commits at all (commit_ceiling:
#                     one-row INSERT + COMMIT, a connection per thread)
#   order-floor       the rows a placed order cannot do without, on the same
#                     MariaDB with nothing else running (commit_ceiling -m
#                     order: copies of the contexts' tables; it prints how
#                     many statements and commits an order is): a ceiling
#                     for orders/s that no program around the database can
#                     raise
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
#   ORDER_CONC=16  FALLBACK_SECONDS=5  MYPAGE_CONC=64  MYPAGE_ORDERS=5
#   BENCH_VAR=var/bench  BENCH_PORT=28088 (the bench nginx is on the next
#   port, the stack's internal server on the one after: another stack can
#   be benchmarked beside one that is in use)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_SECONDS=${BENCH_SECONDS:-10}
CONC=${CONC:-32}
WARMUP_SECONDS=${WARMUP_SECONDS:-2}
FD_WORKERS=${FD_WORKERS:-4}
export FD_WORKERS		# stack.sh hands it to the programs
# The gateway's rate limits (README, "Rate limits") far above any load
# here: a bench measures the service, not the limiter.
export FD_LIMIT_LOGIN_RATE=100000r/s FD_LIMIT_LOGIN_BURST=100000 \
	FD_LIMIT_ORDER_RATE=100000r/s FD_LIMIT_ORDER_BURST=100000
ORDER_CONC=${ORDER_CONC:-16}
FALLBACK_SECONDS=${FALLBACK_SECONDS:-5}
MYPAGE_CONC=${MYPAGE_CONC:-64}
MYPAGE_ORDERS=${MYPAGE_ORDERS:-5}
TARGET_ORDERS=2000		# orders/s
TARGET_FALLBACK_P99=2		# ms
TARGET_MYPAGE_RATIO=0.85	# of bare-mc's req/s
TARGET_MYPAGE_P99=10		# ms

VAR=${BENCH_VAR:-$ROOT/var/bench}
case $VAR in /*) ;; *) VAR=$ROOT/$VAR ;; esac
PORT=${BENCH_PORT:-28088}	# the bench stack's gateway
BPORT=$((PORT + 1))		# the bench nginx
# The stack's internal server defaults to FD_PORT + 1, which is BPORT here.
INTERNAL_PORT=$((PORT + 2))
MC_PORT=$((PORT + 3223))	# the stack's memcached (scripts/env.sh)
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
BARE_MC_SOCK=$RUN/bare-mc.sock
MP_EMAIL=bench-mypage@example.com
MP_PASSWORD=bench-password-1
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
	stop_pid "$RUN/bare-mc.pid" "bare_fcgi (memcached)"
	rm -f "$BARE_SOCK" "$BARE_MC_SOCK"
	stack stop >>"$LOG/bench-stack.log" 2>&1 ||
	    echo "bench: stopping the bench stack failed; see $LOG/bench-stack.log" >&2
	exit $rc
}

# code_size URL [HEADER]: "HTTP-STATUS BYTES" of one GET.
code_size() {
	curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{size_download}' \
	    ${2:+-H} ${2:+"$2"} "$1"
}

# to_ms VALUE: wrk's latency ("812.00us", "1.52ms", "2.01s") in ms.
to_ms() {
	echo "$1" | awk '{
		v = $1 + 0; u = $1; sub(/^[0-9.]+/, "", u)
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000
		else if (u == "m") v *= 60000; else if (u != "ms") v = -1
		printf "%.3f", v }'
}

# bench_warm NAME PATH CONC [HEADER]: the warm-up of a case.
bench_warm() {
	log "$1: warm-up ${WARMUP_SECONDS}s, then ${BENCH_SECONDS}s at $3 connections"
	timeout $((WARMUP_SECONDS + 30)) wrk -t$THREADS -c"$3" \
	    -d"${WARMUP_SECONDS}s" ${4:+-H} ${4:+"$4"} \
	    "http://127.0.0.1:$BPORT$2" >/dev/null 2>&1 ||
	    die "$1: wrk warm-up failed"
}

# bench_case NAME PATH: warm up, measure at $CONC, append one line to
# $RESULTS.
bench_case() {
	bench_warm "$1" "$2" "$CONC"
	bench_measure "$1" "$2" "$CONC"
}

# bench_measure NAME PATH CONC [HEADER]: measure (after bench_warm), append
# one line to $RESULTS.
bench_measure() {
	name=$1; url=http://127.0.0.1:$BPORT$2
	out=$LOG/wrk-$(echo "$name" | tr / -).txt
	timeout $((BENCH_SECONDS + 30)) wrk -t$THREADS -c"$3" \
	    -d"${BENCH_SECONDS}s" --latency ${4:+-H} ${4:+"$4"} "$url" \
	    >"$out" 2>&1 ||
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

# db_status: "statements commits orders" so far, MariaDB-wide: prepared
# statements executed, commits, and orders in the order context.
db_status() {
	mariadb --no-defaults --socket="$RUN/mysqld.sock" -u "$(id -un)" -N \
	    -e "SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
		WHERE VARIABLE_NAME = 'COM_STMT_EXECUTE'),
		(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
		WHERE VARIABLE_NAME = 'COM_COMMIT'),
		(SELECT COUNT(*) FROM fd_order.orders)" 2>>"$LOG/bench-stack.log" |
	    tr '\t' ' '
}

# undelivered: events still in any outbox for a subscriber.
undelivered() {
	mariadb --no-defaults --socket="$RUN/mysqld.sock" -u "$(id -un)" -N \
	    -e "SELECT (SELECT COUNT(*) FROM fd_order.outbox_deliveries WHERE
		state IN ('pending', 'inflight')) + (SELECT COUNT(*) FROM
		fd_payment.outbox_deliveries WHERE state IN ('pending',
		'inflight'))" 2>>"$LOG/bench-stack.log"
}

# db_work CASE BEFORE: a note on MariaDB's work per placed order since
# BEFORE (db_status), once the relays have applied the orders' events
# elsewhere (at most 30 s): the work of every context and relay, with the
# warm-up's orders counted too, and the relays' polling besides.
db_work() {
	n=300
	while [ "$(undelivered)" != 0 ] && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	[ $n -gt 0 ] || note "note $1: the relays had not drained after 30 s"
	# shellcheck disable=SC2046,SC2086 # split: "statements commits orders"
	set -- "$1" $2 $(db_status)
	awk -v name="$1" -v s="$2" -v c="$3" -v o="$4" -v s1="$5" -v c1="$6" \
	    -v o1="$7" 'BEGIN {
		if (o1 <= o)
			exit
		printf "note %s: %.1f prepared statements and %.2f commits" \
		    " per placed order in MariaDB (%d orders, every context" \
		    " and relay)\n", name, (s1 - s) / (o1 - o),
		    (c1 - c) / (o1 - o), o1 - o
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

# MyPage's customer: logs MP_EMAIL in (signing it up the first time), sees
# that it has MYPAGE_ORDERS orders at least (placing those missing, so that
# runs against the same stack keep the page the same size), and waits until
# GET /myPages shows every one with its payment approved (the PayApproved
# events come through the relay).  Sets $MP_AUTH, the header for wrk, and
# $MP_N, how many orders the page shows.
mypage_customer() {
	h='Content-Type: application/json'
	creds="{\"email\":\"$MP_EMAIL\",\"password\":\"$MP_PASSWORD\"}"
	signup="{\"email\":\"$MP_EMAIL\",\"password\":\"$MP_PASSWORD\","
	signup="$signup\"name\":\"벤치 마이페이지\",\"phone\":\"010-1234-5678\","
	signup="$signup\"address\":\"서울 마포구 1\"}"
	# order_load's order: items 1 and 2 of store 1.
	order='{"storeId":1,"items":[{"menuId":1,"qty":1},{"menuId":2,"qty":1}],'
	order=$order'"address":"서울 마포구 1","phone":"010-1234-5678"}'
	out=$LOG/mypage-login.txt
	st=$(curl -sS --max-time 30 -o "$out" -w '%{http_code}' -H "$h" \
	    -d "$creds" "$URL/auth/login") || st=000
	if [ "$st" = 401 ]; then
		st=$(curl -sS --max-time 30 -o "$out" -w '%{http_code}' \
		    -H "$h" -d "$signup" "$URL/auth/signup") || st=000
		[ "$st" = 201 ] || die "mypage: signing $MP_EMAIL up answered" \
		    "$st: $(cat "$out")"
		st=$(curl -sS --max-time 30 -o "$out" -w '%{http_code}' \
		    -H "$h" -d "$creds" "$URL/auth/login") || st=000
	fi
	[ "$st" = 200 ] || die "mypage: logging $MP_EMAIL in answered $st: $(cat "$out")"
	token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$out")
	[ -n "$token" ] || die "mypage: no token in $(cat "$out")"
	MP_AUTH="Authorization: Bearer $token"

	MP_N=$(mypage_count '"orderId":')
	i=$MP_N
	while [ "$i" -lt "$MYPAGE_ORDERS" ]; do
		st=$(curl -sS --max-time 30 -o "$out" -w '%{http_code}' \
		    -H "$h" -H "$MP_AUTH" -d "$order" "$URL/orders") || st=000
		[ "$st" = 201 ] || die "mypage: POST /orders answered $st: $(cat "$out")"
		i=$((i + 1))
	done
	n=100
	while :; do
		MP_N=$(mypage_count '"orderId":')
		[ "$MP_N" -ge "$MYPAGE_ORDERS" ] &&
		    [ "$(mypage_count '"payment":"approved"')" = "$MP_N" ] && break
		n=$((n - 1))
		[ $n -gt 0 ] || die "mypage: after 10 s GET /myPages shows" \
		    "$MP_N orders, $(mypage_count '"payment":"approved"') of them" \
		    "approved: $(head -c 600 "$LOG/mypage.json")"
		sleep 0.1
	done
}

# mypage_count STRING: how often STRING is in the customer's GET /myPages.
mypage_count() {
	curl -fsS --max-time 10 -H "$MP_AUTH" -o "$LOG/mypage.json" \
	    "$URL/myPages" || die "mypage: GET /myPages failed"
	grep -o "$1" "$LOG/mypage.json" | wc -l | tr -d ' '
}

# mp_cache: "hit miss stale error" of the order program's MyPage cache.
mp_cache() {
	{ curl -fsS --max-time 5 "$URL/order/metrics" 2>/dev/null || true; } |
	    awk '/^fd_mypage_cache_total\{/ {
		r = $1; sub(/.*result="/, "", r); sub(/".*/, "", r); v[r] = $NF }
		END { printf "%d %d %d %d\n", v["hit"], v["miss"], v["stale"],
		    v["error"] }'
}

# rss_note WHAT MASTER-PID: a note of the VmRSS of a prefork program, its
# master and every child of it (/proc/<pid>/status; shared pages count in
# each process).
rss_note() {
	kids=$(ps -o pid= --ppid "$2" 2>/dev/null | tr -s ' \n' '  ') || kids=
	for p in $2 $kids; do
		awk -v p="$p" '/^VmRSS:/ { print p, $2 }' "/proc/$p/status" \
		    2>/dev/null || true
	done | awk -v what="$1" '
		NR == 1 { m = $2; mp = $1; sum = $2; next }
		{ w = w (w == "" ? "" : " ") $2; sum += $2; n++ }
		END {
			if (NR == 0) { printf "note rss %s: no process\n", what; exit }
			printf "note rss %s: %d kB in %d processes (VmRSS): master" \
			    " %d kB (pid %d), %d workers %s kB\n", what, sum, NR, \
			    m, mp, n, (w == "" ? "-" : w)
		}' >>"$RESULTS.notes"
}

# cpu_snap MASTER-PID: CPU ticks so far, "user sys" of a prefork program
# (MASTER-PID and its children), then of the bench nginx's workers, then of
# the stack's memcached (/proc/<pid>/stat).
cpu_snap() {
	for g in "$1" "$(cat "$NGINX_PID" 2>/dev/null)" \
	    "-$(cat "$RUN/memcached.pid" 2>/dev/null)"; do
		case $g in
		-*) pids=${g#-} ;;	# memcached: the process itself
		*) pids="$g $(ps -o pid= --ppid "$g" 2>/dev/null | tr -s ' \n' '  ')" ;;
		esac
		# shellcheck disable=SC2086 # a list of pids
		for p in $pids; do cat "/proc/$p/stat" 2>/dev/null || true; done |
		    awk '{ sub(/^.*\) /, ""); u += $12; s += $13 }
			END { printf "%d %d ", u, s }'
	done
	echo
}

# mc_case NAME PATH MASTER-PID [HEADER]: a case at MYPAGE_CONC behind
# MASTER-PID's program (bare-mc, or the order program as the customer when
# HEADER is given), with the CPU spent per answer over the measured run and,
# for MyPage, the cache's counters and the order program's own time.  Sets
# $cpu_us, the CPU per answer in all (without wrk's).
mc_case() {
	bench_warm "$1" "$2" "$MYPAGE_CONC" ${4:+"$4"}
	if [ -n "${4:-}" ]; then c0=$(mp_cache); t0=$(served order "GET $2"); fi
	u0=$(cpu_snap "$3")
	bench_measure "$1" "$2" "$MYPAGE_CONC" ${4:+"$4"}
	u1=$(cpu_snap "$3")
	if [ -n "${4:-}" ]; then c1=$(mp_cache); t1=$(served order "GET $2"); fi
	what=$(readlink "/proc/$3/exe" 2>/dev/null) || what=program
	# shellcheck disable=SC2086 # split: tick counts
	cpu_us=$(set -- $u0 $u1
	    awk -v name="$name" -v n="$reqs" -v hz="$(getconf CLK_TCK)" \
		-v what="${what##*/}" \
		-v su="$(($7 - $1))" -v ss="$(($8 - $2))" \
		-v ng="$(($9 + ${10} - $3 - $4))" -v mc="$((${11} + ${12} - $5 - $6))" \
		-v base="${BMC_CPU_US:-0}" -v notes="$RESULTS.notes" 'BEGIN {
		f = 1e6 / hz / (n > 0 ? n : 1)
		all = (su + ss + ng + mc) * f
		printf "note %s: CPU µs per answer: %s %.1f (user %.1f," \
		    " sys %.1f), nginx %.1f, memcached %.1f: %.1f in all%s\n", \
		    name, what, (su + ss) * f, su * f, ss * f, ng * f, mc * f, \
		    all, (base > 0 && all > 0 ? sprintf("; bare-mc ÷ this %.2f", \
		    base / all) : "") >>notes
		printf "%.1f\n", all
	}')
	[ -n "${4:-}" ] || return 0
	# shellcheck disable=SC2086 # split: counters, "seconds count" pairs
	set -- "$1" $c0 $c1 $t0 $t1
	awk -v name="$1" -v h0="$2" -v m0="$3" -v s0="$4" -v e0="$5" \
	    -v h1="$6" -v m1="$7" -v s1="$8" -v e1="$9" -v w="$FD_WORKERS" \
	    -v ts="${10}" -v tc="${11}" -v ts1="${12}" -v tc1="${13}" 'BEGIN {
		h = h1 - h0; m = m1 - m0; s = s1 - s0; e = e1 - e0
		printf "note %s: cache over the measured run: %d hits, %d" \
		    " misses, %d stale, %d errors: hit ratio %s\n", name, h, m, \
		    s, e, (h + m > 0 ? sprintf("%.4f", h / (h + m)) : "-")
		if (tc1 > tc) {
			o = (ts1 - ts) / (tc1 - tc) * 1000
			printf "note %s: %.3f ms in the order program per" \
			    " answer; %d order workers serve at most %.0f/s at" \
			    " that\n", name, o, w, w * 1000 / o
		}
	}' >>"$RESULTS.notes"
}

posint BENCH_SECONDS "$BENCH_SECONDS"
posint CONC "$CONC"
posint WARMUP_SECONDS "$WARMUP_SECONDS"
posint FD_WORKERS "$FD_WORKERS"
posint ORDER_CONC "$ORDER_CONC"
posint FALLBACK_SECONDS "$FALLBACK_SECONDS"
posint MYPAGE_CONC "$MYPAGE_CONC"
posint MYPAGE_ORDERS "$MYPAGE_ORDERS"
posint BENCH_PORT "$PORT"
THREADS=2; [ "$CONC" -lt 2 ] && THREADS=1	# wrk wants a connection per thread
for t in wrk nginx curl timeout mariadb sv ps; do
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
stop_pid "$RUN/bare-mc.pid" "bare_fcgi (memcached)"

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

# MyPage's customer and its orders, the page's sizes, and the baseline of a
# cached read: bare_fcgi getting a value as large as the JSON page from the
# stack's memcached (the one the order program reads) on every request.
log "mypage: $MP_EMAIL with $MYPAGE_ORDERS orders, payments approved"
mypage_customer
# shellcheck disable=SC2046 # two words: status and size
set -- $(code_size "http://127.0.0.1:$BPORT/myPages" "$MP_AUTH")
[ "${1:-}" = 200 ] || die "mypage-json: GET /myPages answered ${1:-nothing}, not 200"
MP_SIZE=$2
# shellcheck disable=SC2046
set -- $(code_size "http://127.0.0.1:$BPORT/mypage" "$MP_AUTH")
[ "${1:-}" = 200 ] || die "mypage-html: GET /mypage answered ${1:-nothing}, not 200"
MP_HTML_SIZE=$2
log "GET /myPages is $MP_SIZE bytes, GET /mypage $MP_HTML_SIZE ($MP_N orders)"
rm -f "$BARE_MC_SOCK"
"$BARE" "$BARE_MC_SOCK" "$FD_WORKERS" "$MP_SIZE" memcached \
    "127.0.0.1:$MC_PORT" >>"$LOG/bare.log" 2>&1 &
echo $! >"$RUN/bare-mc.pid"
wait_for 10 "the bare_fcgi (memcached) socket" test -S "$BARE_MC_SOCK"
running "$RUN/bare-mc.pid" || die "bare_fcgi (memcached) exited; see $LOG/bare.log"
# shellcheck disable=SC2046
set -- $(code_size "http://127.0.0.1:$BPORT/bare-mc")
[ "${1:-}" = 200 ] || die "bare-mc: GET /bare-mc answered ${1:-nothing}, not 200"
[ "$2" = "$MP_SIZE" ] || die "bare-mc: GET /bare-mc is $2 bytes, not $MP_SIZE"

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

# 5. Measure.
rm -f "$RESULTS" "$RESULTS.notes"
for c in $CASES; do
	bench_case "${c%%:*}" "${c#*:}"
done

ol0=$(wc -l <"$LOG/order.log" 2>/dev/null || echo 0)
BMC_CPU_US=
mc_case bare-mc /bare-mc "$(cat "$RUN/bare-mc.pid")"
BMC_CPU_US=$cpu_us
rss_note "bare_fcgi (bare-mc)" "$(cat "$RUN/bare-mc.pid")"
running "$VAR/service/order/supervise/pid" ||
    die "mypage: no order master in $VAR/service/order/supervise/pid"
ORDER_PID=$(cat "$VAR/service/order/supervise/pid")
mc_case mypage-json /myPages "$ORDER_PID" "$MP_AUTH"
mc_case mypage-html /mypage "$ORDER_PID" "$MP_AUTH"
rss_note "order" "$ORDER_PID"
# What the order program logged meanwhile (it logs errors, not requests).
ol1=$(wc -l <"$LOG/order.log" 2>/dev/null || echo 0)
if [ "$ol1" -gt "$ol0" ]; then
	note "note mypage: order.log has $((ol1 - ol0)) new lines; the first:"
	sed -n "$((ol0 + 1)),$((ol0 + 3))p" "$LOG/order.log" |
	    sed 's/^/note mypage:   /' >>"$RESULTS.notes"
fi

# The relay first, on a quiet database: after the orders load MariaDB is
# still writing back what it took, and commits then wait on the disk.
RELAY_P50= RELAY_P99= RELAY_EPS=
relay_cases

breaker closed || note "note orders: the payment breaker was not closed before"
log "orders: ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC customers"
o0=$(served order "POST /orders"); p0=$(served payment "POST /payments")
db0=$(db_status)
if load_case orders http "$LOG/load-orders.txt" "$ORDER_LOAD" -u "$URL" \
    -c "$ORDER_CONC" -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS"; then
	note "note orders: statuses $codes"
	[ "$bad" -eq 0 ] || note "FAIL orders: $bad answers were not 201"
	where_time orders "$o0" "$p0"
	db_work orders "$db0"
fi

log "commit-ceiling: ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC connections"
load_case commit-ceiling db "$LOG/load-commit-ceiling.txt" "$CEILING" \
    -S "$RUN/mysqld.sock" -U "$(id -un)" -c "$ORDER_CONC" \
    -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS" &&
    { [ "$bad" -eq 0 ] || note "FAIL commit-ceiling: $bad commits failed"; }

log "order-floor: ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC connections"
load_case order-floor db "$LOG/load-order-floor.txt" "$CEILING" -m order \
    -S "$RUN/mysqld.sock" -U "$(id -un)" -c "$ORDER_CONC" \
    -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS" &&
    { [ "$bad" -eq 0 ] || note "FAIL order-floor: $bad units failed"; }

fallback_case

# 6. The table, on the terminal and in the report.
{
	echo "fishdelivery bench  $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
	echo "wrk -t$THREADS -c$CONC -d${BENCH_SECONDS}s --latency (after ${WARMUP_SECONDS}s warm-up)," \
	    "nginx 127.0.0.1:$BPORT, $FD_WORKERS libfcgi workers," \
	    "body $SIZE bytes, $(nproc 2>/dev/null || echo '?') cores," \
	    "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo "bare-mc, mypage-*: wrk -t$THREADS -c$MYPAGE_CONC, the customer" \
	    "with $MP_N orders; GET /myPages $MP_SIZE bytes (bare-mc gets as" \
	    "many from memcached), GET /mypage $MP_HTML_SIZE bytes"
	echo "orders: order_load -c$ORDER_CONC -d${BENCH_SECONDS}s through the" \
	    "gateway 127.0.0.1:$PORT; commit-ceiling: $ORDER_CONC MariaDB" \
	    "connections, INSERT+COMMIT; order-floor: as many, an order's" \
	    "rows alone; order-fallback: -c$ORDER_CONC" \
	    "-d${FALLBACK_SECONDS}s, payment stopped, breaker open"
	echo
	LC_ALL=C awk -v target="$TARGET_ORDERS" -v ftarget="$TARGET_FALLBACK_P99" \
	    -v mratio="$TARGET_MYPAGE_RATIO" -v mp99="$TARGET_MYPAGE_P99" '
	{ name[NR] = $1; rps[NR] = $2; p50[NR] = $3; p99[NR] = $4
	  bad[NR] = $6; kind[NR] = $7 }
	$1 == "static" { st = $2 }
	$1 == "bare" { ba = $2 }
	$1 == "orders" { ord = $2; have_ord = 1 }
	$1 == "commit-ceiling" { ceil = $2 }
	$1 == "order-floor" { floor = $2 }
	$1 == "order-fallback" { fb = $4; have_fb = 1 }
	$1 == "bare-mc" { bmc = $2 }
	$1 ~ /^mypage-/ { mp[++nmp] = NR }
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
		if (have_ord && floor > 0)
			printf "%-35s %9.3f  (%.0f orders/s ÷ %.0f)\n", \
			    "orders/s ÷ order floor", ord / floor, ord, floor
		if (have_ord)
			printf "%-36s %9.0f  %s\n", \
			    "target ≥ " target " orders/s", ord, \
			    (ord >= target ? "met" : "MISSED")
		if (have_fb)
			printf "%-36s %9.3f  %s\n", \
			    "fallback p99 target ≤ " ftarget " ms", fb, \
			    (fb <= ftarget ? "met" : "MISSED")
		for (j = 1; j <= nmp; j++) {
			i = mp[j]
			if (bmc > 0)
				printf "%-36s %9.3f  %s (%.0f ÷ %.0f req/s)\n", \
				    name[i] " ÷ bare-mc target ≥ " mratio, \
				    rps[i] / bmc, (rps[i] / bmc >= mratio ? \
				    "met" : "MISSED"), rps[i], bmc
			printf "%-36s %9.3f  %s\n", \
			    name[i] " p99 target ≤ " mp99 " ms", p99[i], \
			    (p99[i] <= mp99 ? "met" : "MISSED")
		}
		print ""
		print "bad: answers not 2xx (wrk cases), not 201 (orders), not" \
		    " 503 with Retry-After (order-fallback); failed commits" \
		    " (commit-ceiling), failed units (order-floor)"
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
