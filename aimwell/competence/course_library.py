"""The built-in training courses, written by Aimwell: a general course on ISO/IEC 42001 and the
AIMS, one on responsible and ethical AI, and role-specific courses, each with a short quiz.

`answer` is the index of the right option. Roles empty means every member takes the course."""

from __future__ import annotations

from typing import Any

COURSES: list[dict[str, Any]] = [
    {
        "key": "aims-foundations",
        "title": "ISO/IEC 42001 and our AI management system",
        "summary": "What the standard asks, how our AIMS meets it, and what it means for you.",
        "roles": [],
        "validity_months": 24,
        "content": """\
## Why we have an AI management system

ISO/IEC 42001:2023 sets out how an organisation governs the AI it builds, buys or uses. Our AI
management system (AIMS) is the set of policies, objectives, roles and processes by which we do
that, and the records that show they run.

## How it is organised

- **Context and scope** (clause 4): which AI systems and activities the AIMS covers.
- **Leadership** (clause 5): top management owns the AI policy and the objectives.
- **Planning** (clause 6): AI risks are assessed and treated; the impact of systems on people is
  assessed; objectives are measurable.
- **Support** (clause 7): people are competent and aware; documents are controlled.
- **Operation** (clause 8): systems are built and run as planned, with their risks under control.
- **Performance evaluation** (clause 9): we monitor, audit ourselves, and top management reviews.
- **Improvement** (clause 10): nonconformities are corrected and their causes removed.

## What it means for you

Read and acknowledge the AI policy. Use AI systems only for their intended purpose. Report
incidents and concerns as soon as you notice them, anonymously if you prefer. Complete the training
your role requires before it expires.
""",
        "quiz": [
            {
                "question": "What does the AIMS govern?",
                "options": [
                    "Only the AI systems we sell",
                    "The AI we build, buy or use, within the AIMS scope",
                    "Only IT security",
                ],
                "answer": 1,
            },
            {
                "question": "Who owns the AI policy?",
                "options": ["Top management", "Each data scientist", "The external auditor"],
                "answer": 0,
            },
            {
                "question": "You notice an AI system behaving in a way that could harm a customer. "
                "What do you do?",
                "options": [
                    "Wait for the next internal audit",
                    "Report it as an incident or a concern straight away",
                    "Fix the model yourself in production",
                ],
                "answer": 1,
            },
            {
                "question": "Which clause covers internal audit and management review?",
                "options": ["Clause 4", "Clause 7", "Clause 9"],
                "answer": 2,
            },
        ],
    },
    {
        "key": "responsible-ai",
        "title": "Responsible and ethical AI",
        "summary": "Fairness, transparency, oversight, privacy and accountability in practice.",
        "roles": [],
        "validity_months": 12,
        "content": """\
## Principles we apply

- **Fairness**: systems must not treat people worse because of protected characteristics. We
  measure outcomes by group, not only overall accuracy.
- **Transparency**: people affected by a decision can learn that AI was involved and, in plain
  words, why the decision was made.
- **Human oversight**: a competent person can understand, override or stop a system where its
  decisions matter to people.
- **Privacy**: data is collected for a stated purpose, minimised and protected.
- **Accountability**: every system has an owner, and its decisions are recorded.

## Recognising a problem

Watch for drift (the data a model sees changes), proxy discrimination (a neutral feature such as a
postcode standing in for a protected one), automation bias (people accepting outputs without
thinking), and use outside the intended purpose.
""",
        "quiz": [
            {
                "question": "A model is 95% accurate overall but rejects one group twice as often. "
                "What should happen?",
                "options": [
                    "Nothing: overall accuracy is high",
                    "Investigate the disparity and treat it as a fairness risk",
                    "Remove the group from the data",
                ],
                "answer": 1,
            },
            {
                "question": "What is automation bias?",
                "options": [
                    "People accepting a system's output without critical review",
                    "A model that favours automated data sources",
                    "A bug in the deployment pipeline",
                ],
                "answer": 0,
            },
            {
                "question": "Which is an example of proxy discrimination?",
                "options": [
                    "Using a postcode that closely tracks ethnicity",
                    "Using the loan amount requested",
                    "Logging predictions",
                ],
                "answer": 0,
            },
            {
                "question": "Human oversight means that…",
                "options": [
                    "a person signs every model release",
                    "a competent person can understand, override or stop the system",
                    "the system asks for feedback once a year",
                ],
                "answer": 1,
            },
        ],
    },
    {
        "key": "internal-auditing",
        "title": "Auditing the AI management system",
        "summary": "Planning and running an internal audit of the AIMS, independently.",
        "roles": ["internal_auditor"],
        "validity_months": 24,
        "content": """\
## Independence

You must not audit your own work: an auditor who owns a process or an AI system does not audit it.
Aimwell refuses such an assignment.

## Running an audit

Plan the scope and criteria, generate the checklist from the catalog's audit questions, sample AI
systems at random and record the seed, collect objective evidence (records, interviews,
observation), and grade each finding: a **major nonconformity** (a requirement is not met at all,
or the failure puts the AIMS's outcomes at risk), a **minor nonconformity** (an isolated lapse), an
**observation** (could become a nonconformity), or an **opportunity for improvement**.

## Following up

Every nonconformity needs a correction, a root cause, corrective action and a verification that
the action worked before it is closed.
""",
        "quiz": [
            {
                "question": "You own the monitoring process. May you audit clause 9.1?",
                "options": ["Yes, you know it best", "No, you would audit your own work"],
                "answer": 1,
            },
            {
                "question": "A required procedure does not exist at all. How do you grade it?",
                "options": ["Observation", "Minor nonconformity", "Major nonconformity"],
                "answer": 2,
            },
            {
                "question": "When may a nonconformity be closed?",
                "options": [
                    "When the corrective action is planned",
                    "When its corrective action has been verified effective",
                    "At the next management review",
                ],
                "answer": 1,
            },
        ],
    },
    {
        "key": "ai-system-ownership",
        "title": "Owning an AI system",
        "summary": "Duties of an AI system owner: register, risks, impact, monitoring, incidents.",
        "roles": ["contributor", "aims_manager"],
        "validity_months": 12,
        "content": """\
## Your duties

- Keep the system's register entry current: purpose, intended use, models, data, suppliers.
- Take part in its risk assessment and impact assessment, and carry out its treatment.
- Monitor it: performance, fairness and drift evidence from its prediction logs.
- Record incidents, and for a serious incident under the EU AI Act make sure the authority is
  informed in time: within 15 days of becoming aware, 10 days in case of a death, 2 days for a
  widespread infringement or a serious disruption of critical infrastructure.
- Own the corrective actions assigned to you and finish them by their due date.
""",
        "quiz": [
            {
                "question": "A serious incident involved a death. How long have we to report it?",
                "options": ["2 days", "10 days", "15 days"],
                "answer": 1,
            },
            {
                "question": "The system's intended use changes. What do you do first?",
                "options": [
                    "Update its register entry, which flags the decisions to review",
                    "Nothing until the annual review",
                    "Retrain the model",
                ],
                "answer": 0,
            },
            {
                "question": "Where do fairness and drift figures come from?",
                "options": [
                    "The system's prediction logs",
                    "The supplier's brochure",
                    "A yearly survey",
                ],
                "answer": 0,
            },
        ],
    },
    {
        "key": "ai-leadership",
        "title": "Leading the AI management system",
        "summary": "For top management: policy, objectives, risk acceptance and management review.",
        "roles": ["admin"],
        "validity_months": 24,
        "content": """\
## What top management does

Approve the AI policy and the AI objectives, make sure the AIMS has resources, accept residual
risks within its authority, and chair the management review at planned intervals: look at the
status of earlier actions, changes in context, nonconformities, monitoring results, audit results,
objectives, risks and feedback, then decide on improvements and changes, which become actions.
""",
        "quiz": [
            {
                "question": "Who chairs the management review?",
                "options": ["Top management", "The internal auditor", "The IT service desk"],
                "answer": 0,
            },
            {
                "question": "What happens to the decisions of a management review?",
                "options": [
                    "They are filed away",
                    "They become tracked actions with owners and due dates",
                    "They are sent to the certification body",
                ],
                "answer": 1,
            },
        ],
    },
]

# Competences each role needs, and the course that shows it (7.2).
COMPETENCES: list[tuple[str, str, str]] = (
    [
        (role, "Knows the AIMS and their part in it", "aims-foundations")
        for role in ("admin", "aims_manager", "contributor", "internal_auditor", "staff")
    ]
    + [
        (role, "Applies responsible-AI principles", "responsible-ai")
        for role in ("admin", "aims_manager", "contributor", "internal_auditor", "staff")
    ]
    + [
        ("internal_auditor", "Audits the AIMS independently", "internal-auditing"),
        ("contributor", "Meets the duties of an AI system owner", "ai-system-ownership"),
        ("aims_manager", "Meets the duties of an AI system owner", "ai-system-ownership"),
        ("admin", "Leads the AIMS", "ai-leadership"),
    ]
)
