"""Reading the clerk's input files (INPUTS.md): roles, headers, values, review rows.

    from jixi_batch.reading import read_inputs, InputBundle, InputError
    bundle = read_inputs(paths, policy, year=None)

The names are loaded on first use, so that ``jixi_batch.reading.workbooks`` can start
parsing the input files before numpy and pandas are imported.
"""
from .errors import InputError

__all__ = ["read_inputs", "InputBundle", "InputError"]


def __getattr__(name: str):
    if name in ("read_inputs", "InputBundle"):
        from . import loader
        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
