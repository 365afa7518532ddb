"""How counts and names read in what podtui says: '1 item', '2 items', a kind said once."""

from __future__ import annotations

KIND_WORDS = {
    "hotfolder": "hot folder",
    "woocommerce": "woocommerce",
}


def plural(word: str) -> str:
    """The plural of an English noun (or of the last word of a noun phrase)."""
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def count(n: int, word: str, many: str | None = None) -> str:
    """`n` and the noun, singular for one: '1 item', '1,204 items'."""
    return f"{n:,} {word if n == 1 else (many or plural(word))}"


def name_with_kind(name: str, kind: str) -> str:
    """A store's or vendor's name, then its kind in brackets unless the name already says it."""
    said = KIND_WORDS.get(kind, kind)
    squeezed = name.lower().replace(" ", "").replace("-", "")
    if kind.lower() in squeezed or said.lower().replace(" ", "") in squeezed:
        return name
    return f"{name} ({said})"


def system_name(system: str, name: str) -> str:
    """An outside system and the shop's name for it, the system said once: 'Printify (Acme)'."""
    return name if system.lower() in name.lower() else f"{system} ({name})"


def items_are(ids: list[int]) -> str:
    """'Item 192 is' or 'Items 5, 6 are': a list of item ids and its verb."""
    listed = ", ".join(str(i) for i in ids)
    return f"Item {listed} is" if len(ids) == 1 else f"Items {listed} are"
