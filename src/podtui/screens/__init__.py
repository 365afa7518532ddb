"""Screens and modals: what the operator sees and presses; no SQL, no HTTP."""
