"""File names podtui makes from data (order names, vendor keys, titles): bounded and distinct.

A store lets an order name run to hundreds of characters; a file system allows 255 bytes in one
name (a share or a RIP often less), and podtui adds suffixes and hidden temporary names on top.
Every name made from data goes through `bounded`: a short name is kept as it is, a long one keeps
its start (so it still reads as the order it is) and ends in a hash of the whole text, so two long
names that share their start stay two files.
"""

from __future__ import annotations

import hashlib

MAX_STEM = 100  # bytes; leaves room for "-<item>-<placement>.png" and ".<name>.part"
HASH_CHARS = 12  # hex digits of SHA-256: 48 bits, no collision among a shop's names


def bounded(text: str, limit: int = MAX_STEM) -> str:
    """`text` if it fits in `limit` UTF-8 bytes, else its start, "-" and a hash of all of it."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    if limit < HASH_CHARS + 2:
        raise ValueError(f"a bound of {limit} bytes leaves no room for the hash")
    digest = hashlib.sha256(data).hexdigest()[:HASH_CHARS]
    # Cut on a character boundary, and drop separators the cut left dangling.
    head = data[: limit - HASH_CHARS - 1].decode("utf-8", "ignore").rstrip("-_. ")
    return f"{head}-{digest}"
