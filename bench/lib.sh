# lib.sh - what the bench's cases share; sourced by bench/run.sh.
#
# The private stack's paths and ports come from scripts/env.sh and it is
# started and stopped by scripts/stack.sh, as `make run` and `make test` do;
# here are the bench's settings, one runner per kind of load (wrk against
# the bench nginx; our load programs in build/bench/) with one summariser
# each, readings of the programs' /metrics, of MariaDB and of /proc, and
# the report: one row per measured case, notes, and targets.
#
# A case (bench/case/NAME.sh) defines NAME_run, which measures and appends
# rows with wrk_case, wrk_measure or load_case, notes with note (a note
# starting "FAIL" fails the run: an unexpected answer), and the lines of the
# report's header with setting; and, optionally, NAME_report, which prints
# its figures and targets (target) once every case has run, reading the
# other cases' rows with row; and, if it starts something of its own that
# must go on any exit, NAME_cleanup (called by the EXIT trap).  Cases run in the bench's own shell, one after
# the other: what one sets (a variable, a process in bench_spawn) the later
# ones and the report see.

log() { echo "bench: $*"; }
die() { echo "bench: $*" >&2; exit 1; }

posint() {	# posint NAME VALUE
	case $2 in '' | *[!0-9]*) die "$1 must be a positive integer, not '$2'" ;; esac
	[ "$2" -gt 0 ] || die "$1 must be a positive integer, not '$2'"
}

# Settings: the environment's, else these.
BENCH_SECONDS=${BENCH_SECONDS:-10}
CONC=${CONC:-32}
WARMUP_SECONDS=${WARMUP_SECONDS:-2}
FD_WORKERS=${FD_WORKERS:-4}
export FD_WORKERS		# stack.sh hands it to the programs
ORDER_CONC=${ORDER_CONC:-16}
FALLBACK_SECONDS=${FALLBACK_SECONDS:-5}
MYPAGE_CONC=${MYPAGE_CONC:-64}
MYPAGE_ORDERS=${MYPAGE_ORDERS:-5}
RELAY_BACKLOG=${RELAY_BACKLOG:-20000}
RELAY_RATE=200			# events/s of the relay's latency case
PORT=${BENCH_PORT:-28088}	# the bench stack's gateway
posint BENCH_SECONDS "$BENCH_SECONDS"
posint CONC "$CONC"
posint WARMUP_SECONDS "$WARMUP_SECONDS"
posint FD_WORKERS "$FD_WORKERS"
posint ORDER_CONC "$ORDER_CONC"
posint FALLBACK_SECONDS "$FALLBACK_SECONDS"
posint MYPAGE_CONC "$MYPAGE_CONC"
posint MYPAGE_ORDERS "$MYPAGE_ORDERS"
posint RELAY_BACKLOG "$RELAY_BACKLOG"
posint BENCH_PORT "$PORT"
BPORT=$((PORT + 1))		# the bench nginx
# The gateway's rate limits (README, "Rate limits") far above any load
# here: a bench measures the service, not the limiter.
export FD_LIMIT_LOGIN_RATE=100000r/s FD_LIMIT_LOGIN_BURST=100000 \
	FD_LIMIT_ORDER_RATE=100000r/s FD_LIMIT_ORDER_BURST=100000

# The stack: scripts/env.sh derives everything from FD_VAR and FD_PORT, so
# the ports the environment may have set for another stack are dropped.
# Its internal server would be on FD_PORT + 1, the bench nginx's: it takes
# the one after.
FD_VAR=${BENCH_VAR:-$ROOT/var/bench}
case $FD_VAR in /*) ;; *) FD_VAR=$ROOT/$FD_VAR ;; esac
FD_PORT=$PORT
FD_INTERNAL_PORT=$((PORT + 2))
FD_BUILD=${BENCH_BUILD:-$ROOT/build}
unset FD_DB_PORT FD_MC_PORT FD_RELAY_PORT_BASE
export FD_INTERNAL_PORT
. "$ROOT/scripts/env.sh"
FD_ROOT=$ROOT	# env.sh guesses it from $0: a test may source this file
VAR=$FD_VAR RUN=$FD_RUN LOG=$FD_LOG URL=$FD_URL
BENCH_URL=http://127.0.0.1:$BPORT	# the bench nginx
NGINX_PID=$RUN/nginx-bench.pid
REPORT=$VAR/bench-report.txt
RESULTS=$VAR/tmp/bench-results	# rows; .notes, .settings beside it
BARE=$FD_BUILD/bench/bare_fcgi
ORDER_LOAD=$FD_BUILD/bench/order_load
CEILING=$FD_BUILD/bench/commit_ceiling
RELAY_BENCH=$FD_BUILD/bench/relay_bench
THREADS=2; [ "$CONC" -lt 2 ] && THREADS=1	# wrk wants a connection per thread

note() { echo "$*" >>"$RESULTS.notes"; }

# setting WORDS...: a line of the report's header saying how a case ran
# (once, however many cases share it).
setting() {
	grep -qxF -- "$*" "$RESULTS.settings" 2>/dev/null ||
	    echo "$*" >>"$RESULTS.settings"
}

wait_for() {	# wait_for SECONDS DESCRIPTION COMMAND...
	wf_secs=$1 wf_what=$2
	shift 2
	fd_wait_for "$wf_secs" "$@" || die "timed out waiting for $wf_what"
}

stack() {	# stack ARGS...: scripts/stack.sh on the bench's stack
	"$FD_ROOT/scripts/stack.sh" "$@"
}

# bench_spawn NAME COMMAND...: starts COMMAND in the background, its pid in
# $RUN/bench-NAME.pid (bench_pid NAME) and its output in $LOG/bench-NAME.log;
# stopped on exit (or earlier with bench_stop NAME), and by the next run if
# this one was killed.
BENCH_SPAWNED=
bench_spawn() {
	name=$1
	shift
	"$@" >>"$LOG/bench-$name.log" 2>&1 &
	echo $! >"$RUN/bench-$name.pid"
	BENCH_SPAWNED="$BENCH_SPAWNED $name"
}

bench_pid() {	# bench_pid NAME: its pid, if it runs
	fd_running "$RUN/bench-$1.pid" && cat "$RUN/bench-$1.pid"
}

bench_stop() {	# bench_stop NAME
	fd_stop_pid "$RUN/bench-$1.pid" "$1" 10
}

# The EXIT trap: what the bench started goes, also on error or ^C, the
# stack with it, and what a case started itself (its NAME_cleanup, if it
# has one: the cluster case's cluster).
bench_cleanup() {
	rc=$?
	trap - EXIT INT TERM
	for c in ${CASES:-}; do
		! command -v "${c}_cleanup" >/dev/null 2>&1 || "${c}_cleanup" || true
	done
	fd_stop_pid "$NGINX_PID" "bench nginx" 10
	for s in $BENCH_SPAWNED; do
		bench_stop "$s"
	done
	stack stop >>"$LOG/bench-stack.log" 2>&1 ||
	    echo "bench: stopping the bench stack failed; see $LOG/bench-stack.log" >&2
	exit $rc
}

# calc FORMAT EXPRESSIONS: awk's printf of arithmetic on the shell's
# numbers (the shell's own is integer only).  The numbers must be numbers:
# each caller guards what it divides by.
calc() {
	awk "BEGIN { printf \"$1\", $2 }"
}

# holds CONDITION: true if the arithmetic CONDITION holds (awk's).
holds() {
	awk "BEGIN { exit !($1) }"
}

# code_size URL [HEADER]: "HTTP-STATUS BYTES" of one GET.
code_size() {
	curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{size_download}' \
	    ${2:+-H} ${2:+"$2"} "$1"
}

# expect_get NAME PATH [BYTES [HEADER]]: GET PATH of the bench nginx must
# answer 200 (and BYTES bytes, when given) before NAME is measured; sets
# $got_size.
expect_get() {
	# shellcheck disable=SC2046 # two words: status and size
	set -- "$1" "$2" "${3:-}" "${4:-}" $(code_size "$BENCH_URL$2" "${4:-}")
	[ "${5:-}" = 200 ] || die "$1: GET $2 answered ${5:-nothing}, not 200"
	[ -z "$3" ] || [ "$6" = "$3" ] || die "$1: GET $2 is $6 bytes, not $3"
	got_size=$6
}

# A row of the report ($RESULTS), one per measured case:
#   NAME REQ/S P50-MS P99-MS REQUESTS BAD KIND
# KIND is http (compared to static and bare) or db.  row NAME FIELD: a
# field of NAME's row (2 req/s, 3 p50, 4 p99, 5 requests, 6 bad), empty if
# NAME was not measured.
row() {
	[ -f "$RESULTS" ] || return 0
	awk -v n="$1" -v f="$2" '$1 == n { v = $f } END { print v }' "$RESULTS"
}

# wrk_warm NAME PATH CONC [HEADER]: the warm-up of a case (not measured).
wrk_warm() {
	log "$1: warm-up ${WARMUP_SECONDS}s, then ${BENCH_SECONDS}s at $3 connections"
	timeout $((WARMUP_SECONDS + 30)) wrk -t$THREADS -c"$3" \
	    -d"${WARMUP_SECONDS}s" ${4:+-H} ${4:+"$4"} "$BENCH_URL$2" \
	    >/dev/null 2>&1 || die "$1: wrk warm-up failed"
}

# wrk_measure NAME PATH CONC [HEADER]: `wrk --latency` for BENCH_SECONDS
# (after wrk_warm), its output in $LOG/wrk-NAME.txt, one row; an answer
# other than 2xx fails the run.  Sets $reqs, the requests it made.
wrk_measure() {
	name=$1 out=$LOG/wrk-$(echo "$1" | tr / -).txt
	timeout $((BENCH_SECONDS + 30)) wrk -t$THREADS -c"$3" \
	    -d"${BENCH_SECONDS}s" --latency ${4:+-H} ${4:+"$4"} \
	    "$BENCH_URL$2" >"$out" 2>&1 ||
	    { cat "$out" >&2; die "$name: wrk failed"; }
	r=$(wrk_summary "$name" "$out")
	[ -n "$r" ] || { cat "$out" >&2; die "$name: cannot read wrk's output ($out)"; }
	echo "$r" >>"$RESULTS"
	# shellcheck disable=SC2086 # the row's fields
	set -- $r
	reqs=$5
	[ "$6" -eq 0 ] || note "FAIL $name: $6 of $reqs responses were not 2xx"
	sockerr=$(sed -n 's/^ *Socket errors: //p' "$out")
	[ -z "$sockerr" ] || note "note $name: socket errors: $sockerr"
}

# wrk_case NAME PATH: warm-up and measure at CONC.
wrk_case() {
	setting "wrk -t$THREADS -c$CONC -d${BENCH_SECONDS}s --latency (after" \
	    "${WARMUP_SECONDS}s warm-up), nginx 127.0.0.1:$BPORT," \
	    "$FD_WORKERS libfcgi workers, body $SIZE bytes"
	wrk_warm "$1" "$2" "$CONC"
	wrk_measure "$1" "$2" "$CONC"
}

# wrk_summary NAME FILE: wrk's output as a row (empty if it lacks a
# figure): its latencies ("812.00us", "1.52ms", "2.01s") in ms, and the
# answers that were not 2xx or 3xx.
wrk_summary() {
	awk -v name="$1" '
	function ms(s,  v, u) {
		v = s + 0; u = s; sub(/^[0-9.]+/, "", u)
		if (u == "us") return v / 1000
		if (u == "ms") return v
		if (u == "s") return v * 1000
		if (u == "m") return v * 60000
		return -1
	}
	/^Requests\/sec:/ { rps = $2 }
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	/ requests in / { n = $1 }
	/Non-2xx or 3xx responses:/ { bad = $NF }
	END {
		if (rps == "" || p50 == "" || p99 == "" || n == "")
			exit
		printf "%s %s %.3f %.3f %d %d http\n", name, rps, p50, p99, n, bad
	}' "$2"
}

# field KEY LINE: the value of KEY=value in a `result` line.
field() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# load_case NAME KIND OUT COMMAND...: one of our load programs (bounded by
# timeout), its output in OUT, its `result` line (key=value ...) a row; KIND
# is http or db.  Sets $rps, $p50, $p99, $bad, $codes and $result (the
# line); fails, with a FAIL note, if the program did or its line is not
# whole.
load_case() {
	name=$1 kind=$2 out=$3
	shift 3
	rps='' p50='' p99='' bad='' codes='' result=''
	if ! timeout $((WARMUP_SECONDS + BENCH_SECONDS + 120)) "$@" \
	    >"$out" 2>&1; then
		cat "$out" >&2
		note "FAIL $name: $(basename "$1") failed; see $out"
		return 1
	fi
	result=$(sed -n 's/^result //p' "$out")
	rps=$(field rps "$result") p50=$(field p50 "$result")
	p99=$(field p99 "$result") bad=$(field bad "$result")
	codes=$(field codes "$result")
	[ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] && [ -n "$bad" ] || {
		cat "$out" >&2
		note "FAIL $name: cannot read $out"
		return 1
	}
	echo "$name $rps $p50 $p99 $(field n "$result") $bad $kind" >>"$RESULTS"
}

# metric CTX SERIES...: the values of each SERIES (exactly as written:
# name{labels}) in the stack's CTX /metrics, on one line, 0 for one it
# lacks (or all, if CTX does not answer).
metric() {
	c=$1
	shift
	{ curl -fsS --max-time 5 "$URL/$c/metrics" 2>/dev/null || true; } |
	    awk 'BEGIN {	# the series are arguments, not files: read stdin
			for (i = 1; i < ARGC; i++) s[i] = ARGV[i] " "
			n = ARGC - 1; ARGC = 1 }
		{ for (i = 1; i <= n; i++) if (index($0, s[i]) == 1) v[i] = $NF }
		END { for (i = 1; i <= n; i++)
			printf "%s%s", (i > 1 ? " " : ""), (i in v ? v[i] : 0)
		    print "" }' "$@"
}

# served CTX ROUTE: "seconds count" the stack's CTX program has spent on
# ROUTE so far, from its latency histogram.
served() {
	l="{context=\"$1\",route=\"$2\"}"
	metric "$1" "fd_http_request_duration_seconds_sum$l" \
	    "fd_http_request_duration_seconds_count$l"
}

# breaker STATE: the order program's payment breaker is in STATE.
breaker() {
	[ "$(metric order "fd_breaker_state{breaker=\"payment\",state=\"$1\"}")" = 1 ]
}

# db_status: "statements commits orders" so far, MariaDB-wide: prepared
# statements executed, commits, and orders in the order context.
db_status() {
	fd_sql -N -e "SELECT (SELECT VARIABLE_VALUE FROM
	    information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME =
	    'COM_STMT_EXECUTE'), (SELECT VARIABLE_VALUE FROM
	    information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_COMMIT'),
	    (SELECT COUNT(*) FROM fd_order.orders)" 2>>"$LOG/bench-stack.log" |
	    tr '\t' ' '
}

# need_menu NAME: the orders our load programs place are of menu items 1
# and 2 of store 1; the order program's menu replica must have them for
# sale (the seed's sql/seed/order.sql).
need_menu() {
	n=$(fd_sql -N -e "SELECT COUNT(*) FROM fd_order.menu_replica WHERE
	    store_id = 1 AND menu_id IN (1, 2) AND sold_out = 0" \
	    2>>"$LOG/bench-stack.log") || die "$1: cannot read the menu replica"
	[ "$n" = 2 ] || die "$1: the menu replica lacks items 1 and 2 of store 1 for sale"
}

# where_time NAME BEFORE-ORDER [BEFORE-PAYMENT]: a note on where the time
# of POST /orders went since BEFORE (served), from the programs' own
# histograms: the order program's time per answer, payment's part of it
# (without BEFORE-PAYMENT payment is down: not asked), and what that allows
# FD_WORKERS order workers.  (Answers wait for a worker besides.)
where_time() {
	pay="0 0"
	[ -n "${3:-}" ] && pay=$(served payment "POST /payments")
	# shellcheck disable=SC2046,SC2086 # split: "seconds count" pairs
	set -- "$1" $2 ${3:-0 0} $(served order "POST /orders") $pay
	[ "$7" -gt "$3" ] || return 0
	o=$(calc %.2f "($6 - $2) / ($7 - $3) * 1000")
	holds "$o > 0" || return 0
	p=0
	[ "$9" -gt "$5" ] && p=$(calc %.2f "($8 - $4) / ($9 - $5) * 1000")
	note "note $1: $o ms in the order program per answer, $p ms of it" \
	    "in payment; $FD_WORKERS order workers serve at most" \
	    "$(calc %.0f "$FD_WORKERS * 1000 / $o")/s at that"
}

# ticks PID...: "user sys" CPU ticks so far of the processes
# (/proc/PID/stat; one that has gone counts nothing).
ticks() {
	tu=0 ts=0
	for p in "$@"; do
		st=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		# shellcheck disable=SC2086 # the fields after the command's
		# name, which may hold spaces: utime and stime are the 12th
		# and 13th
		add_ticks ${st##*") "}
	done
	echo "$tu $ts"
}
add_ticks() { tu=$((tu + ${12})) ts=$((ts + ${13})); }

kids() {	# kids PID: the pids of its children, on one line
	ps -o pid= --ppid "$1" 2>/dev/null | tr -s ' \n' '  ' || true
}

# rss_note WHAT MASTER-PID: a note of the VmRSS of a prefork program, its
# master and every child of it (shared pages count in each process).
rss_note() {
	m='' w='' sum=0 n=0
	for p in $2 $(kids "$2"); do
		kb=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$p/status" \
		    2>/dev/null) || continue
		[ -n "$kb" ] || continue
		sum=$((sum + kb)) n=$((n + 1))
		if [ -z "$m" ]; then m=$kb; else w="$w${w:+ }$kb"; fi
	done
	if [ -z "$m" ]; then
		note "note rss $1: no process"
	else
		note "note rss $1: $sum kB in $n processes (VmRSS): master $m kB" \
		    "(pid $2), $((n - 1)) workers ${w:--} kB"
	fi
}

# target LABEL VALUE OP LIMIT [DETAIL...]: a line of the report: VALUE
# against LIMIT ("met" if VALUE OP LIMIT holds, else "MISSED"; a missed
# target does not fail the run).
target() {
	t_label=$1 t_value=$2 t_op=$3 t_limit=$4
	shift 4
	if holds "$t_value $t_op $t_limit"; then met=met; else met=MISSED; fi
	printf '%-36s %9s  %s%s\n' "$t_label" "$t_value" "$met" "${*:+ $*}"
}

# unmeasured LABEL WHY: a target's line when a case it needs did not run.
unmeasured() {
	printf '%-36s %9s  %s\n' "$1" - "not measured: $2"
}

# table: the rows, each http case's req/s also as a ratio to static's and
# to bare's (when they ran).
table() {
	LC_ALL=C awk '
	{ name[NR] = $1; rps[NR] = $2; p50[NR] = $3; p99[NR] = $4
	  bad[NR] = $6; kind[NR] = $7 }
	$1 == "static" { st = $2 }
	$1 == "bare" { ba = $2 }
	function ratio(x, y, k) {
		return (k == "http" && y > 0) ? sprintf("%.2f", x / y) : "-"
	}
	END {
		printf "%-18s %10s %9s %9s %9s %9s %7s\n", "case", "req/s", \
		    "p50 ms", "p99 ms", "/static", "/bare", "bad"
		for (i = 1; i <= NR; i++)
			printf "%-18s %10.0f %9.3f %9.3f %9s %9s %7d\n", \
			    name[i], rps[i], p50[i], p99[i], \
			    ratio(rps[i], st, kind[i]), \
			    ratio(rps[i], ba, kind[i]), bad[i]
	}' "$RESULTS"
}
