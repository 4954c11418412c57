"""Merkle trees over audit events, as RFC 9162 (Certificate Transparency 2.0) §2.1 defines them.

Leaves are hashed as SHA-256(0x00 || data), interior nodes as SHA-256(0x01 || left || right),
and a tree of n > 1 leaves splits at the largest power of two smaller than n. Inclusion and
consistency proofs follow §2.1.3 and §2.1.4; their verifiers answer False, never raise, on
forged, truncated, padded or out-of-range proofs.

A proof does not bind the tree size on its own: the same path can fit trees of several sizes
(leaf 0 has the same path shape in trees of 5 to 8 leaves), so a checkpoint must commit to its
size and root together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_sha256 = hashlib.sha256

# Returns the Merkle Tree Hash of leaves [start, end) of the tree being proven.
_Subtree = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    """Return the hash of a leaf: SHA-256(0x00 || data)."""
    return _sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the hash of an interior node: SHA-256(0x01 || left || right)."""
    return _sha256(_NODE_PREFIX + left + right).digest()


class TreeHasher:
    """Build a Merkle Tree Hash one leaf at a time in O(log n) memory."""

    __slots__ = ("_frontier", "_size")

    def __init__(self) -> None:
        # Roots of the perfect subtrees that make up the tree, largest first: one per set bit
        # of the size.
        self._frontier: list[bytes] = []
        self._size = 0

    @property
    def size(self) -> int:
        """Return how many leaves have been added."""
        return self._size

    def append(self, data: bytes) -> None:
        """Add a leaf given its data."""
        self.append_hash(_sha256(_LEAF_PREFIX + data).digest())

    def append_hash(self, digest: bytes) -> None:
        """Add a leaf given its leaf hash."""
        frontier, size = self._frontier, self._size
        while size & 1:
            digest = _sha256(_NODE_PREFIX + frontier.pop() + digest).digest()
            size >>= 1
        frontier.append(digest)
        self._size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add leaves given their data."""
        for data in leaves:
            self.append(data)

    def root(self) -> bytes:
        """Return the Merkle Tree Hash of the leaves added so far."""
        frontier = self._frontier
        if not frontier:
            return EMPTY_ROOT
        digest = frontier[-1]
        for left in reversed(frontier[:-1]):
            digest = _sha256(_NODE_PREFIX + left + digest).digest()
        return digest


def root(leaves: Iterable[bytes]) -> bytes:
    """Return the Merkle Tree Hash of the leaves, given their data."""
    hasher = TreeHasher()
    hasher.extend(leaves)
    return hasher.root()


def _split(n: int) -> int:
    """Return the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _inclusion_path(index: int, size: int, subtree: _Subtree) -> list[bytes]:
    """Return PATH(index, D[size]), walking down from the root instead of recursing."""
    path: list[bytes] = []
    start, m, n = 0, index, size
    while n > 1:
        k = _split(n)
        if m < k:
            path.append(subtree(start + k, start + n))
            n = k
        else:
            path.append(subtree(start, start + k))
            start, m, n = start + k, m - k, n - k
    path.reverse()
    return path


def _consistency_path(old_size: int, size: int, subtree: _Subtree) -> list[bytes]:
    """Return PROOF(old_size, D[size]) = SUBPROOF(old_size, D[size], true), walking down."""
    path: list[bytes] = []
    start, m, n, whole_old_tree = 0, old_size, size, True
    while m != n:
        k = _split(n)
        if m <= k:
            path.append(subtree(start + k, start + n))
            n = k
        else:
            path.append(subtree(start, start + k))
            start, m, n, whole_old_tree = start + k, m - k, n - k, False
    if not whole_old_tree:
        path.append(subtree(start, start + n))
    path.reverse()
    return path


def _check_index(index: int, size: int) -> None:
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of {size} leaves")


def _check_old_size(old_size: int, size: int) -> None:
    if not 0 < old_size <= size:
        raise ValueError(f"old size {old_size} is not between 1 and the tree size {size}")


def _streamed(leaves: Sequence[bytes]) -> _Subtree:
    # The subtrees of one proof are disjoint, so hashing each from its leaves is O(n) in all.
    def subtree(start: int, end: int) -> bytes:
        hasher = TreeHasher()
        for position in range(start, end):
            hasher.append(leaves[position])
        return hasher.root()

    return subtree


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """Return the inclusion proof of leaf `index` in the tree of `leaves` (RFC 9162 PATH)."""
    _check_index(index, len(leaves))
    return _inclusion_path(index, len(leaves), _streamed(leaves))


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """Return the proof that the tree of the first `old_size` leaves is a prefix of this one."""
    _check_old_size(old_size, len(leaves))
    return _consistency_path(old_size, len(leaves), _streamed(leaves))


class MerkleTree:
    """Keep every node of a tree so that each proof costs O(log n) instead of O(n)."""

    __slots__ = ("_levels",)

    def __init__(self, leaves: Iterable[bytes]) -> None:
        level = [_sha256(_LEAF_PREFIX + data).digest() for data in leaves]
        # levels[h][j] is the root of leaves [j * 2**h, min((j + 1) * 2**h, size)): a last,
        # unpaired node moves up unchanged, which yields exactly the RFC's split.
        self._levels = [level]
        while len(level) > 1:
            paired = [
                _sha256(_NODE_PREFIX + level[i] + level[i + 1]).digest()
                for i in range(0, len(level) - 1, 2)
            ]
            if len(level) % 2:
                paired.append(level[-1])
            self._levels.append(paired)
            level = paired

    @property
    def size(self) -> int:
        """Return the number of leaves."""
        return len(self._levels[0])

    @property
    def root(self) -> bytes:
        """Return the Merkle Tree Hash."""
        top = self._levels[-1]
        return top[0] if top else EMPTY_ROOT

    def leaf_hash(self, index: int) -> bytes:
        """Return the leaf hash at `index`."""
        _check_index(index, self.size)
        return self._levels[0][index]

    def _subtree(self, start: int, end: int) -> bytes:
        # Every subtree a proof names is [start, end) with start a multiple of 2**height.
        height = (end - start - 1).bit_length()
        return self._levels[height][start >> height]

    def inclusion_proof(self, index: int) -> list[bytes]:
        """Return the inclusion proof of leaf `index` (RFC 9162 PATH)."""
        _check_index(index, self.size)
        return _inclusion_path(index, self.size, self._subtree)

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """Return the consistency proof from the first `old_size` leaves (RFC 9162 PROOF)."""
        _check_old_size(old_size, self.size)
        return _consistency_path(old_size, self.size, self._subtree)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def verify_inclusion(
    leaf_data: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Return whether `proof` shows `leaf_data` at `index` of the tree of `tree_size` and `root`.

    Follows RFC 9162 §2.1.3.2 step by step.
    """
    if not (isinstance(leaf_data, bytes) and _is_size(index) and _is_size(tree_size)):
        return False
    if not (_is_hash(root) and all(_is_hash(p) for p in proof)):
        return False
    if index < 0 or index >= tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = leaf_hash(leaf_data)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Return whether `proof` shows the tree of `old_size` and `old_root` is a prefix of the new.

    Follows RFC 9162 §2.1.4.2 step by step for 0 < old_size < new_size; equal sizes are
    consistent exactly when the proof is empty and the roots are equal.
    """
    if not (_is_size(old_size) and _is_size(new_size)):
        return False
    if not (_is_hash(old_root) and _is_hash(new_root) and all(_is_hash(p) for p in proof)):
        return False
    if old_size <= 0 or old_size > new_size:
        return False
    if old_size == new_size:
        return len(proof) == 0 and old_root == new_root
    if len(proof) == 0:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0
