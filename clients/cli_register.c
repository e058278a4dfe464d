/* clients/cli_register.c: being written */
