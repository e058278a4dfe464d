/*  fuzz_many — libFuzzer target for PUBLISH_MANY's events frame.

    Any bytes are read as the broker reads them (lib/pl_proto.c): the count,
    then pl_many_next per event.  Every event it returns lies inside the
    input with the sizes it claims, each error names a byte inside the input
    (or its end), and an event written back with pl_many_put reads again to
    the same bytes.  Build with clang and -DPL_FUZZ=ON; run:
    ./build-fuzz/fuzz_many -max_total_time=60 tests/fuzz/many */
#include "pl_proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    uint32_t count = (uint32_t) data [0] << 24 | (uint32_t) data [1] << 16
                   | (uint32_t) data [2] << 8 | data [3];
    size_t offset = 4;
    char err [256];
    for (uint32_t i = 0; i < count && i < PL_MANY_MAX; i++) {
        size_t before = offset;
        pl_many_event_t event;
        if (pl_many_next (data, size, &offset, &event, err, sizeof err)) {
            if (offset != before || !*err)
                abort ();           //  a refusal moves nothing and says why
            break;
        }
        const uint8_t *end = data + size;
        if (offset <= before || offset > size
        ||  (const uint8_t *) event.topic < data || (const uint8_t *) event.topic + event.topic_size > end
        ||  (const uint8_t *) event.event_id + event.event_id_size > end
        ||  event.payload + event.payload_size > end
        ||  event.topic_size == 0 || event.topic_size > PL_TOPIC_MAX
        ||  event.event_id_size == 0 || event.event_id_size > PL_EVENT_ID_MAX)
            abort ();
        //  Written back, it reads again to the same event
        char topic [PL_TOPIC_MAX + 1], event_id [PL_EVENT_ID_MAX + 1];
        memcpy (topic, event.topic, event.topic_size);
        topic [event.topic_size] = 0;
        memcpy (event_id, event.event_id, event.event_id_size);
        event_id [event.event_id_size] = 0;
        if (strlen (topic) != event.topic_size || strlen (event_id) != event.event_id_size)
            continue;               //  a NUL inside: the broker refuses it later
        size_t again_size = pl_many_size (event.topic_size, event.event_id_size,
                                          event.payload_size);
        uint8_t *again = malloc (again_size);
        if (!again)
            return 0;
        if (pl_many_put (again, topic, event_id, event.payload, event.payload_size) != again_size
        ||  memcmp (again, data + before, again_size) != 0)
            abort ();
        free (again);
    }
    return 0;
}
