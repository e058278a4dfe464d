/* lib/pl_worker.c: being written */
