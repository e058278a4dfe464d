/*  pl_fs — private files and folders (see pl_fs.h). */
#include "pl_fs.h"
#include "pl_log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
pl_fs_private (void)
{
    umask (077);
}

//  Narrow PATH to MODE when it grants more; 1 when narrowed, 0 when not, -1.
static int
s_narrow (const char *path, mode_t mode)
{
    struct stat st;
    if (lstat (path, &st))
        return errno == ENOENT ? 0 : -1;
    if (S_ISLNK (st.st_mode) || (st.st_mode & 07777 & ~mode) == 0)
        return 0;
    if (chmod (path, st.st_mode & mode & 07777))
        return -1;
    pl_info ("fs: narrowed %s from %04o to %04o", path, (unsigned) (st.st_mode & 07777),
             (unsigned) (st.st_mode & mode & 07777));
    return 1;
}

int
pl_fs_mkdirs (const char *path, char *err, size_t errsize)
{
    char partial [1024];
    size_t length = strlen (path);
    if (length == 0 || length >= sizeof partial) {
        snprintf (err, errsize, "folder name '%.64s' is empty or too long", path);
        return -1;
    }
    memcpy (partial, path, length + 1);
    for (size_t i = 1; i <= length; i++) {
        if (partial [i] != '/' && partial [i] != 0)
            continue;
        char saved = partial [i];
        partial [i] = 0;
        if (mkdir (partial, 0700) && errno != EEXIST) {
            snprintf (err, errsize, "cannot create folder %s: %s", partial, strerror (errno));
            return -1;
        }
        partial [i] = saved;
    }
    struct stat st;
    if (stat (path, &st) || !S_ISDIR (st.st_mode)) {
        snprintf (err, errsize, "%s is not a folder", path);
        return -1;
    }
    if (s_narrow (path, 0700) < 0) {
        snprintf (err, errsize, "cannot make %s private (0700): %s", path, strerror (errno));
        return -1;
    }
    return 0;
}

int
pl_fs_tighten (const char *path)
{
    DIR *dir = opendir (path);
    if (!dir)
        return errno == ENOENT ? 0 : -1;
    int narrowed = 0;
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
            continue;
        char child [1024];
        if ((size_t) snprintf (child, sizeof child, "%s/%s", path, entry->d_name) >= sizeof child)
            continue;
        struct stat st;
        if (lstat (child, &st))
            continue;
        int rc = S_ISDIR (st.st_mode) ? s_narrow (child, 0700)
               : S_ISREG (st.st_mode) ? s_narrow (child, 0600) : 0;
        narrowed += rc > 0;
    }
    closedir (dir);
    return narrowed;
}

char *
pl_fs_read (const char *path, size_t max, size_t *size, char *err, size_t errsize)
{
    FILE *file = fopen (path, "rb");
    if (!file) {
        snprintf (err, errsize, "%s: cannot read it: %s", path, strerror (errno));
        return NULL;
    }
    char *data = malloc (max + 1);
    size_t got = data ? fread (data, 1, max + 1, file) : 0;
    int failed = ferror (file);
    fclose (file);
    if (!data || failed || got > max) {
        if (!data || failed)
            snprintf (err, errsize, "%s: %s", path, data ? "cannot read it" : "out of memory");
        else
            snprintf (err, errsize, "%s: larger than %zu bytes", path, max);
        free (data);
        return NULL;
    }
    data [got] = 0;
    *size = got;
    return data;
}

int
pl_fs_write (const char *path, const void *data, size_t size, char *err, size_t errsize)
{
    char tmp [1100];
    if ((size_t) snprintf (tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        snprintf (err, errsize, "file name %.64s... is too long", path);
        return -1;
    }
    int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf (err, errsize, "cannot write %s: %s", tmp, strerror (errno));
        return -1;
    }
    const char *at = data;
    size_t left = size;
    while (left > 0) {
        ssize_t written = write (fd, at, left);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            snprintf (err, errsize, "cannot write %s: %s", tmp, strerror (errno));
            close (fd);
            unlink (tmp);
            return -1;
        }
        at += written;
        left -= (size_t) written;
    }
    int rc = fchmod (fd, 0600) || fsync (fd);
    rc |= close (fd);
    if (rc || rename (tmp, path)) {
        snprintf (err, errsize, "cannot write %s: %s", path, strerror (errno));
        unlink (tmp);
        return -1;
    }
    return 0;
}

int
pl_fs_sync (const char *path, char *err, size_t errsize)
{
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync (fd)) {
        snprintf (err, errsize, "cannot sync %s: %s", path, strerror (errno));
        if (fd >= 0)
            close (fd);
        return -1;
    }
    close (fd);
    return 0;
}

//  Copy the file FROM to TO (which must not exist) as 0600, synced.
static int
s_copy_file (const char *from, const char *to, char *err, size_t errsize)
{
    int in = open (from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        snprintf (err, errsize, "cannot read %s: %s", from, strerror (errno));
        return -1;
    }
    int out = open (to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        snprintf (err, errsize, "cannot write %s: %s", to, strerror (errno));
        close (in);
        return -1;
    }
    char buffer [65536];
    ssize_t got;
    int rc = 0;
    while (rc == 0 && (got = read (in, buffer, sizeof buffer)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            snprintf (err, errsize, "cannot read %s: %s", from, strerror (errno));
            rc = -1;
            break;
        }
        for (ssize_t at = 0; rc == 0 && at < got; ) {
            ssize_t written = write (out, buffer + at, (size_t) (got - at));
            if (written < 0 && errno == EINTR)
                continue;
            if (written <= 0) {
                snprintf (err, errsize, "cannot write %s: %s", to, strerror (errno));
                rc = -1;
            }
            else
                at += written;
        }
    }
    if (rc == 0 && (fchmod (out, 0600) || fsync (out))) {
        snprintf (err, errsize, "cannot write %s: %s", to, strerror (errno));
        rc = -1;
    }
    close (in);
    if (close (out) && rc == 0) {
        snprintf (err, errsize, "cannot write %s: %s", to, strerror (errno));
        rc = -1;
    }
    return rc;
}

int
pl_fs_copy_tree (const char *from, const char *to, char *err, size_t errsize)
{
    if (pl_fs_mkdirs (to, err, errsize))
        return -1;
    DIR *dir = opendir (from);
    if (!dir) {
        snprintf (err, errsize, "cannot read folder %s: %s", from, strerror (errno));
        return -1;
    }
    int copied = 0;
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
            continue;
        char source [1024], target [1024];
        if ((size_t) snprintf (source, sizeof source, "%s/%s", from, entry->d_name)
                >= sizeof source
        ||  (size_t) snprintf (target, sizeof target, "%s/%s", to, entry->d_name)
                >= sizeof target) {
            snprintf (err, errsize, "file name %s/%.64s... is too long", from, entry->d_name);
            copied = -1;
            break;
        }
        struct stat st;
        int rc;
        if (lstat (source, &st)) {
            snprintf (err, errsize, "cannot read %s: %s", source, strerror (errno));
            rc = -1;
        }
        else
        if (S_ISDIR (st.st_mode))
            rc = pl_fs_copy_tree (source, target, err, errsize);
        else
        if (S_ISREG (st.st_mode))
            rc = s_copy_file (source, target, err, errsize) ? -1 : 1;
        else {
            snprintf (err, errsize, "%s is neither a file nor a folder", source);
            rc = -1;
        }
        if (rc < 0) {
            copied = -1;
            break;
        }
        copied += rc;
    }
    closedir (dir);
    if (copied >= 0 && pl_fs_sync (to, err, errsize))
        copied = -1;
    return copied;
}

int
pl_fs_remove_tree (const char *path)
{
    struct stat st;
    if (lstat (path, &st))
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR (st.st_mode))
        return unlink (path);
    DIR *dir = opendir (path);
    if (!dir)
        return -1;
    int rc = 0;
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
            continue;
        char child [1024];
        if ((size_t) snprintf (child, sizeof child, "%s/%s", path, entry->d_name) >= sizeof child
        ||  pl_fs_remove_tree (child))
            rc = -1;
    }
    closedir (dir);
    return rmdir (path) || rc ? -1 : 0;
}
