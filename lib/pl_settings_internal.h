/*  pl_settings_internal — what pl_settings.c and its table
    (pl_settings_table.c) share; no other file includes it. */
#ifndef PL_SETTINGS_INTERNAL_H_INCLUDED
#define PL_SETTINGS_INTERNAL_H_INCLUDED

#include <stddef.h>
#include "pl_settings.h"

//  The programs, each a bit (and a section of the file)
enum {
    B = 1 << 0,     //  plenaryd
    R = 1 << 1,     //  plenary-records
    C = 1 << 2,     //  plenary-calendar
    A = 1 << 3,     //  plenary-archive
    N = 1 << 4,     //  plenary-notify
    G = 1 << 5,     //  plenary-gateway
    L = 1 << 6,     //  plenary, the CLI
    W = R | C | A | N,
};

#define PL_SETTINGS_COMMON "plenary"   //  the section every program reads
#define PL_SETTINGS_PATH_MAX 1023      //  a file or folder a program reads (templates, TLS)
#define PL_SETTINGS_ROWS_MAX 64        //  rows of the table at most (asserted there)
#define PL_SETTINGS_OF(field) (ptrdiff_t) offsetof (pl_config_t, field)

typedef struct {
    const char *section;            //  "broker"
    const char *binary;             //  "plenaryd"
    unsigned bit;
} pl_settings_program_t;

typedef enum { S_TEXT, S_NUMBER, S_SWITCH, S_CHOICE } pl_settings_kind_t;

//  One setting
typedef struct {
    const char *key;                //  the long flag, the file's key
    unsigned programs;              //  who takes it (bits)
    int common;                     //  [plenary] may hold it
    const char *env;                //  PLENARY_*, or NULL
    pl_settings_kind_t kind;
    long long min, max;             //  a number's bounds; text: its length at most
    long long scale;                //  a number's field holds value x scale (0: 1)
    const char *choices;            //  S_CHOICE: the values, ", "-separated
    ptrdiff_t offset;               //  in pl_config_t, or -1: bound by the program
} pl_settings_row_t;

extern const pl_settings_program_t pl_settings_programs [];
extern const size_t pl_settings_programs_count;
extern const pl_settings_row_t pl_settings_table [];
extern const size_t pl_settings_table_count;

#endif
