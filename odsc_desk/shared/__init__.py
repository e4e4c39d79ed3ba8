"""Pure helpers both ends share: time, ids, money, text, errors and their messages, the fact
registry and canonical JSON. Imports nothing outside this package (and the standard library or
small libraries), so the centre can use it without ever loading the counter's storage."""
