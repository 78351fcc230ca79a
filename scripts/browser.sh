#!/bin/sh
# browser.sh - the pages in a real browser: playwright-core (tests/browser,
# installed by `npm ci` from its package-lock.json) drives Debian's
# chromium headless through tests/browser/*.test.js against the stack at
# $FD_URL (default: the one FD_PORT names, see env.sh).  Screenshots go to
# $FD_VAR/screenshots/.  Exits non-zero if any test fails.
#
#   FD_URL=http://127.0.0.1:58088 FD_VAR=$PWD/var/web scripts/browser.sh
set -eu
cd "$(dirname "$0")/.."
url=${FD_URL:-}
. scripts/env.sh
[ -n "$url" ] && FD_URL=$url
export FD_URL FD_VAR
FD_CHROMIUM=${FD_CHROMIUM:-/usr/bin/chromium}
export FD_CHROMIUM

[ -x "$FD_CHROMIUM" ] || {
	echo "browser: no chromium at $FD_CHROMIUM (scripts/deps.sh installs it)" >&2
	exit 1
}
command -v node >/dev/null && command -v npm >/dev/null || {
	echo "browser: node and npm are needed (scripts/deps.sh)" >&2
	exit 1
}

# playwright-core, exactly as locked; again only when the lock changed.
dir=tests/browser
if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.fd-lock" 2>/dev/null
then
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	cp "$dir/package-lock.json" "$dir/node_modules/.fd-lock"
fi

# The payment-busy scenario arms the payment-fail fault hook, which only
# test builds (make HOOKS=1, as make test builds) carry.
if grep -q payment-fail "$FD_BUILD/cgi-bin/payment.fcgi" 2>/dev/null; then
	export FD_FAULT_DIR
else
	unset FD_FAULT_DIR
fi

mkdir -p "$FD_VAR/screenshots"
echo "browser: $FD_CHROMIUM against $FD_URL; screenshots in $FD_VAR/screenshots"
cd "$dir"
# Each test has its own time limit; this bounds the whole run (two files:
# the journey, and the owner's estimate, estimate.test.js).
exec timeout -k 10 360 node --test --test-reporter=tap \
    --test-concurrency=1 --test-timeout=120000 ./*.test.js
