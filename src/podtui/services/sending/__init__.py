"""Items out to the vendors, never twice: which items go together, the claim before the call,
delivery, recovery after a crash, the automatic-submission countdown, vendor status and webhooks.

May import: domain, db, config, adapters, connections, items, render and sync (tracking push).
Never textual.
"""
