"""Fulfillment vendors: the `VendorAdapter` protocol, the kind table, and one adapter per
vendor (Printify, Printful, the hot folder).

May import: domain and the shared adapters (http, credentials). Never services or screens.
"""
