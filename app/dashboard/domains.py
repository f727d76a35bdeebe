"""The figures of three functions a leader watches: how proposals are answered and
judged, whether the hotline answers on time and satisfies, whether incidents are
reported within their limits. Each panel is shown only to users who may read what it
counts, and every number links to the list it counts where a list filter can show it.
`PANELS` names the entity each panel is about: its function (menu group) decides
whether the user works on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from flask_babel import gettext
from sqlalchemy import and_, case, func, literal, or_

from app.dashboard.figures import Figure, Rate, colours_for, single
from app.dashboard.links import equal, list_url, one_of
from app.dashboard.queries import base_query, code_label, count_by, lookup_order, may_read
from app.dashboard.sql import seconds_between
from app.extensions import db
from app.registry.introspect import label_of, lookup_of
from app.registry.spec import entity_for
from models.base import now_cn
from models.duty import Incident, incident_limits
from models.hotline import ANSWERED_STATES, HotlineCase
from models.proposals import Proposal, ProposalEvaluation, ProposalReply

#: Satisfaction codes that count as satisfied, and those that count as an evaluation.
SATISFIED = ("MANYI", "JIBEN")
EVALUATED = ("MANYI", "JIBEN", "BUMANYI")


@dataclass
class Panel:
    key: str
    title: str
    group: str                                  # the function (menu group key) it is about
    figures: list[Figure] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    link: Optional[str] = None

    @property
    def empty(self) -> bool:
        """Nothing counted: every figure empty, no rate with a denominator."""
        return all(f.empty for f in self.figures) and not any(r.denominator for r in self.rates)


def code_counts(entity, column: str) -> dict:
    """{code: live records} of a lookup column (records without a value left out)."""
    counts = count_by(entity, getattr(entity.model, column))
    counts.pop(None, None)
    return counts


def by_code(entity, column: str, counts: dict, key: str, title: str) -> Figure:
    """Records per code of a lookup column, every code of the lookup (zeros too), each
    linked to the list filtered by it."""
    category = lookup_of(entity.model, column)
    codes = lookup_order(category, list(counts) + [c for c in lookup_order(category, []) if c not in counts])
    rows = [(code_label(entity, column, c), counts.get(c, 0), list_url(entity, equal(column, c))) for c in codes]
    return single(key, title, gettext("Records"), rows, chart="doughnut", colours=colours_for(category, codes),
                  link=list_url(entity), heading=str(label_of(entity.model, column)))


def satisfaction_rate(entity, column: str, counts: dict, key: str) -> Rate:
    """Satisfied and basically satisfied among those who gave a verdict."""
    return Rate(key=key, title=gettext("Satisfaction rate"),
                numerator=sum(counts.get(c, 0) for c in SATISFIED),
                denominator=sum(counts.get(c, 0) for c in EVALUATED),
                numerator_label=gettext("satisfied or basically satisfied"),
                denominator_label=gettext("evaluated"),
                numerator_url=list_url(entity, one_of(column, SATISFIED)),
                denominator_url=list_url(entity, one_of(column, EVALUATED)))


# --- proposals --------------------------------------------------------------------------------------
def proposals() -> Optional[Panel]:
    replies, evaluations = entity_for(ProposalReply), entity_for(ProposalEvaluation)
    proposal = entity_for(Proposal)
    panel = Panel("proposals", gettext("Suggestions and proposals"), proposal.group,
                  link=list_url(proposal) if may_read(proposal) else None)
    if may_read(replies):
        panel.figures.append(by_code(replies, "answer_category", code_counts(replies, "answer_category"),
                                     "proposal-answers", gettext("Replies by answer category")))
    if may_read(evaluations):
        counts = code_counts(evaluations, "result")
        panel.figures.append(by_code(evaluations, "result", counts, "proposal-satisfaction",
                                     gettext("Evaluations of the replies")))
        panel.rates.append(satisfaction_rate(evaluations, "result", counts, "proposal-satisfaction-rate"))
    return panel if panel.figures else None


# --- hotline ------------------------------------------------------------------------------------------
def hotline() -> Optional[Panel]:
    entity = entity_for(HotlineCase)
    if not may_read(entity):
        return None
    answered = lookup_order(lookup_of(HotlineCase, "status"), list(ANSWERED_STATES))
    late = and_(HotlineCase.replied_at.isnot(None), HotlineCase.due_at.isnot(None),
                HotlineCase.replied_at > HotlineCase.due_at)
    total, n_late = (base_query(entity, func.count(), func.sum(case((late, 1), else_=0)))
                     .filter(HotlineCase.status.in_(answered)).one())
    on_time = Rate(key="hotline-on-time", title=gettext("Answered on time"),
                   numerator=(total or 0) - (n_late or 0), denominator=total or 0,
                   numerator_label=gettext("answered by the due time"), denominator_label=gettext("answered"),
                   denominator_url=list_url(entity, one_of("status", answered)))
    counts = code_counts(entity, "satisfaction")
    figure = by_code(entity, "satisfaction", counts, "hotline-satisfaction", gettext("Satisfaction of the callers"))
    satisfaction = satisfaction_rate(entity, "satisfaction", counts, "hotline-satisfaction-rate")
    return Panel("hotline", gettext("Mayor hotline"), entity.group, figures=[figure], rates=[on_time, satisfaction],
                 link=list_url(entity))


# --- incidents ----------------------------------------------------------------------------------------
def _limit(pairs: dict, index: int):
    """CASE over (category, level): the reporting limit of each pair, in seconds."""
    whens = []
    for (category, level), limits in pairs.items():
        if limits is None or limits[index] is None:
            continue
        match = and_(Incident.category.is_(None) if category is None else Incident.category == category,
                     Incident.level.is_(None) if level is None else Incident.level == level)
        whens.append((match, limits[index] * 60))
    return case(*whens, else_=None) if whens else literal(None)


def timeliness_counts(entity, now=None) -> tuple[int, int, int]:
    """(on time, late, all) incidents, as `Incident.timeliness()` judges each one: on
    time when reported by phone and in writing within the limits; late when a report
    came (or is still missing) after its limit. Two queries: the (category, level) pairs
    present, then one aggregate with their limits."""
    pairs = {pair: incident_limits(*pair, db.session)
             for pair in base_query(entity, Incident.category, Incident.level).distinct().all()}
    now = now or now_cn()
    phone, written = _limit(pairs, 0), _limit(pairs, 1)
    phone_took = seconds_between(Incident.received_at, func.coalesce(Incident.phone_reported_at, now))
    written_took = seconds_between(Incident.received_at, func.coalesce(Incident.written_reported_at, now))
    late = or_(phone_took > phone, written_took > written)
    ok = and_(Incident.phone_reported_at.isnot(None), Incident.written_reported_at.isnot(None),
              phone_took <= phone, written_took <= written)
    n_ok, n_late, n_all = base_query(entity, func.sum(case((ok, 1), else_=0)), func.sum(case((late, 1), else_=0)),
                                     func.count()).one()
    return n_ok or 0, n_late or 0, n_all or 0


def incidents() -> Optional[Panel]:
    entity = entity_for(Incident)
    if not may_read(entity):
        return None
    n_ok, n_late, n_all = timeliness_counts(entity)
    link = list_url(entity)
    rate = Rate(key="incident-timeliness", title=gettext("Incidents reported on time"), numerator=n_ok,
                denominator=n_ok + n_late, numerator_label=gettext("reported within the limits"),
                denominator_label=gettext("reports due"), numerator_url=link, denominator_url=link,
                note=gettext("Incidents whose reports are not yet due are not counted."))
    category = lookup_of(Incident, "timeliness_ok")
    codes = ["OK", "LATE", "PENDING"]
    values = [n_ok, n_late, n_all - n_ok - n_late]
    rows = [(code_label(entity, "timeliness_ok", c), n, link) for c, n in zip(codes, values, strict=True)]
    figure = single("incident-timeliness-chart", gettext("Incidents by reporting timeliness"), gettext("Incidents"),
                    rows, chart="doughnut", colours=colours_for(category, codes), link=link,
                    heading=str(label_of(Incident, "timeliness_ok")))
    return Panel("incidents", gettext("Incident reporting"), entity.group, figures=[figure], rates=[rate], link=link)


#: (the entity a panel is about, the function building it), in the page's order.
PANELS = ((Proposal, proposals), (HotlineCase, hotline), (Incident, incidents))
