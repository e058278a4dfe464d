/* clients/plenary.c: being written */
