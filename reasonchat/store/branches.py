"""A conversation as a tree: every message follows a parent (the one before it when it was written), and a
regenerated answer or an edited question is a sibling of the one it replaces on screen — nothing is deleted.
The conversation shows one branch: the path from the first message to its `head`. These are the tree's
walks, on plain id maps, so the store (and its tests) can ask them without SQL.
"""

from __future__ import annotations

from collections.abc import Mapping


def path_to(head: int | None, parents: Mapping[int, int | None]) -> list[int]:
    """The ids from the first message down to `head`, in order."""
    out: list[int] = []
    seen: set[int] = set()
    node = head
    while node is not None and node in parents and node not in seen:
        seen.add(node)
        out.append(node)
        node = parents[node]
    return out[::-1]


def children(parents: Mapping[int, int | None]) -> dict[int | None, list[int]]:
    """Each message's children in the order they were written (None: the conversation's first messages)."""
    out: dict[int | None, list[int]] = {}
    for node in sorted(parents):
        out.setdefault(parents[node], []).append(node)
    return out


def newest_leaf(start: int, parents: Mapping[int, int | None]) -> int:
    """Down from `start`, always to the newest child: where that branch was left (a version switched to
    shows its latest continuation)."""
    below = children(parents)
    node = start
    while below.get(node):
        node = below[node][-1]
    return node


def leaves(parents: Mapping[int, int | None]) -> list[int]:
    """The end of every branch, oldest first."""
    below = children(parents)
    return [node for node in sorted(parents) if not below.get(node)]


def siblings(node: int, parents: Mapping[int, int | None], roles: Mapping[int, str]) -> list[int]:
    """`node` and the other versions of it: same parent, same role, in the order written."""
    parent = parents.get(node)
    return [n for n in children(parents).get(parent, []) if roles.get(n) == roles.get(node)]
