/* lib/pl_codec.c: being written */
