/* clients/cli_ops.c: being written */
