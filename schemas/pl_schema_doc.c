/* schemas/pl_schema_doc.c: being written */
