/*
 * auth_domain.c - what a valid account and a valid change of a profile
 * are.  Pure: libc only, no I/O.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "fd_input.h"

/*
 * Lower-cases the address and checks its shape: one '@', a local part and a
 * dotted domain of printable ASCII without spaces.  Deliverability is not
 * ours to judge; shape is, so logins find the account however it is typed.
 */
enum auth_err
auth_email_normalize(const char *in, char *out, size_t outsz)
{
	size_t len = strlen(in), i, at = 0, ats = 0;
	const char *dot;

	if (len < 3 || len > AUTH_EMAIL_MAX || len >= outsz)
		return AUTH_E_EMAIL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' ||
		    c == '\\' || c == ',' || c == ';')
			return AUTH_E_EMAIL;
		if (c == '@') {
			at = i;
			ats++;
		}
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[len] = '\0';
	if (ats != 1 || at == 0 || at == len - 1)
		return AUTH_E_EMAIL;
	/* No empty labels: neither side starts or ends with a dot or has "..". */
	dot = strrchr(out + at + 1, '.');
	if (dot == NULL || dot[1] == '\0' || out[0] == '.' ||
	    out[at - 1] == '.' || out[at + 1] == '.' ||
	    strstr(out, "..") != NULL)
		return AUTH_E_EMAIL;
	return AUTH_OK;
}

enum auth_err
auth_password_check(const char *pw)
{
	size_t n = strlen(pw);

	if (n < AUTH_PW_MIN || n > AUTH_PW_MAX)
		return AUTH_E_PASSWORD;
	return AUTH_OK;
}

/* Digits with optional '+' first and '-' or ' ' between groups. */
static int
phone_ok(const char *p)
{
	size_t digits = 0, i;

	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			digits++;
		else if (p[i] == '+' && i == 0)
			continue;
		else if ((p[i] == '-' || p[i] == ' ') && i > 0 &&
		    p[i - 1] >= '0' && p[i - 1] <= '9')
			continue;
		else
			return 0;
	}
	/* Separators go between groups: the last character is a digit. */
	return digits >= 8 && digits <= 15 && i <= 20 &&
	    p[i - 1] >= '0' && p[i - 1] <= '9';
}

static int
text_ok(const char *s, size_t maxchars)
{
	size_t len = strlen(s), n;

	if (!fd_utf8_text(s, len))
		return 0;
	n = fd_utf8_chars(s, len);
	/* Something besides spaces. */
	return n >= 1 && n <= maxchars && strspn(s, " ") != len;
}

enum auth_err
auth_account_check(struct auth_account *a, const char *pw)
{
	char email[sizeof(a->email)];
	enum auth_err e;

	if ((e = auth_email_normalize(a->email, email, sizeof(email))) != AUTH_OK)
		return e;
	memcpy(a->email, email, sizeof(email));
	if ((e = auth_password_check(pw)) != AUTH_OK)
		return e;
	if (!text_ok(a->name, 60))
		return AUTH_E_NAME;
	if (!phone_ok(a->phone))
		return AUTH_E_PHONE;
	if (!text_ok(a->address, 200))
		return AUTH_E_ADDRESS;
	if (a->role == FD_ROLE_OWNER ? a->store_id <= 0 : a->store_id != 0)
		return AUTH_E_STORE;
	return AUTH_OK;
}

/*
 * The same rules as signup's for each field a change names, so a profile
 * can never hold what signup would have refused.
 */
enum auth_err
auth_profile_check(const struct auth_profile_patch *p)
{
	if (p->name == NULL && p->phone == NULL && p->address == NULL)
		return AUTH_E_EMPTY;
	if (p->name != NULL && !text_ok(p->name, 60))
		return AUTH_E_NAME;
	if (p->phone != NULL && !phone_ok(p->phone))
		return AUTH_E_PHONE;
	if (p->address != NULL && !text_ok(p->address, 200))
		return AUTH_E_ADDRESS;
	return AUTH_OK;
}

/* Sets dst to src when it differs: 1 if it did. */
static int
set(char *dst, size_t sz, const char *src)
{
	if (src == NULL || strcmp(dst, src) == 0)
		return 0;
	snprintf(dst, sz, "%s", src);
	return 1;
}

/*
 * A change that changes nothing raises no version, so it makes no event
 * for the order context to apply.
 */
int
auth_profile_apply(struct auth_account *a, const struct auth_profile_patch *p)
{
	int changed = 0;

	changed |= set(a->name, sizeof(a->name), p->name);
	changed |= set(a->phone, sizeof(a->phone), p->phone);
	changed |= set(a->address, sizeof(a->address), p->address);
	if (changed)
		a->version++;
	return changed;
}

const char *
auth_err_message(enum auth_err e)
{
	switch (e) {
	case AUTH_OK:
		return "ok";
	case AUTH_E_EMAIL:
		return "email is not a valid e-mail address";
	case AUTH_E_PASSWORD:
		return "password must be 8 to 128 bytes long";
	case AUTH_E_NAME:
		return "name must be 1 to 60 characters";
	case AUTH_E_PHONE:
		return "phone must be 8 to 15 digits, optionally with + and -";
	case AUTH_E_ADDRESS:
		return "address must be 1 to 200 characters";
	case AUTH_E_STORE:
		return "an owner needs a store, a customer none";
	case AUTH_E_EXISTS:
		return "an account with this e-mail already exists";
	case AUTH_E_CREDENTIALS:
		return "wrong e-mail or password";
	case AUTH_E_EMPTY:
		return "give at least one of name, phone and address";
	case AUTH_E_NOT_FOUND:
		return "no such account";
	case AUTH_E_UNAVAILABLE:
		return "the account service is unavailable, try again shortly";
	default:
		return "internal error";
	}
}
