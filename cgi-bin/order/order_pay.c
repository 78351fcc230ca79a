/*
 * order_pay.c - the synchronous call to payment (libcurl), behind the
 * shared breaker.
 *
 * The caller has asked the breaker first (order_breaker_allow), before
 * any work, so an open breaker answers without touching the database;
 * this records the call's outcome.  One easy handle per worker, kept for
 * the life of the process, so the connection to the internal gateway is
 * reused.  A short timeout
 * (FD_PAY_TIMEOUT_MS); a call slower than FD_PAY_SLOW_MS counts as a
 * failure for the breaker even when it succeeded.
 *
 * A 4xx other than a decline (402) or a voided order (409) says the
 * request was wrong, not that payment is unwell: it is the customer's
 * error (ORDER_PAY_REFUSED) and the breaker does not count it at all,
 * neither as a failure (bad cards would open it for everyone) nor as a
 * success (they would hide payment's real failures).  Only its slowness
 * counts, as any call's does.  408 and 429 are payment (or the gateway
 * before it) out of time or capacity: unavailable.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fd_proc.h"
#include "order.h"

struct buf {
	char	 data[4096];
	size_t	 len;
};

static CURL *curl;

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t len = size * n;

	if (len > sizeof(b->data) - 1 - b->len)
		return 0;	/* an answer this large is not payment's */
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return len;
}

/* POSTs body to FD_INTERNAL_URL path; returns the status or -1. */
static long
post(const char *path, const char *body, const char *request_id,
    struct buf *out)
{
	struct curl_slist *h = NULL;
	char url[512], rid[128];
	long status = -1;

	if (curl == NULL && (curl = curl_easy_init()) == NULL)
		return -1;
	snprintf(url, sizeof(url), "%s%s",
	    fd_env("FD_INTERNAL_URL", "http://127.0.0.1:8089"), path);
	/* The trace goes on to payment (and into its PayApproved). */
	snprintf(rid, sizeof(rid), "X-Request-Id: %s", request_id != NULL &&
	    fd_trace_id_ok(request_id) ? request_id : "reconcile-000");
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	h = curl_slist_append(h, rid);
	out->len = 0;
	out->data[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
	    fd_env_int("FD_PAY_TIMEOUT_MS", 1000));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 500L);
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	return status;
}

static long long
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long long)(t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

enum order_pay_rc
order_pay_approve(long long order_id, long long customer, long long amount,
    const char *card, const char *request_id, int probe, long long *payment_id)
{
	json_object *req, *resp, *v;
	struct timespec t0;
	struct buf b;
	enum order_pay_rc rc;
	long status;
	int failed, slow;

	*payment_id = 0;
	req = json_object_new_object();
	json_object_object_add(req, "orderId", json_object_new_int64(order_id));
	json_object_object_add(req, "customerId", json_object_new_int64(customer));
	json_object_object_add(req, "amount", json_object_new_int64(amount));
	if (card != NULL && *card != '\0')
		json_object_object_add(req, "card", json_object_new_string(card));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = post("/payments", json_object_to_json_string_ext(req,
	    JSON_C_TO_STRING_PLAIN), request_id, &b);
	json_object_put(req);

	if (status == 200 || status == 201) {
		rc = ORDER_PAY_APPROVED;
		if ((resp = json_tokener_parse(b.data)) != NULL &&
		    json_object_object_get_ex(resp, "paymentId", &v))
			*payment_id = json_object_get_int64(v);
		json_object_put(resp);
		if (*payment_id <= 0)
			rc = ORDER_PAY_UNAVAILABLE;
	} else if (status == 402)
		rc = ORDER_PAY_DECLINED;
	else if (status == 409)
		rc = ORDER_PAY_REJECTED;
	else if (status >= 400 && status < 500 && status != 408 &&
	    status != 429)
		rc = ORDER_PAY_REFUSED;
	else
		rc = ORDER_PAY_UNAVAILABLE;
	/* Declines are payment working; errors and slowness are not. */
	slow = ms_since(&t0) >= fd_env_int("FD_PAY_SLOW_MS", 800);
	failed = rc == ORDER_PAY_UNAVAILABLE || slow;
	if (rc == ORDER_PAY_REFUSED && !slow)
		order_breaker_abandon(probe);	/* the request's fault */
	else
		order_breaker_record(failed, probe);
	if (rc == ORDER_PAY_UNAVAILABLE || rc == ORDER_PAY_REFUSED)
		fd_log("payment call for order %lld: status %ld", order_id, status);
	return rc;
}

int
order_pay_void(long long order_id, char *status, size_t sz)
{
	json_object *resp, *v;
	char path[96];
	struct buf b;
	long code;
	int rc = -1;

	snprintf(path, sizeof(path), "/payment/internal/void/%lld", order_id);
	code = post(path, "{}", "reconcile", &b);
	if (code == 200 && (resp = json_tokener_parse(b.data)) != NULL) {
		if (json_object_object_get_ex(resp, "status", &v) &&
		    json_object_is_type(v, json_type_string)) {
			snprintf(status, sz, "%s", json_object_get_string(v));
			rc = 0;
		}
		json_object_put(resp);
	}
	return rc;
}
