# env.sh - where the local stack lives; sourced by the other scripts.
# Everything is derived from FD_VAR and FD_PORT so that `make run` (var/,
# port 8088) and `make test` (var/test/, port 18088) can run side by side.

FD_ROOT=$(cd "$(dirname "$0")/.." && pwd)
FD_VAR=${FD_VAR:-$FD_ROOT/var}
case "$FD_VAR" in /*) ;; *) FD_VAR=$FD_ROOT/$FD_VAR ;; esac
FD_BUILD=${FD_BUILD:-$FD_ROOT/build}
case "$FD_BUILD" in /*) ;; *) FD_BUILD=$FD_ROOT/$FD_BUILD ;; esac
FD_PORT=${FD_PORT:-8088}
FD_INTERNAL_PORT=${FD_INTERNAL_PORT:-$((FD_PORT + 1))}	# context to context
FD_DB_PORT=${FD_DB_PORT:-$((FD_PORT + 5218))}	# 13306 beside 8088
FD_MC_PORT=${FD_MC_PORT:-$((FD_PORT + 3223))}	# 11311 beside 8088
FD_CONTEXTS="auth order payment fishstore delivery"
FD_RELAYED="auth order payment fishstore delivery"	# contexts that publish events
FD_RELAY_PORT_BASE=${FD_RELAY_PORT_BASE:-$((FD_PORT + 100))}	# 8188..
FD_RUN=$FD_VAR/run
FD_LOG=$FD_VAR/log
FD_ETC=$FD_VAR/etc
FD_DB_SOCKET=$FD_RUN/mysqld.sock
# The gateway's addresses: loopback here; the cluster's hosts have their
# own (scripts/cluster.sh).
FD_URL=${FD_URL:-http://127.0.0.1:$FD_PORT}
FD_INTERNAL_URL=${FD_INTERNAL_URL:-http://127.0.0.1:$FD_INTERNAL_PORT}
FD_PROG_PORT_BASE=${FD_PROG_PORT_BASE:-$((FD_PORT + 200))}	# 8288.. (TCP FastCGI)
FD_FAULT_DIR=$FD_VAR/faults
FD_USER=$(id -un)
export FD_ROOT FD_VAR FD_BUILD FD_PORT FD_DB_PORT FD_MC_PORT FD_URL \
	FD_DB_SOCKET FD_ETC FD_INTERNAL_URL FD_FAULT_DIR

# Admin access to the private MariaDB (unix_socket auth as this OS user).
fd_sql() {
	# utf8mb4 whatever the locale: without LANG the client would send
	# the seed's Korean names as latin1.
	mariadb --no-defaults --default-character-set=utf8mb4 \
	    --socket="$FD_DB_SOCKET" -u "$FD_USER" "$@"
}

fd_running() {	# fd_running PIDFILE
	[ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# fd_wait_for SECONDS COMMAND...: until COMMAND succeeds (quietly), every
# 0.1 s; false if it has not within SECONDS.
fd_wait_for() {
	fd_n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		fd_n=$((fd_n - 1))
		[ $fd_n -gt 0 ] || return 1
		sleep 0.1
	done
}

# fd_stop_pid PIDFILE NAME SECONDS: TERM the process, wait up to SECONDS
# for it to go, then KILL it; the pid file goes too.
fd_stop_pid() {
	fd_running "$1" || { rm -f "$1"; return 0; }
	fd_pid=$(cat "$1")
	kill "$fd_pid" 2>/dev/null || true
	fd_n=$(($3 * 10))
	while kill -0 "$fd_pid" 2>/dev/null && [ $fd_n -gt 0 ]; do
		sleep 0.1; fd_n=$((fd_n - 1))
	done
	if kill -0 "$fd_pid" 2>/dev/null; then
		echo "$2 did not stop in $3 s; killing it" >&2
		kill -9 "$fd_pid" 2>/dev/null || true
	fi
	rm -f "$1"
}

# fd_relay_port CTX: the wake-up port of CTX's relay (each has its own).
fd_relay_port() {
	fd_i=0
	for fd_c in $FD_CONTEXTS; do
		[ "$fd_c" = "$1" ] && { echo $((FD_RELAY_PORT_BASE + fd_i)); return; }
		fd_i=$((fd_i + 1))
	done
}
