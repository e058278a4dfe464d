/* clients/pl_client.c: being written */
