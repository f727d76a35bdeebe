"""Informatization projects (信息化项目): how the E-Government Division and managers work with them."""
from app.ledgers import SERIAL, register_ledger
from app.registry import register
from app.workflow import Transition, Workflow
from models.base import _l, today_cn
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
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"code": ["编号"], "owner_department": ["项目单位", "业主单位"], "project_type": ["建设类型"],
              "vendor": ["承建商", "中标单位"], "budget_approved": ["批复金额", "概算金额"],
              "contract_amount": ["合同金额"], "paid_amount": ["已付金额", "支付金额"], "go_live_date": ["上线时间"],
              "final_acceptance_date": ["终验时间"], "djcp_level": ["等级保护级别", "等保定级"]},
    import_key=["code"],
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
    # 信息化项目台账 (docs/domain.md §10): project, owner unit, stage, approved and contract amounts,
    # vendor, protection level, go-live and acceptance dates.
    export=["code", "name", "owner_department", "project_type", "status", "approval_stage", "budget_approved",
            "contract_amount", "paid_amount", "procurement_method", "vendor", "djcp_level", "djcp_filing_no",
            "start_date", "go_live_date", "prelim_acceptance_date", "final_acceptance_date", "remark"],
    base_order=("code", "desc"),
    related=[ITProjectMilestone],
    # PROPOSED → APPROVED → PROCURING → CONTRACTED → BUILDING → TRIAL → PRELIM_ACCEPTED → ACCEPTED
    # → OPERATING → EVALUATED → RETIRED (docs/domain.md §7). Each step asks for what it brings (approval
    # document, procurement method, vendor and contract) and stamps its date when left empty. A
    # system may be retired without a performance evaluation. Milestones keep a plain status: it
    # tracks a schedule row (delayed, cancelled), not a step someone decides.
    workflow=Workflow(finished=["RETIRED"], transitions=[
        Transition("approve_project", _l("Project approved"), ["PROPOSED"], "APPROVED",
                   roles=["Manager", "Leader"],
                   fields=["approval_stage", "approval_doc_no", "approved_on", "budget_approved"],
                   requires=["approval_doc_no"], stamp={"approved_on": today_cn}, style="success"),
        Transition("start_procurement", _l("Start procurement"), ["APPROVED"], "PROCURING",
                   roles=["Clerk", "Manager"], fields=["procurement_method"], requires=["procurement_method"]),
        Transition("sign_contract", _l("Contract signed"), ["PROCURING"], "CONTRACTED",
                   roles=["Clerk", "Manager"], fields=["vendor", "contract_amount", "contract_signed_on"],
                   requires=["vendor", "contract_amount"], stamp={"contract_signed_on": today_cn}),
        Transition("start_construction", _l("Start construction"), ["CONTRACTED"], "BUILDING",
                   roles=["Clerk", "Manager"], fields=["start_date"], stamp={"start_date": today_cn}),
        Transition("start_trial", _l("Go live for trial operation"), ["BUILDING"], "TRIAL",
                   roles=["Clerk", "Manager"], fields=["go_live_date"], stamp={"go_live_date": today_cn}),
        Transition("prelim_accept", _l("Preliminary acceptance passed"), ["TRIAL"], "PRELIM_ACCEPTED",
                   roles=["Manager", "Leader"], fields=["prelim_acceptance_date"],
                   stamp={"prelim_acceptance_date": today_cn}, style="success"),
        Transition("final_accept", _l("Final acceptance passed"), ["PRELIM_ACCEPTED"], "ACCEPTED",
                   roles=["Manager", "Leader"], fields=["final_acceptance_date"],
                   stamp={"final_acceptance_date": today_cn}, style="success"),
        Transition("start_operation", _l("Put into operation"), ["ACCEPTED"], "OPERATING",
                   roles=["Clerk", "Manager"], fields=["djcp_level", "djcp_filing_no"]),
        Transition("evaluate_project", _l("Performance evaluated"), ["OPERATING"], "EVALUATED",
                   roles=["Manager", "Leader"], comment="required"),
        Transition("retire_project", _l("Take the system offline"), ["OPERATING", "EVALUATED"], "RETIRED",
                   roles=["Manager", "Leader"], comment="required", style="danger", todo=False),
    ]),
)

# --- the ledger (docs/domain.md §10) ------------------------------------------------------------------
register_ledger(
    "it_projects", _l("Informatization projects ledger"), ITProject,
    [SERIAL, "code", "name", "owner_department", "project_type", "status", "approval_stage", "budget_approved",
     "contract_amount", "paid_amount", "vendor", "djcp_level", "go_live_date", "final_acceptance_date"],
    note=_l("Each project with its owner, stage, approved and contract amounts, vendor, protection level and "
            "dates."),
)
