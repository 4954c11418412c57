"""The audit trail is written by one module, only inside transactions, and never rewritten; the
trail store beside it only reads it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]


WRITES = {"put_item", "update_item", "delete_item", "batch_write_item", "transact_write_items"}


def test_only_the_repository_and_the_trail_store_name_the_audit_table() -> None:
    naming = [
        path.relative_to(ROOT).as_posix()
        for path in SOURCES
        if "audit_table" in path.read_text() and path.name != "config.py"
    ]
    assert naming == ["chalicelib/adapters/repository.py", "chalicelib/adapters/trail_store.py"]


def test_the_trail_store_only_reads_the_audit_table() -> None:
    tree = ast.parse((ROOT / "chalicelib/adapters/trail_store.py").read_text())
    touching = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and "audit_table" in ast.unparse(node)
    ]
    assert touching, "the trail store reads the audit table"
    for function in touching:
        called = {
            node.func.attr
            for node in ast.walk(function)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        assert called & WRITES == set(), function.name


def test_audit_events_are_written_only_inside_transactions() -> None:
    tree = ast.parse((ROOT / "chalicelib/adapters/repository.py").read_text())
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    # put_item is for uploads in the cases table; check that no call writes to the audit table.
    writes_to_audit = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"put_item", "update_item", "delete_item", "batch_write_item"}
        and "audit_table" in ast.unparse(node)
    ]
    assert writes_to_audit == []
    assert "transact_write_items" in calls
    event_put = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "_event_put"
    )
    assert "attribute_not_exists(pk)" in ast.unparse(event_put)
