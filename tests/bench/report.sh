#!/bin/sh
# report.sh - the bench's report checked without servers: bench/lib.sh's
# one wrk summariser on wrk's output (latencies in each unit, answers not
# 2xx), the table's ratios, and the targets of bench/case/*.sh computed from
# rows as a run would leave them: orders/s against the order floor of the
# same run (not a fixed number), MyPage against bare-mc, the fallback and
# the relay; a target whose case did not run says so.  Run by make check
# and make test; prints "ok" or "not ok" per check, fails if any failed.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
BENCH_VAR=$T/var
BENCH_PORT=1
export BENCH_VAR BENCH_PORT
. "$ROOT/bench/lib.sh"
for c in orders mypage relay order_fallback push cluster; do
	. "$ROOT/bench/case/$c.sh"
done
mkdir -p "$(dirname "$RESULTS")"

failed=0
check() {	# check WHAT EXPECTED ACTUAL: EXPECTED is a line of ACTUAL
	if printf '%s\n' "$3" | grep -qxF -- "$2"; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		echo "#   expected the line: $2"
		printf '%s\n' "$3" | sed 's/^/#   got: /'
		failed=1
	fi
}

# wrk's output: latencies in us, ms and s; three answers not 2xx.
cat >"$T/wrk.txt" <<'WRK'
Running 2s test @ http://127.0.0.1:1/x
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20ms    2.00ms   1.60s    90.00%
    Req/Sec    10.00k     1.00k   12.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    1.00ms
     90%    2.00ms
     99%    1.52s
  40000 requests in 2.00s, 10.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:  20000.50
Transfer/sec:      5.00MB
WRK
check "wrk: a row, latencies in ms, answers not 2xx counted" \
    "x 20000.50 0.812 1520.000 40000 3 http" "$(wrk_summary x "$T/wrk.txt")"
sed -i -e 's/  99%    1.52s/  99%    9.99ms/' -e '/Non-2xx/d' "$T/wrk.txt"
check "wrk: no answer counted bad when wrk says none" \
    "x 20000.50 0.812 9.990 40000 0 http" "$(wrk_summary x "$T/wrk.txt")"
sed -i '/^Requests\/sec/d' "$T/wrk.txt"
check "wrk: no row from an output without req/s" "" \
    "$(wrk_summary x "$T/wrk.txt")"

# The rows of a run (the figures of the old run.sh's run, on 2026-12-06).
cat >"$RESULTS" <<'ROWS'
static 40037 0.558 6.840 120111 0 http
bare 11352 2.540 7.490 34056 0 http
bare-mc 5630 10.350 26.250 16890 0 http
mypage-json 4999 12.460 22.790 14997 0 http
mypage-html 4915 12.800 9.500 14745 0 http
orders 203 75.153 125.256 608 0 http
commit-ceiling 6308 2.031 9.780 18924 0 db
order-floor 796 14.309 130.047 2388 0 db
order-fallback 7326 1.798 1.896 14651 0 http
ROWS
out=$(table)
check "table: ratios to static and bare" \
    "bare                    11352     2.540     7.490      0.28      1.00       0" \
    "$out"
check "table: a db case has no ratio" \
    "commit-ceiling           6308     2.031     9.780         -         -       0" \
    "$out"

out=$(orders_report)
check "orders: against the commit ceiling" \
    "orders/s ÷ commit ceiling               0.032  (203 orders/s ÷ 6308 commits/s)" \
    "$out"
check "orders: 203/s of a floor of 796/s misses 0.35 × the floor" \
    "orders/s ÷ order floor target ≥ 0.35     0.255  MISSED (203 orders/s ÷ 796)" \
    "$out"
sed -i 's/^orders 203 /orders 300 /' "$RESULTS"
check "orders: 300/s of a floor of 796/s meets it (no fixed orders/s)" \
    "orders/s ÷ order floor target ≥ 0.35     0.377  met (300 orders/s ÷ 796)" \
    "$(orders_report)"
sed -i 's/^order-floor 796 /order-floor 900 /' "$RESULTS"
check "orders: the same 300/s misses it beside a floor of 900/s" \
    "orders/s ÷ order floor target ≥ 0.35     0.333  MISSED (300 orders/s ÷ 900)" \
    "$(orders_report)"
sed -i '/^order-floor /d' "$RESULTS"
check "orders: without order_floor the target is not measured" \
    "orders/s ÷ order floor target ≥ 0.35         -  not measured: order_floor did not run" \
    "$(orders_report)"

out=$(mypage_report)
check "mypage: json against bare-mc" \
    "mypage-json ÷ bare-mc target ≥ 0.85     0.888  met (4999 ÷ 5630 req/s)" \
    "$out"
check "mypage: json's p99" \
    "mypage-json p99 target ≤ 10 ms        22.790  MISSED" "$out"
check "mypage: html's p99" \
    "mypage-html p99 target ≤ 10 ms         9.500  met" "$out"

check "order-fallback: p99" \
    "fallback p99 target ≤ 2 ms             1.896  met" "$(order_fallback_report)"

RELAY_P50=15.89 RELAY_P99=24.1 RELAY_EPS=567
out=$(relay_report)
check "relay: p50" "relay p50 target ≤ 5 ms                15.89  MISSED" "$out"
check "relay: p99" "relay p99 target ≤ 25 ms                24.1  met" "$out"
check "relay: backlog, against the commit ceiling" \
    "relay backlog target ≥ 5000 events/s       567  MISSED (0.09 of the commit ceiling)" \
    "$out"

# cluster: each row beside the single host's (orders 300/s above, the
# relay's figures just set), the ratio, and where the time goes.
check "cluster: nothing when it did not run" "" "$(cluster_report)"
cat >>"$RESULTS" <<'ROWS'
order-floor 800 14.309 130.047 2400 0 db
cluster-orders 120 150.5 400.2 360 0 http
cluster-commit-ceiling 1577 9.5 30.1 4731 0 db
cluster-order-floor 400 40.0 200.0 1200 0 db
ROWS
CLUSTER_RELAY_P50=20.5 CLUSTER_RELAY_P99=60.25 CLUSTER_WS_PER_ORDER=9.0
out=$(cluster_report)
check "cluster: orders/s beside the single host, the ratio" \
    "orders/s                                   300       120      0.40" "$out"
check "cluster: orders p99" \
    "orders p99 ms                            125.3     400.2      3.20" "$out"
check "cluster: the relay's p50 beside the relay case's" \
    "relay commit->subscriber p50 ms          15.89     20.50      1.29" "$out"
check "cluster: the commit ceiling on the writer" \
    "commit ceiling commits/s                  6308      1577      0.25" "$out"
check "cluster: Galera's share of the slowdown (order floor against orders, per unit)" \
    "Galera's share of the slowdown             25%  (an order's rows alone +1.25 ms on Galera, a whole order +5.00 ms: the rest is hops, HAProxy, six hosts on $(nproc) cores)" \
    "$out"
check "cluster: Galera's commits per order" \
    "Galera's commits per order, ms            67.2  (9.0 write-sets × (9.5 - 2.031) ms more per commit; an upper bound, many are the relays')" \
    "$out"
sed -i '/^cluster-order-floor /d' "$RESULTS"
CLUSTER_RELAY_P50=''
out=$(cluster_report)
check "cluster: a side that did not run shows -" \
    "order floor units/s                        800         -         -" "$out"
check "cluster: no share without the cluster's order floor" "" \
    "$(printf '%s\n' "$out" | grep "share" || true)"
sed -i '/^order-floor /d; /^cluster-/d' "$RESULTS"

# push: p99 commit -> client, nginx per stream, orders beside the streams
# against the orders row (300/s above).
echo "push 200.1 3.20 61.50 2000 0 db" >>"$RESULTS"
echo "orders-streams 285 80.1 130.2 570 0 http" >>"$RESULTS"
PUSH_KB=11.4
out=$(push_report)
check "push: p99 commit -> client" \
    "push p99 commit -> client target ≤ 50 ms     61.50  MISSED" "$out"
check "push: nginx per open stream" \
    "nginx per open stream (kB)                11.4" "$out"
check "push: orders beside the streams, against the orders row" \
    "orders/s with streams ÷ without target ≥ 0.9     0.950  met (285 ÷ 300 orders/s)" \
    "$out"
sed -i '/^orders-streams /d' "$RESULTS"
check "push: without orders-streams the comparison is not measured" \
    "orders/s with streams ÷ without target ≥ 0.9         -  not measured: orders or push did not run" \
    "$(push_report)"

exit $failed
