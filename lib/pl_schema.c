/* lib/pl_schema.c: being written */
