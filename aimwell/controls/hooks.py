"""Registries other apps plug into, so readiness counts what they own without this app importing
them: open nonconformities (the audits and improvement app), and progress of certification-path
stages this app cannot see (training, internal audit, the certification project)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OpenNonconformity:
    """An open nonconformity, and the requirements or controls (by URN) it is raised against."""

    label: str
    requirement_urns: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class StageProgress:
    """Progress of one stage of the certification path, 0-100, with what it is based on."""

    percent: float
    detail: str
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RequirementCheck:
    """A check another app judges a requirement or control by, from its own records (e.g. the
    life-cycle app for A.6.2.x and 6.3): `result` 1 met, 0 not met, in between partly."""

    label: str
    result: float
    effort: int = 2
    hint: str = ""


RequirementCheckProvider = Callable[[Any], dict[str, list[RequirementCheck]]]
NonconformityProvider = Callable[[Any], Iterable[OpenNonconformity]]
StageProvider = Callable[[Any], StageProgress | None]

_NONCONFORMITY_PROVIDERS: list[NonconformityProvider] = []
_STAGE_PROVIDERS: dict[int, list[StageProvider]] = {}
_CHECK_PROVIDERS: list[RequirementCheckProvider] = []


def register_requirement_checks(provider: RequirementCheckProvider) -> RequirementCheckProvider:
    """Call with a function giving, per requirement or control ref (e.g. "A.6.2.5"), the checks
    an organisation's records meet or not."""
    if provider not in _CHECK_PROVIDERS:
        _CHECK_PROVIDERS.append(provider)
    return provider


def requirement_checks(organisation: Any) -> dict[str, list[RequirementCheck]]:
    found: dict[str, list[RequirementCheck]] = {}
    for provider in _CHECK_PROVIDERS:
        for ref, checks in provider(organisation).items():
            found.setdefault(ref, []).extend(checks)
    return found


def register_nonconformity_provider(provider: NonconformityProvider) -> NonconformityProvider:
    """Call with a function listing an organisation's open nonconformities."""
    if provider not in _NONCONFORMITY_PROVIDERS:
        _NONCONFORMITY_PROVIDERS.append(provider)
    return provider


def unregister_nonconformity_provider(provider: NonconformityProvider) -> None:
    if provider in _NONCONFORMITY_PROVIDERS:
        _NONCONFORMITY_PROVIDERS.remove(provider)


def register_stage_provider(stage: int, provider: StageProvider) -> StageProvider:
    """Report progress of a stage (4 training, 6 internal audit, 7 certification)."""
    if not 1 <= stage <= 7:
        raise ValueError("Stages of the certification path are numbered 1 to 7.")
    _STAGE_PROVIDERS.setdefault(stage, [])
    if provider not in _STAGE_PROVIDERS[stage]:
        _STAGE_PROVIDERS[stage].append(provider)
    return provider


def unregister_stage_provider(stage: int, provider: StageProvider) -> None:
    if provider in _STAGE_PROVIDERS.get(stage, []):
        _STAGE_PROVIDERS[stage].remove(provider)


def open_nonconformities(organisation: Any) -> list[OpenNonconformity]:
    found: list[OpenNonconformity] = []
    for provider in _NONCONFORMITY_PROVIDERS:
        found.extend(provider(organisation))
    return found


def stage_progress(stage: int, organisation: Any) -> StageProgress | None:
    for provider in _STAGE_PROVIDERS.get(stage, []):
        progress = provider(organisation)
        if progress is not None:
            return progress
    return None
