/* broker/broker_store.c: being written */
