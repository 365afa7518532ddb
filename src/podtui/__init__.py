"""podtui: print-on-demand fulfillment from the terminal."""

__version__ = "0.1.0"
