# cluster.sh - the case "cluster" (issue 18, item 5; `make bench-cluster`):
# the same measures on the cluster of scripts/cluster.sh (a gateway, two
# app hosts, three MariaDB Galera nodes, each a network namespace on this
# machine) beside the single-host bench stack, in the same run, and where
# the cluster's time goes.  It starts the cluster after the single-host
# cases (they measure with it stopped), under $BENCH_VAR/cluster with the
# bench's port on the gateway's address, FD_CLUSTER_NAME and
# FD_CLUSTER_NET from the environment (another developer's cluster is
# never touched), every context with FD_WORKERS/2 workers on each app host
# (FD_WORKERS in all, as on the single host); and it stops the cluster
# when it is done, and on any failure or ^C (cluster_cleanup, from the
# bench's EXIT trap).  Needs root (network namespaces) and galera-4.
#
#   cluster-relay           relay_bench latency on the writer node (db1):
#                           fishstore's outbox to order, wake-ups to the
#                           fishstore relays of both app hosts (the
#                           programs' FD_RELAY_WAKE), commit -> subscriber
#                           commit p50/p99
#   cluster-orders          order_load through the cluster's gateway, as
#                           the orders case (its customers signed up by a
#                           first short run, not counted); wsrep's counters
#                           on the writer (write-sets replicated, flow
#                           control, conflicts) and each host's CPU time
#                           over the load
#   cluster-commit-ceiling  commit_ceiling on the writer node: a one-row
#                           commit, certified and replicated to two nodes
#   cluster-order-floor     commit_ceiling -m order on the writer node: an
#                           order's rows alone, on Galera
#
# The report sets each beside its single-host row (orders, the relay case,
# commit-ceiling, order-floor, when they ran) with the ratio, and says where
# the time goes: Galera's commit cost (the ceilings' and floors' ratios, a
# commit's p50 on the writer against the single MariaDB's, write-sets per
# order) against everything else (network hops, HAProxy, six hosts' worth
# of processes on two cores: each host's share of the CPU).  No targets:
# the cluster is expected slower on two cores; a wrong answer (an order not
# 201, a failed commit, events not delivered) fails the run.

CLUSTER_RELAY_P50='' CLUSTER_RELAY_P99='' CLUSTER_WS_PER_ORDER=''
CLUSTER_UP=

# cluster_sh ARGS...: scripts/cluster.sh on the bench's cluster.
cluster_sh() {
	FD_CLUSTER_VAR=$VAR/cluster \
	FD_CLUSTER_WORKERS=$(((FD_WORKERS + 1) / 2)) \
	FD_CLUSTER_LOGIN_RATE=$FD_LIMIT_LOGIN_RATE \
	FD_CLUSTER_LOGIN_BURST=$FD_LIMIT_LOGIN_BURST \
	FD_CLUSTER_ORDER_RATE=$FD_LIMIT_ORDER_RATE \
	FD_CLUSTER_ORDER_BURST=$FD_LIMIT_ORDER_BURST \
	    "$FD_ROOT/scripts/cluster.sh" "$@"
}

# The EXIT trap's part (bench_cleanup): nothing of the cluster is left.
cluster_cleanup() {
	[ -n "$CLUSTER_UP" ] || return 0
	CLUSTER_UP=
	cluster_sh stop >>"$LOG/cluster-start.log" 2>&1 ||
	    echo "bench: stopping the cluster failed; see $LOG/cluster-start.log" >&2
	left=$(cluster_sh leftovers 2>/dev/null || true)
	[ -z "$left" ] || echo "bench: the cluster left: $left" >&2
}

# cl_sql ARGS...: as the admin on the writer node's socket.
cl_sql() {
	mariadb --no-defaults --socket="$VAR/cluster/db1/run/mysqld.sock" -u root "$@"
}

# wsrep_status: the writer's "replicated replicated_bytes
# flow_control_paused_ns local_cert_failures local_bf_aborts orders".
wsrep_status() {
	cl_sql -N -e "SELECT (SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY
	    FIELD(VARIABLE_NAME, 'WSREP_REPLICATED', 'WSREP_REPLICATED_BYTES',
	    'WSREP_FLOW_CONTROL_PAUSED_NS', 'WSREP_LOCAL_CERT_FAILURES',
	    'WSREP_LOCAL_BF_ABORTS') SEPARATOR ' ') FROM
	    information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN
	    ('WSREP_REPLICATED', 'WSREP_REPLICATED_BYTES',
	    'WSREP_FLOW_CONTROL_PAUSED_NS', 'WSREP_LOCAL_CERT_FAILURES',
	    'WSREP_LOCAL_BF_ABORTS')), (SELECT COUNT(*) FROM fd_order.orders)" \
	    2>>"$LOG/cluster-start.log" | tr '\t' ' '
}

# host_pids HOST: every process of one of the cluster's hosts.
host_pids() {
	ip netns pids "$FD_CLUSTER_NAME-$1" 2>/dev/null | tr '\n' ' '
}

cluster_run() {
	FD_CLUSTER_NAME=${FD_CLUSTER_NAME:-fdc} FD_CLUSTER_NET=${FD_CLUSTER_NET:-10.88.0}
	export FD_CLUSTER_NAME FD_CLUSTER_NET
	[ "$(id -u)" -eq 0 ] || { note "FAIL cluster: needs root (network namespaces)"; return 0; }
	gw=$FD_CLUSTER_NET.10
	setting "cluster: scripts/cluster.sh $FD_CLUSTER_NAME on $FD_CLUSTER_NET.0/24," \
	    "gateway $gw:$PORT, 2 app hosts × $(((FD_WORKERS + 1) / 2)) workers" \
	    "per context, 3 Galera nodes (writes on db1 through each app" \
	    "host's HAProxy); the same loads as orders, relay," \
	    "commit-ceiling and order-floor"
	log "cluster: starting $FD_CLUSTER_NAME on $FD_CLUSTER_NET.0/24 (a minute or two)"
	cluster_sh stop >>"$LOG/cluster-start.log" 2>&1 || true
	# A new cluster each run, as the cluster tests start one: a node
	# left with an older run's state joined by a failed IST (seen).
	rm -rf "$VAR/cluster"
	CLUSTER_UP=1
	if ! cluster_sh start >>"$LOG/cluster-start.log" 2>&1; then
		tail -5 "$LOG/cluster-start.log" >&2
		note "FAIL cluster: it did not start; see $LOG/cluster-start.log"
		cluster_cleanup
		return 0
	fi
	n=$(cl_sql -N -e "SELECT COUNT(*) FROM fd_order.menu_replica WHERE
	    store_id = 1 AND menu_id IN (1, 2) AND sold_out = 0" 2>/dev/null) || n=
	[ "$n" = 2 ] || fd_wait_for 30 cluster_menu ||
	    note "note cluster: the menu replica lacked items 1 and 2 for sale"

	# The relay, on a quiet cluster.
	rp=$(fd_relay_port fishstore)
	log "cluster: relay, ${BENCH_SECONDS}s of events at $RELAY_RATE/s"
	if FD_DB_SOCKET=$VAR/cluster/db1/run/mysqld.sock \
	    FD_RELAY_WAKE="$FD_CLUSTER_NET.11:$rp,$FD_CLUSTER_NET.12:$rp" \
	    timeout $((BENCH_SECONDS + 60)) "$RELAY_BENCH" latency \
	    "$BENCH_SECONDS" "$RELAY_RATE" >"$LOG/cluster-relay-latency.txt" 2>&1; then
		note "cluster relay $(cat "$LOG/cluster-relay-latency.txt")"
		# shellcheck disable=SC2046 # two words: p50 and p99
		set -- $(sed -n 's/.*p50 \([0-9.]*\) ms p99 \([0-9.]*\) ms.*/\1 \2/p' \
		    "$LOG/cluster-relay-latency.txt")
		CLUSTER_RELAY_P50=${1:-} CLUSTER_RELAY_P99=${2:-}
	else
		note "FAIL cluster-relay: $(tail -1 "$LOG/cluster-relay-latency.txt")"
	fi

	# The orders, through the gateway; the writer's wsrep counters and
	# each host's CPU time around them.
	# Its customers signed up and logged in first (a new cluster has
	# none): argon2 is no part of an order's time, nor of the CPU shares.
	log "cluster: signing up $ORDER_CONC customers"
	timeout 300 "$ORDER_LOAD" -u "http://$gw:$PORT" -c "$ORDER_CONC" \
	    -r "$ORDER_CONC" >"$LOG/load-cluster-customers.txt" 2>&1 ||
	    note "note cluster-orders: signing up the customers failed; see $LOG/load-cluster-customers.txt"
	log "cluster: orders, ${WARMUP_SECONDS}s warm-up, then ${BENCH_SECONDS}s at $ORDER_CONC customers"
	ws0=$(wsrep_status)
	pg=$(host_pids gw) pa=$(host_pids app1; host_pids app2)
	pd=$(host_pids db1; host_pids db2; host_pids db3)
	# shellcheck disable=SC2086 # pid lists
	cpu0="$(ticks $pg) $(ticks $pa) $(ticks $pd)"
	t0=$(date +%s.%N)
	if load_case cluster-orders http "$LOG/load-cluster-orders.txt" \
	    "$ORDER_LOAD" -u "http://$gw:$PORT" -c "$ORDER_CONC" \
	    -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS"; then
		note "note cluster-orders: statuses $codes"
		[ "$bad" -eq 0 ] || note "FAIL cluster-orders: $bad answers were not 201"
	fi
	# shellcheck disable=SC2086
	cpu1="$(ticks $pg) $(ticks $pa) $(ticks $pd)"
	t1=$(date +%s.%N)
	ws1=$(wsrep_status)
	cluster_cpu_note "$cpu0" "$cpu1" "$(calc %.3f "$t1 - $t0")"
	cluster_wsrep_note "$ws0" "$ws1" "$(calc %.3f "$t1 - $t0")"

	# What the writer commits at all, and an order's rows alone, on Galera.
	log "cluster: commit-ceiling on the writer (db1), ${BENCH_SECONDS}s at $ORDER_CONC connections"
	if load_case cluster-commit-ceiling db "$LOG/load-cluster-commit-ceiling.txt" \
	    "$CEILING" -S "$VAR/cluster/db1/run/mysqld.sock" -U root \
	    -c "$ORDER_CONC" -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS"; then
		[ "$bad" -eq 0 ] || note "FAIL cluster-commit-ceiling: $bad commits failed"
	fi
	log "cluster: order-floor on the writer (db1), ${BENCH_SECONDS}s at $ORDER_CONC connections"
	if load_case cluster-order-floor db "$LOG/load-cluster-order-floor.txt" \
	    "$CEILING" -m order -S "$VAR/cluster/db1/run/mysqld.sock" -U root \
	    -c "$ORDER_CONC" -d "$BENCH_SECONDS" -w "$WARMUP_SECONDS"; then
		[ "$bad" -eq 0 ] || note "FAIL cluster-order-floor: $bad units failed"
	fi

	log "cluster: stopping it"
	cluster_cleanup
}

cluster_menu() {
	[ "$(cl_sql -N -e "SELECT COUNT(*) FROM fd_order.menu_replica WHERE
	    store_id = 1 AND menu_id IN (1, 2) AND sold_out = 0" 2>/dev/null)" = 2 ]
}

# cluster_cpu_note BEFORE AFTER SECONDS: each kind of host's share of the
# CPU time the cluster spent over the orders load ("user sys" ticks of the
# gateway, the app hosts, the database hosts).
cluster_cpu_note() {
	# shellcheck disable=SC2086
	set -- $1 $2 "$3"
	g=$(($7 + $8 - $1 - $2)) a=$(($9 + ${10} - $3 - $4)) d=$((${11} + ${12} - $5 - $6))
	all=$((g + a + d))
	[ "$all" -gt 0 ] || return 0
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	CLUSTER_CPU_DB=$(calc %.0f "100 * $d / $all")
	note "note cluster-orders: CPU over the load ($(calc %.1f "$all / $hz") s" \
	    "in ${13} s, $(calc %.2f "$all / $hz / ${13}") cores):" \
	    "the 3 Galera nodes $CLUSTER_CPU_DB%," \
	    "the 2 app hosts $(calc %.0f "100 * $a / $all")%," \
	    "the gateway $(calc %.0f "100 * $g / $all")%"
}

# cluster_wsrep_note BEFORE AFTER SECONDS: the writer's replication over
# the orders load: write-sets per order, their size, the time flow
# control paused replication, certification failures and brute-force
# aborts (conflicts with replicated write-sets: none with one writer).
cluster_wsrep_note() {
	# shellcheck disable=SC2086
	set -- $1 $2 "$3"
	[ $# -eq 13 ] || { note "note cluster-orders: no wsrep status from db1"; return 0; }
	orders=$((${12} - $6)) ws=$(($7 - $1))
	[ "$orders" -gt 0 ] && [ "$ws" -gt 0 ] || return 0
	CLUSTER_WS_PER_ORDER=$(calc %.1f "$ws / $orders")
	note "note cluster-orders: the writer replicated $ws write-sets for" \
	    "$orders orders ($CLUSTER_WS_PER_ORDER per order, every context and" \
	    "relay; $(calc %.0f "($8 - $2) / $ws") bytes each); flow control" \
	    "paused it $(calc %.1f "(${9} - $3) / 10000000 / ${13}")% of the time;" \
	    "$((${10} - $4)) certification failures, $((${11} - $5)) brute-force aborts"
}

# cluster_report: each cluster row beside its single-host row, the ratio,
# and where the time goes.
cluster_report() {
	co=$(row cluster-orders 2)
	[ -n "$co" ] || [ -n "$CLUSTER_RELAY_P50" ] || return 0
	printf '%-36s %9s %9s %9s\n' "cluster beside the single host" single cluster ratio
	cluster_line "orders/s" "$(row orders 2)" "$co" %.0f
	cluster_line "orders p50 ms" "$(row orders 3)" "$(row cluster-orders 3)" %.1f
	cluster_line "orders p99 ms" "$(row orders 4)" "$(row cluster-orders 4)" %.1f
	cluster_line "relay commit->subscriber p50 ms" "$RELAY_P50" "$CLUSTER_RELAY_P50" %.2f
	cluster_line "relay commit->subscriber p99 ms" "$RELAY_P99" "$CLUSTER_RELAY_P99" %.2f
	cluster_line "commit ceiling commits/s" "$(row commit-ceiling 2)" \
	    "$(row cluster-commit-ceiling 2)" %.0f
	cluster_line "a commit's p50 ms" "$(row commit-ceiling 3)" \
	    "$(row cluster-commit-ceiling 3)" %.2f
	cluster_line "order floor units/s" "$(row order-floor 2)" \
	    "$(row cluster-order-floor 2)" %.0f
	# Where the time goes.  At the same concurrency 1/rate is the time
	# each unit holds the system: what an order gained on the cluster,
	# against what the order's rows alone gained on Galera.
	os=$(row orders 2) fs=$(row order-floor 2) fc=$(row cluster-order-floor 2)
	if [ -n "$os" ] && [ -n "$co" ] && [ -n "$fs" ] && [ -n "$fc" ] &&
	    holds "$os > 0 && $co > 0 && $fs > 0 && $fc > 0 && 1 / $co > 1 / $os"; then
		dord=$(calc %.2f "1000 / $co - 1000 / $os")
		df=$(calc %.2f "1000 / $fc - 1000 / $fs")
		printf '%-36s %9s  %s\n' "Galera's share of the slowdown" \
		    "$(calc %.0f "100 * $df / $dord")%" \
		    "(an order's rows alone +$df ms on Galera, a whole order +$dord ms: the rest is hops, HAProxy, six hosts on $(nproc 2>/dev/null || echo '?') cores)"
	fi
	cs=$(row commit-ceiling 3) cc=$(row cluster-commit-ceiling 3)
	if [ -n "$cs" ] && [ -n "$cc" ] && [ -n "$CLUSTER_WS_PER_ORDER" ]; then
		printf '%-36s %9s  %s\n' "Galera's commits per order, ms" \
		    "$(calc %.1f "$CLUSTER_WS_PER_ORDER * ($cc - $cs)")" \
		    "($CLUSTER_WS_PER_ORDER write-sets × ($cc - $cs) ms more per commit; an upper bound, many are the relays')"
	fi
}

# cluster_line LABEL SINGLE CLUSTER FORMAT: one line of the comparison;
# "-" where a side did not run.
cluster_line() {
	s=- c=- r=-
	[ -z "$2" ] || s=$(calc "$4" "$2")
	[ -z "$3" ] || c=$(calc "$4" "$3")
	[ -z "$2" ] || [ -z "$3" ] || ! holds "$2 > 0" || r=$(calc %.2f "$3 / $2")
	printf '%-36s %9s %9s %9s\n' "$1" "$s" "$c" "$r"
}
