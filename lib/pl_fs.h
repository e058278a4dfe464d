/*  pl_fs — private files and folders: plenary's data at rest.

    Every database, log and key holds names, e-mail addresses or secrets, so
    every daemon runs with umask 077 and keeps its data folder 0700 and its
    files 0600 (docs/SECURITY.md, "Data at rest").  These helpers make
    folders and files that way, and tighten what an older version left
    wider, saying so once in the log. */
#ifndef PL_FS_H_INCLUDED
#define PL_FS_H_INCLUDED

#include <stddef.h>

//  Set the process umask to 077 (every daemon and the CLI call it first).
void pl_fs_private (void);

//  Create the folder PATH and any missing parents with mode 0700 (mkdir
//  -p); a PATH that exists with wider permissions is narrowed to 0700.
//  0, or -1 with ERR naming the folder and the cause.
int pl_fs_mkdirs (const char *path, char *err, size_t errsize);

//  Narrow every regular file directly in folder PATH to 0600 and every
//  folder in it to 0700 (not recursive); a missing PATH is not an error.
//  Returns how many were narrowed, or -1.
int pl_fs_tighten (const char *path);

//  Read all of the file PATH, MAX bytes at most, into a new buffer (the
//  caller frees it) with a NUL after its *SIZE bytes.  NULL with ERR
//  ("PATH: cannot read it: why", "PATH: larger than MAX bytes").
char *pl_fs_read (const char *path, size_t max, size_t *size, char *err, size_t errsize);

//  Write SIZE bytes at DATA to PATH with mode 0600, atomically: a temporary
//  file beside it, fsync, rename.  0, or -1 with ERR.
int pl_fs_write (const char *path, const void *data, size_t size, char *err, size_t errsize);

//  Flush the file or folder PATH to the disk (fsync; for a folder, the
//  names in it: after a rename).  0, or -1 with ERR.
int pl_fs_sync (const char *path, char *err, size_t errsize);

//  Copy the folder FROM into TO (made 0700 when missing), recursively:
//  files as 0600 and synced, folders as 0700, whatever their modes were
//  (keys and secrets: plenary backup).  Anything but files and folders (a
//  link, a socket) is refused, naming it.  Returns how many files were
//  copied, or -1 with ERR (what was copied stays).
int pl_fs_copy_tree (const char *from, const char *to, char *err, size_t errsize);

//  Remove PATH and everything under it (an incomplete backup), without
//  following links.  0, or -1 (what could be removed is gone).
int pl_fs_remove_tree (const char *path);

#endif
