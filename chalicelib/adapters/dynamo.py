"""Items between DynamoDB's typed JSON and the plain values the service writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def item(values: dict[str, Any]) -> dict[str, Any]:
    """Return `values` as DynamoDB's typed JSON."""
    return {k: _serializer.serialize(v) for k, v in values.items()}


def plain(typed: dict[str, Any]) -> dict[str, Any]:
    """Return a typed item as the plain values that were written."""
    return {k: numbers(_deserializer.deserialize(v)) for k, v in typed.items()}


def numbers(value: Any) -> Any:
    """Turn DynamoDB's Decimals back into the ints (or floats) that were written."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [numbers(v) for v in value]
    return value
