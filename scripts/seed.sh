#!/bin/sh
# seed.sh - SPEC's demo data: stores and menus (sql/seed/), and the two
# owner accounts, created through the auth program's own use case so the
# passwords are hashed exactly as a signup would.  Safe to repeat.
set -eu
. "$(dirname "$0")/env.sh"

for f in "$FD_ROOT"/sql/seed/*.sql; do
	c=$(basename "$f" .sql)
	fd_sql "fd_$c" <"$f"
done

. "$FD_ETC/db.env"
add_owner() {	# EMAIL PASSWORD NAME PHONE STORE
	echo "$2" | env FD_DB_SOCKET="$FD_DB_SOCKET" FD_DB_NAME=fd_auth \
	    FD_DB_USER=fd_auth FD_DB_PASS="$FD_DB_PASS_auth" \
	    FD_JWT_SECRET_FILE="$FD_ETC/jwt.secret" \
	    "$FD_BUILD/cgi-bin/auth.fcgi" add-owner "$1" "$3" "$4" "$5" >/dev/null
}
add_owner owner1@fishdelivery.test fish-owner-1 "김선장" 010-1111-0001 1
add_owner owner2@fishdelivery.test fish-owner-2 "박어부" 010-2222-0002 2
