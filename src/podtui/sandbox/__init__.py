"""Loopback and in-process doubles of the real store and vendor APIs (WooCommerce, Shopify
GraphQL, Printify, Printful) with their shapes and failures, for the demo and the tests.

Imported only by the demo, the tests and the benches; may import adapters and domain.
"""
