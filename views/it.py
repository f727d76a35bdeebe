"""Informatization projects (信息化项目): how the E-Government Division and managers work with them."""
from app.registry import register
from models.base import _l
from models.it import ITProject, ITProjectMilestone, it_project_problems, milestone_problems

# The milestone is a child: the project's record page shows them as a tab.
register(
    ITProjectMilestone, group="F11_IT", title=_l("Milestones"), item=_l("Milestone"), menu=False,
    checks=[milestone_problems],
    list=["seq", "name", "planned_date", "actual_date", "deliverable", "status"],
    search=["name", "project", "status", "planned_date", "actual_date", "deliverable"],
    sections=[
        (_l("Milestone"), ["project", "seq", "name", "deliverable"]),
        (_l("Schedule"), ["planned_date", "actual_date", "status", "remark"]),
    ],
    base_order=("seq", "asc"),
)

register(
    ITProject, group="F11_IT", title=_l("IT projects"), item=_l("IT project"), icon="fa-server",
    checks=[it_project_problems],
    list=["code", "name", "owner_department", "project_type", "budget_approved", "contract_amount", "vendor",
          "djcp_level", "status"],
    search=["code", "name", "owner_department", "project_type", "network", "funding_source", "approval_stage",
            "procurement_method", "vendor", "djcp_level", "status", "start_date", "go_live_date",
            "final_acceptance_date", "data_sharing", "crypto_assessed"],
    order=["code", "name", "project_type", "budget_approved", "contract_amount", "vendor", "djcp_level", "status"],
    sections=[
        (_l("Project"), ["code", "name", "owner_department", "project_type", "network", "funding_source",
                         "contact_person", "status", "content"]),
        (_l("Approval and procurement"), ["approval_stage", "approval_doc_no", "approved_on", "procurement_method",
                                          "vendor", "contract_signed_on"]),
        (_l("Funds (10k yuan)"), ["budget_approved", "contract_amount", "paid_amount", "paid_percent"]),
        (_l("Schedule"), ["start_date", "go_live_date", "prelim_acceptance_date", "final_acceptance_date"]),
        (_l("Protection and cryptography"), ["djcp_level", "djcp_filing_no", "djcp_assessed_on", "djcp_result",
                                             "crypto_assessed", "crypto_assessed_on", "crypto_result"]),
        (_l("Data sharing"), ["data_sharing", "data_sharing_note"]),
        (_l("Remarks"), ["remark"]),
    ],
    readonly=["paid_percent"],
    # 信息化项目台账 (DOMAIN.md §10): project, owner unit, stage, approved and contract amounts,
    # vendor, protection level, go-live and acceptance dates.
    export=["code", "name", "owner_department", "project_type", "status", "approval_stage", "budget_approved",
            "contract_amount", "paid_amount", "procurement_method", "vendor", "djcp_level", "djcp_filing_no",
            "start_date", "go_live_date", "prelim_acceptance_date", "final_acceptance_date", "remark"],
    base_order=("code", "desc"),
    related=[ITProjectMilestone],
)
