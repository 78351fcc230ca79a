#!/bin/sh
# galera-check.sh - HAProxy's external health check of one Galera node
# (etc/haproxy/haproxy.cfg, on every app host; scripts/cluster.sh runs
# the same file): healthy only when the node is Synced
# (wsrep_local_state 4), takes queries (wsrep_ready ON) and is in the
# primary component (wsrep_cluster_status Primary).  A node that is up
# but joining, donating, or cut off from the primary component
# (non-primary: ERROR 1047 to every query; tests/cluster/partition.sh
# checks that this script fails for it) is not a writer.
#
# HAProxy calls it with: PROXY_ADDR PROXY_PORT SERVER_ADDR SERVER_PORT.
# Asked over the node's own MySQL port, as the programs reach it, by the
# password-less user fd_check that has no rights (SHOW STATUS needs none).
s=$(mariadb --no-defaults -h "$3" -P "$4" -u fd_check --protocol=TCP \
    --connect-timeout=1 -N -B -e "SHOW GLOBAL STATUS WHERE Variable_name
    IN ('wsrep_local_state', 'wsrep_ready', 'wsrep_cluster_status')" \
    2>/dev/null) || exit 1
echo "$s" | grep -q '^wsrep_local_state[[:space:]]4$' || exit 1
echo "$s" | grep -q '^wsrep_ready[[:space:]]ON$' || exit 1
echo "$s" | grep -q '^wsrep_cluster_status[[:space:]]Primary$' || exit 1
exit 0
