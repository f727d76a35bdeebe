"""The supervision office's books, last: every demo item closed by a seeder of another function
(a dispute's or a district request's follow-up) is struck off like the others — a final report of
its lead unit on the closing day, the basis it gives and a member of the supervision office who
struck it off (docs/domain.md §4, 办结销号). Runs after every seeder that opens items."""
from __future__ import annotations

from sqlalchemy import select

from models.supervision import ProgressReport, SupervisionItem, describe_report


def seed(ctx) -> dict[str, int]:
    session, rng = ctx.session, ctx.rng
    division = (ctx.data.get("division") or {}).get("督查室")
    office = [p.name for p in ctx.data.get("staff") or [] if division is not None and p.department is division]
    office = office or ["督查室"]
    made = 0
    items = session.scalars(select(SupervisionItem).where(SupervisionItem.status == "CLOSED",
                                                          SupervisionItem.struck_off_by.is_(None)))
    for item in items:
        report = item.final_report()
        if report is None:
            report = ProgressReport(item=item, department=item.lead_department, period_label="办理结果",
                                    report_date=item.closed_at, percent=100, is_final=True,
                                    progress="已全面完成督办事项要求，办理结果已书面报告市政府。")
            session.add(report)
            made += 1
        item.strike_off_basis = item.strike_off_basis or describe_report(report)
        item.struck_off_by = rng.choice(office)
    session.flush()
    return {"ProgressReport (final, for items struck off)": made}
