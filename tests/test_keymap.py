"""The key registry: a key the whole app answers to means one thing on every screen."""

from __future__ import annotations

from podtui.keymap import DIALOG_SCOPES, REGISTRY


def _keys(entry_keys: str) -> set[str]:
    return {k.strip() for k in entry_keys.split(",")}


def test_an_app_wide_key_is_not_taken_again_by_any_screen() -> None:
    app_keys = {k: e.id for e in REGISTRY if e.scope == "app" for k in _keys(e.keys)}
    # A dialog gets only the app's priority keys (? and the palette): those it may not take.
    priority = {k: e.id for e in REGISTRY if e.scope == "app" and e.priority for k in _keys(e.keys)}
    clashes = [
        f"{e.id} takes {k!r}, which is {taken[k]} everywhere"
        for e in REGISTRY
        if e.scope != "app"
        for taken in [priority if e.scope in DIALOG_SCOPES else app_keys]
        for k in _keys(e.keys)
        if k in taken
    ]
    assert clashes == []


def test_no_screen_binds_one_key_to_two_actions() -> None:
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for e in REGISTRY:
        for k in _keys(e.keys):
            other = seen.setdefault((e.scope, k), e.id)
            if other != e.id:
                clashes.append(f"{e.scope}: {k!r} is {other} and {e.id}")
    assert clashes == []
