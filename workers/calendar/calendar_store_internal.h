/*  calendar_store_internal — what the calendar store's source files share
    (calendar_store.c: the database, its schema and statements;
    calendar_store_mail.c: the feed addresses the notify worker mails).
    Only calendar_store*.c include this. */
#ifndef CALENDAR_STORE_INTERNAL_H_INCLUDED
#define CALENDAR_STORE_INTERNAL_H_INCLUDED

#include "calendar_store.h"
#include <sqlite3.h>
#include <stdint.h>

//  The store's connection.
sqlite3 *calendar_store_connection (calendar_store_t *self);

//  Make the SQL function mail_feed_hash (id) on DB: the SHA-256 hex of the
//  feed token made with KEY (a copy is kept) for participant ID, or NULL
//  when KEY is NULL.  0 or -1 (logged).
int calendar_store_mail_functions (sqlite3 *db, const uint8_t *key);

#endif
