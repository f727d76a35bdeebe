"""The paper ledgers' words for every entity's fields (issue 18, item 2): each entity
declares the headers clerks give its columns (`register(..., synonyms=...)`). A synonym
that names another field of the same entity would map a wrong column, which is worse
than none: the registry is checked for that, entity by entity."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.importer.fields import header_index, import_fields, known_names, labels_of, normalise
from app.importer.run import ROW_NUMBER_HEADERS
from app.registry.spec import REGISTRY
from models.documents import Document
from models.duty import DutyShift, Incident
from models.leaders import LeaderInstruction
from models.meetings import Meeting, MeetingDecision
from models.org import Personnel
from models.party import DuesPayment
from models.services import Reception, VehicleDispatch
from tests.test_import_mapping import MAPPED_TO_ANOTHER, proposed

#: The entities a clerk imports his paper ledgers into: each has the words of its ledger.
LEDGER_ENTITIES = {"Document", "LeaderInstruction", "LeaderTask", "Meeting", "MeetingDecision", "DutyShift",
                   "DutyLog", "Incident", "Reception", "VehicleDispatch", "RoomBooking", "Vehicle", "MeetingRoom",
                   "Personnel", "Retiree", "InfoReport", "GazetteEntry", "GazetteIssue", "DistrictRequest",
                   "Dispute", "PartyBranch", "PartyMember", "PartyActivity", "DuesPayment", "ITProject",
                   "Proposal", "SupervisionItem", "HotlineCase"}


def _words_of_other_fields(entity, fields) -> dict[str, set[str]]:
    """Normalised header -> the fields (importable or only exported) it already names; an
    exported summary a ledger's synonym deliberately reads as its field (the 12345 list's
    诉求摘要 is the case's content) is not another field."""
    from app.ledgers.spec import LEDGERS

    summaries = {column for (key, column), _field in MAPPED_TO_ANOTHER.items()
                 if LEDGERS[key].model is entity.model}
    words: dict[str, set[str]] = {}
    for f in fields:
        for text in (f.name, *f.labels.values()):
            words.setdefault(normalise(text), set()).add(f.name)
    importable = {f.name for f in fields}
    for name in known_names(entity) - importable - summaries:
        for text in (name, *labels_of(entity.model, name).values()):
            words.setdefault(normalise(text), set()).add(name)
    return words


def test_the_ledger_entities_have_their_paper_words(app):
    with app.app_context():
        have = {entity.name for entity in REGISTRY.values() if entity.synonyms}
    assert LEDGER_ENTITIES <= have


def test_no_synonym_names_another_field_of_its_entity(app):
    """Generated over the registry: every synonym names an importable field, and no other
    field of its entity — not by that field's label or name in either language, not by
    one of its synonyms, not as the running-number column."""
    problems = []
    with app.test_request_context():
        for entity in REGISTRY.values():
            if not entity.synonyms:
                continue
            fields = import_fields(entity)
            importable = {f.name for f in fields}
            words = _words_of_other_fields(entity, fields)
            seen: dict[str, str] = {}
            for name, synonyms in entity.synonyms.items():
                if name not in importable:
                    problems.append(f"{entity.name}.{name}: not importable, its synonyms map nothing")
                for word in synonyms:
                    key = normalise(word)
                    others = words.get(key, set()) - {name}
                    if others:
                        problems.append(f"{entity.name}.{name}: {word} names {sorted(others)}")
                    if seen.get(key, name) != name:
                        problems.append(f"{entity.name}.{name}: {word} is also a synonym of {seen[key]}")
                    seen[key] = name
                    if key in ROW_NUMBER_HEADERS:
                        problems.append(f"{entity.name}.{name}: {word} is the running-number column")
    assert problems == [], "\n".join(problems)


def test_every_synonym_is_proposed_for_its_field(app):
    """A label wins over a synonym (app/importer/fields.py): a synonym that is proposed for
    nothing, or for another field, would be a dead word."""
    wrong = []
    with app.test_request_context(), force_locale("zh"):
        for entity in REGISTRY.values():
            if not entity.synonyms:
                continue
            index, _skip = header_index(entity, import_fields(entity))
            for name, synonyms in entity.synonyms.items():
                wrong += [(entity.name, name, word) for word in synonyms
                          if getattr(index.get(normalise(word)), "name", None) != name]
    assert wrong == []


@pytest.mark.parametrize("model, headers, expected", [
    (Document, ["序号", "收文日期", "来文单位", "来文字号", "文件标题", "密级", "份数", "拟办", "承办单位", "办结时限",
                "办理情况", "备注"],
     {"收文日期": "received_at", "来文单位": "issuer", "来文字号": "source_doc_no", "文件标题": "title",
      "密级": "secrecy_level", "份数": "copies", "拟办": "proposed_opinion", "承办单位": "lead_department",
      "办结时限": "due_date", "办理情况": "handling_result", "备注": "remark"}),
    (Document, ["发文字号", "文件标题", "拟稿单位", "拟稿人", "签发领导", "签发日期", "成文日期", "印发份数"],
     {"文件标题": "title", "拟稿单位": "drafting_division", "拟稿人": "drafter", "签发领导": "signer",
      "签发日期": "signed_at", "成文日期": "written_date", "印发份数": "print_copies"}),
    (LeaderInstruction, ["批示领导", "批示日期", "领导批示", "载体文件", "责任单位", "办结时限", "落实情况"],
     {"批示领导": "leader", "批示日期": "instructed_at", "领导批示": "content", "载体文件": "source_ref",
      "责任单位": "handler_department", "办结时限": "due_date", "落实情况": "result"}),
    (Meeting, ["会议名称", "会议时间", "会议地点", "主持领导", "届次"],
     {"会议名称": "title", "会议时间": "start_at", "会议地点": "venue", "主持领导": "chair", "届次": "session_label"}),
    (MeetingDecision, ["会议", "议定事项", "责任单位", "分管领导", "完成时限", "落实情况"],
     {"会议": "meeting", "议定事项": "content", "责任单位": "lead_department", "分管领导": "responsible_leader",
      "完成时限": "due_date", "落实情况": "implementation_note"}),
    (DutyShift, ["值班日期", "带班领导", "值班电话"],
     {"值班日期": "duty_date", "带班领导": "leader_name", "值班电话": "duty_phone"}),
    (Incident, ["事件名称", "事发时间", "接报时间", "事发地点", "死亡", "受伤"],
     {"事件名称": "title", "事发时间": "occurred_at", "接报时间": "received_at", "事发地点": "address",
      "死亡": "deaths", "受伤": "injured"}),
    (Reception, ["接待日期", "来宾", "来宾级别", "带队领导", "带队领导职务", "人数", "公务活动项目"],
     {"接待日期": "arrive_at", "来宾": "guest_org", "来宾级别": "guest_level", "带队领导": "head_name",
      "带队领导职务": "head_post", "人数": "headcount", "公务活动项目": "purpose"}),
    (VehicleDispatch, ["后勤申请", "车牌号", "司机", "用车人", "目的地", "出车里程", "收车里程"],
     {"后勤申请": "request", "车牌号": "vehicle", "司机": "driver", "用车人": "passengers", "目的地": "route",
      "出车里程": "odometer_out", "收车里程": "odometer_in"}),
    (Personnel, ["姓 名", "性 别", "出生年月", "现任职务", "工作单位", "参加工作日期"],
     {"姓 名": "name", "性 别": "gender", "出生年月": "birth_date", "现任职务": "post_title",
      "工作单位": "department", "参加工作日期": "work_start_date"}),
    (DuesPayment, ["姓名", "缴费月份", "缴费基数", "缴费日期"],
     {"姓名": "member", "缴费月份": "month", "缴费基数": "base", "缴费日期": "paid_date"}),
], ids=lambda value: value.__name__ if isinstance(value, type) else None)
def test_paper_ledger_headers_map_to_their_fields(app, model, headers, expected):
    assert proposed(app, model, headers) == expected
