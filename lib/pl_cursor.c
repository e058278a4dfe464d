/* lib/pl_cursor.c: being written */
