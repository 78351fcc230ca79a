#!/bin/sh
# run.sh - the cluster tests (make test-cluster): fishdelivery on six
# hosts (scripts/cluster.sh) with orders placed through the gateway the
# whole time (cluster_load), while
#   0. an owner marks an item sold out: every host refuses it within 8 s;
#   1. an app host dies (every process of it SIGKILLed): orders go on
#      through the other; every 201 is an order; each order has one ticket;
#   2. the writer database node dies (mariadbd SIGKILLed): writes resume on
#      another node; the seconds of 503 are reported (target <= 10), each
#      503 with Retry-After, no 500 and no hang; every 201 is an order;
#   3. the killed node starts again: it rejoins, syncs, and takes the
#      writes again;
#   4. the writer node's link cut (tests/cluster/partition.sh): it goes
#      non-Primary, HAProxy's check fails for it, writes resume on another
#      node, nothing is written to it; the 503 seconds are reported; healed,
#      it rejoins and the three nodes have the same orders;
#   5. app2's order program hangs (SIGSTOP, tests/cluster/retry.sh): GETs
#      and orders with an Idempotency-Key go on to app1 (each key one
#      order, one charge), orders without one are 201 or a clean 503 and
#      never placed twice; after SIGCONT app2 takes traffic again;
#   6. a rolling deploy of a second build, app1 then app2 (tests/cluster/
#      deploy.sh, scripts/cluster.sh deploy): no failed request, both
#      hosts on the new build.
# Bounded (each wait has a limit; the whole run is killed after
# FD_CLUSTER_TEST_SECONDS, 480: 4-7 min here with the hung host and the
# deploy on a machine shared with other runs), and whatever happens the
# cluster is stopped and the test fails if a namespace, link or process
# of it is left.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/env.sh
FD_ROOT=$ROOT
CL=${FD_CLUSTER_VAR:-$ROOT/var/cluster}
OUT=$CL/test
LOAD=$FD_BUILD/tests/cluster/cluster_load
GW=http://$(scripts/cluster.sh addr gw):$FD_PORT
# Short relay leases and reconciliation, as make test has them: a killed
# host's claimed events are claimed again by the other host within 3 s.
export FD_RELAY_LEASE_S=3 FD_RECONCILE_AGE=5 FD_RECONCILE_INTERVAL=2
export FD_CLUSTER_WORKERS=${FD_CLUSTER_WORKERS:-2}

fails=0
say() { echo "cluster-test: $*"; }
fail() { echo "cluster-test: FAIL: $*" >&2; fails=$((fails + 1)); }

cleanup() {
	rc=$?
	trap - EXIT INT TERM
	# A scenario's frozen processes (retry.sh) go on, whatever happened.
	[ -z "${frozen:-}" ] || kill -CONT $frozen 2>/dev/null || true
	if [ -n "${watchdog:-}" ]; then
		pkill -P "$watchdog" 2>/dev/null || true
		kill "$watchdog" 2>/dev/null || true
	fi
	scripts/cluster.sh stop >/dev/null 2>&1 || true
	left=$(scripts/cluster.sh leftovers)
	procs=$(pgrep -f "$CL/" || true)
	if [ -n "$left" ] || [ -n "$procs" ]; then
		echo "cluster-test: FAIL: left behind: $left $procs" >&2
		rc=1
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The whole run is bounded: the watchdog ends it (and cleanup runs).
( sleep "${FD_CLUSTER_TEST_SECONDS:-480}"; say "timed out"; kill -TERM $$ ) &
watchdog=$!

sql() {	# sql DATABASE QUERY: on the first node that is synced
	for n in 1 2 3; do
		if scripts/cluster.sh synced $n 2>/dev/null; then
			mariadb --no-defaults -u root -N -B \
			    --socket="$CL/db$n/run/mysqld.sock" "$1" -e "$2"
			return
		fi
	done
	return 1
}

# checks LOADFILE NAME: every 201 is an order with exactly one ticket (the
# relay may take a few seconds: up to 60), no 500, no hang, every 503 with
# Retry-After.  Prints the counts.
checks() {
	f=$1 name=$2
	total=$(wc -l <"$f")
	ok=$(awk '$2 == 201' "$f" | wc -l)
	e5=$(awk '$2 >= 500 && $2 != 503' "$f" | wc -l)
	e503=$(awk '$2 == 503' "$f" | wc -l)
	noretry=$(awk '$2 == 503 && $4 == 0' "$f" | wc -l)
	hang=$(awk '$2 == 0' "$f" | wc -l)
	say "$name: $total answers, $ok 201, $e503 503 ($noretry without Retry-After), $e5 other 5xx, $hang without an answer"
	awk '{ c[$2]++ } END { for (s in c) printf "  status %s: %d\n", s, c[s] }' "$f"
	[ "$ok" -gt 0 ] || { fail "$name: no order was taken"; return 0; }
	[ "$e5" -eq 0 ] || fail "$name: $e5 answers 5xx other than 503"
	[ "$noretry" -eq 0 ] || fail "$name: $noretry 503s without Retry-After"
	[ "$hang" -eq 0 ] || fail "$name: $hang requests without an answer"
	awk '$2 == 201 { print $3 }' "$f" | sort >"$OUT/$name.ids"
	sql fd_order "SELECT id FROM orders" | sort >"$OUT/$name.orders"
	missing=$(comm -23 "$OUT/$name.ids" "$OUT/$name.orders" | wc -l)
	[ "$missing" -eq 0 ] || fail "$name: $missing orders answered 201 are not in the database"
	ids=$(tr '\n' ',' <"$OUT/$name.ids" | sed 's/,$//')
	n=0
	while :; do
		t=$(sql fd_fishstore "SELECT COUNT(DISTINCT order_id), COUNT(*)
		    FROM tickets WHERE order_id IN ($ids)")
		[ "$t" = "$ok	$ok" ] && break
		n=$((n + 1))
		[ $n -lt 60 ] || { fail "$name: tickets (orders, rows) $t for $ok orders"; break; }
		sleep 1
	done
	[ $n -lt 60 ] && say "$name: every order has one ticket (after ${n}s)"
}

# The seconds between the first and the last 503 of a run.
window() {
	awk '$2 == 503 { if (!a || $1 < a) a = $1; if ($1 > b) b = $1 }
	    END { if (a) printf "%.1f\n", (b - a) / 1000; else print 0 }' "$1"
}

say "starting the cluster"
scripts/cluster.sh stop >/dev/null 2>&1 || true
rm -rf "$CL"
t=$(date +%s)
scripts/cluster.sh start >"$ROOT/var/cluster-start.log" 2>&1 ||
    { cat "$ROOT/var/cluster-start.log" >&2; fail "make cluster failed"; exit 1; }
mkdir -p "$OUT"
mv "$ROOT/var/cluster-start.log" "$OUT/start.log"
say "cluster up in $(($(date +%s) - t)) s"

# 0. A sold-out item is refused on every host within a bound: the
# host whose program applied MenuItemChanged at once, the other within
# its menu copies' MENU_TTL_MS (5 s, cgi-bin/order/order_menu.c); with
# the relay's delivery, 8 s.
token() {	# token EMAIL PASSWORD
	curl -fsS -m 10 -XPOST "$GW/auth/login" -H 'Content-Type: application/json' \
	    -d "{\"email\":\"$1\",\"password\":\"$2\"}" |
	    sed 's/.*"token":"\([^"]*\)".*/\1/'
}
say "0. a sold-out item refused on every host"
curl -sS -m 10 -o /dev/null -XPOST "$GW/auth/signup" -H 'Content-Type: application/json' \
    -d '{"email":"soldout@cluster.test","password":"cluster-pass-1","name":"손님","phone":"010-1234-5678","address":"서울 마포구 1"}'
C=$(token soldout@cluster.test cluster-pass-1)
O=$(token owner1@fishdelivery.test fish-owner-1)
place3() {	# the status of an order of menu item 3
	curl -sS -m 10 -o /dev/null -w '%{http_code}' -XPOST "$GW/orders" \
	    -H "Authorization: Bearer $C" -H 'Content-Type: application/json' \
	    -d '{"storeId":1,"items":[{"menuId":3,"qty":1}],"card":"4111111111111111","address":"서울 마포구 1","phone":"010-1234-5678"}'
}
# Both hosts' workers have item 3 in their copies first.
for i in 1 2 3 4 5 6; do place3 >/dev/null; done
[ "$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -XPATCH "$GW/stores/1/menu/3" \
    -H "Authorization: Bearer $O" -H 'Content-Type: application/json' \
    -d '{"soldOut":true}')" = 200 ] || fail "soldout: the owner's PATCH failed"
t0=$(date +%s%N)
run=0 last=0
while [ $run -lt 12 ]; do
	s=$(place3)
	now=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ "$s" = 409 ]; then run=$((run + 1)); else run=0; last=$now; fi
	[ $now -lt 20000 ] || break
	sleep 0.1
done
say "soldout: the last order taken ${last} ms after the PATCH; then 12 refused in a row"
[ $run -ge 12 ] || fail "soldout: item 3 still sold after 20 s"
[ $last -le 8000 ] || fail "soldout: taken ${last} ms after the PATCH, over 8 s"
curl -sS -m 10 -o /dev/null -XPATCH "$GW/stores/1/menu/3" -H "Authorization: Bearer $O" \
    -H 'Content-Type: application/json' -d '{"soldOut":false}'

# 1. An app host dies mid-load.
say "1. app2 SIGKILLed mid-load"
"$LOAD" -u "$GW" -c 4 -d 20 -o "$OUT/app.load" -p app &
load=$!
sleep 8
scripts/cluster.sh kill-app 2
killed=$(awk 'END { print $1 }' "$OUT/app.load")
wait $load || fail "app: the load could not run"
after=$(awk -v k="$killed" '$1 > k + 2000 && $2 == 201' "$OUT/app.load" | wc -l)
say "app: $after orders taken more than 2 s after the kill"
[ "$after" -gt 0 ] || fail "app: no order taken after app2 died"
checks "$OUT/app.load" app
scripts/cluster.sh start-app 2 >/dev/null ||
    fail "app2 did not start again"

# 2. The writer database node dies mid-load.
say "2. db1 (the writer) SIGKILLed mid-load"
"$LOAD" -u "$GW" -c 4 -d 25 -o "$OUT/db.load" -p db &
load=$!
sleep 8
scripts/cluster.sh kill-db 1
wait $load || fail "db: the load could not run"
w=$(window "$OUT/db.load")
say "db: 503 for $w s around the writer's death (target <= 10 s)"
awk -v w="$w" 'BEGIN { exit !(w <= 10) }' ||
    fail "db: 503s for $w s, over 10"
after=$(awk '$1 > 20000 && $2 == 201' "$OUT/db.load" | wc -l)
[ "$after" -gt 0 ] || fail "db: no order taken in the last 5 s"
checks "$OUT/db.load" db

# 3. The node starts again, rejoins, and is the writer again.
say "3. db1 started again"
t=$(date +%s)
scripts/cluster.sh start-db 1 >/dev/null || fail "db1 did not rejoin"
say "db1 synced after $(($(date +%s) - t)) s"
"$LOAD" -u "$GW" -c 2 -d 8 -o "$OUT/rejoin.load" -p rejoin
n=$(mariadb --no-defaults -u root -N -B --socket="$CL/db1/run/mysqld.sock" \
    -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST
    WHERE USER LIKE 'fd\\_%'")
say "rejoin: $n program connections on db1"
[ "$n" -gt 0 ] || fail "rejoin: no program writes to db1 again"
checks "$OUT/rejoin.load" rejoin

. tests/cluster/partition.sh
# 5. and 6.: a hung app host, a rolling deploy.
. tests/cluster/retry.sh
. tests/cluster/deploy.sh

if [ $fails -gt 0 ]; then
	say "$fails failures (logs: $CL/*/log, loads: $OUT)"
	exit 1
fi
say "all passed"
