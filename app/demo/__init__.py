"""Demo data: Xiamen's units and a few hundred realistic records per entity.

Each domain has a module with `seed(ctx) -> {entity: count}`; they run in order,
sharing what earlier ones created through `ctx`. Tests never depend on this data.
"""
from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

SEEDERS = [
    "app.demo.org",
    "app.demo.documents",
    "app.demo.meetings",
    "app.demo.supervision",
    "app.demo.districts",
    "app.demo.disputes",
    "app.demo.proposals",
    "app.demo.info",
    "app.demo.duty",
    "app.demo.hotline",
    "app.demo.it",
    "app.demo.people",
    "app.demo.services",
    "app.demo.party",
    "app.demo.strike_off",   # last: items other seeders closed are struck off like the rest
]


@dataclass
class DemoContext:
    session: Any
    rng: random.Random
    scale: float = 1.0
    data: dict[str, Any] = field(default_factory=dict)
    password: str = ""      # the demo logins' password

    def n(self, base: int) -> int:
        return max(1, int(base * self.scale))


def seed_all(scale: float = 1.0, password: str = "") -> dict[str, int]:
    from app.extensions import db
    from models.org import Department

    session = db.session
    if session.query(Department).count():
        return {"skipped (demo data already present)": 0}
    ctx = DemoContext(session, random.Random(current_app.config["DEMO_SEED"]), scale, password=password)
    counts: dict[str, int] = {}
    for name in SEEDERS:
        module = importlib.import_module(name)
        counts.update(module.seed(ctx))
        session.flush()
    session.commit()
    return counts
