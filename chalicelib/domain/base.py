"""The base of every model: its validation schema is built on first use, not at import."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A pydantic model whose schema is built when first used (cold starts stay short)."""

    model_config = ConfigDict(defer_build=True)
