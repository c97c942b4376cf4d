"""Critical-reading teaching tool.

``create_app`` (the application factory, in :mod:`webapp.factory`), ``Config`` and
``TestConfig`` are imported the first time they are asked for, so that the pure-Python scorer
(``webapp.scoring``) and the lesson loader (``webapp.content``) load without Flask or SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Config, TestConfig
    from .factory import create_app

__all__ = ["create_app", "Config", "TestConfig"]

_LAZY = {"create_app": "webapp.factory", "Config": "webapp.config", "TestConfig": "webapp.config"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'webapp' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
