#!/bin/sh
# stack.sh - the local stack: private MariaDB, memcached, the five FastCGI
# programs and nginx, all under $FD_VAR (see env.sh).
#
#   stack.sh start      start what is not running (safe to repeat)
#   stack.sh stop       stop everything it started
#   stack.sh status     what runs
#   stack.sh restart-programs   our programs only (a new build)
#   stack.sh deploy     a new build into the running stack, no request lost
#   stack.sh relay CTX ARGS     the relay's command line for CTX's outbox:
#                       dead [SUBSCRIBER], replay all|ID [SUBSCRIBER]
#   stack.sh start-app  one app host of several (scripts/cluster.sh):
#                       memcached and the programs, no database, no nginx
#   stack.sh start-gateway      the gateway host's nginx alone
#   stack.sh check-gateway      nginx -t on the configuration it would render
#                       (tests/etc/check.sh; FD_APP_HOSTS: the cluster's)
#
# On several hosts (scripts/cluster.sh, README "Running on several
# machines"), FD_HOST_ADDR is this host's address: the programs listen on
# FastCGI over TCP there (FD_PROG_PORT_BASE + the context's place), and
# the relays and memcached too; FD_APP_HOSTS lists every app host's
# address (commas between): the gateway's upstreams and the relays' wake-ups go to all of
# them.  Neither set: unix sockets and loopback, as `make run` has it.
set -eu
. "$(dirname "$0")/env.sh"

log() { echo "stack: $*"; }
die() { echo "stack: $*" >&2; exit 1; }

wait_for() {	# wait_for SECONDS DESCRIPTION COMMAND...
	wf_secs=$1 wf_what=$2
	shift 2
	fd_wait_for "$wf_secs" "$@" || die "timed out waiting for $wf_what"
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
	# FD_DB_TZ: the server's zone (make test: +09:00).  Our programs set
	# their sessions to UTC (lib/fd_db.c), so it changes nothing on the
	# wire; the tests check that it doesn't.
	mariadbd --no-defaults --datadir="$FD_VAR/db" --user="$FD_USER" \
	    --socket="$FD_DB_SOCKET" --port="$FD_DB_PORT" \
	    --bind-address=127.0.0.1 --pid-file="$FD_RUN/mysqld.pid" \
	    --log-error="$FD_LOG/mariadb.log" --max-connections=500 \
	    --innodb-buffer-pool-size=256M --innodb-log-file-size=256M \
	    --skip-name-resolve --character-set-server=utf8mb4 \
	    --collation-server=utf8mb4_unicode_ci \
	    ${FD_DB_TZ:+--default-time-zone=$FD_DB_TZ} ${FD_MARIADB_OPTS:-} \
	    >/dev/null 2>&1 &
	wait_for 60 MariaDB mariadb-admin --no-defaults \
	    --socket="$FD_DB_SOCKET" -u "$FD_USER" ping
}

start_memcached() {
	if fd_running "$FD_RUN/memcached.pid"; then return; fi
	a=${FD_HOST_ADDR:-127.0.0.1}
	log "starting memcached on $a:$FD_MC_PORT"
	u=""; [ "$(id -u)" -eq 0 ] && u="-u root"
	memcached -d -l "$a" -p "$FD_MC_PORT" -U 0 -m 64 -c 1024 $u \
	    -P "$FD_RUN/memcached.pid" >>"$FD_LOG/memcached.log" 2>&1
	wait_for 10 memcached fd_running "$FD_RUN/memcached.pid"
}

# Our programs run under runit (runsvdir on $FD_VAR/service): a master or
# relay that dies, even by SIGKILL, is started again within a second.  The
# masters in turn replace their own workers.
SV=$FD_VAR/service

# Environment of one context's program, as shell lines.  FD_* settings of
# the caller (the test stack's knobs) and sanitizer options pass through.
ctx_env() {	# ctx_env CTX
	. "$FD_ETC/db.env"
	eval "pass=\$FD_DB_PASS_$1"
	env | grep -E '^(FD_(BREAKER|PAY|PUSH|RECONCILE|IDEM|CANCEL|ACCEPT|RELAY_(BATCH|LEASE_S|POLL_MS|MAX_ATTEMPTS|BACKOFF_MS|BACKOFF_MAX_MS|RETENTION_S|HOUSEKEEP_S|TIMEOUT_MS|WAKE|BIND)|(INBOX|CANCELED|MYPAGE_ORPHAN)_RETENTION_S|DB_(HOSTS|PORT|TLS|TIMEOUT|CONNECT_TIMEOUT|READ_TIMEOUT|WRITE_TIMEOUT)|JWT_TTL|PWHASH|BODY_MAX|EVENTS_BODY_MAX|COOKIE_SECURE|SITE_ORIGIN|DRAIN|READY)[A-Z_]*|FCGI_WEB_SERVER_ADDRS|(A|UB|L)SAN_OPTIONS)=' |
	    sed "s/^\([^=]*\)=\(.*\)$/export \1='\2'/"
	if [ -n "${FD_HOST_ADDR:-}" ]; then
		sock=$FD_HOST_ADDR:$(prog_port "$1")
		echo "export FD_RELAY_BIND='$FD_HOST_ADDR'"
	else
		sock=$FD_RUN/$1.sock
	fi
	if [ -n "${FD_APP_HOSTS:-}" ]; then
		wake=""
		for h in $(echo "$FD_APP_HOSTS" | tr , ' '); do
			wake="$wake${wake:+,}$h:$(fd_relay_port "$1")"
		done
		echo "export FD_RELAY_WAKE='$wake'"
	fi
	cat <<ENV
export FD_SOCKET='$sock' FD_DB_SOCKET='$FD_DB_SOCKET'
export FD_DB_NAME='fd_$1' FD_DB_USER='fd_$1' FD_DB_PASS='$pass'
export FD_JWT_SECRET_FILE='$FD_ETC/jwt.secret' FD_WORKERS='${FD_WORKERS:-4}'
export FD_MEMCACHED='${FD_MEMCACHED:-127.0.0.1:$FD_MC_PORT}' FD_URL='$FD_URL'
export FD_INTERNAL_URL='$FD_INTERNAL_URL' FD_FAULT_DIR='$FD_FAULT_DIR'
export FD_RELAY_PORT='$(fd_relay_port "$1")' FD_RELAY_CONTEXT='$1'
export FD_RELAY_METRICS_SOCKET='$FD_RUN/relay-$1.sock'
ENV
}

prog_port() {	# each context's FastCGI port when it listens on TCP
	i=0
	for c in $FD_CONTEXTS; do
		[ "$c" = "$1" ] && { echo $((FD_PROG_PORT_BASE + i)); return; }
		i=$((i + 1))
	done
}

listening() {	# listening CTX: its socket or TCP port takes connections
	if [ -n "${FD_HOST_ADDR:-}" ]; then
		ss -Hltn "sport = :$(prog_port "$1")" | grep -q .
	else
		test -S "$FD_RUN/$1.sock"
	fi
}

service() {	# service NAME CTX COMMAND...: writes $SV/NAME/run
	name=$1 ctx=$2
	shift 2
	mkdir -p "$SV/$name"
	{
		echo '#!/bin/sh'
		echo "# generated by scripts/stack.sh"
		echo "exec >>'$FD_LOG/$name.log' 2>&1"
		ctx_env "$ctx"
		echo "exec $*"
	} >"$SV/$name/run.new"
	chmod 700 "$SV/$name/run.new"
	mv "$SV/$name/run.new" "$SV/$name/run"
}

# Releases: the built programs are copied into $FD_VAR/releases/ID and
# $FD_VAR/current points at the newest, so the services run files no build
# overwrites, and a master told to deploy execs the new one at the same
# path.  The three newest releases are kept.
REL=$FD_VAR/releases
install_release() {
	for f in "$FD_BUILD"/cgi-bin/*.fcgi "$FD_BUILD/relay/relay"; do
		[ -x "$f" ] || die "$f is not built"
	done
	same=1
	for f in "$FD_BUILD"/cgi-bin/*.fcgi "$FD_BUILD/relay/relay"; do
		cmp -s "$f" "$FD_VAR/current/${f##*/}" || { same=0; break; }
	done
	[ $same = 1 ] && return 0
	id=$(date -u +%Y%m%dT%H%M%S.%N)
	mkdir -p "$REL/$id"
	cp "$FD_BUILD"/cgi-bin/*.fcgi "$FD_BUILD/relay/relay" "$REL/$id/"
	ln -sfn "releases/$id" "$FD_VAR/current.new"
	mv -T "$FD_VAR/current.new" "$FD_VAR/current"
	ls -1d "$REL"/*/ | sort | head -n -3 | xargs -r rm -rf
	log "release $id from $FD_BUILD"
}

# Every program and the command that runs it.
write_services() {
	install_release
	bin=$FD_VAR/current
	for c in $FD_CONTEXTS; do
		service "$c" "$c" "'$bin/$c.fcgi'"
	done
	service reconciler order "'$bin/order.fcgi' reconciler"
	# The accept deadline's checker (cgi-bin/fishstore/store_deadline.c).
	service fishstore-deadline fishstore "'$bin/fishstore.fcgi' deadline"
	for c in $FD_RELAYED; do
		service "relay-$c" "$c" "'$bin/relay'"
	done
}

start_programs() {
	write_services
	if ! fd_running "$FD_RUN/runsvdir.pid"; then
		log "starting the programs under runsvdir ($SV)"
		# A clean environment: each run file says all its program
		# reads (ctx_env), so a setting unset later (make test's
		# switch from TCP to the socket) is not inherited from here.
		env -i PATH="$PATH" LANG="${LANG:-C.UTF-8}" \
		    runsvdir -P "$SV" >/dev/null 2>&1 &
		echo $! >"$FD_RUN/runsvdir.pid"
	fi
	# runsvdir looks for new services every few seconds; don't wait.
	for s in "$SV"/*; do
		wait_for 20 "runsv of $s" test -p "$s/supervise/control"
		sv start "$s" >/dev/null 2>&1 || true
	done
	for c in $FD_CONTEXTS; do
		wait_for 20 "$c socket" listening "$c"
	done
}

# New run files (a new build, say), then each program restarted: its
# master drains in-flight requests on SIGTERM first.
restart_programs() {
	write_services
	if ! fd_running "$FD_RUN/runsvdir.pid"; then
		start_programs
		return
	fi
	sv -w 30 restart "$SV"/* >/dev/null
}

workers() {	# workers SERVICE: the pids of its master's children
	ps -o pid= --ppid "$(cat "$SV/$1/supervise/pid")" 2>/dev/null | tr -d ' '
}

handed_over() {	# handed_over CTX LOGSIZE PID...: the old workers went
	c=$1 size=$2
	shift 2
	if tail -c +"$((size + 1))" "$FD_LOG/$c.log" |
	    grep -q "deploy: the new workers are not ready"; then
		die "$c: the new build did not get ready in FD_READY_SECONDS; its old workers still serve (see $FD_LOG/$c.log)"
	fi
	for p in "$@"; do kill -0 "$p" 2>/dev/null && return 1; done
	return 0
}

# A new build into the running stack (make deploy).  Each master, sent
# HUP, execs the new program file; its new workers take connections once
# ready and only then do the old ones finish theirs and go (fd_server.c).
# The relays, the reconciler and the deadline checker, which take no
# requests, are restarted:
# their events wait in the outboxes meanwhile.  Settings (the run files'
# environment) change with restart-programs, not here.
deploy() {
	fd_running "$FD_RUN/runsvdir.pid" || die "the stack is not running"
	write_services
	for c in $FD_CONTEXTS; do
		master=$(cat "$SV/$c/supervise/pid")
		old=$(workers "$c")
		[ -n "$old" ] || die "$c has no workers to replace"
		size=$(wc -c <"$FD_LOG/$c.log")
		sv hup "$SV/$c" >/dev/null
		# The master waits FD_READY_SECONDS for the new workers, then
		# the old ones drain (FD_DRAIN_SECONDS).
		n=$(((${FD_READY_SECONDS:-30} + ${FD_DRAIN_SECONDS:-10} + 5) * 10))
		while ! handed_over "$c" "$size" $old; do
			n=$((n - 1))
			[ $n -gt 0 ] || die "$c's old workers did not go"
			sleep 0.1
		done
		[ "$(cat "$SV/$c/supervise/pid")" = "$master" ] ||
		    die "$c's master restarted during the deploy"
		[ -n "$(workers "$c")" ] || die "$c has no workers after the deploy"
		log "$c: new workers $(workers "$c" | tr '\n' ' ')"
	done
	sv -w 30 restart "$SV/reconciler" "$SV/fishstore-deadline" \
	    "$SV"/relay-* >/dev/null
	if [ -n "${FD_HOST_ADDR:-}" ]; then
		# One app host of several (scripts/cluster.sh deploy): no
		# gateway here, and the gateway's /ready may be the other
		# host's answer; this host's own programs still listen.
		for c in $FD_CONTEXTS; do
			wait_for 30 "$c to listen" listening "$c"
		done
	else
		start_nginx
		wait_for 30 "every context to be ready" ready
	fi
	log "deployed $(readlink "$FD_VAR/current")"
}

stop_programs() {
	[ -d "$SV" ] || return 0
	fd_running "$FD_RUN/runsvdir.pid" || { rm -f "$FD_RUN/runsvdir.pid"; return 0; }
	# Down first (TERM: masters drain; KILL after 30 s), then runsvdir's
	# HUP makes every runsv exit, and runsvdir with them.
	sv -w 30 force-stop "$SV"/* >/dev/null 2>&1 || true
	pid=$(cat "$FD_RUN/runsvdir.pid")
	kill -HUP "$pid" 2>/dev/null || true
	n=100
	while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	rm -f "$FD_RUN/runsvdir.pid"
}

# The gateway's configuration, rendered into $FD_ETC/nginx.conf.new.
render_nginx() {
	u=""; [ "$(id -u)" -eq 0 ] && u="user root;"
	mkdir -p "$FD_VAR/tmp/nginx"
	# The gateway's rate limits (README, "Rate limits"): NNr/s or NNr/m
	# and a burst; Retry-After is 1/rate in whole seconds, rounded up.
	lr=${FD_LIMIT_LOGIN_RATE:-10r/m} lb=${FD_LIMIT_LOGIN_BURST:-20}
	or=${FD_LIMIT_ORDER_RATE:-1r/s} ob=${FD_LIMIT_ORDER_BURST:-5}
	retry_after() {
		n=${1%r/[sm]}
		case $1:$n in *r/[sm]:[1-9]*) ;; *) n=x ;; esac
		case $n:$2 in *[!0-9:]* | *:) die "bad rate limit '$1' burst '$2'" ;; esac
		case $1 in *m) echo $(((59 + n) / n)) ;; *) echo 1 ;; esac
	}
	# nginx's push module (the live streams), where Debian puts it.
	nchan=${FD_NCHAN_MODULE:-/usr/lib/nginx/modules/ngx_nchan_module.so}
	[ -f "$nchan" ] || die "no $nchan: install libnginx-mod-nchan (scripts/deps.sh)"
	lra=$(retry_after "$lr" "$lb")
	ora=$(retry_after "$or" "$ob")
	# Each context's upstream: its unix socket, or every app host's TCP
	# port.  Passive health checks: a host that fails a connection or a
	# request (an error, a timeout, a broken answer) is left alone for
	# 3 s.  The retry rules (fishdelivery.conf.in says which requests go
	# on to the other host): at most two tries; a connection gets 1 s,
	# and the public side's answers FD_GATEWAY_READ_TIMEOUT (5 s), so a
	# hung host costs a GET or a keyed POST /orders 5 s, and two tries
	# stay within a client's 10 s.  One host: as before, 30 s.
	opts="" rt=30s
	for c in $FD_CONTEXTS; do
		if [ -n "${FD_APP_HOSTS:-}" ]; then
			up=""
			for h in $(echo "$FD_APP_HOSTS" | tr , ' '); do
				up="$up server $h:$(prog_port "$c") max_fails=1 fail_timeout=3s;"
			done
			opts="fastcgi_connect_timeout 1s; fastcgi_next_upstream error timeout invalid_header; fastcgi_next_upstream_tries 2;"
			rt=${FD_GATEWAY_READ_TIMEOUT:-5s}
		else
			up="server unix:$FD_VAR/run/$c.sock;"
		fi
		echo "s|@UP_$c@|$up|"
	done >"$FD_ETC/nginx-upstreams.sed"
	case $rt in [1-9]*s | [1-9]*ms) ;; *) die "bad FD_GATEWAY_READ_TIMEOUT '$rt'" ;; esac
	# The FastCGI parameters without their read timeout, which the
	# gateway sets per side and per retry rule.
	sed '/fastcgi_read_timeout/d' "$FD_ROOT/etc/nginx/fastcgi.conf" \
	    >"$FD_ETC/fastcgi.conf"
	sed -e "s|@VAR@|$FD_VAR|g" -e "s|@ROOT@|$FD_ROOT|g" \
	    -f "$FD_ETC/nginx-upstreams.sed" \
	    -e "s|@LISTEN@|${FD_GATEWAY_ADDR:-127.0.0.1}|g" \
	    -e "s|@UPSTREAM_OPTS@|$opts|" -e "s|@RETRY_READ_TIMEOUT@|$rt|g" \
	    -e "s|@FASTCGI@|$FD_ETC/fastcgi.conf|g" \
	    -e "s|@PORT@|$FD_PORT|g" -e "s|@USER@|$u|g" \
	    -e "s|@INTERNAL_PORT@|$FD_INTERNAL_PORT|g" \
	    -e "s|@LOGIN_RATE@|$lr|g" -e "s|@LOGIN_BURST@|$lb|g" \
	    -e "s|@LOGIN_RETRY@|$lra|g" -e "s|@ORDER_RATE@|$or|g" \
	    -e "s|@ORDER_BURST@|$ob|g" -e "s|@ORDER_RETRY@|$ora|g" \
	    -e "s|@NCHAN@|$nchan|g" \
	    "$FD_ROOT/etc/nginx/fishdelivery.conf.in" >"$FD_ETC/nginx.conf.new"
}

# `nginx -t` on the configuration this environment renders (one host, or
# the gateway of several with FD_APP_HOSTS), nothing started: tests/etc.
check_nginx() {
	mkdir -p "$FD_ETC" "$FD_LOG" "$FD_RUN" "$FD_VAR/tmp/nginx"
	render_nginx
	nginx -q -t -p "$FD_VAR" -c "$FD_ETC/nginx.conf.new"
}

start_nginx() {
	render_nginx
	# Unchanged: no reload (a reload closes idle keep-alive connections,
	# which a client may be just reusing).
	if fd_running "$FD_RUN/nginx.pid" &&
	    cmp -s "$FD_ETC/nginx.conf.new" "$FD_ETC/nginx.conf"; then
		rm -f "$FD_ETC/nginx.conf.new"
		return
	fi
	mv "$FD_ETC/nginx.conf.new" "$FD_ETC/nginx.conf"
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
	fd_stop_pid "$1" "$2" 30
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
	for p in mysqld memcached nginx runsvdir; do
		if fd_running "$FD_RUN/$p.pid"; then
			printf '%-16s running (pid %s)\n' "$p" "$(cat "$FD_RUN/$p.pid")"
		else
			printf '%-16s stopped\n' "$p"
		fi
	done
	[ -d "$SV" ] && fd_running "$FD_RUN/runsvdir.pid" && sv status "$SV"/*
	if ready 2>/dev/null; then echo "gateway    $FD_URL/ ready"; else echo "gateway    $FD_URL/ not ready"; fi
}

case "${1:-}" in
relay)	# relay CTX ARGS...: the relay's command line (dead letters, replay)
	[ $# -ge 2 ] || { echo "usage: $0 relay CONTEXT [dead|replay ...]" >&2; exit 2; }
	shift; c=$1; shift
	eval "$(ctx_env "$c")"
	exec "$FD_BUILD/relay/relay" "$@" ;;
ctl)	# ctl CTX ARGS...: CTX's program's operator verbs (scripts/fdctl)
	[ $# -ge 3 ] || { echo "usage: $0 ctl CONTEXT COMMAND [ARGS...]" >&2; exit 2; }
	shift; c=$1; shift
	case " $FD_CONTEXTS " in *" $c "*) ;; *) die "no context $c" ;; esac
	eval "$(ctx_env "$c")"
	exec "$FD_BUILD/cgi-bin/$c.fcgi" "$@" ;;
start) start ;;
start-app)	# an app host: memcached and the programs (cluster.sh)
	secrets; start_memcached; start_programs ;;
start-gateway)	# the gateway host: nginx alone (cluster.sh)
	secrets; start_nginx ;;
check-gateway)	# nginx -t on the rendered configuration (tests/etc/check.sh)
	check_nginx ;;
stop) stop ;;
status) status ;;
restart-programs) secrets; restart_programs
	wait_for 30 "every context to be ready" ready ;;
deploy) deploy ;;
*) echo "usage: $0 start|stop|status|restart-programs|deploy|start-app|start-gateway|check-gateway" >&2; exit 2 ;;
esac
