/*  cli_archive — what the archive's CLI files (cli_archive.c, cli_search.c)
    share. */
#ifndef CLI_ARCHIVE_H_INCLUDED
#define CLI_ARCHIVE_H_INCLUDED

#include <jansson.h>
#include "cli_util.h"

//  Send query NAME with ARGS as ROLE (NULL: the connection's own).  The
//  reply (caller owns) or NULL after printing why.
json_t *cli_archive_query (cli_t *cli, const char *name, const json_t *args, const char *role);

//  Check --as-role ROLE (NULL: none); CLI_OK or a usage error.
int cli_archive_check_role (cli_t *cli, const char *role);

#endif
