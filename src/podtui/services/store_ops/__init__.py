"""Store-side operations from the order page: each a change asked of the store exactly once."""
