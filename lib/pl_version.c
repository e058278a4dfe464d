/*  pl_version — the text of every program's --version (pl_version.h). */
#include "pl_version.h"

#include <stdio.h>

void
pl_version_print (const char *program, const char *database, int store_version)
{
    printf ("%s %s\n"
            "event schema: sha256 %.16s of docs/events.md (the schema has no version\n"
            "  number; builds whose digests agree accept the same events)\n",
            program, PL_VERSION, PL_SCHEMA_DIGEST);
    if (database)
        printf ("database schema: %d, the PRAGMA user_version of DATA/%s\n",
                store_version, database);
}
