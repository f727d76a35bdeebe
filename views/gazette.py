"""The government gazette: issues in the menu, their contents as a tab."""
from app.registry import register
from models.base import _l
from models.gazette import GazetteEntry, GazetteIssue, gazette_entry_problems, gazette_issue_problems

GROUP = "F02_Documents"

register(
    GazetteEntry, group=GROUP, title=_l("Gazette contents"), item=_l("Gazette entry"), menu=False,
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
)
