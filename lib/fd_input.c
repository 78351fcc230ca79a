/*
 * fd_input.c - strict, table-driven decoding of JSON request bodies.
 *
 * json-c does the parsing (strict mode, UTF-8 validation, a depth-limited
 * tokener); this file only walks the result against the route's table.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_input.h"

int
fd_utf8_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	unsigned int cp;

	while (i < len) {
		unsigned char c = p[i];
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1; cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2; cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3; cp = c & 0x07;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		/* C1 controls. */
		if (cp >= 0x80 && cp <= 0x9f)
			return 0;
		i += n + 1;
	}
	return 1;
}

size_t
fd_utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * What json-c lets through even in strict mode (0.16): single-quoted
 * strings, and "\u0000" inside keys, which it cuts at the NUL so that
 * {"price\u0000junk":1} would pass as "price".  A quote outside a string
 * (FD_IN_SYNTAX) or an escaped NUL anywhere (FD_IN_UTF8: a control
 * character) is refused before parsing.
 */
static enum fd_input_rc
lexically_strict(const char *s, size_t len)
{
	size_t i;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\') {
				if (i + 5 < len && s[i + 1] == 'u' &&
				    memcmp(s + i + 2, "0000", 4) == 0)
					return FD_IN_UTF8;
				i++;	/* the escaped character */
			} else if (s[i] == '"')
				in_string = 0;
		} else if (s[i] == '"')
			in_string = 1;
		else if (s[i] == '\'')
			return FD_IN_SYNTAX;
	}
	return FD_IN_OK;
}

static enum fd_input_rc
fail(struct fd_input *in, enum fd_input_rc rc, const char *fmt, const char *name)
{
	snprintf(in->msg, sizeof(in->msg), fmt, name);
	return rc;
}

static enum fd_input_rc	decode_object(struct fd_input *, json_object *,
			    const struct fd_schema *, struct fd_value *);

static enum fd_input_rc
decode_field(struct fd_input *in, json_object *jv, const struct fd_field *f,
    struct fd_value *v)
{
	enum fd_input_rc rc;
	size_t i, n;

	switch (f->type) {
	case FD_T_STRING:
		if (!json_object_is_type(jv, json_type_string))
			return fail(in, FD_IN_TYPE, "%s must be a string", f->name);
		v->s = json_object_get_string(jv);
		v->len = (size_t)json_object_get_string_len(jv);
		if (!fd_utf8_text(v->s, v->len))
			return fail(in, FD_IN_UTF8,
			    "%s must be UTF-8 text without control characters",
			    f->name);
		n = fd_utf8_chars(v->s, v->len);
		if ((long long)n < f->min || (long long)n > f->max)
			return fail(in, FD_IN_RANGE, "%s has a bad length", f->name);
		break;
	case FD_T_INT:
		if (!json_object_is_type(jv, json_type_int))
			return fail(in, FD_IN_TYPE, "%s must be an integer", f->name);
		v->i = json_object_get_int64(jv);
		if (v->i < f->min || v->i > f->max)
			return fail(in, FD_IN_RANGE, "%s is out of range", f->name);
		break;
	case FD_T_BOOL:
		if (!json_object_is_type(jv, json_type_boolean))
			return fail(in, FD_IN_TYPE, "%s must be true or false", f->name);
		v->b = json_object_get_boolean(jv) ? 1 : 0;
		break;
	case FD_T_ARRAY:
		if (!json_object_is_type(jv, json_type_array))
			return fail(in, FD_IN_TYPE, "%s must be an array", f->name);
		n = json_object_array_length(jv);
		if ((long long)n < f->min || (long long)n > f->max)
			return fail(in, FD_IN_RANGE, "%s has a bad number of elements",
			    f->name);
		v->n = n;
		if (n == 0)
			break;
		v->elems = calloc(n * f->elem->nfields, sizeof(*v->elems));
		if (v->elems == NULL)
			return fail(in, FD_IN_SYNTAX, "out of memory%s", "");
		for (i = 0; i < n; i++) {
			rc = decode_object(in, json_object_array_get_idx(jv, i),
			    f->elem, v->elems + i * f->elem->nfields);
			if (rc != FD_IN_OK)
				return rc;
		}
		break;
	}
	v->present = 1;
	return FD_IN_OK;
}

static enum fd_input_rc
decode_object(struct fd_input *in, json_object *obj,
    const struct fd_schema *schema, struct fd_value *vals)
{
	enum fd_input_rc rc;
	size_t i;

	if (!json_object_is_type(obj, json_type_object))
		return fail(in, FD_IN_NOT_OBJECT, "expected a JSON object%s", "");

	json_object_object_foreach(obj, key, jv) {
		for (i = 0; i < schema->nfields; i++)
			if (strcmp(key, schema->fields[i].name) == 0)
				break;
		if (i == schema->nfields) {
			char name[65];
			size_t n = strlen(key);

			/* Quote at most 64 bytes, cut between characters. */
			if (n > 64)
				for (n = 64; n > 0 &&
				    ((unsigned char)key[n] & 0xc0) == 0x80; n--)
					continue;
			snprintf(name, sizeof(name), "%.*s", (int)n, key);
			return fail(in, FD_IN_UNKNOWN, "unknown field '%s'",
			    fd_utf8_text(name, n) ? name : "?");
		}
		/* null counts as absent. */
		if (jv == NULL)
			continue;
		if ((rc = decode_field(in, jv, &schema->fields[i], &vals[i])))
			return rc;
	}
	for (i = 0; i < schema->nfields; i++)
		if (schema->fields[i].required && !vals[i].present)
			return fail(in, FD_IN_MISSING, "%s is required",
			    schema->fields[i].name);
	return FD_IN_OK;
}

enum fd_input_rc
fd_input_parse(struct fd_input *in, const struct fd_schema *schema,
    const char *body, size_t len)
{
	json_tokener *tok;
	json_object *root;

	memset(in, 0, sizeof(*in));
	in->schema = schema;
	in->v = calloc(schema->nfields ? schema->nfields : 1, sizeof(*in->v));
	if (in->v == NULL)
		return fail(in, FD_IN_SYNTAX, "out of memory%s", "");
	if (body == NULL || len == 0)
		return fail(in, FD_IN_EMPTY, "a JSON body is required%s", "");
	if (len > (size_t)0x7fffffff)
		return fail(in, FD_IN_SYNTAX, "body too large%s", "");

	switch (lexically_strict(body, len)) {
	case FD_IN_OK:
		break;
	case FD_IN_UTF8:
		return fail(in, FD_IN_UTF8, "control characters such as "
		    "\\u0000 are not accepted%s", "");
	default:
		return fail(in, FD_IN_SYNTAX, "body is not strict JSON%s", "");
	}
	if ((tok = json_tokener_new_ex(FD_INPUT_DEPTH)) == NULL)
		return fail(in, FD_IN_SYNTAX, "out of memory%s", "");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, body, (int)len);
	if (root == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		enum json_tokener_error e = json_tokener_get_error(tok);
		json_object_put(root);
		json_tokener_free(tok);
		if (e == json_tokener_error_depth)
			return fail(in, FD_IN_SYNTAX, "JSON nested too deeply%s", "");
		if (e == json_tokener_error_parse_utf8_string)
			return fail(in, FD_IN_UTF8, "body is not valid UTF-8%s", "");
		return fail(in, FD_IN_SYNTAX, "body is not a single JSON value%s", "");
	}
	json_tokener_free(tok);
	in->root = root;
	return decode_object(in, root, schema, in->v);
}

static void
free_values(struct fd_value *v, const struct fd_schema *schema)
{
	size_t i, e;

	for (i = 0; i < schema->nfields; i++) {
		const struct fd_field *f = &schema->fields[i];
		if (f->type != FD_T_ARRAY || v[i].elems == NULL)
			continue;
		for (e = 0; e < v[i].n; e++)
			free_values(v[i].elems + e * f->elem->nfields, f->elem);
		free(v[i].elems);
	}
}

/* Frees what fd_input_parse() allocated; safe on a zeroed struct. */
void
fd_input_free(struct fd_input *in)
{
	if (in->v != NULL && in->schema != NULL)
		free_values(in->v, in->schema);
	free(in->v);
	json_object_put(in->root);
	in->v = NULL;
	in->root = NULL;
}

const struct fd_value *
fd_input_elem(const struct fd_value *arr, const struct fd_schema *elem,
    size_t e, size_t i)
{
	return &arr->elems[e * elem->nfields + i];
}
