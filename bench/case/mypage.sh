# mypage.sh - the case "mypage": MyPage read from the cache, against the
# least a cached read costs here.  Rows, each wrk --latency at MYPAGE_CONC
# connections for BENCH_SECONDS after a warm-up, through the bench nginx:
#   bare-mc      bench/bare_fcgi.c doing one memcached get (of the bench
#                stack's memcached, the one the order program reads) of a
#                value as large as GET /myPages's body, on every request;
#   mypage-json  GET /myPages of the bench stack's order program, as a
#                customer with MYPAGE_ORDERS orders (placed through the
#                gateway, their payments approved);
#   mypage-html  GET /mypage, likewise.
# The warm-up's first request fills the cache; the measured requests should
# all be hits.  The notes give, over each measured run, the CPU per answer
# of the program, the bench nginx and memcached (on these 2 cores the req/s
# ratio follows the CPU ratio), the order program's cache counters and own
# time; and RSS per process of the order program and of bare-mc.  An
# answer not 200 fails the run.
#
# Targets: each page's req/s at least 0.85 of bare-mc's, its p99 ≤ 10 ms.

TARGET_MYPAGE_RATIO=0.85	# of bare-mc's req/s
TARGET_MYPAGE_P99=10		# ms
MP_EMAIL=bench-mypage@example.com
MP_PASSWORD=bench-password-1

mypage_run() {
	need_menu mypage
	log "mypage: $MP_EMAIL with $MYPAGE_ORDERS orders, payments approved"
	mypage_customer
	expect_get mypage-json /myPages "" "$MP_AUTH"
	MP_SIZE=$got_size
	expect_get mypage-html /mypage "" "$MP_AUTH"
	MP_HTML_SIZE=$got_size
	log "GET /myPages is $MP_SIZE bytes, GET /mypage $MP_HTML_SIZE ($MP_N orders)"
	setting "bare-mc, mypage-*: wrk -t$THREADS -c$MYPAGE_CONC, the customer" \
	    "with $MP_N orders; GET /myPages $MP_SIZE bytes (bare-mc gets as" \
	    "many from memcached), GET /mypage $MP_HTML_SIZE bytes"

	rm -f "$RUN/bare-mc.sock"	# the socket nginx-bench.conf.in names
	bench_spawn bare-mc "$BARE" "$RUN/bare-mc.sock" "$FD_WORKERS" \
	    "$MP_SIZE" memcached "127.0.0.1:$FD_MC_PORT"
	wait_for 10 "the bare_fcgi (memcached) socket" test -S "$RUN/bare-mc.sock"
	bmc=$(bench_pid bare-mc) ||
	    die "bare-mc: bare_fcgi exited; see $LOG/bench-bare-mc.log"
	expect_get bare-mc /bare-mc "$MP_SIZE"
	ol0=$(wc -l <"$LOG/order.log" 2>/dev/null || echo 0)
	BMC_CPU_US=
	mc_case bare-mc /bare-mc "$bmc"
	BMC_CPU_US=$cpu_us
	rss_note "bare_fcgi (bare-mc)" "$bmc"
	bench_stop bare-mc

	fd_running "$VAR/service/order/supervise/pid" ||
	    die "mypage: no order master in $VAR/service/order/supervise/pid"
	order_pid=$(cat "$VAR/service/order/supervise/pid")
	mc_case mypage-json /myPages "$order_pid" "$MP_AUTH"
	mc_case mypage-html /mypage "$order_pid" "$MP_AUTH"
	rss_note "order" "$order_pid"
	# What the order program logged meanwhile (it logs errors, not
	# requests).
	ol1=$(wc -l <"$LOG/order.log" 2>/dev/null || echo 0)
	if [ "$ol1" -gt "$ol0" ]; then
		note "note mypage: order.log has $((ol1 - ol0)) new lines; the first:"
		sed -n "$((ol0 + 1)),$((ol0 + 3))p" "$LOG/order.log" |
		    sed 's/^/note mypage:   /' >>"$RESULTS.notes"
	fi
}

# mypage_customer: logs MP_EMAIL in (signing it up the first time), sees
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
	st=$(mp_post "$out" "$creds" /auth/login)
	if [ "$st" = 401 ]; then
		st=$(mp_post "$out" "$signup" /auth/signup)
		[ "$st" = 201 ] || die "mypage: signing $MP_EMAIL up answered" \
		    "$st: $(cat "$out")"
		st=$(mp_post "$out" "$creds" /auth/login)
	fi
	[ "$st" = 200 ] || die "mypage: logging $MP_EMAIL in answered $st: $(cat "$out")"
	token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$out")
	[ -n "$token" ] || die "mypage: no token in $(cat "$out")"
	MP_AUTH="Authorization: Bearer $token"

	MP_N=$(mypage_count '"orderId":')
	i=$MP_N
	while [ "$i" -lt "$MYPAGE_ORDERS" ]; do
		st=$(mp_post "$out" "$order" /orders "$MP_AUTH")
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

# mp_post OUT BODY PATH [HEADER]: the status of a JSON POST to the
# gateway, its body in OUT (000 if there was no answer).
mp_post() {
	curl -sS --max-time 30 -o "$1" -w '%{http_code}' \
	    -H 'Content-Type: application/json' ${4:+-H} ${4:+"$4"} \
	    -d "$2" "$URL$3" || echo 000
}

# mypage_count STRING: how often STRING is in the customer's GET /myPages.
mypage_count() {
	curl -fsS --max-time 10 -H "$MP_AUTH" -o "$LOG/mypage.json" \
	    "$URL/myPages" || die "mypage: GET /myPages failed"
	grep -o "$1" "$LOG/mypage.json" | wc -l | tr -d ' '
}

# mp_cache: "hit miss stale error" of the order program's MyPage cache.
mp_cache() {
	metric order 'fd_mypage_cache_total{result="hit"}' \
	    'fd_mypage_cache_total{result="miss"}' \
	    'fd_mypage_cache_total{result="stale"}' \
	    'fd_mypage_cache_total{result="error"}'
}

# mc_ticks MASTER-PID: CPU ticks so far, "user sys" of a prefork program
# (MASTER-PID and its children), of the bench nginx (master and workers),
# and of the stack's memcached.
mc_ticks() {
	ng=$(cat "$NGINX_PID" 2>/dev/null || echo 0)
	# shellcheck disable=SC2046 # lists of pids
	echo "$(ticks "$1" $(kids "$1")) $(ticks "$ng" $(kids "$ng"))" \
	    "$(ticks "$(cat "$RUN/memcached.pid" 2>/dev/null || echo 0)")"
}

# mc_case NAME PATH MASTER-PID [HEADER]: a row at MYPAGE_CONC behind
# MASTER-PID's program (bare-mc, or the order program as the customer when
# HEADER is given), with notes on the CPU spent per answer over the
# measured run and, for MyPage, the cache's counters and the order
# program's own time.  Sets $cpu_us, the CPU per answer in all (without
# wrk's).
mc_case() {
	wrk_warm "$1" "$2" "$MYPAGE_CONC" ${4:+"$4"}
	if [ -n "${4:-}" ]; then c0=$(mp_cache); t0=$(served order "GET $2"); fi
	u0=$(mc_ticks "$3")
	wrk_measure "$1" "$2" "$MYPAGE_CONC" ${4:+"$4"}
	u1=$(mc_ticks "$3")
	what=$(readlink "/proc/$3/exe" 2>/dev/null) || what=program
	# shellcheck disable=SC2086 # tick counts
	set -- "$1" "$2" "$3" "${4:-}" $u0 $u1
	su=$((${11} - $5)) ss=$((${12} - $6))
	ng=$((${13} + ${14} - $7 - $8)) mc=$((${15} + ${16} - $9 - ${10}))
	f="1e6 / $(getconf CLK_TCK) / $((reqs > 0 ? reqs : 1))"
	# shellcheck disable=SC2046 # six figures
	set -- "$1" "$2" "$3" "$4" $(calc '%.1f %.1f %.1f %.1f %.1f %.1f' \
	    "($su + $ss) * $f, $su * $f, $ss * $f, $ng * $f, $mc * $f,
	    ($su + $ss + $ng + $mc) * $f")
	cpu_us=${10}
	vs=
	if [ -n "$BMC_CPU_US" ] && holds "$BMC_CPU_US > 0 && $cpu_us > 0"; then
		vs="; bare-mc ÷ this $(calc %.2f "$BMC_CPU_US / $cpu_us")"
	fi
	note "note $1: CPU µs per answer: ${what##*/} $5 (user $6, sys $7)," \
	    "nginx $8, memcached $9: $cpu_us in all$vs"
	[ -n "$4" ] || return 0
	# shellcheck disable=SC2046,SC2086 # counters, "seconds count" pairs
	set -- "$1" $c0 $(mp_cache) $t0 $(served order "GET $2")
	h=$(($6 - $2)) m=$(($7 - $3))
	ratio=-
	[ $((h + m)) -gt 0 ] && ratio=$(calc %.4f "$h / ($h + $m)")
	note "note $1: cache over the measured run: $h hits, $m misses," \
	    "$(($8 - $4)) stale, $(($9 - $5)) errors: hit ratio $ratio"
	if [ "${13}" -gt "${11}" ]; then
		o=$(calc %.3f "(${12} - ${10}) / (${13} - ${11}) * 1000")
		holds "$o > 0" &&
		    note "note $1: $o ms in the order program per answer;" \
			"$FD_WORKERS order workers serve at most" \
			"$(calc %.0f "$FD_WORKERS * 1000 / $o")/s at that"
	fi
}

mypage_report() {
	bmc_rps=$(row bare-mc 2)
	for page in mypage-json mypage-html; do
		r=$(row "$page" 2)
		[ -n "$r" ] || continue
		if [ -n "$bmc_rps" ] && holds "$bmc_rps > 0"; then
			target "$page ÷ bare-mc target ≥ $TARGET_MYPAGE_RATIO" \
			    "$(calc %.3f "$r / $bmc_rps")" ">=" \
			    "$TARGET_MYPAGE_RATIO" "($(calc %.0f "$r") ÷" \
			    "$(calc %.0f "$bmc_rps") req/s)"
		fi
		target "$page p99 target ≤ $TARGET_MYPAGE_P99 ms" \
		    "$(row "$page" 4)" "<=" "$TARGET_MYPAGE_P99"
	done
}
