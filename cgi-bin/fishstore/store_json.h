/*
 * store_json.h - the fishstore context's JSON writers shared by its HTTP
 * adapter and its command line (store_json.c).
 */
#ifndef STORE_JSON_H
#define STORE_JSON_H

struct json_object;
struct store_ticket;

/* A ticket as GET /fishstores/{id} shows it; the caller owns it. */
struct json_object *store_ticket_json(const struct store_ticket *);

#endif
