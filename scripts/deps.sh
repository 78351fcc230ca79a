#!/bin/sh
# Installs the Debian packages fishdelivery needs, if any is missing.
# Safe to run again: it asks dpkg first and only calls apt-get when needed.
set -eu

PKGS="build-essential pkg-config libfcgi-dev libfcgi-bin libmariadb-dev
mariadb-server mariadb-client libjson-c-dev libmemcached-dev memcached
libcunit1-dev libcurl4-openssl-dev libsodium-dev nginx-light curl wrk
clang libclang-rt-14-dev runit chromium openssl procps prometheus
galera-4 haproxy rsync iproute2"
# The browser tests' node and npm: Debian's, unless some node is there.
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d keeps Debian from starting the system's own mariadb/nginx/
# memcached: fishdelivery runs private ones under ./var.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod 755 /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends $missing
