"""A small client of MLflow's REST API (the `/api/2.0/mlflow/` endpoints every MLflow tracking
server and Databricks serve), on the standard library.

Why not the `mlflow` package at run time: reading the registry needs four GET endpoints, while
`mlflow` (even mlflow-skinny) brings protobuf, the Databricks SDK, OpenTelemetry and more into
every Aimwell install. The tests run a real `mlflow server` and register models with the real
`mlflow` client (a dev dependency), so this client is checked against the server's own answers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aimwell.integrations.errors import IntegrationError
from aimwell.integrations.http import request

PAGE = 100
MAX_PAGES = 1000


@dataclass
class RegistryModel:
    name: str
    description: str
    tags: dict[str, str]
    aliases: dict[str, str]  # alias -> version


@dataclass
class ModelVersion:
    name: str
    version: str
    stage: str
    status: str
    description: str
    run_id: str
    source: str
    tags: dict[str, str]
    created_at: dt.datetime | None
    aliases: list[str] = field(default_factory=list)


@dataclass
class RunFacts:
    metrics: dict[str, float]
    datasets: list[dict[str, str]]


def _tags(items: list[dict[str, Any]] | None) -> dict[str, str]:
    return {str(t.get("key", "")): str(t.get("value", "")) for t in items or []}


def _millis(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


class MlflowClient:
    def __init__(self, tracking_url: str, *, token: str = "", timeout: float = 20) -> None:
        self.base = tracking_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.base}/api/2.0/mlflow/{path}?{urlencode(params)}"
        headers = {"Accept": "application/json", "User-Agent": "Aimwell-MLflow-sync/1"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            answer = request("GET", url, headers=headers, timeout=self.timeout)
        except OSError as exc:
            reason = getattr(exc, "reason", None) or exc
            raise IntegrationError(f"MLflow at {self.base} cannot be reached: {reason}") from exc
        if answer.status in (401, 403):
            raise IntegrationError(
                f"MLflow at {self.base} refused the credentials (HTTP {answer.status})."
            )
        try:
            data = json.loads(answer.body or b"{}")
        except ValueError as exc:
            raise IntegrationError(
                f"MLflow at {self.base} did not answer with JSON (HTTP {answer.status}); is this "
                "the tracking server's address?"
            ) from exc
        if answer.status != 200:
            message = data.get("message") if isinstance(data, dict) else None
            raise IntegrationError(
                f"MLflow answered HTTP {answer.status} to {path}: {message or 'no message'}"
            )
        return data if isinstance(data, dict) else {}

    def _pages(self, path: str, key: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        token = ""
        for _ in range(MAX_PAGES):
            page = self._get(path, {**params, **({"page_token": token} if token else {})})
            yield from page.get(key, []) or []
            token = page.get("next_page_token", "")
            if not token:
                return
        raise IntegrationError(f"MLflow kept paging {path} past {MAX_PAGES} pages.")

    def registered_models(self) -> Iterator[RegistryModel]:
        for item in self._pages(
            "registered-models/search", "registered_models", {"max_results": PAGE}
        ):
            yield RegistryModel(
                name=str(item["name"]),
                description=str(item.get("description", "")),
                tags=_tags(item.get("tags")),
                aliases={str(a["alias"]): str(a["version"]) for a in item.get("aliases", []) or []},
            )

    def versions(self, model: RegistryModel) -> list[ModelVersion]:
        quoted = model.name.replace("'", "\\'")
        found = []
        for item in self._pages(
            "model-versions/search",
            "model_versions",
            {"filter": f"name='{quoted}'", "max_results": PAGE},
        ):
            version = str(item["version"])
            found.append(
                ModelVersion(
                    name=model.name,
                    version=version,
                    stage=str(item.get("current_stage", "") or ""),
                    status=str(item.get("status", "") or ""),
                    description=str(item.get("description", "") or ""),
                    run_id=str(item.get("run_id", "") or ""),
                    source=str(item.get("source", "") or ""),
                    tags=_tags(item.get("tags")),
                    created_at=_millis(item.get("creation_timestamp")),
                    aliases=sorted(a for a, v in model.aliases.items() if v == version),
                )
            )
        return sorted(found, key=lambda v: (len(v.version), v.version))

    def run(self, run_id: str) -> RunFacts:
        data = self._get("runs/get", {"run_id": run_id}).get("run", {})
        metrics = {
            str(m["key"]): float(m["value"])
            for m in (data.get("data", {}) or {}).get("metrics", []) or []
            if "key" in m and "value" in m
        }
        datasets = []
        for entry in (data.get("inputs", {}) or {}).get("dataset_inputs", []) or []:
            dataset = entry.get("dataset", {}) or {}
            datasets.append(
                {
                    "name": str(dataset.get("name", "")),
                    "digest": str(dataset.get("digest", "")),
                    "source": str(dataset.get("source", "")),
                    "source_type": str(dataset.get("source_type", "")),
                    "context": _tags(entry.get("tags")).get("mlflow.data.context", ""),
                }
            )
        return RunFacts(metrics=metrics, datasets=[d for d in datasets if d["name"]])
