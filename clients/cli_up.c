/* clients/cli_up.c: being written */
