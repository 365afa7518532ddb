"""The outside world: store APIs, vendor APIs and the hot folder, one module per system."""
