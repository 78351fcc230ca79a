/*
 * order_main.c - the order program's wiring: a FastCGI server whose routes
 * are the HTTP adapter's handlers (order_http.c, MyPage's order_mypage.c),
 * or with arguments the operator's command line (order_cli.c), both over
 * the same use cases (order_app.c) and MariaDB (fd_db.c); the relay's
 * events are applied by order_events.c.  Here too: what each worker and
 * the master set up (libcurl for payment, MyPage's cache, the menu
 * replica, the breaker's shared state) and which commit hooks they hang
 * on the unit of work.
 *
 *   order.fcgi                   serve on $FD_SOCKET
 *   order.fcgi reconcile [AGE]   resolve orders PaymentPending for AGE s
 *   order.fcgi reconciler        the same every FD_RECONCILE_INTERVAL
 *                                seconds, until SIGTERM (the stack runs it)
 *   order.fcgi stuck [--json] [--age S] [--status S,...] [--limit N]
 *                                orders that stopped moving (scripts/fdctl
 *                                stuck)
 */
#include <curl/curl.h>
#include <stdio.h>

#include "fd_cli.h"
#include "fd_db.h"
#include "fd_outbox.h"
#include "fd_server.h"
#include "order.h"
#include "order_cli.h"
#include "order_http.h"

static const struct fd_route routes[] = {
	{ "POST", "/orders", FD_AUTH_CUSTOMER, &order_http_place_schema,
	    order_http_place },
	{ "GET", "/orders", FD_AUTH_CUSTOMER, NULL, order_http_list },
	{ "GET", "/orders/{id}", FD_AUTH_CUSTOMER, NULL, order_http_get },
	{ "POST", "/orders/{id}/cancel", FD_AUTH_CUSTOMER,
	    &order_http_cancel_schema, order_http_cancel },
	{ "GET", "/myPages", FD_AUTH_CUSTOMER, NULL, order_mypages },
	{ "GET", "/myPages/{id}", FD_AUTH_CUSTOMER, NULL, order_mypage_one },
	{ "GET", "/mypage", FD_AUTH_CUSTOMER_PAGE, NULL, order_mypage_html },
	{ "GET", "/events/customer", FD_AUTH_CUSTOMER, NULL,
	    order_http_events },
};

static const struct fd_verb verbs[] = {
	{ "reconcile", order_cli_reconcile },
	{ "reconciler", order_cli_reconciler },
	{ "stuck", order_cli_stuck },
};
static const struct fd_cli cli = FD_CLI(verbs);

static void
after_commit(void)
{
	order_view_after_commit();
	order_menu_after_commit();
}

static void
after_rollback(void)
{
	order_view_after_rollback();
	order_menu_after_rollback();
}

static int
init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -1;
	/* MyPage's cache and the workers' menus learn of a change only once
	 * it is committed. */
	fd_db_hooks(after_commit, after_rollback);
	if (order_cache_init() != 0)
		return -1;
	return fd_db_init();
}

static void
fini(void)
{
	order_cache_fini();
	order_menu_fini();
	fd_db_fini();
	curl_global_cleanup();
}

/* Shared state the master sets up before it forks the workers. */
static int
master_init(void)
{
	return order_breaker_init() == 0 && order_cache_shm_init() == 0 &&
	    order_menu_shm_init() == 0 ? 0 : -1;
}

static void
metrics(FILE *f)
{
	order_breaker_metrics(f);
	order_cache_metrics(f);
	fd_outbox_metrics(f, "order");
}

static const struct fd_app order_app = {
	.name = "order",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.init = init,
	.fini = fini,
	.ready = fd_db_ping,
	.metrics = metrics,
	.master_init = master_init,
	.apply_event = order_apply_event,
	.login = "/login.html?next=/mypage",	/* for /mypage */
};

int
main(int argc, char **argv)
{
	return fd_main(&order_app, argc, argv, &cli);
}
