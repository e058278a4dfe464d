/* broker/plenaryd.c: being written */
