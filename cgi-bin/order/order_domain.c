/*
 * order_domain.c - what an order is allowed to be.  Pure: libc only.
 */
#include <string.h>

#include "fd_input.h"
#include "order.h"

static const char *const status_names[ORDER__NSTATUS] = {
	[ORDER_PAID] = "Paid",
	[ORDER_ACCEPTED] = "Accepted",
	[ORDER_PREPARED] = "Prepared",
	[ORDER_DELIVERY_STARTED] = "DeliveryStarted",
	[ORDER_DELIVERED] = "Delivered",
	[ORDER_CANCELED] = "Canceled",
	[ORDER_REJECTED] = "Rejected",
	[ORDER_CANCEL_REQUESTED] = "CancelRequested",
	[ORDER_PAYMENT_PENDING] = "PaymentPending",
	[ORDER_DECLINED] = "Declined",
	[ORDER_FAILED] = "Failed",
};

const char *
order_status_name(enum order_status s)
{
	return s < ORDER__NSTATUS ? status_names[s] : "Unknown";
}

int
order_status_parse(const char *s, enum order_status *out)
{
	int i;

	for (i = 0; i < ORDER__NSTATUS; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum order_status)i;
			return 0;
		}
	return -1;
}

/* An order exists for the customer only once its payment was approved. */
int
order_visible(enum order_status s)
{
	return s <= ORDER_CANCEL_REQUESTED;
}

/*
 * SPEC: the customer may ask to cancel while the order is Paid or
 * Accepted.  The order's copy of the store's status lags the store but
 * never runs ahead of it, so an order it already knows Prepared is past
 * cancelling; below that, the store decides (CancelRequested).
 */
int
order_cancellable(enum order_status s)
{
	return s == ORDER_PAID || s == ORDER_ACCEPTED;
}

/*
 * Where a refused cancel leaves the order: the furthest of the step kept
 * while it waited (the store's and courier's events meanwhile) and the
 * ticket's status the refusal names.
 */
enum order_status
order_cancel_settle(enum order_status kept, enum order_status ticket)
{
	if (kept > ORDER_REJECTED)
		kept = ORDER_PAID;
	if (ticket > ORDER_REJECTED || ticket == ORDER_CANCELED)
		return kept;
	return order_status_follows(kept, ticket) ? ticket : kept;
}

/*
 * Whether an event's status may replace the current one: the status only
 * moves forward along Paid -> Accepted -> Prepared -> DeliveryStarted ->
 * Delivered, Rejected only before Prepared, and nothing leaves Canceled,
 * Rejected or Delivered.  Events from different contexts may arrive in
 * any order; late or repeated ones are simply not applied.
 */
int
order_status_follows(enum order_status cur, enum order_status next)
{
	if (!order_visible(cur) || cur == ORDER_CANCELED ||
	    cur == ORDER_REJECTED || cur == ORDER_DELIVERED)
		return 0;
	if (next == ORDER_REJECTED)
		return cur == ORDER_PAID || cur == ORDER_ACCEPTED;
	return next <= ORDER_DELIVERED && next > cur;
}

/*
 * MyPage's status: the order's rules, and Canceled from any status not yet
 * final: the order context allowed the cancel, whatever the store did in
 * the meantime, and the view must agree with it.
 */
int
order_view_status_follows(enum order_status cur, enum order_status next)
{
	if (next == ORDER_CANCEL_REQUESTED)
		return order_cancellable(cur);
	if (next == ORDER_CANCELED)
		return cur != ORDER_CANCELED && cur != ORDER_REJECTED &&
		    cur != ORDER_DELIVERED && order_visible(cur);
	return order_status_follows(cur, next);
}

/* The status an event moves an order to, or -1 for events that don't. */
int
order_status_of_event(const char *type, enum order_status *to)
{
	static const struct {
		const char		*type;
		enum order_status	 to;
	} map[] = {
		{ "OrderTaken", ORDER_ACCEPTED },
		{ "OrderPrepared", ORDER_PREPARED },
		{ "OrderRejected", ORDER_REJECTED },
		{ "DeliveryStarted", ORDER_DELIVERY_STARTED },
		{ "DeliveryCompleted", ORDER_DELIVERED },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].type, type) == 0) {
			*to = map[i].to;
			return 0;
		}
	return -1;
}

/* Printable ASCII without spaces, 1..64: a UUID or any client token. */
int
order_idem_key_ok(const char *k)
{
	size_t n = strlen(k), i;

	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (k[i] <= 0x20 || k[i] >= 0x7f)
			return 0;
	return 1;
}

/* SPEC's reason codes of OrderRejected: the owner's four, the store
 * context's no_response (the accept deadline), as the event's codec
 * takes them (lib/fd_event_store.c): one list. */
int
order_reject_code_ok(const char *s)
{
	return fd_reject_code_ok(s);
}

/* "YYYY-MM-DDTHH:MM:SS" with an optional fraction of 1 to 6 digits, "Z". */
int
order_utc_time_ok(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	size_t i, n = strlen(s), f;

	if (n < sizeof(form) || n > sizeof(form) + 7)
		return 0;
	for (i = 0; i < sizeof(form) - 1; i++)
		if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
			return 0;
	if (s[i] == 'Z')
		return i + 1 == n;
	if (s[i++] != '.')
		return 0;
	for (f = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		f++;
	return f >= 1 && f <= 6 && i + 1 == n && s[i] == 'Z';
}

/*
 * A card number as the customer may type it: 12..19 digits, spaces or
 * dashes anywhere between them (payment's pay_card_normalize() rules).
 * Fills digits with the digits alone, what payment is sent; "" and -1 for
 * anything else.
 */
int
order_card_normalize(const char *c, char digits[ORDER_CARD_MAX + 1])
{
	size_t n = 0;

	digits[0] = '\0';
	for (; *c != '\0'; c++) {
		if (*c == ' ' || *c == '-')
			continue;
		if (*c < '0' || *c > '9' || n == ORDER_CARD_MAX)
			goto bad;
		digits[n++] = *c;
	}
	if (n < ORDER_CARD_MIN)
		goto bad;
	digits[n] = '\0';
	return 0;
bad:
	digits[0] = '\0';
	return -1;
}

int
order_card_ok(const char *c)
{
	char digits[ORDER_CARD_MAX + 1];

	return order_card_normalize(c, digits) == 0;
}

/*
 * A delivery phone: 8 to 15 digits, '+' first or '-' / ' ' between
 * digits allowed; ASCII only, so it can never be cut inside a character.
 */
int
order_phone_ok(const char *p)
{
	size_t digits = 0, i;

	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			digits++;
		else if (!(p[i] == '+' && i == 0) && !((p[i] == '-' ||
		    p[i] == ' ') && i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9'))
			return 0;
	}
	return digits >= 8 && digits <= 15 && i > 0 && p[i - 1] >= '0' &&
	    p[i - 1] <= '9';
}

enum order_err
order_check_request(struct order_request *rq)
{
	char digits[ORDER_CARD_MAX + 1];
	size_t i, j;

	if (rq->store_id <= 0 || rq->nlines == 0 || rq->nlines > ORDER_MAX_LINES)
		return ORDER_E_INPUT;
	for (i = 0; i < rq->nlines; i++) {
		if (rq->lines[i].menu_id <= 0 || rq->lines[i].qty < 1 ||
		    rq->lines[i].qty > ORDER_MAX_QTY)
			return ORDER_E_INPUT;
		/* One line per item: a repeated menuId is a client mistake. */
		for (j = 0; j < i; j++)
			if (rq->lines[j].menu_id == rq->lines[i].menu_id)
				return ORDER_E_INPUT;
	}
	/*
	 * The card goes on as its digits: payment's table takes no more
	 * than 19 characters, and a card typed in groups is longer.
	 */
	if (rq->card[0] != '\0') {
		if (order_card_normalize(rq->card, digits) != 0)
			return ORDER_E_CARD;
		memcpy(rq->card, digits, strlen(digits) + 1);
	}
	if (rq->address[0] != '\0' && !fd_utf8_text(rq->address,
	    strlen(rq->address)))
		return ORDER_E_INPUT;
	if (rq->phone[0] != '\0' && !order_phone_ok(rq->phone))
		return ORDER_E_INPUT;
	return ORDER_OK;
}

/*
 * Prices the lines from the store's menu replica: every item must be on
 * that store's menu and not sold out.  Fills each line's name and unit
 * price; the amount is the server's, never the client's.
 */
enum order_err
order_price(struct order_line *lines, size_t n, long long store_id,
    const struct order_menu_item *menu, size_t nmenu, long long *amount)
{
	size_t i, j;
	long long sum = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nmenu; j++)
			if (menu[j].menu_id == lines[i].menu_id &&
			    menu[j].store_id == store_id)
				break;
		if (j == nmenu || menu[j].sold_out)
			return ORDER_E_UNAVAILABLE_ITEM;
		memcpy(lines[i].name, menu[j].name, sizeof(lines[i].name));
		lines[i].price = menu[j].price;
		sum += menu[j].price * lines[i].qty;
	}
	*amount = sum;
	return ORDER_OK;
}

const char *
order_err_message(enum order_err e)
{
	switch (e) {
	case ORDER_OK:
		return "ok";
	case ORDER_E_INPUT:
		return "send storeId and 1 to 20 items of distinct menuId with "
		    "qty 1 to 99; card, if given, 12 to 19 digits; phone, if "
		    "given, 8 to 15 digits";
	case ORDER_E_CARD:
		return "카드 번호를 확인해 주세요: the card number must be 12 to "
		    "19 digits; spaces or dashes may separate groups";
	case ORDER_E_NO_ADDRESS:
		return "give an address and a phone: your profile has none here yet";
	case ORDER_E_NOT_FOUND:
		return "no such order";
	case ORDER_E_UNAVAILABLE_ITEM:
		return "an item is sold out or not on this store's menu";
	case ORDER_E_STORE_CLOSED:
		return "지금은 주문을 받지 않습니다: the store is closed or "
		    "paused and takes no orders now";
	case ORDER_E_BELOW_MINIMUM:
		return "최소 주문 금액에 못 미칩니다: the items are below the "
		    "store's minimum order";
	case ORDER_E_STATE:
		return "the order can no longer be canceled";
	case ORDER_E_CANCEL_REFUSED:
		return "the store refused the cancellation (가게에서 취소를 "
		    "받아들이지 않았습니다)";
	case ORDER_E_IDEM_MISMATCH:
		return "this Idempotency-Key was used for a different request";
	case ORDER_E_IDEM_BUSY:
		return "a request with this Idempotency-Key is still in progress";
	case ORDER_E_DECLINED:
		return "the card was declined (결제가 거절되었습니다)";
	case ORDER_E_PAY_REFUSED:
		return "결제 정보를 확인해 주세요: payment refused the payment "
		    "details (the card number, say); check them and pay again; "
		    "nothing was charged";
	case ORDER_E_PAY_UNAVAILABLE:
		return "결제 서비스가 잠시 혼잡합니다. 잠시 후 다시 결제해 주세요. "
		    "(Payment is busy right now; please pay again in a few "
		    "seconds; nothing was charged.)";
	case ORDER_E_PAY_UNKNOWN:
		return "결제 서비스의 응답이 늦어 결과를 아직 알 수 없습니다. "
		    "(Payment did not answer in time, so this attempt may "
		    "still be charged. Retry with the same Idempotency-Key "
		    "to finish it: you are never charged twice. An attempt "
		    "that does not become an order is refunded within a "
		    "minute.)";
	case ORDER_E_UNAVAILABLE:
		return "the order service is unavailable, try again shortly";
	default:
		return "internal error";
	}
}
