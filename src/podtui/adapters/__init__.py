"""The outside world: store and vendor APIs, the hot folder, and their in-process sandboxes."""
