#!/bin/sh
# stack.sh - the local stack: private MariaDB, memcached, the five FastCGI
# programs and nginx, all under $FD_VAR (see env.sh).
#
#   stack.sh start      start what is not running (safe to repeat)
#   stack.sh stop       stop everything it started
#   stack.sh status     what runs
#   stack.sh restart-programs   the FastCGI programs only (new build)
set -eu
. "$(dirname "$0")/env.sh"

log() { echo "stack: $*"; }
die() { echo "stack: $*" >&2; exit 1; }

wait_for() {	# wait_for SECONDS DESCRIPTION COMMAND...
	n=$(($1 * 10)); what=$2; shift 2
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || die "timed out waiting for $what"
		sleep 0.1
	done
}

secrets() {
	mkdir -p "$FD_RUN" "$FD_LOG" "$FD_ETC" "$FD_VAR/tmp" "$FD_VAR/db" \
	    "$FD_FAULT_DIR"
	chmod 700 "$FD_ETC"
	# Generated once, never committed (var/ is ignored).
	if [ ! -s "$FD_ETC/jwt.secret" ]; then
		head -c 48 /dev/urandom | base64 | tr -d '\n' >"$FD_ETC/jwt.secret"
		chmod 600 "$FD_ETC/jwt.secret"
	fi
	if [ ! -s "$FD_ETC/db.env" ]; then
		umask 077
		for c in $FD_CONTEXTS; do
			echo "FD_DB_PASS_$c=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
		done >"$FD_ETC/db.env"
		umask 022
	fi
}

start_mariadb() {
	if fd_running "$FD_RUN/mysqld.pid"; then return; fi
	if [ ! -d "$FD_VAR/db/mysql" ]; then
		log "initialising MariaDB in $FD_VAR/db"
		mariadb-install-db --no-defaults --datadir="$FD_VAR/db" \
		    --user="$FD_USER" --auth-root-authentication-method=socket \
		    --skip-test-db >"$FD_LOG/mariadb-install.log" 2>&1 ||
		    die "mariadb-install-db failed; see $FD_LOG/mariadb-install.log"
	fi
	log "starting MariaDB on 127.0.0.1:$FD_DB_PORT"
	mariadbd --no-defaults --datadir="$FD_VAR/db" --user="$FD_USER" \
	    --socket="$FD_DB_SOCKET" --port="$FD_DB_PORT" \
	    --bind-address=127.0.0.1 --pid-file="$FD_RUN/mysqld.pid" \
	    --log-error="$FD_LOG/mariadb.log" --max-connections=500 \
	    --innodb-buffer-pool-size=256M --innodb-log-file-size=256M \
	    --skip-name-resolve --character-set-server=utf8mb4 \
	    --collation-server=utf8mb4_unicode_ci >/dev/null 2>&1 &
	wait_for 60 MariaDB mariadb-admin --no-defaults \
	    --socket="$FD_DB_SOCKET" -u "$FD_USER" ping
}

start_memcached() {
	if fd_running "$FD_RUN/memcached.pid"; then return; fi
	log "starting memcached on 127.0.0.1:$FD_MC_PORT"
	u=""; [ "$(id -u)" -eq 0 ] && u="-u root"
	memcached -d -l 127.0.0.1 -p "$FD_MC_PORT" -U 0 -m 64 -c 1024 $u \
	    -P "$FD_RUN/memcached.pid" >>"$FD_LOG/memcached.log" 2>&1
	wait_for 10 memcached fd_running "$FD_RUN/memcached.pid"
}

# Environment of one context's program.
ctx_env() {	# ctx_env CTX
	. "$FD_ETC/db.env"
	eval "pass=\$FD_DB_PASS_$1"
	echo "FD_SOCKET=$FD_RUN/$1.sock FD_DB_SOCKET=$FD_DB_SOCKET" \
	    "FD_DB_NAME=fd_$1 FD_DB_USER=fd_$1 FD_DB_PASS=$pass" \
	    "FD_JWT_SECRET_FILE=$FD_ETC/jwt.secret" \
	    "FD_MEMCACHED=127.0.0.1:$FD_MC_PORT FD_URL=$FD_URL" \
	    "FD_INTERNAL_URL=$FD_INTERNAL_URL FD_FAULT_DIR=$FD_FAULT_DIR" \
	    "FD_WORKERS=${FD_WORKERS:-4}"
}

start_programs() {
	for c in $FD_CONTEXTS; do
		fd_running "$FD_RUN/$c.pid" && continue
		[ -x "$FD_BUILD/cgi-bin/$c.fcgi" ] || die "$FD_BUILD/cgi-bin/$c.fcgi is not built"
		# shellcheck disable=SC2046
		env $(ctx_env "$c") "$FD_BUILD/cgi-bin/$c.fcgi" \
		    >>"$FD_LOG/$c.log" 2>&1 &
		echo $! >"$FD_RUN/$c.pid"
	done
	for c in $FD_CONTEXTS; do
		wait_for 20 "$c socket" test -S "$FD_RUN/$c.sock"
	done
	# Background workers that are not FastCGI servers.
	if ! fd_running "$FD_RUN/reconciler.pid"; then
		# shellcheck disable=SC2046
		env $(ctx_env order) "$FD_BUILD/cgi-bin/order.fcgi" reconciler \
		    >>"$FD_LOG/reconciler.log" 2>&1 &
		echo $! >"$FD_RUN/reconciler.pid"
	fi
}

stop_programs() {
	for c in reconciler $FD_CONTEXTS; do
		stop_pid "$FD_RUN/$c.pid" "$c"
	done
}

start_nginx() {
	u=""; [ "$(id -u)" -eq 0 ] && u="user root;"
	mkdir -p "$FD_VAR/tmp/nginx"
	sed -e "s|@VAR@|$FD_VAR|g" -e "s|@ROOT@|$FD_ROOT|g" \
	    -e "s|@PORT@|$FD_PORT|g" -e "s|@USER@|$u|g" \
	    -e "s|@INTERNAL_PORT@|$FD_INTERNAL_PORT|g" \
	    "$FD_ROOT/etc/nginx/fishdelivery.conf.in" >"$FD_ETC/nginx.conf"
	nginx -q -t -p "$FD_VAR" -c "$FD_ETC/nginx.conf" 2>>"$FD_LOG/nginx-error.log" ||
	    die "nginx configuration is broken; see $FD_LOG/nginx-error.log"
	if fd_running "$FD_RUN/nginx.pid"; then
		nginx -p "$FD_VAR" -c "$FD_ETC/nginx.conf" -s reload
		return
	fi
	log "starting nginx on $FD_URL"
	nginx -p "$FD_VAR" -c "$FD_ETC/nginx.conf"
	wait_for 10 nginx fd_running "$FD_RUN/nginx.pid"
}

stop_pid() {	# stop_pid PIDFILE NAME: TERM, then wait for it to go
	fd_running "$1" || { rm -f "$1"; return 0; }
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null || true
	n=300
	while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	kill -0 "$pid" 2>/dev/null && { log "$2 did not stop; killing"; kill -9 "$pid"; }
	rm -f "$1"
}

ready() {	# every context answers /ready through the gateway
	for c in $FD_CONTEXTS; do
		curl -fsS -o /dev/null "$FD_URL/$c/ready" || return 1
	done
}

start() {
	secrets
	start_mariadb
	"$FD_ROOT/scripts/migrate.sh"
	start_memcached
	start_programs
	start_nginx
	wait_for 30 "every context to be ready" ready
	"$FD_ROOT/scripts/seed.sh"
	cat <<MSG

  fishdelivery is running at $FD_URL/
    stores:   curl $FD_URL/stores
    owners:   owner1@fishdelivery.test / fish-owner-1 (store 1)
              owner2@fishdelivery.test / fish-owner-2 (store 2)
    logs:     $FD_LOG/      stop: make stop      status: make status

MSG
}

stop() {
	stop_pid "$FD_RUN/nginx.pid" nginx
	stop_programs
	stop_pid "$FD_RUN/memcached.pid" memcached
	stop_pid "$FD_RUN/mysqld.pid" MariaDB
	log "stopped"
}

status() {
	for p in mysqld memcached $FD_CONTEXTS reconciler nginx; do
		if fd_running "$FD_RUN/$p.pid"; then
			printf '%-10s running (pid %s)\n' "$p" "$(cat "$FD_RUN/$p.pid")"
		else
			printf '%-10s stopped\n' "$p"
		fi
	done
	if ready 2>/dev/null; then echo "gateway    $FD_URL/ ready"; else echo "gateway    $FD_URL/ not ready"; fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
restart-programs) secrets; stop_programs; start_programs
	wait_for 30 "every context to be ready" ready ;;
*) echo "usage: $0 start|stop|status|restart-programs" >&2; exit 2 ;;
esac
