"""The key names `[keys]` accepts are Textual's; the default keys do not clash."""

from __future__ import annotations

import pytest
from textual.keys import Keys, _character_to_key

from reasonchat import keys


def test_every_default_key_is_a_key_and_none_clash() -> None:
    assert keys.check({}) == []
    for name, (key, _) in keys.ACTIONS.items():
        assert keys.key_problem(key) == "", name


def test_the_named_keys_are_textuals() -> None:
    names = {k.value for k in Keys}
    for key in keys.NAMED:
        assert key in names or key in ("space", "enter", "backspace"), key
    for char in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
        assert _character_to_key(char) in keys.KEYS, char


@pytest.mark.parametrize(("value", "nearest"), [("f55", "f5"), ("ctrl+gg", "ctrl+g"),
                                                ("ctrl+pagedwn", "ctrl+pagedown")])
def test_a_near_miss_names_the_nearest(value: str, nearest: str) -> None:
    assert f"did you mean '{nearest}'" in keys.key_problem(value)
