/* workers/records/records_worker.c: being written */
