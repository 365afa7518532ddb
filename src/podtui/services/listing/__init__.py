"""The order list's reads and bulk work: the filter language, keyset-paged SQL windows, reads off
the UI thread, marks, bulk actions and CSV export.

May import: domain, db, config, and the items, sending and render services. Never textual.
"""
