"""Serving with several processes: gunicorn's threaded workers around the same WSGI application
`aimwell serve` gives waitress (which runs one process). On 2 cores, two processes of a few
threads each keep both cores busy where one Python process is held to one by its lock."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Application(BaseApplication):
    """gunicorn around an application already loaded (Django is set up before the fork)."""

    def __init__(self, application: Any, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def gunicorn_options(
    *, bind: str, processes: int, threads: int, trusted_proxy: str
) -> dict[str, Any]:
    """The server's settings: forwarded headers are believed only from the trusted proxy (none
    when it is not set), like the waitress setup."""
    return {
        "bind": bind,
        "workers": processes,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 120,
        "graceful_timeout": 20,
        "forwarded_allow_ips": trusted_proxy or "",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }


def serve_processes(
    application: Any, *, bind: str, processes: int, threads: int, trusted_proxy: str
) -> None:
    """Run until stopped (Ctrl+C or SIGTERM stops every process)."""
    from django.db import connections

    connections.close_all()  # no connection opened before the fork may be shared by children
    options = gunicorn_options(
        bind=bind, processes=processes, threads=threads, trusted_proxy=trusted_proxy
    )
    _Application(application, options).run()
