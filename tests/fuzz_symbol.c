/*  fuzz_symbol — libFuzzer target for the UN document symbol parser.

    Any bytes, as a C string, must come back as a parsed symbol or a reason,
    never a crash or a read past the input; a symbol that parses must parse
    again to itself (normalization is idempotent).  Build with clang and
    -DPL_FUZZ=ON; run: ./build/fuzz_symbol -max_total_time=60 */
#include "pl_symbol.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = malloc (size + 1);
    if (!text)
        return 0;
    memcpy (text, data, size);
    text [size] = 0;
    pl_symbol_t symbol, again;
    char err [256];
    if (pl_symbol_parse (text, &symbol, err, sizeof err) == 0) {
        if (pl_symbol_parse (symbol.symbol, &again, err, sizeof err) != 0
        ||  strcmp (symbol.symbol, again.symbol) != 0)
            abort ();
    }
    free (text);
    return 0;
}
