"""Every page the demo admin can reach, enumerated from the URLconf.

The URLconf says which routes exist; the demo says which objects they open. Starting from the
dashboard, the pages are walked through their links (one real object per route: the first link to
it that a page shows), every route without parameters is opened directly, and every route that a
form posts to is tried with GET to learn that it only takes POST. What is left over must be named in
SKIPPED with the reason; a new route that no page links to fails `unreached()` until it is linked or
listed. The browser tests (widths, axe-core) and the labels test share one enumeration per test run.
"""

from __future__ import annotations

import re
import uuid
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Routes a page never opens as a page, with the reason.
SKIPPED: dict[str, str] = {
    # downloads and exports: the body is a file, not a page
    "catalog:export": "download (framework as YAML/JSON/CSV)",
    "inventory:export": "export (AI systems register as xlsx/CSV)",
    "context:issues-export": "export (CSV)",
    "context:parties-export": "export (CSV)",
    "context:legal-export": "export (CSV)",
    "context:objectives-export": "export (CSV)",
    "context:principles-export": "export (CSV)",
    "context:roles-export": "export (CSV)",
    "context:bodies-export": "export (CSV)",
    "context:commitments-export": "export (CSV)",
    "documents:pdf": "download (PDF of a document version)",
    "evidence:pack-download": "download (zip of an evidence pack)",
    "evidence:download": "download (the evidence file)",
    "risks:export": "export (risk register as xlsx/CSV)",
    "controls:export": "export (Statement of Applicability as xlsx)",
    "internal_audit:audit-report-pdf": "download (PDF of the audit report)",
    "monitoring:run-result": "download (JSON result of a run)",
    "transparency:card-download": "download (system card as PDF/JSON/Markdown)",
    "reports:download": "download (certification pack zip)",
    "interchange:oscal": "download (OSCAL JSON)",
    # redirect-only, or pages a signed-in admin of the demo is sent away from
    "login": "redirect-only for a signed-in member (the sign-in page is for visitors)",
    "password_change_done": "redirect target after a password change; no link leads to it",
    "sso-start": "redirect-only (to the identity provider; single sign-on is off in the demo)",
    "sso-callback": "redirect-only (the identity provider's return address)",
    "two-factor-verify": "redirect-only unless a second factor is pending (the demo has none)",
    # fragments HTMX puts into a page, not pages themselves
    "catalog:pick": "fragment: a picker's search results (core/widgets.py)",
    "evidence:pick-target": "fragment: the 'Link to' picker's search results",
    "evidence:pick": "fragment: the evidence picker's results (answers, findings)",
    "documents:pick": "fragment: the document picker's results (application documents)",
    "notifications:inbox-count": "fragment: the inbox count the header loads",
    "inventory:link-pick": "fragment: a system page's model/dataset/supplier picker results",
    "certification:workspace-pick": "fragment: the auditor's sample picker results",
    "governance:principle-pick": "fragment: a principle's 'Link to' picker results",
    "inventory:system-pick": "fragment: the AI-system picker's results (concerns, findings)",
    "member-pick": "fragment: the member picker's results (people fields)",
    "certification:workspace-members": "fragment: the workspace's member picker results",
    "invitation": "redirect-only for a signed-in member; needs an invitation's one-time secret",
    "context:scope-draft": "redirect-only to the scope page without a draft (none in the demo)",
    "context:scope-regenerate": "POST action on a draft scope (404 without one; none in the demo)",
    "context:scope-approve": "POST action on a draft scope (404 without one; none in the demo)",
    "context:scope-discard": "POST action on a draft scope (404 without one; none in the demo)",
    "governance:principle-unlink": "POST action (GET answers 404 by design)",
    # pages of objects the demo does not hold
    "documents:edit": "the demo holds no document with an open draft to edit",
    "documents:conflict": "the demo holds no concurrent-edit conflict",
    "integrations:webhook": "the demo holds no webhook endpoint",
    "integrations:delivery": "the demo holds no webhook delivery",
}

# Pages no page of the demo links to, opened beside a page that is linked: name -> (page, suffix).
BESIDE: dict[str, tuple[str, str]] = {
    f"context:{key}-delete": (f"context:{key}-detail", "delete/")
    for key in ("issues", "parties", "legal", "objectives", "roles")
} | {"internal_audit:audit-edit": ("internal_audit:audit", "edit/")}

# Route names whose string arguments choose a different page, not a different object.
KIND_ARGUMENTS = {"kind"}


@dataclass
class Page:
    key: str  # route name, plus the kind for per-kind pages (inventory:list/models)
    url: str
    html: str = field(default="", repr=False)


@dataclass
class Enumeration:
    pages: list[Page] = field(default_factory=list)
    post_only: set[str] = field(default_factory=set)
    skipped_seen: dict[str, str] = field(default_factory=dict)  # key -> url
    downloads: set[str] = field(default_factory=set)  # every linked url of a skipped route
    failures: dict[str, str] = field(default_factory=dict)  # url -> status

    def reached(self) -> set[str]:
        names = {page.key.split("/")[0] for page in self.pages}
        return names | self.post_only | {key.split("/")[0] for key in self.skipped_seen}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.post_targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif tag == "form" and (values.get("method") or "get").lower() == "post":
            self.post_targets.append(values.get("action") or "")
        for name in ("hx-get",):
            if values.get(name):
                self.links.append(values[name] or "")
        if values.get("hx-post"):
            self.post_targets.append(values["hx-post"] or "")


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            found.append((prefix + str(pattern.pattern), name))
    return found


def page_routes() -> dict[str, str]:
    """Route name -> pattern for every route of the web pages (not the API, not Django's admin)."""
    return {
        name: route
        for route, name in _routes(get_resolver().url_patterns)
        if not route.startswith(("api/", "django-admin/"))
    }


def _key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if not name or match.route.startswith(("api/", "django-admin/")):
        return None
    kinds = [f"{k}={v}" for k, v in sorted(match.kwargs.items()) if k in KIND_ARGUMENTS]
    return "/".join([name, *kinds])


def _local(base: str, href: str) -> str | None:
    absolute = urljoin(base, href)
    parts = urlsplit(absolute)
    if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _probe(route: str) -> str:
    """The route with made-up arguments: enough to learn whether it answers GET at all."""
    values = {"uuid": str(uuid.uuid4()), "int": "1", "slug": "x", "str": "x", "path": "x"}
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: values[m.group(1) or "str"], route)


def enumerate_pages(client: Client) -> Enumeration:
    """Walks the site as `client` (signed in, organisation chosen) sees it."""
    result = Enumeration()
    routes = page_routes()
    seen: set[str] = set()
    queue: deque[str] = deque(["/"])
    queue.extend("/" + route for name, route in routes.items() if "<" not in route)
    post_targets: set[str] = set()
    refused: dict[str, tuple[str, str]] = {}  # key -> (url, status)
    while queue:
        url = queue.popleft()
        key = _key(url.split("?")[0])
        if key is None:
            continue
        name = key.split("/")[0]
        if name in SKIPPED:
            result.downloads.add(url)  # each format of an export is its own file
        if key in seen:
            continue
        seen.add(key)
        if name in SKIPPED:
            result.skipped_seen[key] = url
            continue
        response = client.get(url)
        if response.status_code == 405:
            result.post_only.add(name)
            continue
        if response.status_code != 200:
            refused[key] = (url, str(response.status_code))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            kind = response.get("Content-Type")
            result.failures[url] = f"200 {kind} (a download: add it to SKIPPED)"
            continue
        html = response.content.decode()
        result.pages.append(Page(key, url, html))
        parser = _Links()
        parser.feed(html)
        queue.extend(filter(None, (_local(url, href) for href in parser.links)))
        for action in parser.post_targets:
            local = _local(url, action or url)
            target = _key(local.split("?")[0]) if local else None
            if target and target not in seen:
                queue.append(local)  # type: ignore[arg-type]
            if target:
                post_targets.add(target)
    for key, (url, status) in refused.items():
        if key in post_targets:  # a form's target that answers GET with a redirect or 404
            result.post_only.add(key.split("/")[0])
        else:
            result.failures[url] = status
    by_key = {page.key: page.url for page in result.pages}
    for name, (beside, suffix) in BESIDE.items():
        if beside in by_key and name not in result.reached():
            url = by_key[beside].split("?")[0] + suffix
            response = client.get(url)
            if response.status_code == 200:
                result.pages.append(Page(name, url, response.content.decode()))
            else:
                result.failures[url] = str(response.status_code)
    # Routes no page of the demo links to: those that refuse GET outright take only POST.
    for name, route in routes.items():
        unlinked = name not in result.reached() and name not in SKIPPED and "<" in route
        if unlinked and client.get(_probe(route)).status_code == 405:
            result.post_only.add(name)
    return result


def unreached(result: Enumeration) -> set[str]:
    """Routes of the URLconf that the walk neither opened nor found to be POST-only or skipped."""
    return set(page_routes()) - result.reached() - set(SKIPPED)


def demo_admin_client(org: Any) -> Client:
    """A client signed in as the demo's admin, working in the demo organisation."""
    from aimwell.accounts.middleware import SESSION_KEY
    from aimwell.accounts.models import Membership
    from aimwell.accounts.roles import Role

    admin = Membership.objects.filter(organisation=org, role=Role.ADMIN).select_related("user")
    client = Client()
    client.force_login(admin.order_by("created_at").first().user)  # type: ignore[union-attr]
    session = client.session
    session[SESSION_KEY] = str(org.id)
    session.save()
    return client
