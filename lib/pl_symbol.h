/*  pl_symbol — UN document symbols, parsed rather than treated as strings.

    A symbol is a slash-separated list of components.  Grammar (one
    component class per row of the table in pl_symbol.c):

        symbol    = body *( "/" core ) *( "/" suffix )
        body      = 1*8 ALPHA                      CCM, CCW, APLC, BWC, A
        organ     = 1*12 ALPHA [ "." qualifier ]   CONF, MSP, CONF.VI, MSP.22, PM.2
        doctype   = kind "." number                WP.3, CRP.1, INF.2, L.1, MISC.1
        year      = 4 DIGIT (1945..2199)           2020
        number    = 1*5 DIGIT, no leading zero     14
        suffix    = ("Rev" / "Corr" / "Add" / "Amend") "." number
        qualifier = number / roman numeral (I..XXXIX)

    core components are organ, doctype, year and number; their order is
    checked by the transition table: a year follows the body or an organ;
    the last core component is a number or a doctype (a symbol names one
    document, not a series); suffixes come last, each kind at most once
    (CCM/CONF/2020/14/Add.1/Rev.1 is a revision of an addendum).  Letters
    are accepted in any case and normalized: the body, organs and doctypes
    upper case, suffixes as Rev./Corr./Add./Amend.  No spaces anywhere.
    Examples: CCM/CONF/2020/14, CCW/CONF.VI/4, APLC/MSP.22/2025/8,
    CCW/MSP/2009/5, CCM/CONF/2020/PM.2/3, CCW/CONF.VI/WP.3/Rev.1.

    The convention of a symbol comes from its body (a table: APLC is the
    Anti-Personnel Mine Ban Convention, APMBC).  Pure functions, no state. */
#ifndef PL_SYMBOL_H_INCLUDED
#define PL_SYMBOL_H_INCLUDED

#include <stddef.h>

#define PL_SYMBOL_MAX 64       //  bytes, as in the schema's symbol field

typedef struct {
    char symbol [PL_SYMBOL_MAX + 1];  //  normalized: CCW/CONF.VI/4/Rev.1
    char base [PL_SYMBOL_MAX + 1];    //  without the suffixes: CCW/CONF.VI/4
    char body [PL_SYMBOL_MAX + 1];    //  CCW
    char suffixes [PL_SYMBOL_MAX + 1];//  "Rev.1", "Add.1/Rev.1" or ""
    const char *convention;                //  CCW, APMBC...; NULL when unknown
} pl_symbol_t;

//  Parse TEXT into *SYMBOL.  Returns 0, or -1 with REASON (a sentence
//  naming the component and the rule, e.g. "component 3 'x14': not a
//  number, year, organ or document type") in ERR.
int pl_symbol_parse (const char *text, pl_symbol_t *symbol,
                          char *err, size_t errsize);

//  The convention whose documents' symbols begin with BODY (any case:
//  APLC and aplc are APMBC's), or NULL when none does.
const char *pl_symbol_convention (const char *body);

//  Self-test: valid and invalid symbols; returns 0 when all checks pass.
int pl_symbol_test (int verbose);

#endif
