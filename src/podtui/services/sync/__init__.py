"""Orders in from the stores and tracking back out: import, upsert, payment holds, the background
sync, sync status and problems, tracking pushed to the store once.

May import: domain, db, config, adapters, connections and items. Never textual.
"""
