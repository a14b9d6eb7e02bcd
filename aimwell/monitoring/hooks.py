"""Where other apps plug into monitoring: what to open when a run breaches a threshold, and who
wants to hear about every finished run (AI objectives measured by a monitor, for instance).

`register_breach_handler("incident", fn)` makes the monitor setting *open an incident* effective:
`fn(run, breaches, actor)` opens it and returns `{"id", "label"}` (and optionally `"url"`), or
None when it decided not to. Until a handler for a kind is registered, a run that asks for one
records that it could not be opened, so nothing is silently dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BreachHandler = Callable[[Any, list[dict[str, Any]], Any], dict[str, Any] | None]
RunListener = Callable[[Any], None]

BREACH_KINDS = ("incident", "nonconformity")
_HANDLERS: dict[str, BreachHandler] = {}
_LISTENERS: list[RunListener] = []


def register_breach_handler(kind: str, handler: BreachHandler) -> None:
    if kind not in BREACH_KINDS:
        raise ValueError(f"kind must be one of {', '.join(BREACH_KINDS)}")
    _HANDLERS[kind] = handler


def unregister_breach_handler(kind: str) -> None:
    _HANDLERS.pop(kind, None)


def breach_handler(kind: str) -> BreachHandler | None:
    return _HANDLERS.get(kind)


def register_run_listener(listener: RunListener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def unregister_run_listener(listener: RunListener) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def run_listeners() -> list[RunListener]:
    return list(_LISTENERS)
