/*
 * order_mypage.c - MyPage over HTTP: GET /myPages and /myPages/{orderId}
 * (JSON) and GET /mypage (HTML rendered here, every value escaped), read
 * through the cache (order_cache.c) with the view table as the source of
 * truth, with ETags so a page that has not changed is a 304 not rendered.
 */
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_fault.h"
#include "fd_html.h"
#include "fd_http.h"
#include "order.h"
#include "order_http.h"
/* Made by scripts/ui.sh in the build tree: ui_words[], the words for a
 * status, a step or a payment, from ui/vocab.tsv (the pages' FD_VOCAB is
 * made from it too), and UI_HEADER_MYPAGE, the site header of every page,
 * from ui/header.html. */
#include "ui_header.h"
#include "ui_vocab.h"

/* The timeline, in the order of order_view_db_rows()'s columns. */
static const char *const steps[ORDER_VIEW_STEPS] = {
	"Paid", "PayApproved", "Accepted", "Prepared", "DeliveryStarted",
	"Delivered", "Canceled", "Rejected", "Refunded", "DeliveryCanceled",
};

/* The word for name; a name ui/vocab.tsv lacks is shown as it is. */
static struct ui_word
word(const char *name)
{
	struct ui_word w = { name, name, name };
	size_t i;

	for (i = 0; i < sizeof(ui_words) / sizeof(ui_words[0]); i++)
		if (strcmp(ui_words[i].name, name) == 0)
			return ui_words[i];
	return w;
}

static int
in_progress(const char *status)
{
	return strcmp(status, "Delivered") != 0 &&
	    strcmp(status, "Canceled") != 0 && strcmp(status, "Rejected") != 0;
}

static json_object *
str_or_null(const char *s)
{
	return *s ? json_object_new_string(s) : NULL;
}

static int
add_json(void *arg, const struct order_view_row *v)
{
	json_object *o = json_object_new_object(), *tl = json_object_new_array(),
	    *items, *t;
	size_t i;

	json_object_object_add(o, "orderId", json_object_new_int64(v->order_id));
	json_object_object_add(o, "storeId", json_object_new_int64(v->store_id));
	json_object_object_add(o, "storeName", str_or_null(v->store_name));
	/* The items as OrderPlaced carried them (our own JSON). */
	if ((items = json_tokener_parse(v->items)) == NULL)
		items = json_object_new_array();
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "amount", json_object_new_int64(v->amount));
	json_object_object_add(o, "status", json_object_new_string(v->status));
	json_object_object_add(o, "statusKo",
	    json_object_new_string(word(v->status).ko));
	json_object_object_add(o, "payment", str_or_null(v->payment));
	json_object_object_add(o, "delivery", str_or_null(v->delivery));
	json_object_object_add(o, "reason", str_or_null(v->reason));
	/* A rejection's code and its words (ui/vocab.tsv), and the store's
	 * estimate once it accepted. */
	json_object_object_add(o, "reasonCode", str_or_null(v->reason_code));
	json_object_object_add(o, "reasonKo", *v->reason_code ?
	    json_object_new_string(word(v->reason_code).ko) : NULL);
	json_object_object_add(o, "reasonEn", *v->reason_code ?
	    json_object_new_string(word(v->reason_code).en) : NULL);
	json_object_object_add(o, "eta", str_or_null(v->ready_by));
	for (i = 0; i < ORDER_VIEW_STEPS; i++) {
		if (v->at[i][0] == '\0')
			continue;
		t = json_object_new_object();
		json_object_object_add(t, "step",
		    json_object_new_string(steps[i]));
		json_object_object_add(t, "label",
		    json_object_new_string(word(steps[i]).ko));
		json_object_object_add(t, "at", json_object_new_string(v->at[i]));
		json_object_array_add(tl, t);
	}
	json_object_object_add(o, "timeline", tl);
	return json_object_array_add(arg, o);
}

/* "25,000" */
static void
won(char *buf, size_t sz, long long n)
{
	char digits[32];
	size_t len, i, o = 0;

	snprintf(digits, sizeof(digits), "%lld", n);
	len = strlen(digits);
	for (i = 0; i < len && o + 2 < sz; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

struct html {
	FILE	*f;
	int	 live;		/* an order still in progress: refresh */
	int	 n;
};

static int
add_html(void *arg, const struct order_view_row *v)
{
	struct html *h = arg;
	struct ui_word pay;
	json_object *items, *it, *j;
	char amount[32], eta[20];
	size_t i;

	h->n++;
	if (in_progress(v->status))
		h->live = 1;
	won(amount, sizeof(amount), v->amount);
	fd_htmlf(h->f, "<article class=\"order\" id=\"order-%lld\">\n"
	    "<h2>%s <small>#%lld</small></h2>\n"
	    "<p class=\"status s-%s\"><span lang=\"ko\">%s</span> "
	    "<span lang=\"en\">%s</span></p>\n<ul class=\"items\">\n",
	    v->order_id, *v->store_name ? v->store_name : "가게", v->order_id,
	    v->status, word(v->status).ko, word(v->status).en);
	if ((items = json_tokener_parse(v->items)) != NULL &&
	    json_object_is_type(items, json_type_array))
		for (i = 0; i < json_object_array_length(items); i++) {
			it = json_object_array_get_idx(items, i);
			fd_htmlf(h->f, "<li>%s", json_object_object_get_ex(it,
			    "name", &j) ? json_object_get_string(j) : "");
			if (json_object_object_get_ex(it, "qty", &j))
				fd_htmlf(h->f, " × %lld", (long long)
				    json_object_get_int64(j));
			fputs("</li>\n", h->f);
		}
	json_object_put(items);
	fd_htmlf(h->f, "</ul>\n<p class=\"amount\">%s원 <span lang=\"en\">"
	    "(KRW)</span></p>\n", amount);
	if (*v->payment) {
		pay = word(strcmp(v->payment, "refunded") == 0 ? "Refunded" :
		    "Approved");
		fd_htmlf(h->f, "<p class=\"payment\">결제 (payment): <span "
		    "lang=\"ko\">%s</span> <span lang=\"en\">%s</span></p>\n",
		    pay.ko, pay.en);
	}
	/* The estimate while it still matters: until the food is on its way. */
	if (*v->ready_by && (strcmp(v->status, "Accepted") == 0 ||
	    strcmp(v->status, "Paid") == 0 || strcmp(v->status,
	    "CancelRequested") == 0 || strcmp(v->status, "Prepared") == 0)) {
		/* "2026-11-25 17:48" (UTC) for the eye, ISO for machines. */
		snprintf(eta, sizeof(eta), "%.10s %.5s", v->ready_by,
		    v->ready_by + (strlen(v->ready_by) > 11 ? 11 : 0));
		fd_htmlf(h->f, "<p class=\"eta\">조리 완료 예정 <span lang=\"en\">"
		    "(estimated ready)</span>: <time datetime=\"%s\">%s</time>"
		    " UTC</p>\n", v->ready_by, eta);
	}
	if (*v->reason_code)
		fd_htmlf(h->f, "<p class=\"reason\">사유 (reason): <span lang="
		    "\"ko\">%s</span> <span lang=\"en\">%s</span>%s%s</p>\n",
		    word(v->reason_code).ko, word(v->reason_code).en,
		    *v->reason ? " · " : "", v->reason);
	else if (*v->reason)
		fd_htmlf(h->f, "<p class=\"reason\">사유 (reason): %s</p>\n",
		    v->reason);
	fputs("<ol class=\"timeline\">\n", h->f);
	for (i = 0; i < ORDER_VIEW_STEPS; i++) {
		char shown[20];

		if (v->at[i][0] == '\0')
			continue;
		/* "2026-11-25 17:18:04" (UTC) for the eye, ISO for machines. */
		snprintf(shown, sizeof(shown), "%.10s %.8s", v->at[i],
		    v->at[i] + (strlen(v->at[i]) > 11 ? 11 : 0));
		fd_htmlf(h->f, "<li><time datetime=\"%s\">%s</time> "
		    "<span lang=\"ko\">%s</span> <span lang=\"en\">%s"
		    "</span></li>\n", v->at[i], shown, word(steps[i]).ko,
		    word(steps[i]).en);
	}
	fputs("</ol>\n</article>\n", h->f);
	return 0;
}

/*
 * The site header, greeting the customer by name as the pages' fd.js does
 * (a link to their profile page), in the header's "who" box; without a
 * name (auth's event has not arrived yet) the box stays empty.
 */
static void
header(FILE *f, const char *name)
{
	static const char who[] = "id=\"who\" aria-live=\"polite\">";
	const char *h = UI_HEADER_MYPAGE, *p = strstr(h, who);

	if (p == NULL || *name == '\0') {
		fputs(h, f);
		return;
	}
	p += sizeof(who) - 1;
	fwrite(h, 1, (size_t)(p - h), f);
	fd_htmlf(f, "<a id=\"who-text\" href=\"/profile.html\">%s 님</a>",
	    name);
	fputs(p, f);
}

/* Renders kind for the customer; *out malloc'd.  -1: database. */
static int
render(long long customer, long long order_id, int html, char **out,
    size_t *len, int *found)
{
	json_object *arr, *o;
	struct html h;
	char *body = NULL, name[241];
	size_t blen = 0;
	FILE *f;
	int rc;

	*out = NULL;
	*found = 0;
	if (!html) {
		arr = json_object_new_array();
		if ((rc = order_view_read(customer, order_id, add_json,
		    arr)) != 0) {
			json_object_put(arr);
			return -1;
		}
		/* The list exists even empty; one order must be there. */
		*found = order_id == 0 || json_object_array_length(arr) > 0;
		if (order_id > 0)
			o = *found ? json_object_get(json_object_array_get_idx(arr,
			    0)) : NULL;
		else {
			o = json_object_new_object();
			json_object_object_add(o, "customerId",
			    json_object_new_int64(customer));
			json_object_object_add(o, "orders", json_object_get(arr));
		}
		json_object_put(arr);
		if (o != NULL) {
			*out = strdup(json_object_to_json_string_ext(o,
			    JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
			*len = *out ? strlen(*out) : 0;
			json_object_put(o);
		}
		return 0;
	}
	/* The orders first: whether one is on its way decides the head. */
	memset(&h, 0, sizeof(h));
	if ((h.f = open_memstream(&body, &blen)) == NULL)
		return -1;
	rc = order_view_read(customer, 0, add_html, &h);
	if (fclose(h.f) != 0 || rc != 0 || order_customer_name(customer, name,
	    sizeof(name)) < 0 || (f = open_memstream(out, len)) == NULL) {
		free(body);
		return -1;
	}
	fputs("<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset="
	    "\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,"
	    " initial-scale=1\">\n<title>마이페이지 · MyPage</title>\n"
	    "<link rel=\"stylesheet\" href=\"/css/site.css\">\n", f);
	/* While an order is on its way the page refreshes itself: cheap,
	 * since an unchanged page is a 304. */
	if (h.live)
		fputs("<meta http-equiv=\"refresh\" content=\"5\">\n", f);
	fputs("</head>\n<body>\n", f);
	header(f, name);
	fputs("<main id=\"main\">\n"
	    "<h1>마이페이지 <span lang=\"en\">MyPage</span></h1>\n", f);
	fwrite(body, 1, blen, f);
	if (h.n == 0)
		fputs("<p>아직 주문이 없습니다. <span lang=\"en\">No orders yet."
		    "</span> <a href=\"/\">주문하기 (order)</a></p>\n", f);
	fputs("</main>\n</body>\n</html>\n", f);
	free(body);
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*found = 1;
	return 0;
}

static int
not_modified(struct fd_req *r, const char *etag)
{
	const char *inm = fd_param(r, "HTTP_IF_NONE_MATCH");

	return inm != NULL && strstr(inm, etag) != NULL;
}

/* A strong ETag: a digest of what the page says. */
static void
etag_of(const char *page, size_t len, char etag[40])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof(h), (const unsigned char *)page, len,
	    NULL, 0);
	etag[0] = '"';
	sodium_bin2hex(etag + 1, 33, h, sizeof(h));
	etag[33] = '"';
	etag[34] = '\0';
}

static void
serve(struct fd_req *r, long long order_id, int html)
{
	const char *ctype = html ? "text/html; charset=utf-8" :
	    "application/json; charset=utf-8";
	long long customer = r->who.sub, version;
	char kind[32], etag[40], *page;
	size_t len;
	int found, hit;

	if (html)
		snprintf(kind, sizeof(kind), "h");
	else if (order_id > 0)
		snprintf(kind, sizeof(kind), "o%lld", order_id);
	else
		snprintf(kind, sizeof(kind), "j");
	hit = order_cache_get(customer, kind, &version, &page, &len, etag);
	if (!hit) {
		if (render(customer, order_id, html, &page, &len, &found) != 0) {
			fd_add_header(r, "Retry-After", "5");
			fd_reply_error(r, FD_E_UNAVAILABLE,
			    "MyPage is unavailable, try again shortly");
			return;
		}
		if (!found) {
			fd_reply_error(r, FD_E_NOT_FOUND, "no such order");
			free(page);
			return;
		}
		etag_of(page, len, etag);
	}
	/* Always asked again, answered 304 when unchanged. */
	r->cache_control = "private, no-cache";
	fd_add_header(r, "ETag", etag);
	if (not_modified(r, etag))
		fd_reply_raw(r, 304, ctype, NULL, 0);
	else
		fd_reply_raw(r, 200, ctype, page, len);
	if (!hit) {
		/* Test builds: a slow reader, filling the cache late. */
		if (fd_fault("mypage-slow-fill-ms") > 0)
			usleep((useconds_t)fd_fault("mypage-slow-fill-ms") * 1000);
		order_cache_put(customer, kind, version, etag, page, len);
	}
	free(page);
}

void
order_mypages(struct fd_req *r)
{
	serve(r, 0, 0);
}

void
order_mypage_one(struct fd_req *r)
{
	serve(r, r->ids[0], 0);
}

void
order_mypage_html(struct fd_req *r)
{
	serve(r, 0, 1);
}
