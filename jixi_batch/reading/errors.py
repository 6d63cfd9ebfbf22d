"""The one exception reading raises: the inputs cannot be used (message in Chinese)."""
from __future__ import annotations


class InputError(Exception):
    """The run cannot proceed with these inputs; ``message`` names the file (and sheet/column)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
