/* schemas/pl_schema_table.c: being written */
