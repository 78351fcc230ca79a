#!/bin/sh
# cluster.sh - fishdelivery on several hosts, on this one machine (issue
# 18; README, "Running on several machines"): each host a network
# namespace with its own address on a bridge this script makes.
#
#   cluster.sh start    make cluster: the bridge, three MariaDB Galera nodes,
#                       the migrations once, two app hosts (every program,
#                       the relays, the reconciler, memcached, HAProxy) and
#                       the gateway (nginx)
#   cluster.sh stop     make cluster-stop: every process, namespace and link
#                       it made, also after a failed start
#   cluster.sh status   what runs where
#   cluster.sh kill-db N | start-db N | kill-app N | start-app N
#                       what the cluster tests do to one host
#   cluster.sh deploy BUILD_DIR
#                       a rolling deploy of a new build: app1, then app2,
#                       each handed over without a lost request
#   cluster.sh leftovers    prints what of the cluster is still there
#
# Hosts, on $FD_CLUSTER_NET.0/24 (10.88.0 unless set; nothing but these
# addresses and loopback is ever a target):
#   .1  this machine's side of the bridge (the tests' client)
#   .10 gw    nginx: the public gateway on $FD_PORT, the internal one
#   .11 app1, .12 app2    the programs (FastCGI over TCP), relays,
#             reconciler, memcached (a pool of both), HAProxy on 127.0.0.1:3306
#   .21 db1, .22 db2, .23 db3    mariadbd with galera-4
# Writes go to one synced node at a time: each app host's HAProxy sends
# every connection to the first node, in the order db1, db2, db3, whose
# health check (scripts/galera-check.sh) sees wsrep_local_state 4 (Synced)
# and wsrep_ready ON.
#
# Everything lives under $FD_CLUSTER_VAR (var/cluster): one FD_VAR per host,
# so the existing scripts (stack.sh, migrate.sh, seed.sh) run each host.
set -eu
. "$(dirname "$0")/env.sh"

NET=${FD_CLUSTER_NET:-10.88.0}
# The names of its namespaces and links start with $FD_CLUSTER_NAME (fdc):
# two clusters on one machine need two names and two nets.
PFX=${FD_CLUSTER_NAME:-fdc}
case $PFX in *[!a-z0-9]* | '' | ?????*) echo "cluster: FD_CLUSTER_NAME is 1-4 letters or digits" >&2; exit 2 ;; esac
CL=${FD_CLUSTER_VAR:-$FD_ROOT/var/cluster}
case "$CL" in /*) ;; *) CL=$FD_ROOT/$CL ;; esac
BR=$PFX-br
HOSTS="gw app1 app2 db1 db2 db3"
DB_PORT=3306
GALERA=/usr/lib/galera/libgalera_smm.so

log() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

addr() {	# addr HOST
	case $1 in
	gw) echo "$NET.10" ;; app1) echo "$NET.11" ;; app2) echo "$NET.12" ;;
	db1) echo "$NET.21" ;; db2) echo "$NET.22" ;; db3) echo "$NET.23" ;;
	*) die "no host $1" ;;
	esac
}
ns() { echo "$PFX-$1"; }
in_ns() { h=$1; shift; ip netns exec "$(ns "$h")" "$@"; }

wait_for() {	# wait_for SECONDS DESCRIPTION COMMAND...
	n=$(($1 * 10)); what=$2; shift 2
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || die "timed out waiting for $what"
		sleep 0.1
	done
}

# --- the network ---------------------------------------------------------

network() {
	ip link show "$BR" >/dev/null 2>&1 || {
		ip link add "$BR" type bridge
		ip addr add "$NET.1/24" dev "$BR"
		ip link set "$BR" up
	}
	for h in $HOSTS; do
		n=$(ns "$h")
		ip netns list | grep -qw "$n" || ip netns add "$n"
		ip -n "$n" link set lo up
		if ! ip link show "$n" >/dev/null 2>&1; then
			ip link add "$n" type veth peer name eth0 netns "$n"
			ip link set "$n" master "$BR" up
			ip -n "$n" addr add "$(addr "$h")/24" dev eth0
			ip -n "$n" link set eth0 up
		fi
	done
}

# A host's link down (cut off) or up again (healed).
link() {	# link HOST up|down
	ip link set "$(ns "$1")" "$2"
}

# --- secrets shared by every host ----------------------------------------

secrets() {
	mkdir -p "$CL/etc"
	chmod 700 "$CL/etc"
	[ -s "$CL/etc/jwt.secret" ] ||
	    (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' >"$CL/etc/jwt.secret")
	[ -s "$CL/etc/db.env" ] || (umask 077
	    for c in $FD_CONTEXTS; do
		echo "FD_DB_PASS_$c=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
	    done >"$CL/etc/db.env")
	for h in $HOSTS; do
		mkdir -p "$CL/$h/etc" "$CL/$h/run" "$CL/$h/log"
		chmod 700 "$CL/$h/etc"
		cp -p "$CL/etc/jwt.secret" "$CL/etc/db.env" "$CL/$h/etc/"
	done
}

# --- the database hosts --------------------------------------------------

# mariadbd runs as the mysql user (rsync's state transfer fails as root),
# with a small buffer pool and gcache: three nodes share two cores.  A node
# that loses its peers for 2 s suspects them (evs.suspect_timeout), so
# the survivors form a new primary component within seconds of a node's
# death.  Galera needs row-based binlogs and interleaved auto-increment
# locks; ids are then not consecutive, which nothing here relies on.
db_start() {	# db_start N [new]: node N, bootstrapping a new cluster if "new"
	h=db$1 a=$(addr "db$1") d=$CL/db$1
	mkdir -p "$d/db" "$d/run" "$d/log" "$d/tmp"
	chown -R mysql:mysql "$d/db" "$d/run" "$d/log" "$d/tmp"
	if [ -s "$d/run/mysqld.pid" ] && kill -0 "$(cat "$d/run/mysqld.pid")" 2>/dev/null; then
		return 0
	fi
	if [ ! -d "$d/db/mysql" ]; then
		mariadb-install-db --no-defaults --datadir="$d/db" --user=mysql \
		    --auth-root-authentication-method=socket --skip-test-db \
		    >"$d/log/install.log" 2>&1 ||
		    die "mariadb-install-db failed for $h; see $d/log/install.log"
	fi
	new=""
	[ "${2:-}" = new ] && new=--wsrep-new-cluster
	# A node that was the last to leave may bootstrap again only if told
	# (grastate's safe_to_bootstrap); the tests always start anew.
	[ -n "$new" ] && [ -f "$d/db/grastate.dat" ] &&
	    sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$d/db/grastate.dat"
	log "starting $h ($a)${new:+, a new cluster}"
	setsid ip netns exec "$(ns "$h")" mariadbd --no-defaults \
	    --datadir="$d/db" --user=mysql --socket="$d/run/mysqld.sock" \
	    --port=$DB_PORT --bind-address="$a" --pid-file="$d/run/mysqld.pid" \
	    --log-error="$d/log/mariadb.log" --tmpdir="$d/tmp" \
	    --max-connections=300 --skip-name-resolve \
	    --innodb-buffer-pool-size=48M --innodb-log-file-size=32M \
	    --innodb-flush-log-at-trx-commit=2 \
	    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
	    --binlog-format=ROW --default-storage-engine=InnoDB \
	    --innodb-autoinc-lock-mode=2 \
	    --wsrep-on=ON --wsrep-provider=$GALERA \
	    --wsrep-cluster-name=fishdelivery \
	    --wsrep-cluster-address="gcomm://$NET.21,$NET.22,$NET.23" \
	    --wsrep-node-address="$a" --wsrep-node-name="$h" \
	    --wsrep-sst-method=rsync --wsrep-slave-threads=2 \
	    --wsrep-provider-options="gcache.size=32M;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S;evs.install_timeout=PT4S;pc.announce_timeout=PT1S" \
	    $new </dev/null >/dev/null 2>&1 &
}

db_sql() {	# db_sql N ARGS...: as the admin on node N's socket
	s=$CL/db$1/run/mysqld.sock
	shift
	mariadb --no-defaults --default-character-set=utf8mb4 --socket="$s" \
	    -u root "$@"
}

db_synced() {	# db_synced N: node N is Synced (wsrep_local_state 4)
	[ "$(db_sql "$1" -N -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null |
	    cut -f2)" = 4 ]
}

db_kill() {	# db_kill N: SIGKILL node N's mariadbd (a crash)
	p=$(cat "$CL/db$1/run/mysqld.pid" 2>/dev/null || true)
	[ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
	rm -f "$CL/db$1/run/mysqld.pid"
}

databases() {
	db_start 1 new
	wait_for 60 "db1 to bootstrap" db_synced 1
	# The routers' health check logs in as fd_check: no password, no
	# rights (SHOW STATUS needs none), from the app hosts only.
	db_sql 1 -e "CREATE USER IF NOT EXISTS 'fd_check'@'$NET.%'"
	db_start 2
	db_start 3
	wait_for 120 "db2 to join" db_synced 2
	wait_for 120 "db3 to join" db_synced 3
	log "migrations, once for the cluster (through db1)"
	FD_VAR=$CL/db1 FD_DB_CLIENTS="localhost $NET.%" \
	    "$FD_ROOT/scripts/migrate.sh"
}

# --- the app hosts -------------------------------------------------------

app_env() {	# app_env N: the settings of app host N, as env arguments
	a=$(addr "app$1")
	echo "FD_VAR=$CL/app$1 FD_HOST_ADDR=$a" \
	    "FD_APP_HOSTS=$(addr app1),$(addr app2)" \
	    "FD_DB_HOSTS=127.0.0.1:$DB_PORT" \
	    "FD_MEMCACHED=$(addr app1):$FD_MC_PORT,$(addr app2):$FD_MC_PORT" \
	    "FD_URL=http://$(addr gw):$FD_PORT" \
	    "FD_INTERNAL_URL=http://$(addr gw):$FD_INTERNAL_PORT" \
	    "FCGI_WEB_SERVER_ADDRS=$(addr gw)" \
	    "FD_WORKERS=${FD_CLUSTER_WORKERS:-2}" \
	    "FD_IDEM_WAIT_MS=${FD_IDEM_WAIT_MS:-2000}"
}
# FD_IDEM_WAIT_MS: a repeated Idempotency-Key waits 2 s for the request
# that holds it (10 s on one host), then answers 409: below the gateway's
# 5 s read timeout, so the host that has the retry of a request that hangs
# on the other answers, and is not taken for hung itself (README,
# "Running on several machines").

# HAProxy on each app host: the programs' one database address, on
# etc/haproxy/haproxy.cfg as a real host runs it (why one writer, the
# check, its timing: the file's header); only its environment is the
# cluster's: the nodes' addresses, the check in this tree, root.
haproxy_env() {	# haproxy_env N: HAProxy's settings on app host N
	echo "FD_GALERA_DB1=$(addr db1):$DB_PORT FD_GALERA_DB2=$(addr db2):$DB_PORT" \
	    "FD_GALERA_DB3=$(addr db3):$DB_PORT FD_GALERA_BIND=127.0.0.1:$DB_PORT" \
	    "FD_GALERA_CHECK=$FD_ROOT/scripts/galera-check.sh" \
	    "FD_HAPROXY_USER=root FD_HAPROXY_GROUP=root" \
	    "FD_HAPROXY_STATS=$CL/app$1/run/haproxy.sock"
}

haproxy_start() {	# haproxy_start N
	d=$CL/app$1
	cfg=$FD_ROOT/etc/haproxy/haproxy.cfg
	# shellcheck disable=SC2046 # haproxy_env's words are the settings
	env $(haproxy_env "$1") haproxy -c -q -f "$cfg" ||
	    die "etc/haproxy/haproxy.cfg is broken for app$1"
	# In the foreground, so that its log (every check that changes a
	# server's state) goes to haproxy.log.
	# shellcheck disable=SC2046
	setsid ip netns exec "$(ns "app$1")" env $(haproxy_env "$1") \
	    haproxy -f "$cfg" </dev/null >>"$d/log/haproxy.log" 2>&1 &
	echo $! >"$d/run/haproxy.pid"
}

app_start() {	# app_start N
	haproxy_start "$1"
	log "starting app$1 ($(addr "app$1"))"
	# shellcheck disable=SC2046 # app_env's words are the settings
	in_ns "app$1" env $(app_env "$1") FD_BUILD="$FD_BUILD" \
	    "$FD_ROOT/scripts/stack.sh" start-app >>"$CL/app$1/log/start.log" 2>&1 ||
	    die "app$1 did not start; see $CL/app$1/log/start.log"
}

# Every process of app host N, SIGKILLed: a machine that died.
app_kill() {
	for p in $(ip netns pids "$(ns "app$1")" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null || true
	done
	rm -f "$CL/app$1"/run/*.pid
}

# A rolling deploy (README, "Running on several machines"): BUILD_DIR's
# programs (cgi-bin/*.fcgi, relay/relay) to app1, then, once every program
# of app1 runs them, to app2.  Each host uses its own zero-downtime
# hand-over, `stack.sh deploy` (a new release, then each master SIGHUPed:
# it execs the new build on the same listening socket, its new workers
# take connections once ready and only then do the old ones finish
# theirs; the relays, the reconciler and the deadline checker are
# restarted).  The socket never closes, so nothing is refused and the
# gateway is not told anything; one host at a time, so a build that does
# not get ready (stack.sh deploy fails, the old workers keep serving)
# stops the deploy before it reaches the other host.  Run it with the
# settings the cluster was started with (the run files are rewritten).
app_deploy() {	# app_deploy BUILD_DIR
	b=$1
	case $b in /*) ;; *) b=$PWD/$b ;; esac
	for f in "$b"/cgi-bin/auth.fcgi "$b/relay/relay"; do
		[ -x "$f" ] || die "$f is not built"
	done
	for n in 1 2; do
		ip netns list | grep -qw "$(ns "app$n")" || die "app$n is not running"
	done
	for n in 1 2; do
		log "deploying $b to app$n"
		# shellcheck disable=SC2046 # app_env's words are the settings
		in_ns "app$n" env $(app_env "$n") FD_BUILD="$b" \
		    "$FD_ROOT/scripts/stack.sh" deploy >>"$CL/app$n/log/deploy.log" 2>&1 ||
		    die "app$n: the deploy failed (the old build serves on); see $CL/app$n/log/deploy.log"
		log "app$n runs $(readlink "$CL/app$n/current")"
	done
}

# Its rate limits are FD_CLUSTER_*, not the single-host stack's FD_LIMIT_*
# (make test's are far below the cluster tests' load, from one address).
gateway_start() {
	log "starting the gateway ($(addr gw):$FD_PORT)"
	in_ns gw env FD_VAR="$CL/gw" FD_GATEWAY_ADDR="$(addr gw)" \
	    FD_APP_HOSTS="$(addr app1),$(addr app2)" \
	    FD_LIMIT_LOGIN_RATE="${FD_CLUSTER_LOGIN_RATE:-100r/s}" \
	    FD_LIMIT_LOGIN_BURST="${FD_CLUSTER_LOGIN_BURST:-1000}" \
	    FD_LIMIT_ORDER_RATE="${FD_CLUSTER_ORDER_RATE:-100r/s}" \
	    FD_LIMIT_ORDER_BURST="${FD_CLUSTER_ORDER_BURST:-1000}" \
	    "$FD_ROOT/scripts/stack.sh" start-gateway >>"$CL/gw/log/start.log" 2>&1 ||
	    die "the gateway did not start; see $CL/gw/log/start.log"
}

ready() {	# every context answers /ready through the gateway
	for c in $FD_CONTEXTS; do
		curl -fsS -m 2 -o /dev/null "http://$(addr gw):$FD_PORT/$c/ready" ||
		    return 1
	done
}

start() {
	[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
	[ -f "$GALERA" ] || die "galera-4 is not installed (scripts/deps.sh)"
	for f in "$FD_BUILD"/cgi-bin/auth.fcgi "$FD_BUILD/relay/relay"; do
		[ -x "$f" ] || die "$f is not built (make all)"
	done
	trap 'log "start failed; cleaning up"; stop' EXIT
	network
	secrets
	databases
	gateway_start
	app_start 1
	app_start 2
	wait_for 60 "every context to be ready through the gateway" ready
	log "demo data (seed.sh, through db1)"
	FD_VAR=$CL/db1 "$FD_ROOT/scripts/seed.sh"
	trap - EXIT
	cat <<MSG

  fishdelivery runs on 6 hosts: http://$(addr gw):$FD_PORT/
    gateway $(addr gw)   app hosts $(addr app1) $(addr app2)
    Galera  $(addr db1) $(addr db2) $(addr db3)   logs: $CL/<host>/log/
    stop: make cluster-stop

MSG
}

# Everything it made, whatever state a start or a test left: the
# programs first, gracefully (their masters drain), then every process
# still in one of its namespaces (by pid: only what runs there), then the
# namespaces, the links and the bridge.
stop() {
	for n in 1 2; do
		[ -d "$CL/app$n" ] && ip netns list | grep -qw "$(ns "app$n")" &&
		    timeout 60 ip netns exec "$(ns "app$n")" env FD_VAR="$CL/app$n" \
		    "$FD_ROOT/scripts/stack.sh" stop >/dev/null 2>&1 || true
	done
	for h in $HOSTS; do
		n=$(ns "$h")
		ip netns list | grep -qw "$n" || continue
		pids=$(ip netns pids "$n" 2>/dev/null || true)
		# TERM first (mariadbd, nginx, haproxy end cleanly), then KILL.
		[ -n "$pids" ] && kill $pids 2>/dev/null || true
		i=50
		while [ -n "$(ip netns pids "$n" 2>/dev/null)" ] && [ $i -gt 0 ]; do
			sleep 0.1; i=$((i - 1))
		done
		for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
		i=50
		while [ -n "$(ip netns pids "$n" 2>/dev/null)" ] && [ $i -gt 0 ]; do
			sleep 0.1; i=$((i - 1))
		done
		ip link del "$n" 2>/dev/null || true
		ip netns del "$n" 2>/dev/null || true
	done
	ip link del "$BR" 2>/dev/null || true
	rm -f "$CL"/*/run/*.pid "$CL"/*/run/*.sock 2>/dev/null || true
	log "stopped"
}

# What of the cluster is still there (nothing, after a stop).
leftovers() {
	ip netns list | grep -o "^$PFX-[a-z0-9]*" || true
	ip -br link | awk -v p="$PFX-" 'index($1, p) == 1 { print $1 }' || true
}

status() {
	for h in $HOSTS; do
		n=$(ns "$h")
		if ip netns list | grep -qw "$n"; then
			printf '%-5s %-12s %s processes\n' "$h" "$(addr "$h")" \
			    "$(ip netns pids "$n" | wc -l)"
		else
			printf '%-5s %-12s down\n' "$h" "$(addr "$h")"
		fi
	done
	for n in 1 2 3; do
		printf 'db%s wsrep_local_state %s\n' "$n" "$(db_sql "$n" -N -e \
		    "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null | cut -f2)"
	done
	if ready 2>/dev/null; then echo "gateway ready"; else echo "gateway not ready"; fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
leftovers) leftovers ;;
kill-db) db_kill "$2" ;;
start-db) db_start "$2"; wait_for 120 "db$2 to sync" db_synced "$2" ;;
synced) db_synced "$2" ;;
kill-app) app_kill "$2" ;;
start-app) app_start "$2" ;;
deploy) [ $# -eq 2 ] || die "usage: $0 deploy BUILD_DIR"; app_deploy "$2" ;;
link) link "$2" "$3" ;;
addr) addr "$2" ;;
*) echo "usage: $0 start|stop|status|leftovers|kill-db N|start-db N|kill-app N|start-app N|link HOST up|down|deploy BUILD_DIR" >&2
   exit 2 ;;
esac
