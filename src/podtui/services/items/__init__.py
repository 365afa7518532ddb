"""What an operator does to one item or order: the status moves (compare-and-set plus timeline
event), split, artwork and design, shipping, archive, notes, and the order details read.

May import: domain, db, config, and render (an approval queues a render). Never textual.
"""
