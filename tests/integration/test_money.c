/*
 * test_money.c - money moves once (SPEC "Money moves once", "The store
 * decides a cancellation"): a retry after a payment timeout finishes the
 * first attempt instead of charging again, a cancellation is decided by
 * the store and refunds only when confirmed, and a declined attempt never
 * becomes the customer's default address.
 *
 * The test stack answers a cancel within FD_CANCEL_WAIT_MS, reconciles
 * attempts over FD_RECONCILE_AGE seconds old and keeps an attempt whose
 * Idempotency-Key may still be retried for FD_IDEM_RESUME_S
 * (scripts/test.sh).  Services are stopped with runit's sv and always
 * started again, also when an assertion fails.
 */
#include <CUnit/CUnit.h>
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "it.h"

static char owner[1024];

static const char body[] = "{\"storeId\":1,\"items\":[{\"menuId\":1,"
    "\"qty\":1}],\"address\":\"서울 중구 세종대로 110\","
    "\"phone\":\"010-5555-0001\"}";

static int
init_suite(void)
{
	it_fault("payment-delay-ms", NULL);
	it_fault("order-crash-after-payment", NULL);
	return it_login("owner1@fishdelivery.test", "fish-owner-1", owner,
	    sizeof(owner));
}

static int
clean_suite(void)
{
	it_fault("payment-delay-ms", NULL);
	it_fault("order-crash-after-payment", NULL);
	(void)it_sv("up", "fishstore");
	(void)it_sv("up", "relay-fishstore");
	return 0;
}

static long long
new_customer(char *tok, size_t sz)
{
	char email[128];

	return it_customer(tok, sz, email, sizeof(email));
}

/* GET /payments?orderId= as the customer: its status, or "". */
static const char *
pay_status(const char *tok, long long order_id, char *buf, size_t sz)
{
	char path[64];

	snprintf(path, sizeof(path), "/payments?orderId=%lld", order_id);
	return it_get_str(path, tok, "status", buf, sz);
}

/* The payment's status once Refunded, or as it is after seconds. */
static const char *
wait_refund(const char *tok, long long order_id, int seconds, char *buf,
    size_t sz)
{
	int t;

	for (t = 0; t < seconds * 10; t++) {
		if (strcmp(pay_status(tok, order_id, buf, sz), "Refunded") == 0)
			break;
		usleep(100000);
	}
	return buf;
}

static const char *
order_status(const char *tok, long long id, char *buf, size_t sz)
{
	char path[64];

	snprintf(path, sizeof(path), "/orders/%lld", id);
	return it_get_str(path, tok, "status", buf, sz);
}

/* Waits up to seconds for GET /orders/{id}'s status to be one of want
 * ("A|B|C"); 0, or -1 with the last status in buf. */
static int
wait_status(const char *tok, long long id, const char *want, int seconds,
    char *buf, size_t sz)
{
	char pat[64];
	int t;

	for (t = 0; t < seconds * 10; t++) {
		snprintf(pat, sizeof(pat), "|%s|", order_status(tok, id, buf, sz));
		if (buf[0] != '\0') {
			char wants[128];
			snprintf(wants, sizeof(wants), "|%s|", want);
			if (strstr(wants, pat) != NULL)
				return 0;
		}
		usleep(100000);
	}
	return -1;
}

/* The ticket fishstore made for an order, waiting up to 10 s; -1. */
static long long
ticket_of(long long order_id)
{
	long long tid = -1;
	int t;

	for (t = 0; t < 100 && tid <= 0; t++) {
		tid = it_ctx_int("fishstore", "SELECT COALESCE(MAX(id), 0) FROM"
		    " tickets WHERE order_id = %lld", order_id);
		if (tid <= 0)
			usleep(100000);
	}
	return tid;
}

/* PATCH /fishstores/{tid} as store 1's owner; the HTTP status. */
static long
owner_step(long long tid, const char *status)
{
	struct it_resp r;
	char path[64], b[64];
	long st = -1;

	snprintf(path, sizeof(path), "/fishstores/%lld", tid);
	/* Accepting asks for the estimate, rejecting for a reason code
	 * (SPEC: readyInMinutes, reasonCode). */
	snprintf(b, sizeof(b), "{\"status\":\"%s\"%s}", status,
	    strcmp(status, "Accepted") == 0 ? ",\"readyInMinutes\":30" :
	    strcmp(status, "Rejected") == 0 ? ",\"reasonCode\":\"other\"" : "");
	if (it_req(&r, "PATCH", path, owner, b, NULL) == 0)
		st = r.status;
	it_free(&r);
	return st;
}

/* POST /orders/{id}/cancel; the HTTP status, the answer's status field. */
static long
cancel(const char *tok, long long id, char *status, size_t sz)
{
	struct it_resp r;
	char path[64];
	long st = -1;

	snprintf(path, sizeof(path), "/orders/%lld/cancel", id);
	if (status != NULL)
		status[0] = '\0';
	if (it_req(&r, "POST", path, tok, "{\"reason\":\"마음이 바뀌었어요\"}",
	    NULL) == 0) {
		st = r.status;
		if (status != NULL && it_str(&r, "status") != NULL)
			snprintf(status, sz, "%s", it_str(&r, "status"));
	}
	it_free(&r);
	return st;
}

/*
 * A retry of an attempt whose payment call timed out, with the same
 * Idempotency-Key, finishes that attempt: one order, one approved
 * payment, no refund, and the same answer a second time.
 */
static void
retry_after_timeout_charges_once(void)
{
	char tok[1024], hdr[96], buf[32];
	struct it_resp r;
	long long cust, id;
	int t;

	CU_ASSERT_FATAL((cust = new_customer(tok, sizeof(tok))) > 0);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: retry-%s", it_unique());
	/* Slower than FD_PAY_TIMEOUT_MS (3 s), but payment approves. */
	it_fault("payment-delay-ms", "3600");
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", tok, body, hdr) == 0);
	it_fault("payment-delay-ms", NULL);
	CU_ASSERT_EQUAL(r.status, 503);
	CU_ASSERT(it_is_error(&r, "unavailable"));
	/* Truthful: the attempt may have been charged. */
	CU_ASSERT(strstr(r.body, "Idempotency-Key") != NULL);
	it_free(&r);
	/* Payment approves it a moment later. */
	for (t = 0; t < 50; t++) {
		if (it_ctx_int("payment", "SELECT COUNT(*) FROM payments WHERE"
		    " customer_id = %lld AND status = 'Approved'", cust) == 1)
			break;
		usleep(100000);
	}
	CU_ASSERT(t < 50);

	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", tok, body, hdr) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	id = it_int(&r, "orderId");
	it_free(&r);
	CU_ASSERT_FATAL(id > 0);
	/* Asked again: the same answer, nothing new. */
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", tok, body, hdr) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_EQUAL(it_int(&r, "orderId"), id);
	it_free(&r);
	/* Past the reconciler's age: still one order, one payment, kept. */
	sleep(4);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM orders WHERE"
	    " customer_id = %lld", cust), 1);
	CU_ASSERT_EQUAL(it_ctx_int("payment", "SELECT COUNT(*) FROM payments"
	    " WHERE customer_id = %lld", cust), 1);
	CU_ASSERT_STRING_EQUAL(pay_status(tok, id, buf, sizeof(buf)),
	    "Approved");
	CU_ASSERT_STRING_EQUAL(order_status(tok, id, buf, sizeof(buf)), "Paid");
}

/*
 * The worker died between payment's approval and its commit, its key
 * left 'pending': once the key's lease (FD_IDEM_LEASE_S, 5 s in the test
 * stack) has run out, a retry with the same key takes the attempt over
 * and finishes it, rather than waiting for reconciliation to refund it
 * and charging again.
 */
static void
retry_after_a_dead_worker_charges_once(void)
{
	char tok[1024], hdr[96], buf[32];
	struct it_resp r;
	long long cust, id;

	CU_ASSERT_FATAL((cust = new_customer(tok, sizeof(tok))) > 0);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: crash-%s", it_unique());
	it_fault("order-crash-after-payment", "1");
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", tok, body, hdr) == 0);
	it_fault("order-crash-after-payment", NULL);
	CU_ASSERT_EQUAL(r.status, 503);		/* the gateway's: no answer */
	it_free(&r);
	CU_ASSERT_EQUAL(it_ctx_int("payment", "SELECT COUNT(*) FROM payments"
	    " WHERE customer_id = %lld AND status = 'Approved'", cust), 1);
	/* Waits out the lease (under FD_IDEM_WAIT_MS), then finishes it. */
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", tok, body, hdr) == 0);
	CU_ASSERT_EQUAL(r.status, 201);
	id = it_int(&r, "orderId");
	it_free(&r);
	CU_ASSERT_FATAL(id > 0);
	sleep(3);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM orders WHERE"
	    " customer_id = %lld", cust), 1);
	CU_ASSERT_EQUAL(it_ctx_int("payment", "SELECT COUNT(*) FROM payments"
	    " WHERE customer_id = %lld", cust), 1);
	CU_ASSERT_STRING_EQUAL(pay_status(tok, id, buf, sizeof(buf)),
	    "Approved");
	CU_ASSERT_STRING_EQUAL(order_status(tok, id, buf, sizeof(buf)), "Paid");
}

/*
 * A declined attempt is no order: its address never becomes the default
 * of the customer's next order, which takes the profile's.
 */
static void
declined_attempt_is_not_the_default_address(void)
{
	char tok[1024], path[64], buf[256];
	struct it_resp r;
	long long cust, id;

	CU_ASSERT_FATAL((cust = new_customer(tok, sizeof(tok))) > 0);
	CU_ASSERT_EQUAL_FATAL(it_wait_profile(cust, 1, 10), 1);
	CU_ASSERT_FATAL(it_req(&r, "POST", "/orders", tok, "{\"storeId\":1,"
	    "\"items\":[{\"menuId\":1,\"qty\":1}],\"card\":\"4000000000000002\","
	    "\"address\":\"거절된 주소 1\",\"phone\":\"010-4444-0002\"}",
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 402);
	it_free(&r);
	CU_ASSERT_FATAL((id = it_place(tok, "{\"storeId\":1,"
	    "\"items\":[{\"menuId\":1,\"qty\":1}]}")) > 0);
	snprintf(path, sizeof(path), "/orders/%lld", id);
	CU_ASSERT_STRING_EQUAL(it_get_str(path, tok, "address", buf,
	    sizeof(buf)), "서울 마포구 1");
	CU_ASSERT_STRING_EQUAL(it_get_str(path, tok, "phone", buf,
	    sizeof(buf)), "010-5555-0000");
}

/* The store is up: it confirms at once, the refund follows. */
static void
cancel_confirmed_by_the_store(void)
{
	char tok[1024], buf[32];
	long long id;

	CU_ASSERT_FATAL(new_customer(tok, sizeof(tok)) > 0);
	CU_ASSERT_FATAL((id = it_place(tok, body)) > 0);
	CU_ASSERT_EQUAL(cancel(tok, id, buf, sizeof(buf)), 200);
	CU_ASSERT_STRING_EQUAL(buf, "Canceled");
	CU_ASSERT_STRING_EQUAL(order_status(tok, id, buf, sizeof(buf)),
	    "Canceled");
	CU_ASSERT_STRING_EQUAL(wait_refund(tok, id, 10, buf, sizeof(buf)),
	    "Refunded");
	/* The saga's events, once each, and the ticket canceled. */
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = 'CancelRequested'", id), 1);
	CU_ASSERT_EQUAL(it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox"
	    " WHERE aggregate_key = '%lld' AND event_type = 'CancelConfirmed'",
	    id), 1);
	CU_ASSERT_EQUAL(it_ctx_int("fishstore", "SELECT COUNT(*) FROM tickets"
	    " WHERE order_id = %lld AND status = 'Canceled'", id), 1);
	/* Past cancelling now. */
	CU_ASSERT_EQUAL(cancel(tok, id, NULL, 0), 409);
}

/*
 * The owner prepared the order while the store's events cannot reach the
 * order context (its relay is stopped): the order's copy still says Paid,
 * but the store refuses the cancel.  No refund; the order ends Prepared
 * or later once the relay is back, the refusal visible to the customer.
 */
static void
cancel_refused_after_prepared_relay_down(void)
{
	char tok[1024], buf[32];
	long long id, tid;
	long st;

	CU_ASSERT_FATAL(new_customer(tok, sizeof(tok)) > 0);
	CU_ASSERT_FATAL((id = it_place(tok, body)) > 0);
	CU_ASSERT_FATAL((tid = ticket_of(id)) > 0);
	CU_ASSERT_FATAL(it_sv("down", "relay-fishstore") == 0);
	CU_ASSERT(owner_step(tid, "Accepted") == 200);
	CU_ASSERT(owner_step(tid, "Prepared") == 200);
	CU_ASSERT_STRING_EQUAL(order_status(tok, id, buf, sizeof(buf)), "Paid");
	st = cancel(tok, id, buf, sizeof(buf));
	/* Undecided while the refusal cannot come back. */
	CU_ASSERT_EQUAL(st, 202);
	CU_ASSERT_STRING_EQUAL(buf, "CancelRequested");
	CU_ASSERT_STRING_EQUAL(order_status(tok, id, buf, sizeof(buf)),
	    "CancelRequested");
	/* Asked again meanwhile: still waiting, nothing new sent. */
	CU_ASSERT_EQUAL(cancel(tok, id, NULL, 0), 202);
	CU_ASSERT_FATAL(it_sv("up", "relay-fishstore") == 0);
	CU_ASSERT(wait_status(tok, id, "Prepared|DeliveryStarted|Delivered",
	    20, buf, sizeof(buf)) == 0);
	/* The refusal, for the customer to see. */
	{
		char path[64], why[256];

		snprintf(path, sizeof(path), "/orders/%lld", id);
		CU_ASSERT(it_get_str(path, tok, "cancelRefused", why,
		    sizeof(why))[0] != '\0');
	}
	CU_ASSERT_EQUAL(it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox"
	    " WHERE aggregate_key = '%lld' AND event_type = 'CancelRefused'",
	    id), 1);
	sleep(1);
	CU_ASSERT_STRING_EQUAL(pay_status(tok, id, buf, sizeof(buf)),
	    "Approved");
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = 'OrderCanceled'", id), 0);
	CU_ASSERT_EQUAL(it_ctx_int("fishstore", "SELECT COUNT(*) FROM tickets"
	    " WHERE order_id = %lld AND status = 'Prepared'", id), 1);
	/* Decided: asking again is refused at once. */
	CU_ASSERT_EQUAL(cancel(tok, id, NULL, 0), 409);
}

/*
 * The store's program is down: the cancel waits (202), and is decided
 * and refunded once, when it is back.
 */
static void
cancel_waits_for_the_store(void)
{
	char tok[1024], buf[32];
	long long id;

	CU_ASSERT_FATAL(new_customer(tok, sizeof(tok)) > 0);
	CU_ASSERT_FATAL((id = it_place(tok, body)) > 0);
	CU_ASSERT_FATAL(ticket_of(id) > 0);
	CU_ASSERT_FATAL(it_sv("down", "fishstore") == 0);
	CU_ASSERT_EQUAL(cancel(tok, id, buf, sizeof(buf)), 202);
	CU_ASSERT_STRING_EQUAL(buf, "CancelRequested");
	sleep(1);
	/* Nothing refunded before the store decides. */
	CU_ASSERT_STRING_EQUAL(pay_status(tok, id, buf, sizeof(buf)),
	    "Approved");
	CU_ASSERT_STRING_EQUAL(order_status(tok, id, buf, sizeof(buf)),
	    "CancelRequested");
	CU_ASSERT_FATAL(it_sv("up", "fishstore") == 0);
	CU_ASSERT(wait_status(tok, id, "Canceled", 30, buf, sizeof(buf)) == 0);
	CU_ASSERT_STRING_EQUAL(wait_refund(tok, id, 10, buf, sizeof(buf)),
	    "Refunded");
	CU_ASSERT_EQUAL(it_ctx_int("payment", "SELECT COUNT(*) FROM payments"
	    " WHERE order_id = %lld", id), 1);
	CU_ASSERT_EQUAL(it_ctx_int("order", "SELECT COUNT(*) FROM outbox WHERE"
	    " aggregate_key = '%lld' AND event_type = 'OrderCanceled'", id), 1);
}

#define RACE_N	12
struct racer {
	const char	*tok;
	long long	 tid;
	useconds_t	 delay;		/* before the owner's first step */
	long		 prepared;	/* the owner's Prepared answer */
	long		 canceled;	/* the cancel's answer */
};

static void *
race_owner(void *arg)
{
	struct racer *rc = arg;

	usleep(rc->delay);
	if (owner_step(rc->tid, "Accepted") == 200)
		rc->prepared = owner_step(rc->tid, "Prepared");
	it_done();
	return NULL;
}

/*
 * The customer's cancel racing the owner's Accept and Prepare: every
 * order ends either Canceled and refunded, its food never prepared, or
 * neither Canceled nor refunded, prepared.  Never both, never neither.
 */
static void
cancel_races_the_owner(void)
{
	static struct racer rs[RACE_N];
	static long long ids[RACE_N];
	char tok[1024], buf[32], pay[32];
	pthread_t a;
	int i, canceled = 0, kept = 0;

	CU_ASSERT_FATAL(new_customer(tok, sizeof(tok)) > 0);
	for (i = 0; i < RACE_N; i++) {
		CU_ASSERT_FATAL((ids[i] = it_place(tok, body)) > 0);
		rs[i].tok = tok;
	}
	for (i = 0; i < RACE_N; i++)
		CU_ASSERT_FATAL((rs[i].tid = ticket_of(ids[i])) > 0);
	for (i = 0; i < RACE_N; i++) {
		/* Staggered, so the cancel meets each step of the owner's:
		 * the cancel goes through two relays, the owner's steps
		 * straight to the store, so the owner is the one held back. */
		rs[i].delay = (useconds_t)(i % 4) * 20000;
		pthread_create(&a, NULL, race_owner, &rs[i]);
		rs[i].canceled = cancel(tok, ids[i], NULL, 0);
		pthread_join(a, NULL);
	}
	for (i = 0; i < RACE_N; i++) {
		int is_canceled, refunded, prepared;

		CU_ASSERT(wait_status(tok, ids[i], "Canceled|Prepared|"
		    "DeliveryStarted|Delivered", 30, buf, sizeof(buf)) == 0);
		is_canceled = strcmp(buf, "Canceled") == 0;
		/* The refund follows a cancel within the relay's time. */
		if (is_canceled)
			wait_refund(tok, ids[i], 5, pay, sizeof(pay));
		else
			pay_status(tok, ids[i], pay, sizeof(pay));
		refunded = strcmp(pay, "Refunded") == 0;
		prepared = it_ctx_int("fishstore", "SELECT COUNT(*) FROM outbox"
		    " WHERE aggregate_key = '%lld' AND event_type ="
		    " 'OrderPrepared'", ids[i]) > 0;
		CU_ASSERT_EQUAL(is_canceled, refunded);
		CU_ASSERT_EQUAL(is_canceled, !prepared);
		CU_ASSERT_EQUAL(rs[i].prepared == 200, prepared);
		CU_ASSERT(is_canceled ? rs[i].canceled == 200 ||
		    rs[i].canceled == 202 : rs[i].canceled != 200);
		canceled += is_canceled;
		kept += !is_canceled;
	}
	/* Stays a race worth the name: report the split. */
	fprintf(stderr, "[cancel race: %d canceled, %d prepared] ", canceled,
	    kept);
}

void
add_money_tests(void)
{
	CU_pSuite s = CU_add_suite("money", init_suite, clean_suite);

	CU_add_test(s, "a retry after a payment timeout charges once",
	    retry_after_timeout_charges_once);
	CU_add_test(s, "a retry after the worker died charges once",
	    retry_after_a_dead_worker_charges_once);
	CU_add_test(s, "a declined attempt is never the default address",
	    declined_attempt_is_not_the_default_address);
	CU_add_test(s, "a cancel confirmed by the store refunds",
	    cancel_confirmed_by_the_store);
	CU_add_test(s, "a cancel after Prepared, relay down: refused",
	    cancel_refused_after_prepared_relay_down);
	CU_add_test(s, "a cancel while the store is down waits, then refunds",
	    cancel_waits_for_the_store);
	CU_add_test(s, "a cancel racing Accept and Prepare: one outcome",
	    cancel_races_the_owner);
}
