"""The demo's data: a deterministic generator of a realistic shop, the seeder that writes it in
bulk, and the sandboxes filled with the same orders for `podtui demo`.

Imported only by `podtui.cli.demo`, the tests and the benches; may import anything of podtui.
"""
