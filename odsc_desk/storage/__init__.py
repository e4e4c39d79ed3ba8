"""The counter's SQLite file: opening and migrating it, the ledger (facts, audit chain, sync
queue) and the state of the link to the centre."""
