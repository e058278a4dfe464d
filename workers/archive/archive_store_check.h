/*  archive_store_check — what `plenary verify` reads of the archive's
    database (DATA/archive/archive.db, whose schema is archive_store.c's):
    every document revision's stored text against the SHA-256 recorded for
    it.

    Read-only, on a connection the caller opened (pl_backup_open), while the
    worker runs or not: the CLI links this file alone, not the archive
    worker (whose store would register its tokenizer and migrate).

    What is compared, on the schema of today: the text of a release is kept
    in item.body and the release's sha256 in document.sha256, as given.
    That hash is the released file's: `plenary release --file` hashes the
    file before it turns form feeds (pdftotext's page breaks) into line
    feeds, and `--sha256` names another file (the PDF).  So a text that does
    not match may be intact; the caller then asks the log whether the text
    is what was released (cli_verify.c).  When the archive keeps the exact
    bytes of each release with their own hash, that hash is the one to read
    here, and every intact text matches it. */
#ifndef ARCHIVE_STORE_CHECK_H_INCLUDED
#define ARCHIVE_STORE_CHECK_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

//  One document revision as stored; strings borrowed for the callback.
typedef struct {
    uint64_t seq;                   //  the release that made the revision
    const char *symbol;
    const char *language;
    int revision;
    int has_text;                   //  a text is stored (item.body not NULL)
    int64_t bytes;                  //  the stored text's length
    int64_t recorded_bytes;         //  its length when it was released
    const char *sha256;             //  the SHA-256 recorded, hex as given; NULL when none
    unsigned char digest [32];      //  the SHA-256 of the stored text
    int matches;                    //  DIGEST is SHA256 (any case of hex)
} archive_check_document_t;

//  Call FN with each document revision, by seq.  0 (FN's nonzero stops
//  it early), or -1 with ERR.
int archive_store_check_documents (sqlite3 *db,
                                   int (*fn) (void *arg, const archive_check_document_t *doc),
                                   void *arg, char *err, size_t errsize);

#endif
