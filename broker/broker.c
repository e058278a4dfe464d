/* broker/broker.c: being written */
