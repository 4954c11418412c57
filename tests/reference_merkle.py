"""A literal reading of RFC 9162 §2.1: each definition as a recursive function over lists.

Slow on purpose: it recomputes every subtree from its leaves, so that it shares no shortcut with
chalicelib.domain.merkle and can check it. Its verifiers rebuild the roots by running the proof
definitions backwards instead of following the RFC's bit-twiddling verification algorithms.
"""

from __future__ import annotations

import hashlib


def _hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return _hash(b"\x01" + left + right)


def _leaf(data: bytes) -> bytes:
    return _hash(b"\x00" + data)


def largest_power_of_two_below(n: int) -> int:
    """Return the largest power of two smaller than n (n > 1), counting up."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    """Return MTH(D[n])."""
    n = len(d)
    if n == 0:
        return _hash(b"")
    if n == 1:
        return _leaf(d[0])
    k = largest_power_of_two_below(n)
    return _node(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    """Return PATH(m, D[n])."""
    n = len(d)
    if n == 1:
        return []
    k = largest_power_of_two_below(n)
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def proof(m: int, d: list[bytes]) -> list[bytes]:
    """Return PROOF(m, D[n])."""
    return subproof(m, d, True)


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """Return SUBPROOF(m, D[n], b)."""
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = largest_power_of_two_below(n)
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


def path_sides(m: int, n: int) -> list[bool]:
    """Return, leaf upwards, whether each sibling on PATH(m, D[n]) lies to the left."""
    if n == 1:
        return []
    k = largest_power_of_two_below(n)
    if m < k:
        return [*path_sides(m, k), False]
    return [*path_sides(m - k, n - k), True]


def _root_from_path(m: int, n: int, leaf_hash: bytes, siblings: list[bytes]) -> bytes | None:
    if n == 1:
        return None if siblings else leaf_hash
    if not siblings:
        return None
    k = largest_power_of_two_below(n)
    *rest, sibling = siblings
    if m < k:
        inner = _root_from_path(m, k, leaf_hash, rest)
        return None if inner is None else _node(inner, sibling)
    inner = _root_from_path(m - k, n - k, leaf_hash, rest)
    return None if inner is None else _node(sibling, inner)


def verify_inclusion(leaf: bytes, m: int, n: int, siblings: list[bytes], root: bytes) -> bool:
    """Return whether undoing PATH(m, D[n]) over `siblings` rebuilds `root`."""
    if not 0 <= m < n:
        return False
    return _root_from_path(m, n, _leaf(leaf), siblings) == root


def _roots_from_subproof(
    m: int, n: int, b: bool, hashes: list[bytes], old_root: bytes
) -> tuple[bytes, bytes] | None:
    if m == n:
        if b:
            return None if hashes else (old_root, old_root)
        return (hashes[0], hashes[0]) if len(hashes) == 1 else None
    if not hashes:
        return None
    k = largest_power_of_two_below(n)
    *rest, last = hashes
    if m <= k:
        inner = _roots_from_subproof(m, k, b, rest, old_root)
        return None if inner is None else (inner[0], _node(inner[1], last))
    inner = _roots_from_subproof(m - k, n - k, False, rest, old_root)
    return None if inner is None else (_node(last, inner[0]), _node(last, inner[1]))


def verify_consistency(
    m: int, n: int, old_root: bytes, new_root: bytes, hashes: list[bytes]
) -> bool:
    """Return whether undoing PROOF(m, D[n]) over `hashes` rebuilds both roots."""
    if not 0 < m <= n:
        return False
    return _roots_from_subproof(m, n, True, hashes, old_root) == (old_root, new_root)
