"""Store APIs: the store-neutral `StoreAdapter` protocol and its order types, the kind table,
and one client per store (Shopify Admin GraphQL, WooCommerce REST v3).

May import: domain and the shared adapters (http, credentials). Never services or screens.
"""
