/*  pl_convention — look-ups over the table CMake makes from
    schemas/conventions.tsv (see pl_convention.h), and its self-test. */
#include "pl_convention.h"
#include "pl_schema.h"

#include <stdio.h>
#include <string.h>

//  The table, generated into the build folder: { code, name } rows ending
//  with { NULL, NULL }.
extern const pl_convention_t pl_convention_table [];

const pl_convention_t *
pl_convention_at (size_t index)
{
    for (size_t at = 0; pl_convention_table [at].code; at++)
        if (at == index)
            return &pl_convention_table [at];
    return NULL;
}

const pl_convention_t *
pl_convention_find (const char *code)
{
    for (size_t at = 0; code && pl_convention_table [at].code; at++)
        if (strcmp (pl_convention_table [at].code, code) == 0)
            return &pl_convention_table [at];
    return NULL;
}

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "pl_convention_test: %s: %s\n", what, #cond); \
    return -1; } } while (0)

int
pl_convention_test (int verbose)
{
    //  The rules of the fields that take a code and a name
    const pl_message_t *declared = pl_schema_find ("convention.declared");
    S_CHECK (declared, "the schema has convention.declared");
    const pl_field_t *code_field = pl_schema_field (declared, "code");
    const pl_field_t *name_field = pl_schema_field (declared, "name");
    S_CHECK (code_field && name_field, "convention.declared has code and name");
    size_t count = 0;
    const pl_convention_t *known, *before = NULL;
    for (; (known = pl_convention_at (count)); count++) {
        char rule [PL_ERR_MAX];
        pl_value_t code = { .kind = PL_V_STRING, .text = known->code, .size = strlen (known->code) };
        pl_value_t name = { .kind = PL_V_STRING, .text = known->name, .size = strlen (known->name) };
        if (pl_schema_check_value (code_field, &code, rule, sizeof rule)
        ||  pl_schema_check_value (name_field, &name, rule, sizeof rule)) {
            fprintf (stderr, "pl_convention_test: %s: %s\n", known->code, rule);
            return -1;
        }
        S_CHECK (!before || strcmp (before->code, known->code) < 0, "codes unique and sorted");
        S_CHECK (pl_convention_find (known->code) == known, "each code found");
        before = known;
    }
    S_CHECK (count > 0 && pl_convention_at (count) == NULL, "the table ends");
    S_CHECK (pl_convention_find ("CCM") && pl_convention_find ("APMBC")
             && pl_convention_find ("CCW"), "the conventions plenary was made for");
    S_CHECK (pl_convention_find ("ccm") == NULL && pl_convention_find (NULL) == NULL,
             "codes match exactly");
    if (verbose)
        printf ("pl_convention_test: ok (%zu conventions)\n", count);
    return 0;
}
