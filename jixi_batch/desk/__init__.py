"""The clerks' desk (DESK.md): the batch from a web page on the clerk's own computer.

A second face of :func:`jixi_batch.batch.run`, served by Flask on 127.0.0.1 only; every computation
writes an ordinary run folder in the output folder, as the command line does.
"""
from .app import MAX_FILES, MAX_UPLOAD_BYTES, create_app

__all__ = ["create_app", "MAX_FILES", "MAX_UPLOAD_BYTES"]
