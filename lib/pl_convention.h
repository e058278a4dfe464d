/*  pl_convention — the conventions plenary knows without being told.

    The list is data: schemas/conventions.tsv (a code and an English name
    per line), turned into a C table by CMake when it configures the build
    (pl_conventions_table.c in the build folder).  The records worker
    accepts meetings and delegations of these conventions and of those
    declared since (convention.declared); the CLI shows them in `plenary
    meeting add --help` and pl-schema-doc in docs/events.md.

        const pl_convention_t *known = pl_convention_find ("CCM");
        for (size_t i = 0; (known = pl_convention_at (i)); i++)
            printf ("%s %s\n", known->code, known->name);                  */
#ifndef PL_CONVENTION_H_INCLUDED
#define PL_CONVENTION_H_INCLUDED

#include <stddef.h>

typedef struct {
    const char *code;               //  "CCM": a schema code
    const char *name;               //  "Convention on Cluster Munitions"
} pl_convention_t;

//  The INDEXth built-in convention, in the file's order (by code); NULL
//  past the end.  Static data: never freed.
const pl_convention_t *pl_convention_at (size_t index);

//  The built-in convention CODE, or NULL.
const pl_convention_t *pl_convention_find (const char *code);

//  Self-test: every code is a valid schema code, codes are unique and
//  sorted, every name is a valid name.  0 when all pass.
int pl_convention_test (int verbose);

#endif
