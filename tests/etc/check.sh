#!/bin/sh
# tests/etc/check.sh - validates the production files under etc/ (issue 7,
# items 5 and 6), bounded in time, no servers started:
#   - etc/nginx/production.conf: `nginx -t`, rendered into a temp prefix
#     with a throw-away self-signed certificate (openssl) in place of
#     Let's Encrypt's and the sockets, logs and pid under the temp dir;
#   - etc/systemd/*: `systemd-analyze verify` (when systemd-analyze is
#     there) on a temp copy whose ExecStart points at stand-in executables,
#     the relay template as an instance; any output fails;
#   - etc/haproxy/haproxy.cfg: `haproxy -c` with the settings of
#     etc/haproxy/haproxy.default.example (HAProxy expands them), and
#     with none of them (the nodes are required: it must fail);
#   - etc/image/Dockerfile: tests/etc/image.sh (its syntax, its build
#     stage replayed here, its runtime packages; no image is fetched);
#   - etc/prometheus/*.yml, the units, the env example, production.conf
#     and etc/kubernetes/: structural checks in check.js (node + js-yaml,
#     `npm ci` here).  promtool (Debian: prometheus) is used as well when
#     installed.
# Prints one line per check and "N passed, N failed"; exits 1 on a failure.
set -eu
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd ../.. && pwd)
pass=0 fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/fd-etc-check.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
# Shows a failed tool's output, indented.
show() { sed 's/^/    /' "$1"; }

# --- nginx -t on production.conf -------------------------------------
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
	mkdir -p "$T/ng/cert" "$T/ng/run" "$T/ng/log" "$T/ng/lib" "$T/ng/acme"
	# Modules by their path under the prefix, as Debian's prefix has it.
	ln -s /usr/lib/nginx/modules "$T/ng/modules"
	if timeout 30 openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
	    -subj /CN=fishdelivery.example -keyout "$T/ng/cert/privkey.pem" \
	    -out "$T/ng/cert/fullchain.pem" >"$T/openssl.out" 2>&1; then
		# Every absolute host path of the real config, moved under $T;
		# the user directive dropped (nginx -t needs no user switch);
		# the placeholder addresses of the hosts (198.51.100.0/24)
		# made loopback ones, which nginx -t can bind here.
		sed -e "s#/etc/letsencrypt/live/fishdelivery.example#$T/ng/cert#g" \
		    -e "s#/run/fishdelivery#$T/ng/run#g" \
		    -e "s#/run/nginx.pid#$T/ng/nginx.pid#g" \
		    -e "s#/var/log/nginx#$T/ng/log#g" \
		    -e "s#/var/lib/nginx#$T/ng/lib#g" \
		    -e "s#/var/www/letsencrypt#$T/ng/acme#g" \
		    -e "s#/usr/local/share/fishdelivery#$ROOT#g" \
		    -e '/^user /d' \
		    -e 's#198\.51\.100\.\([0-9]*\)#127.0.100.\1#g' \
		    "$ROOT/etc/nginx/production.conf" >"$T/ng/nginx.conf"
		left=$(sed 's/#.*//' "$T/ng/nginx.conf" |
		    grep -E '(^|[ :])/(etc|run|var|usr)/' || true)
		if [ -n "$left" ]; then
			bad "production.conf: host paths left unrendered: $left"
		elif timeout 30 "$NGINX" -t -q -p "$T/ng/" -c "$T/ng/nginx.conf" \
		    -e "$T/ng/log/startup.log" >"$T/nginx.out" 2>&1 &&
		    # Warnings fail too, but for the `listen ... http2` form
		    # nginx >= 1.25.1 calls deprecated (see production.conf).
		    ! grep -v 'the "listen \.\.\. http2" directive is deprecated' \
		    "$T/nginx.out" | grep -q '\[\(warn\|emerg\|alert\|crit\|error\)\]'; then
			ok "nginx -t etc/nginx/production.conf"
		else
			bad "nginx -t etc/nginx/production.conf"; show "$T/nginx.out"
		fi
	else
		bad "openssl: no test certificate"; show "$T/openssl.out"
	fi
else
	bad "nginx -t: nginx is not installed (scripts/deps.sh installs nginx-light)"
fi

# --- the gateway's own configuration, one host and several -----------
# scripts/stack.sh renders etc/nginx/fishdelivery.conf.in (make run, make
# test: unix sockets) and, with FD_APP_HOSTS, the cluster's gateway
# (scripts/cluster.sh: two app hosts over TCP and the retry rules).  Both
# must pass `nginx -t`; the cluster's must retry a POST only where an
# Idempotency-Key makes it safe (@orders_retry) and detect a hung host.
if [ -n "${NGINX:-}" ]; then
	for how in one-host cluster; do
		v=$T/gw-$how
		if [ $how = cluster ]; then
			set -- FD_APP_HOSTS=127.0.0.2,127.0.0.3
		else
			set --
		fi
		if env FD_VAR="$v" FD_PORT=28188 "$@" timeout 30 \
		    "$ROOT/scripts/stack.sh" check-gateway >"$T/gw.out" 2>&1 &&
		    ! grep -q '\[\(warn\|emerg\|alert\|crit\|error\)\]' "$T/gw.out"; then
			ok "nginx -t fishdelivery.conf.in rendered for the $how gateway"
		else
			bad "nginx -t fishdelivery.conf.in rendered for the $how gateway"
			show "$T/gw.out"
		fi
	done
	c=$T/gw-cluster/etc/nginx.conf.new
	# non_idempotent once, in @orders_retry; the public side's read
	# timeout short; POST /orders without a key left at 30 s.
	n=$(grep -c 'non_idempotent' "$c" 2>/dev/null || true)
	if [ "$n" = 1 ] &&
	    awk '/location @orders_retry/ { r = 1 } r && /non_idempotent/ { f = 1 }
		r && /}/ { r = 0 } END { exit !f }' "$c" &&
	    grep -q 'fastcgi_next_upstream error timeout invalid_header;' "$c" &&
	    grep -q 'fastcgi_next_upstream_tries 2;' "$c" &&
	    grep -q 'fastcgi_read_timeout 5s;' "$c" &&
	    grep -q 'server 127.0.0.3:[0-9]* max_fails=1' "$c"; then
		ok "the cluster gateway's retry rules"
	else
		bad "the cluster gateway's retry rules (in $c)"
	fi
fi

# --- systemd-analyze verify ------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/sd/units" "$T/sd/bin/cgi-bin"
	for c in auth order payment fishstore delivery; do
		cp /bin/true "$T/sd/bin/cgi-bin/$c.fcgi"
	done
	cp /bin/true "$T/sd/bin/relay"
	for f in "$ROOT"/etc/systemd/*.service "$ROOT"/etc/systemd/*.target; do
		n=$(basename "$f")
		case $n in *@.service) n=${n%@.service}@order.service ;; esac
		sed "s#/usr/local/lib/fishdelivery#$T/sd/bin#g" "$f" >"$T/sd/units/$n"
	done
	if (cd "$T/sd/units" && timeout 60 systemd-analyze verify ./*) \
	    >"$T/sd.out" 2>&1 && [ ! -s "$T/sd.out" ]; then
		ok "systemd-analyze verify etc/systemd/*"
	else
		bad "systemd-analyze verify etc/systemd/*"; show "$T/sd.out"
	fi
else
	echo "skip - systemd-analyze verify: not installed (check.js still checks the units)"
fi

# --- haproxy -c on the Galera router's configuration ------------------
if command -v haproxy >/dev/null 2>&1; then
	cfg=$ROOT/etc/haproxy/haproxy.cfg ex=$ROOT/etc/haproxy/haproxy.default.example
	if [ ! -f "$cfg" ] || [ ! -f "$ex" ]; then
		bad "haproxy -c: no etc/haproxy/haproxy.cfg or haproxy.default.example"
	elif (set -a; . "$ex"; set +a; timeout 30 haproxy -c -f "$cfg") \
	    >"$T/haproxy.out" 2>&1 &&
	    ! grep -q '\[\(WARNING\|ALERT\)\]' "$T/haproxy.out"; then
		ok "haproxy -c etc/haproxy/haproxy.cfg (haproxy.default.example's settings)"
	else
		bad "haproxy -c etc/haproxy/haproxy.cfg"; show "$T/haproxy.out"
	fi
	# Without the nodes' addresses it must not start on some default.
	if [ ! -f "$cfg" ]; then
		:
	elif ! (unset FD_GALERA_DB1 FD_GALERA_DB2 FD_GALERA_DB3
	    timeout 30 haproxy -c -f "$cfg") >"$T/haproxy0.out" 2>&1; then
		ok "haproxy -c: etc/haproxy/haproxy.cfg refused without FD_GALERA_DB1..3"
	else
		bad "haproxy -c: etc/haproxy/haproxy.cfg valid without the nodes' addresses"
	fi
	# Its check, as the file names it, is the one in the tree.
	if [ ! -f "$cfg" ]; then
		:
	elif grep -q 'external-check command "${FD_GALERA_CHECK-/usr/local/lib/fishdelivery/galera-check.sh}"' "$cfg" &&
	    grep -q 'install .*scripts/galera-check.sh' "$ROOT/Makefile" &&
	    [ -x "$ROOT/scripts/galera-check.sh" ]; then
		ok "haproxy.cfg: its external check is scripts/galera-check.sh, installed by make install"
	else
		bad "haproxy.cfg: its external check is not scripts/galera-check.sh as make install puts it"
	fi
else
	bad "haproxy -c: haproxy is not installed (scripts/deps.sh installs it)"
fi

# --- the image's build file ------------------------------------------
"$HERE/image.sh" >"$T/image.out" 2>&1 || true
cat "$T/image.out"
pass=$((pass + $(grep -c '^ok - ' "$T/image.out" || true)))
fail=$((fail + $(grep -c '^not ok - ' "$T/image.out" || true)))
grep -q '^ok - Dockerfile: syntax' "$T/image.out" ||
    grep -q '^not ok - ' "$T/image.out" || bad "image.sh ran no check"

# --- promtool, only if Debian's prometheus happens to be installed ---
if command -v promtool >/dev/null 2>&1; then
	if timeout 30 promtool check config "$ROOT/etc/prometheus/prometheus.yml" \
	    >"$T/prom.out" 2>&1; then
		ok "promtool check config etc/prometheus/prometheus.yml (and its rules)"
	else
		bad "promtool check config"; show "$T/prom.out"
	fi
fi

# --- structural checks with node + js-yaml ---------------------------
if [ ! -f node_modules/js-yaml/package.json ] ||
    [ ! -f node_modules/.package-lock.json ] ||
    [ -n "$(find package-lock.json -newer node_modules/.package-lock.json)" ]; then
	timeout 120 npm ci --no-audit --no-fund --loglevel=error \
	    >"$T/npm.out" 2>&1 || { show "$T/npm.out"; }
fi
if [ -f node_modules/js-yaml/package.json ]; then
	rc=0
	timeout 60 node "$HERE/check.js" >"$T/node.out" 2>&1 || rc=$?
	cat "$T/node.out"
	p=$(grep -c '^ok - ' "$T/node.out" || true)
	f=$(grep -c '^not ok - ' "$T/node.out" || true)
	pass=$((pass + p)) fail=$((fail + f))
	# check.js that died (a syntax error, a timeout) is a failure too.
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || bad "check.js exited $rc"
	[ "$p" -gt 0 ] || bad "check.js ran no checks"
else
	bad "npm ci in tests/etc: no js-yaml"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
