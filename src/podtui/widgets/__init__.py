"""Widgets: pieces of screens. They paint and take keys; reads go through services in workers."""
