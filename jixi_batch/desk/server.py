"""``python process.py desk``: the desk served on 127.0.0.1 by Werkzeug's threaded server.

Werkzeug's own server is enough here: one clerk on one machine, a handful of requests a minute, and
nothing but the loopback address listening. It is not meant for a network.
"""
from __future__ import annotations

import logging
import secrets
import socket
import webbrowser
from pathlib import Path

HOST = "127.0.0.1"


def make_server(output: Path, port: int = 0, token: str | None = None):
    """A server for the desk on HOST (a free port when ``port`` is 0) and its token."""
    from werkzeug.serving import make_server as werkzeug_server

    from .app import create_app

    if port:                  # Werkzeug would print its own English and exit on a taken port
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((HOST, port))
    token = token or secrets.token_urlsafe(24)
    app = create_app(output, token)
    # no request log: it would print every address, the first one with the token in it
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    return werkzeug_server(HOST, port, app, threaded=True), token


def address(server, token: str) -> str:
    return f"http://{HOST}:{server.port}/?token={token}"


def serve(output: Path, port: int = 0, open_browser: bool = True) -> int:
    try:
        server, token = make_server(output, port)
    except OSError as exc:
        print(f"错误：工作台未能启动，端口 {port} 无法使用（{exc.strerror or exc}）。请换一个端口（--port）或不指定端口。")
        return 1
    url = address(server, token)
    print(f"工作台地址：{url}", flush=True)
    print(f"输出文件夹：{Path(output).absolute()}", flush=True)
    print("在浏览器中使用工作台；按 Ctrl+C 停止。", flush=True)
    if open_browser:
        try:
            webbrowser.open(url)
        except Exception:  # no browser on this machine: the address above still works
            print("未能自动打开浏览器，请把上面的地址复制到浏览器中打开。")
    try:
        server.serve_forever()      # Werkzeug's returns on Ctrl+C (it swallows the KeyboardInterrupt)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("\n工作台已停止。", flush=True)
    return 0
