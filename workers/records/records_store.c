/* workers/records/records_store.c: being written */
