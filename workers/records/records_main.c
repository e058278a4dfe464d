/* workers/records/records_main.c: being written */
