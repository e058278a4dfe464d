/*  archive_rank_counts — the phrase counts kept between searches (see
    archive_rank_recall in archive_rank.h): bm25 needs, for each phrase, the
    number of items that hold it, which a search that walks only its own
    matches does not see; a bounded table by phrase, emptied whenever the
    index changes. */
#include "archive_rank_internal.h"

#include <stdlib.h>
#include <string.h>

//  The slot of KEY (LENGTH bytes): where it is, or the empty one it would take.
static s_count_t *
s_count_slot (archive_rank_t *self, const char *key, int length)
{
    uint32_t hash = 2166136261u;
    for (int i = 0; i < length; i++)
        hash = (hash ^ (unsigned char) key [i]) * 16777619u;
    uint32_t mask = 2 * S_COUNTS_MAX - 1;
    for (uint32_t slot = hash & mask;; slot = (slot + 1) & mask) {
        s_count_t *count = &self->counts [slot];
        if (!count->key
        ||  (count->length == length && memcmp (count->key, key, (size_t) length) == 0))
            return count;
    }
}

int
archive_rank_recall (archive_rank_t *self, const char *key, int length, int64_t *items)
{
    if (!self->counts)
        return 0;
    const s_count_t *count = s_count_slot (self, key, length);
    if (!count->key)
        return 0;
    *items = count->items;
    return 1;
}

void
archive_rank_remember (archive_rank_t *self, const char *key, int length, int64_t items)
{
    if (!self->counts && !(self->counts = calloc (2 * S_COUNTS_MAX, sizeof *self->counts)))
        return;                     //  out of memory: nothing remembered, searches still right
    if (self->count_used == S_COUNTS_MAX)
        archive_rank_forget_counts (self);
    s_count_t *count = s_count_slot (self, key, length);
    if (!count->key) {
        if (!(count->key = malloc ((size_t) length)))
            return;
        memcpy (count->key, key, (size_t) length);
        count->length = length;
        self->count_used++;
    }
    count->items = items;
}

void
archive_rank_forget_counts (archive_rank_t *self)
{
    for (int i = 0; self->counts && self->count_used && i < 2 * S_COUNTS_MAX; i++)
        if (self->counts [i].key) {
            free (self->counts [i].key);
            self->counts [i].key = NULL;
            self->count_used--;
        }
}
