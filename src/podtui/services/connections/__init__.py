"""How podtui reaches stores and vendors: secrets in the keyring, connecting and testing a store
or a vendor, and the `Reach` the demo and the tests hand in to route adapters to sandboxes.

May import: domain, db, config and adapters. Never textual.
"""
