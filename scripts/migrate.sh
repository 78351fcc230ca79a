#!/bin/sh
# migrate.sh - one database and one user per context, and the versioned
# migrations in sql/<context>/NNN_*.sql, each applied once (recorded in
# that database's schema_migrations).  Runs as the MariaDB admin; the
# context users get data rights on their own database and nothing else.
set -eu
. "$(dirname "$0")/env.sh"
. "$FD_ETC/db.env"

# Where the programs connect from: the unix socket ('localhost') and TCP
# on this host (FD_DB_HOSTS=127.0.0.1:...); the cluster adds its app
# hosts' subnet (scripts/cluster.sh).  A user per client host, each with
# the same password and rights.
FD_DB_CLIENTS=${FD_DB_CLIENTS:-localhost 127.0.0.1}

for c in $FD_CONTEXTS; do
	eval "pass=\$FD_DB_PASS_$c"
	users=""
	for h in $FD_DB_CLIENTS; do
		users="$users
CREATE USER IF NOT EXISTS 'fd_$c'@'$h' IDENTIFIED BY '$pass';
ALTER USER 'fd_$c'@'$h' IDENTIFIED BY '$pass';
GRANT SELECT, INSERT, UPDATE, DELETE ON fd_$c.* TO 'fd_$c'@'$h';"
	done
	fd_sql <<SQL
CREATE DATABASE IF NOT EXISTS fd_$c CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
$users
CREATE TABLE IF NOT EXISTS fd_$c.schema_migrations (
	version VARCHAR(100) PRIMARY KEY,
	applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;
SQL
	for f in "$FD_ROOT"/sql/"$c"/[0-9]*.sql; do
		[ -e "$f" ] || continue
		v=$(basename "$f" .sql)
		done_=$(fd_sql -N -e "SELECT COUNT(*) FROM fd_$c.schema_migrations WHERE version='$v'")
		[ "$done_" = 0 ] || continue
		echo "migrate: fd_$c $v"
		{ cat "$f"; echo; echo "INSERT INTO schema_migrations (version) VALUES ('$v');"; } |
		    fd_sql "fd_$c"
	done
done
