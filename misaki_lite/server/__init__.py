"""An OpenAI-compatible speech server on the Kokoro runner (the ``server`` extra).

    misaki-lite serve [--host 127.0.0.1] [--port 8880] [--api-key KEY] [--max-chars N]

or from Python, with any ASGI server::

    from misaki_lite.kokoro import Kokoro
    from misaki_lite.server import Settings, create_app
    app = create_app(Kokoro(workers=1), Settings(api_key="secret"))

Importing this package imports nothing heavy; Starlette loads with :func:`create_app`.
"""
from typing import Any

__all__ = ["create_app", "Settings", "MODELS", "APIError"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "Settings", "MODELS"):
        from . import app
        return getattr(app, name)
    if name == "APIError":
        from .errors import APIError
        return APIError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
