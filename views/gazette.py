"""The government gazette: issues in the menu, their contents as a tab."""
from app.ledgers import parent, register_ledger
from app.registry import register
from app.workflow import Transition, Workflow
from models.base import _l, today_cn
from models.gazette import GazetteEntry, GazetteIssue, gazette_entry_problems, gazette_issue_problems

GROUP = "F02_Documents"

register(
    GazetteEntry, group=GROUP, title=_l("Gazette contents"), item=_l("Gazette entry"), menu=False,
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"issue": ["期次", "公报期号"], "section": ["栏目"], "doc_no": ["文号"], "title": ["文件标题"]},
    checks=[gazette_entry_problems],
    list=["issue", "sort", "section", "title", "doc_no", "pages", "document"],
    search=["title", "doc_no", "section", "issue", "document"],
    order=["issue", "sort", "section", "title", "doc_no"],
    sections=[(_l("Gazette entry"), ["issue", "section", "sort", "title", "doc_no", "document", "page_start",
                             "page_end", "pages"])],
    export=["issue", "sort", "section", "title", "doc_no", "pages"],
    base_order=("sort", "asc"),
)

register(
    GazetteIssue, group=GROUP, title=_l("Gazette issues"), item=_l("Gazette issue"), icon="fa-book",
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"publish_date": ["出版时间", "发布日期"], "issue_no": ["期数"], "cumulative_no": ["总期数"]},
    checks=[gazette_issue_problems],
    list=["issue_label", "cumulative_no", "publish_date", "status", "editor", "approver", "print_run"],
    search=["year", "issue_no", "cumulative_no", "publish_date", "status", "editor", "approver"],
    order=["cumulative_no", "publish_date", "status", "editor", "approver", "print_run"],
    sections=[
        (_l("Gazette issue"), ["year", "issue_no", "cumulative_no", "publish_date", "status"]),
        (_l("Printing and publication"), ["editor", "approver", "print_run", "pdf_file", "web_url", "remark"]),
    ],
    base_order=("cumulative_no", "desc"),
    related=[GazetteEntry],
    # EDITING → PROOFING → APPROVING → PRINTING → PUBLISHED → ONLINE (docs/domain.md §3); proofing and
    # approval may send the issue one step back.
    workflow=Workflow(finished=["PUBLISHED", "ONLINE"], transitions=[
        Transition("send_to_proofing", _l("Send for proofreading"), ["EDITING"], "PROOFING",
                   roles=["Clerk"], fields=["editor"]),
        Transition("back_to_editing", _l("Back to editing"), ["PROOFING"], "EDITING",
                   roles=["Clerk", "Manager"], comment="required", style="warning", todo=False),
        Transition("submit_issue", _l("Submit the issue for approval"), ["PROOFING"], "APPROVING",
                   roles=["Clerk", "Manager"]),
        Transition("back_to_proofing", _l("Back to proofreading"), ["APPROVING"], "PROOFING",
                   roles=["Leader", "Manager"], comment="required", style="warning", todo=False),
        Transition("approve_issue", _l("Approve the issue for printing"), ["APPROVING"], "PRINTING",
                   roles=["Leader", "Manager"], fields=["approver"], requires=["approver"], style="success"),
        Transition("publish_issue", _l("Publish the issue"), ["PRINTING"], "PUBLISHED", roles=["Clerk"],
                   fields=["publish_date", "print_run", "pdf_file"], stamp={"publish_date": today_cn},
                   style="success"),
        Transition("put_online", _l("Put the issue online"), ["PUBLISHED"], "ONLINE", roles=["Clerk"],
                   fields=["web_url"], requires=["web_url"]),
    ]),
)

# --- the ledger (docs/domain.md §10) ------------------------------------------------------------------
register_ledger(
    "gazette_contents", _l("Government gazette contents"), GazetteEntry,
    ["issue", parent("issue.publish_date", of=GazetteEntry), "section", "title", "doc_no", "pages"],
    note=_l("The contents of every issue: section, title, document number and pages."),
)
