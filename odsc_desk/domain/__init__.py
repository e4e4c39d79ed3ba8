"""The rules of the counter: requests, payments, cash, the catalog, users and settings.

Each module writes its facts through `storage.ledger`, inside one transaction per action."""
