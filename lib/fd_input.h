/*
 * fd_input.h - request bodies declared as tables, decoded strictly.
 *
 * Like kcgi's kvalid: a route declares the fields it takes, with their
 * types and bounds; fd_input_parse() accepts a body only if it is one JSON
 * object of exactly those fields (unknown ones are refused), with fewer than
 * FD_INPUT_DEPTH levels of nesting, valid UTF-8, with nothing after it.  What comes out is
 * plain C values: no json_object crosses into a domain.
 */
#ifndef FD_INPUT_H
#define FD_INPUT_H

#include <stddef.h>

#define FD_INPUT_DEPTH	8

enum fd_ftype {
	FD_T_STRING,	/* min/max: length in characters */
	FD_T_INT,	/* min/max: value */
	FD_T_BOOL,
	FD_T_ARRAY	/* of objects of elem; min/max: element count */
};

struct fd_schema;

struct fd_field {
	const char		*name;
	enum fd_ftype		 type;
	int			 required;
	long long		 min, max;
	const struct fd_schema	*elem;
};

struct fd_schema {
	const struct fd_field	*fields;
	size_t			 nfields;
};

#define FD_SCHEMA(tab) { (tab), sizeof(tab) / sizeof((tab)[0]) }

struct fd_value {
	int		 present;
	const char	*s;		/* STRING: borrowed from the fd_input */
	size_t		 len;		/* STRING: bytes */
	long long	 i;		/* INT */
	int		 b;		/* BOOL */
	struct fd_value	*elems;		/* ARRAY: n * elem->nfields values */
	size_t		 n;		/* ARRAY: elements */
};

enum fd_input_rc {
	FD_IN_OK = 0,
	FD_IN_EMPTY,		/* no body */
	FD_IN_SYNTAX,		/* not JSON, trailing bytes, too deep */
	FD_IN_UTF8,		/* invalid UTF-8 or control characters */
	FD_IN_NOT_OBJECT,
	FD_IN_UNKNOWN,		/* a field the route does not take */
	FD_IN_MISSING,		/* a required field is absent */
	FD_IN_TYPE,		/* wrong JSON type */
	FD_IN_RANGE		/* out of bounds */
};

struct fd_input {
	void		*root;		/* json_object, private */
	const struct fd_schema *schema;
	struct fd_value	*v;		/* one per schema field, in order */
	char		 msg[160];	/* what was wrong, for the client */
};

/*
 * Decode body (len bytes, need not be NUL-terminated) against schema.
 * On any result in->msg says what went wrong; fd_input_free() must be
 * called afterwards in every case.
 */
enum fd_input_rc fd_input_parse(struct fd_input *in,
		    const struct fd_schema *schema, const char *body, size_t len);
void		 fd_input_free(struct fd_input *in);

/* Value of field i of element e of an array value (schema elem). */
const struct fd_value *fd_input_elem(const struct fd_value *arr,
		    const struct fd_schema *elem, size_t e, size_t i);

/* 1 if s[0..len) is valid UTF-8 without C0 controls or DEL, else 0. */
int		 fd_utf8_text(const char *s, size_t len);
/* Number of code points in valid UTF-8. */
size_t		 fd_utf8_chars(const char *s, size_t len);

#endif
