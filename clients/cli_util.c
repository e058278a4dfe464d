/* clients/cli_util.c: being written */
