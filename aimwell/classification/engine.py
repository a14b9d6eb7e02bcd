"""EU AI Act classification as versioned data: load a rule file, guide the questionnaire, classify.

Pure Python (no Django): the rule file (format in docs/classification-rules.md) holds the questions,
the conditions that decide which question is asked next, and ordered decision lists whose conditions
are small declarative expressions over the answers. Nothing in a rule file is ever executed as code.

    rules = load_rules(Path("aimwell/data/rules/eu-ai-act-classification/2024.1.yaml"))
    visible_questions(rules, answers)          # the guided order, honouring ask_if
    validate_answers(rules, answers)           # {question id: message}
    outcome = classify(rules, answers, "provider")
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "rules" / "eu-ai-act-classification"
QUESTION_TYPES = ("yes_no", "choice", "multi_choice", "number", "text")
RULE_SECTIONS = ("class_rules", "flag_rules", "duty_rules", "obligation_rules")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NODE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*$")
# fmt: off
_TOP_KEYS = ("key", "version", "title", "framework", "sources", "classes", "roles", "flags",
             "constants", "sections", "definitions", "questions", *RULE_SECTIONS)
_QUESTION_KEYS = ("id", "section", "type", "text", "help", "options", "ask_if", "required",
                  "required_message", "min", "max", "unit", "min_length")
_RULE_KEYS = ("id", "when", "class", "legal_basis", "legal_basis_from", "duties", "duties_from",
              "flags", "obligations", "rationale", "cite", "cite_from")
# fmt: on
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
_ANSWER_OPS = ("equals", "in", "includes", "includes_any", "includes_all", "gt", "gte", "lt", "lte")


class RulesError(ValueError):
    """A rule file is malformed; the message names the file and the place."""


class AnswersError(ValueError):
    """Answers (or the operator role) do not fit the rule set; ``errors`` maps field -> message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{key}: {msg}" for key, msg in self.errors.items()))


# ---- data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One node of a declarative condition tree. ``kind`` is always, all, any, not, ref, answer,
    class_in, role_in, flag or duty; an 'answer' node tests question ``name`` with ``test``
    (equals, in, includes, includes_any, includes_all, gt, gte, lt, lte, answered) and ``value``."""

    kind: str
    items: tuple[Condition, ...] = ()
    name: str = ""
    test: str = ""
    value: Any = None


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    help: str = ""
    nodes: tuple[str, ...] = ()
    cite: tuple[str, ...] = ()
    exclusive: bool = False


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: str
    text: str
    help: str = ""
    options: tuple[Option, ...] = ()
    ask_if: Condition | None = None
    required: bool = True
    required_message: str = ""
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    min_length: int = 0

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition
    risk_class: str | None = None
    legal_basis: tuple[str, ...] = ()
    legal_basis_from: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()
    duties_from: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    obligations: tuple[str, ...] = ()
    rationale: tuple[str, ...] = ()
    cite: tuple[str, ...] = ()
    cite_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSetData:
    key: str
    version: str
    title: str
    framework: str
    sources: tuple[str, ...]
    classes: tuple[str, ...]
    roles: tuple[str, ...]
    flags: Mapping[str, str]
    constants: Mapping[str, float]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    definitions: Mapping[str, Condition]
    class_rules: tuple[Rule, ...]
    flag_rules: tuple[Rule, ...]
    duty_rules: tuple[Rule, ...]
    obligation_rules: tuple[Rule, ...]
    content: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    sha256: str = ""

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def question(self, question_id: str) -> Question:
        return self.questions_by_id[question_id]


@dataclass(frozen=True)
class Outcome:
    risk_class: str
    gpai: bool
    gpai_systemic: bool
    flags: list[str]
    legal_basis: list[str]
    duties: list[str]
    rationale: list[str]
    obligations: list[str]
    citations: list[str]
    matched_rules: list[str]
    role: str
    answers: dict[str, Any]
    rules_key: str
    rules_version: str
    roles: list[str] = field(default_factory=list)
    obligation_roles: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, e.g. for storing next to a Classification."""
        return asdict(self)


# ---- loading and validating a rule file ---------------------------------------------------------


def load_rules(path: Path | str) -> RuleSetData:
    """Read and validate a rule file; raises RulesError naming the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{path.name}: cannot read the file ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{path.name}: not valid YAML ({exc})") from exc
    return parse_rules(data, source=path.name)


def rule_files(folder: Path = RULES_DIR) -> list[Path]:
    """The rule files of a folder, oldest version first (2024.1 < 2024.2 < 2024.10)."""

    def version(path: Path) -> tuple[int | str, ...]:
        return tuple(int(p) if p.isdigit() else p for p in path.stem.split("."))

    return sorted(folder.glob("*.yaml"), key=version)


def parse_rules(data: Any, source: str = "rules") -> RuleSetData:
    """Validate rule data already loaded (a rule file, or RuleSet.content read back from the DB)."""
    return _Parser(source).parse(data)


def content_sha256(data: Mapping[str, Any]) -> str:
    """Digest of the rule content in canonical JSON: the same for the file and its stored copy."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _answer(question: str, test: str, value: Any) -> Condition:
    return Condition("answer", name=question, test=test, value=value)


def _refs(raw: Any) -> list[str]:
    """Names a raw condition refers to with `ref`, at any depth."""
    if isinstance(raw, dict):
        found = [raw["ref"]] if isinstance(raw.get("ref"), str) else []
        return found + [r for v in raw.values() for r in _refs(v)]
    if isinstance(raw, list):
        return [r for v in raw for r in _refs(v)]
    return []


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.questions: dict[str, Question] = {}
        self.order: dict[str, int] = {}
        self.definitions: dict[str, Condition] = {}
        self.definition_questions: dict[str, set[str]] = {}
        self.constants: dict[str, float] = {}
        self.classes: tuple[str, ...] = ()
        self.roles: tuple[str, ...] = ()
        self.flags: dict[str, str] = {}

    def fail(self, where: str, message: str) -> RulesError:
        return RulesError(f"{self.source}: {where}: {message}")

    # -- primitives

    def mapping(self, value: Any, where: str, allowed: Iterable[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping")
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r}")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"'{key}' must be non-empty text")
        return " ".join(value.split())

    def str_list(self, value: Any, where: str, pattern: re.Pattern[str] | None = None) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str) or not isinstance(value, list):
            raise self.fail(where, "expected a list")
        for item in value:
            if not isinstance(item, str) or (pattern is not None and not pattern.match(item)):
                raise self.fail(where, f"invalid entry {item!r}")
        return list(value)

    def number(self, value: Any, where: str) -> float:
        try:
            if not isinstance(value, bool) and isinstance(value, int | float | str):
                return float(value)  # YAML reads 1e25 (no dot) as text
        except ValueError:
            pass
        raise self.fail(where, f"expected a number, got {value!r}")

    # -- document

    def parse(self, data: Any) -> RuleSetData:
        doc = self.mapping(data, "top level", _TOP_KEYS)
        key = self.text(doc, "key", "top level")
        version = doc.get("version")
        if isinstance(version, int | float) and not isinstance(version, bool):
            raise self.fail("top level", "'version' must be quoted text, e.g. \"2024.1\"")
        version = self.text(doc, "version", "top level")
        self.classes = tuple(self.str_list(doc.get("classes"), "classes", _ID))
        self.roles = tuple(self.str_list(doc.get("roles"), "roles", _RULE_ID))
        if not self.classes or not self.roles:
            raise self.fail("top level", "'classes' and 'roles' must list at least one entry")
        flags = doc.get("flags") or {}
        if not isinstance(flags, dict) or not all(_ID.match(str(k)) for k in flags):
            raise self.fail("flags", "expected a mapping of flag id -> description")
        self.flags = {str(k): str(v) for k, v in flags.items()}
        constants = doc.get("constants") or {}
        if not isinstance(constants, dict):
            raise self.fail("constants", "expected a mapping of name -> number")
        self.constants = {str(k): self.number(v, f"constants.{k}") for k, v in constants.items()}
        sections = self.sections(doc.get("sections"))
        self.question_shells(doc.get("questions"), {s.id for s in sections})
        self.parse_definitions(doc.get("definitions") or {})
        questions = self.questions_with_conditions(doc["questions"])
        rule_lists = {name: self.rules(doc.get(name) or [], name) for name in RULE_SECTIONS}
        class_rules = rule_lists["class_rules"]
        if not class_rules or class_rules[-1].risk_class is None:
            raise self.fail("class_rules", "must end with a rule that sets a 'class'")
        if class_rules[-1].when.kind != "always":
            raise self.fail("class_rules", "the last rule must be a catch-all ({always: true})")
        return RuleSetData(
            key=key,
            version=version,
            title=self.text(doc, "title", "top level"),
            framework=self.text(doc, "framework", "top level", required=False),
            sources=tuple(self.str_list(doc.get("sources"), "sources")),
            classes=self.classes,
            roles=self.roles,
            flags=dict(self.flags),
            constants=dict(self.constants),
            sections=tuple(sections),
            questions=tuple(questions),
            definitions=dict(self.definitions),
            **rule_lists,
            content=data,
            sha256=content_sha256(data),
        )

    def sections(self, value: Any) -> list[Section]:
        if not isinstance(value, list) or not value:
            raise self.fail("sections", "expected a non-empty list")
        out: list[Section] = []
        for i, item in enumerate(value):
            where = f"sections[{i}]"
            data = self.mapping(item, where, ("id", "title"))
            sid = self.text(data, "id", where)
            if not _ID.match(sid) or any(s.id == sid for s in out):
                raise self.fail(where, f"invalid or duplicate section id {sid!r}")
            out.append(Section(sid, self.text(data, "title", where)))
        return out

    # -- questions

    def question_shells(self, value: Any, section_ids: set[str]) -> None:
        if not isinstance(value, list) or not value:
            raise self.fail("questions", "expected a non-empty list")
        for i, item in enumerate(value):
            where = f"questions[{i}]"
            data = self.mapping(item, where, _QUESTION_KEYS)
            qid = self.text(data, "id", where)
            where = f"question {qid!r}"
            if not _ID.match(qid) or qid in self.questions:
                raise self.fail(where, "invalid or duplicate question id")
            if qid == "class":
                raise self.fail(where, "'class' is reserved")
            qtype = data.get("type")
            if qtype not in QUESTION_TYPES:
                raise self.fail(where, f"'type' must be one of {', '.join(QUESTION_TYPES)}")
            section = self.text(data, "section", where)
            if section not in section_ids:
                raise self.fail(where, f"unknown section {section!r}")
            options = self.options(data.get("options"), qtype, where)
            required = data.get("required", True)
            if not isinstance(required, bool):
                raise self.fail(where, "'required' must be true or false")
            min_length = data.get("min_length", 0)
            if not isinstance(min_length, int) or isinstance(min_length, bool) or min_length < 0:
                raise self.fail(where, "'min_length' must be a whole number")
            if qtype != "number" and any(k in data for k in ("min", "max", "unit")):
                raise self.fail(where, "'min', 'max' and 'unit' are for number questions")
            if qtype != "text" and "min_length" in data:
                raise self.fail(where, "'min_length' is for text questions")
            self.order[qid] = i
            self.questions[qid] = Question(
                id=qid,
                section=section,
                type=qtype,
                text=self.text(data, "text", where),
                help=self.text(data, "help", where, required=False),
                options=tuple(options),
                required=required,
                required_message=self.text(data, "required_message", where, required=False),
                minimum=self.number(data["min"], where) if "min" in data else None,
                maximum=self.number(data["max"], where) if "max" in data else None,
                unit=self.text(data, "unit", where, required=False),
                min_length=min_length,
            )

    def options(self, value: Any, qtype: str, where: str) -> list[Option]:
        if qtype not in ("choice", "multi_choice"):
            if value is not None:
                raise self.fail(where, f"a {qtype} question has no options")
            return []
        if not isinstance(value, list) or len(value) < 2:
            raise self.fail(where, "a choice needs at least two options")
        out: list[Option] = []
        for i, item in enumerate(value):
            owhere = f"{where}.options[{i}]"
            data = self.mapping(item, owhere, ("id", "label", "help", "nodes", "cite", "exclusive"))
            oid = self.text(data, "id", owhere)
            if not _ID.match(oid) or any(o.id == oid for o in out):
                raise self.fail(owhere, f"invalid or duplicate option id {oid!r}")
            exclusive = data.get("exclusive", False)
            if not isinstance(exclusive, bool) or (exclusive and qtype != "multi_choice"):
                raise self.fail(owhere, "'exclusive' is true/false, on multi_choice options")
            out.append(
                Option(
                    id=oid,
                    label=self.text(data, "label", owhere),
                    help=self.text(data, "help", owhere, required=False),
                    nodes=tuple(self.str_list(data.get("nodes"), f"{owhere}.nodes", _NODE_ID)),
                    cite=tuple(self.str_list(data.get("cite"), f"{owhere}.cite")),
                    exclusive=exclusive,
                )
            )
        return out

    def questions_with_conditions(self, raw: list[Any]) -> list[Question]:
        out: list[Question] = []
        for item in raw:
            q = self.questions[item["id"]]
            if item.get("ask_if") is None:
                out.append(q)
                continue
            where = f"question {q.id!r}.ask_if"
            cond = self.condition(item["ask_if"], where, context="ask_if")
            for used in self.questions_used(cond):
                if self.order[used] >= self.order[q.id]:
                    raise self.fail(where, f"refers to {used!r}, which is not asked earlier")
            out.append(replace(q, ask_if=cond))
        return out

    def parse_definitions(self, value: Any) -> None:
        """Definitions may refer to each other in any order: the rules stored in the database
        come back with their keys sorted (PostgreSQL's jsonb), so they are parsed in dependency
        order rather than file order."""
        if not isinstance(value, dict):
            raise self.fail("definitions", "expected a mapping of name -> condition")
        for name in value:
            if not isinstance(name, str) or not _ID.match(name):
                raise self.fail("definitions", f"invalid name {name!r}")
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(name: str, chain: list[str]) -> None:
            if state.get(name) == "done":
                return
            if state.get(name) == "active":
                circle = " -> ".join([*chain, name])
                raise self.fail(f"definitions.{name}", f"definitions refer in a circle: {circle}")
            state[name] = "active"
            for ref in _refs(value[name]):
                if ref in value:
                    visit(ref, [*chain, name])
            state[name] = "done"
            order.append(name)

        for name in value:
            visit(name, [])
        for name in order:
            cond = self.condition(value[name], f"definitions.{name}", context="answers")
            self.definitions[name] = cond
            self.definition_questions[name] = self.questions_used(cond)

    def questions_used(self, cond: Condition) -> set[str]:
        if cond.kind == "answer":
            return {cond.name}
        if cond.kind == "ref":
            return self.definition_questions[cond.name]
        return set().union(*(self.questions_used(c) for c in cond.items))

    # -- conditions

    def condition(self, raw: Any, where: str, context: str) -> Condition:
        """context: 'answers' (definitions), 'ask_if' (may also test the roles: a question that
        matters to one role only), 'class' (class rules), 'outcome' (later sections: may test
        class, role and flags), 'obligations' (may also test duties)."""
        if not isinstance(raw, dict) or not raw:
            raise self.fail(where, "a condition must be a mapping")
        if "answer" in raw:
            return self.answer_test(raw, where)
        if len(raw) != 1:
            raise self.fail(where, f"expected one operator, got {sorted(raw)}")
        ((op, arg),) = raw.items()
        if op == "always":
            if arg is not True:
                raise self.fail(where, "'always' takes true")
            return Condition("always")
        if op in ("all", "any", "any_of", "all_of"):
            if not isinstance(arg, list) or not arg:
                raise self.fail(where, f"'{op}' takes a non-empty list of conditions")
            items = tuple(
                self.condition(c, f"{where}.{op}[{i}]", context) for i, c in enumerate(arg)
            )
            return Condition("all" if op in ("all", "all_of") else "any", items)
        if op == "not":
            return Condition("not", (self.condition(arg, f"{where}.not", context),))
        if op == "ref":
            if arg not in self.definitions:
                raise self.fail(where, f"unknown definition {arg!r}")
            return Condition("ref", name=arg)
        allowed = {
            "answers": (),
            "ask_if": ("role_in",),
            "class": ("flag",),  # the class never depends on the operator role
            "outcome": ("class_in", "role_in", "flag"),
            "obligations": ("class_in", "role_in", "flag", "duty"),
        }
        if op not in ("class_in", "role_in", "flag", "duty"):
            raise self.fail(where, f"unknown operator {op!r}")
        if op not in allowed[context]:
            raise self.fail(where, f"'{op}' cannot be used here")
        if op in ("class_in", "role_in"):
            values = self.str_list(arg, where)
            known = self.classes if op == "class_in" else self.roles
            if not values or any(v not in known for v in values):
                raise self.fail(where, f"'{op}' takes a list from: {', '.join(known)}")
            return Condition(op, value=tuple(values))
        if op == "flag":
            if arg not in self.flags:
                raise self.fail(where, f"unknown flag {arg!r}")
            return Condition("flag", name=arg)
        if not isinstance(arg, str) or not _NODE_ID.match(arg):
            raise self.fail(where, f"invalid duty node id {arg!r}")
        return Condition("duty", name=arg)

    def answer_test(self, raw: dict[str, Any], where: str) -> Condition:
        qid = raw["answer"]
        q = self.questions.get(qid) if isinstance(qid, str) else None
        if q is None:
            raise self.fail(where, f"unknown question {qid!r}")
        ops = [k for k in raw if k != "answer"]
        if len(ops) != 1 or ops[0] not in (*_ANSWER_OPS, "answered"):
            raise self.fail(where, f"expected one of {', '.join(_ANSWER_OPS)}, answered")
        op = ops[0]
        value = raw[op]
        where = f"{where} ({qid} {op})"
        if op == "answered":
            if not isinstance(value, bool):
                raise self.fail(where, "takes true or false")
            return _answer(qid, op, value)
        if op in ("gt", "gte", "lt", "lte"):
            if q.type != "number":
                raise self.fail(where, "comparisons need a number question")
            if isinstance(value, dict):
                self.mapping(value, where, ("const",))
                if value.get("const") not in self.constants:
                    raise self.fail(where, f"unknown constant {value.get('const')!r}")
                return _answer(qid, op, self.constants[value["const"]])
            return _answer(qid, op, self.number(value, where))
        if op in ("includes", "includes_any", "includes_all"):
            if q.type != "multi_choice":
                raise self.fail(where, f"'{op}' needs a multi_choice question")
            values = [value] if op == "includes" else self.str_list(value, where)
            self.check_options(q, values, where)
            return _answer(qid, op, value if op == "includes" else tuple(values))
        if op == "in":
            if q.type != "choice":
                raise self.fail(where, "'in' needs a choice question")
            values = self.str_list(value, where)
            self.check_options(q, values, where)
            return _answer(qid, op, tuple(values))
        # equals
        if q.type == "multi_choice":
            raise self.fail(where, "use 'includes' on a multi_choice question")
        if q.type == "yes_no" and not isinstance(value, bool):
            raise self.fail(where, "a yes_no question equals true or false")
        if q.type == "choice":
            self.check_options(q, [value], where)
        if q.type == "number":
            value = self.number(value, where)
        if q.type == "text" and not isinstance(value, str):
            raise self.fail(where, "a text question equals text")
        return _answer(qid, op, value)

    def check_options(self, q: Question, values: list[Any], where: str) -> None:
        for v in values:
            if v not in q.option_ids:
                raise self.fail(where, f"{v!r} is not an option of {q.id!r}")

    # -- rules

    def rules(self, value: Any, section: str) -> tuple[Rule, ...]:
        if not isinstance(value, list):
            raise self.fail(section, "expected a list of rules")
        context = {"class_rules": "class", "obligation_rules": "obligations"}.get(
            section, "outcome"
        )
        out: list[Rule] = []
        for i, item in enumerate(value):
            where = f"{section}[{i}]"
            data = self.mapping(item, where, _RULE_KEYS)
            rid = self.text(data, "id", where)
            where = f"{section} rule {rid!r}"
            if not _RULE_ID.match(rid) or any(r.id == rid for r in out):
                raise self.fail(where, "invalid or duplicate rule id")
            if "when" not in data:
                raise self.fail(where, "needs a 'when' condition")
            risk_class = data.get("class")
            if risk_class is not None and (
                section != "class_rules" or risk_class not in self.classes
            ):
                raise self.fail(where, f"'class' {risk_class!r} is not allowed here")
            for key in ("duties", "duties_from"):
                if key in data and section != "duty_rules":
                    raise self.fail(where, f"'{key}' belongs in duty_rules")
            if "obligations" in data and section != "obligation_rules":
                raise self.fail(where, "'obligations' belongs in obligation_rules")
            flags = self.str_list(data.get("flags"), f"{where}.flags")
            if any(f not in self.flags for f in flags):
                raise self.fail(where, f"undeclared flag in {flags}")
            rationale = data.get("rationale") or []
            rationale = [rationale] if isinstance(rationale, str) else rationale
            rationale = [
                " ".join(t.split()) for t in self.str_list(rationale, f"{where}.rationale")
            ]
            for line in rationale:
                for name in _PLACEHOLDER.findall(line):
                    if name != "class" and name not in self.questions:
                        raise self.fail(where, f"placeholder {{{name}}} names no question")
            out.append(
                Rule(
                    id=rid,
                    when=self.condition(data["when"], f"{where}.when", context),
                    risk_class=risk_class,
                    legal_basis=tuple(self.str_list(data.get("legal_basis"), where, _NODE_ID)),
                    legal_basis_from=self.from_questions(data.get("legal_basis_from"), where),
                    duties=tuple(self.str_list(data.get("duties"), where, _NODE_ID)),
                    duties_from=self.from_questions(data.get("duties_from"), where),
                    flags=tuple(flags),
                    obligations=tuple(self.str_list(data.get("obligations"), where, _NODE_ID)),
                    rationale=tuple(rationale),
                    cite=tuple(self.str_list(data.get("cite"), where)),
                    cite_from=self.from_questions(data.get("cite_from"), where),
                )
            )
        return tuple(out)

    def from_questions(self, value: Any, where: str) -> tuple[str, ...]:
        ids = self.str_list(value, where)
        for qid in ids:
            q = self.questions.get(qid)
            if q is None or q.type not in ("choice", "multi_choice"):
                raise self.fail(where, f"{qid!r} is not a choice question")
        return tuple(ids)


# ---- evaluation ---------------------------------------------------------------------------------


@dataclass
class _State:
    rules: RuleSetData
    answers: Mapping[str, Any]
    # The operator roles decided for; None while asking questions without knowing them, when
    # a question meant for one role is shown (role_in holds).
    roles: tuple[str, ...] | None = None
    risk_class: str | None = None
    flags: list[str] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _test_answer(test: Condition, answers: Mapping[str, Any]) -> bool:
    value = answers.get(test.name)
    present = not _blank(value)
    if test.test == "answered":
        return bool(present == test.value)
    if not present:
        return False
    if test.test == "equals":
        if _is_number(value) and _is_number(test.value):
            return bool(value == test.value)
        return type(value) is type(test.value) and value == test.value
    if test.test == "in":
        return isinstance(value, str) and value in test.value
    if test.test.startswith("includes"):
        if not isinstance(value, list | tuple):
            return False
        if test.test == "includes":
            return test.value in value
        if test.test == "includes_any":
            return any(v in value for v in test.value)
        return all(v in value for v in test.value)
    if not _is_number(value):
        return False
    return bool(_COMPARE[test.test](value, test.value))  # type: ignore[arg-type]


def _eval(cond: Condition, st: _State) -> bool:
    kind = cond.kind
    if kind in ("all", "any"):
        results = (_eval(c, st) for c in cond.items)
        return all(results) if kind == "all" else any(results)
    if kind == "not":
        return not _eval(cond.items[0], st)
    if kind == "ref":
        return _eval(st.rules.definitions[cond.name], st)
    if kind == "answer":
        return _test_answer(cond, st.answers)
    if kind == "class_in":
        return st.risk_class in cond.value
    if kind == "role_in":
        return st.roles is None or any(role in cond.value for role in st.roles)
    if kind == "flag":
        return cond.name in st.flags
    if kind == "duty":
        return cond.name in st.duties
    return kind == "always"


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def visible_questions(
    rules: RuleSetData, answers: Mapping[str, Any], roles: Sequence[str] | None = None
) -> list[Question]:
    """The questions to ask, in order: a question shows when its ask_if holds on the answers given
    to the questions shown before it (answers to hidden questions never count) and, for a question
    that matters to some roles only, when one of `roles` is among them (None: roles not known,
    so it is asked)."""
    shown: list[Question] = []
    seen: dict[str, Any] = {}
    held = None if roles is None else tuple(roles)
    for q in rules.questions:
        if q.ask_if is None or _eval(q.ask_if, _State(rules, seen, roles=held)):
            shown.append(q)
            if not _blank(answers.get(q.id)):
                seen[q.id] = answers[q.id]
    return shown


def visible_answers(
    rules: RuleSetData, answers: Mapping[str, Any], roles: Sequence[str] | None = None
) -> dict[str, Any]:
    """The answers that count: those given to visible questions, in question order (the options
    of a multi_choice answer in the rule file's option order)."""
    used: dict[str, Any] = {}
    for q in visible_questions(rules, answers, roles):
        value = answers.get(q.id)
        if not _blank(value):
            multi = q.type == "multi_choice" and isinstance(value, list | tuple)
            used[q.id] = [o.id for o in q.options if o.id in value] if multi else value  # type: ignore[operator]
    return used


def next_question(
    rules: RuleSetData, answers: Mapping[str, Any], roles: Sequence[str] | None = None
) -> Question | None:
    """The first visible question without an answer, or None when the questionnaire is complete."""
    shown = visible_questions(rules, answers, roles)
    return next((q for q in shown if _blank(answers.get(q.id))), None)


def _check_value(q: Question, value: Any) -> str | None:
    if q.type == "yes_no":
        return None if isinstance(value, bool) else "Answer yes or no (true or false)."
    if q.type == "choice":
        if not isinstance(value, str) or value not in q.option_ids:
            return f"Unknown option {value!r}; choose one of: {', '.join(q.option_ids)}."
        return None
    if q.type == "multi_choice":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return "Expected a list of option ids."
        unknown = [v for v in value if v not in q.option_ids]
        if unknown:
            return f"Unknown option {unknown[0]!r}; choose from: {', '.join(q.option_ids)}."
        if len(set(value)) != len(value):
            return "An option is listed twice."
        exclusive = [o.id for o in q.options if o.exclusive and o.id in value]
        if exclusive and len(value) > 1:
            return f"{exclusive[0]!r} cannot be combined with other options."
        return None
    if q.type == "number":
        if not _is_number(value):
            return "Expected a number."
        if q.minimum is not None and value < q.minimum:
            return f"Must be at least {q.minimum:g}."
        if q.maximum is not None and value > q.maximum:
            return f"Must be at most {q.maximum:g}."
        return None
    if not isinstance(value, str):
        return "Expected text."
    if len(value.strip()) < q.min_length:
        return q.required_message or f"Write at least {q.min_length} characters."
    return None


def validate_answers(
    rules: RuleSetData,
    answers: Mapping[str, Any],
    *,
    complete: bool = True,
    roles: Sequence[str] | None = None,
) -> dict[str, str]:
    """Problems with the answers, as question id -> message: unknown questions, wrong types or
    options, and (when ``complete``) visible required questions left unanswered, such as the
    written justification a relied-on derogation needs. Empty when all is well."""
    if not isinstance(answers, Mapping):
        return {"__all__": "Answers must be a mapping of question id to answer."}
    by_id = rules.questions_by_id
    errors: dict[str, str] = {}
    for key, value in answers.items():
        q = by_id.get(key)
        if q is None:
            errors[str(key)] = "Unknown question."
        elif not _blank(value):
            problem = _check_value(q, value)
            if problem:
                errors[key] = problem
    if complete:
        for q in visible_questions(rules, answers, roles):
            if q.id not in errors and q.required and _blank(answers.get(q.id)):
                errors[q.id] = q.required_message or "This question needs an answer."
    return errors


def coerce_answers(rules: RuleSetData, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Turn form values (strings) into typed answers; values that do not convert are passed on
    unchanged so that validate_answers reports them."""
    out: dict[str, Any] = {}
    by_id = rules.questions_by_id
    for key, value in raw.items():
        q = by_id.get(key)
        if q is None or not isinstance(value, str | list):
            out[key] = value
            continue
        if q.type == "yes_no" and isinstance(value, str):
            lowered = value.strip().lower()
            truthy, falsy = ("yes", "true", "on", "1"), ("no", "false", "off", "0")
            out[key] = True if lowered in truthy else False if lowered in falsy else value
        elif q.type == "number" and isinstance(value, str):
            try:
                number = float(value.strip().replace("_", ""))
                out[key] = number if math.isfinite(number) else value
            except ValueError:
                out[key] = value if value.strip() else None
        elif q.type == "multi_choice" and isinstance(value, str):
            out[key] = [value] if value else []
        else:
            out[key] = value
    return out


def _label(q: Question, value: Any) -> str:
    if _blank(value):
        return "not answered"
    if q.type == "yes_no":
        return "yes" if value else "no"
    if q.type == "choice":
        option = q.option(value)
        return option.label if option else str(value)
    if q.type == "multi_choice":
        return "; ".join(o.label for o in q.options if o.id in value)
    if q.type == "number":
        return f"{value:.3g}" if isinstance(value, float) else str(value)
    return str(value).strip()


def _selected(q: Question, value: Any) -> list[Option]:
    if _blank(value):
        return []
    chosen = value if isinstance(value, list | tuple) else [value]
    return [o for o in q.options if o.id in chosen]  # option order: deterministic


class _Acc:
    def __init__(self) -> None:
        self.lists: dict[str, list[str]] = {
            k: [] for k in ("legal_basis", "duties", "rationale", "obligations", "cite", "matched")
        }

    def add(self, key: str, items: Iterable[str]) -> None:
        target = self.lists[key]
        for item in items:
            if item not in target:
                target.append(item)


def _apply(rule: Rule, section: str, st: _State, acc: _Acc) -> None:
    by_id = st.rules.questions_by_id
    acc.add("matched", [f"{section}:{rule.id}"])

    def chosen(qids: tuple[str, ...], cite: bool = False) -> list[str]:
        options = [o for qid in qids for o in _selected(by_id[qid], st.answers.get(qid))]
        return [item for o in options for item in (o.cite if cite else o.nodes)]

    acc.add("legal_basis", [*rule.legal_basis, *chosen(rule.legal_basis_from)])
    acc.add("cite", [*rule.cite, *chosen(rule.cite_from, cite=True)])
    st.flags.extend(f for f in rule.flags if f not in st.flags)
    acc.add("duties", [*rule.duties, *chosen(rule.duties_from)])
    st.duties[:] = acc.lists["duties"]
    acc.add("obligations", rule.obligations)
    risk_class = rule.risk_class or st.risk_class or ""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "class":
            return risk_class.replace("_risk", "-risk").replace("_", " ")
        return _label(by_id[name], st.answers.get(name))

    acc.add("rationale", [_PLACEHOLDER.sub(fill, line) for line in rule.rationale])


def ordered_roles(rules: RuleSetData, role: str | Sequence[str]) -> list[str]:
    """The roles asked for, deduplicated in the rule file's order; AnswersError if one is
    unknown or none is given."""
    given = [role] if isinstance(role, str) else list(role)
    unknown = [r for r in given if r not in rules.roles]
    if unknown or not given:
        problem = f"Unknown role {unknown[0]!r}" if unknown else "No operator role given"
        raise AnswersError({"role": f"{problem}; one of: {', '.join(rules.roles)}."})
    return [r for r in rules.roles if r in given]


def classify(rules: RuleSetData, answers: Mapping[str, Any], role: str | Sequence[str]) -> Outcome:
    """Classify one AI system for the organisation's operator role or roles. The class never
    depends on the role; the obligations are the union over the roles, each tagged with the roles
    it falls on (`obligation_roles`). Raises AnswersError if the answers are invalid or
    incomplete, or a role unknown. Only answers to visible questions count."""
    roles = ordered_roles(rules, role)
    errors = validate_answers(rules, answers, roles=roles)
    if errors:
        raise AnswersError(errors)
    st = _State(rules, visible_answers(rules, answers, roles), roles=tuple(roles))
    acc = _Acc()
    for rule in rules.class_rules:  # ordered decision list: first rule with a class decides
        if _eval(rule.when, st):
            _apply(rule, "class_rules", st, acc)
            if rule.risk_class is not None:
                st.risk_class = rule.risk_class
                break
    assert st.risk_class is not None  # the last class rule is a catch-all (checked on load)
    for section in ("flag_rules", "duty_rules"):
        for rule in getattr(rules, section):
            if _eval(rule.when, st):
                _apply(rule, section, st, acc)
    obligation_roles: dict[str, list[str]] = {}
    for rule in rules.obligation_rules:
        # Each role is tested on its own: an obligation falls on the role its rule names.
        falls_on = [r for r in roles if _eval(rule.when, replace(st, roles=(r,)))]
        if falls_on:
            _apply(rule, "obligation_rules", st, acc)
            for node in rule.obligations:
                tagged = obligation_roles.setdefault(node, [])
                tagged.extend(r for r in falls_on if r not in tagged)
    lists = acc.lists
    return Outcome(
        risk_class=st.risk_class,
        gpai="gpai" in st.flags,
        gpai_systemic="gpai_systemic" in st.flags,
        flags=list(st.flags),
        legal_basis=lists["legal_basis"],
        duties=lists["duties"],
        rationale=lists["rationale"],
        obligations=lists["obligations"],
        citations=lists["cite"],
        matched_rules=lists["matched"],
        role=roles[0],
        answers=dict(st.answers),
        rules_key=rules.key,
        rules_version=rules.version,
        roles=roles,
        obligation_roles={
            node: [r for r in roles if r in obligation_roles[node]] for node in lists["obligations"]
        },
    )


def emitted_node_ids(rules: RuleSetData) -> set[str]:
    """Every catalog node id the rules can put in a result (to check against the catalog)."""
    ids: set[str] = set()
    for q in rules.questions:
        for o in q.options:
            ids.update(o.nodes)
    for section in RULE_SECTIONS:
        for rule in getattr(rules, section):
            ids.update(rule.legal_basis, rule.duties, rule.obligations)
    return ids
