"""Large imports and the search index's rebuild on the job queue (app/jobs): above IMPORT_JOB_ROWS
a clerk's file is checked and written by a consumer in his name, scope and language, with a
progress bar; its outcome — what was written, or every problem and the rows to correct —
waits on its page and in My downloads. An admin rebuilds the search index from the console
the same way. Rights are checked again when the job runs."""
from __future__ import annotations

import io
import re
import uuid

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select, text

from app.extensions import db
from app.jobs import runner
from app.search.index import TABLE
from models.audit import AuditLog
from models.documents import Document
from models.jobs import DONE, FAILED, Job
from models.org import Personnel
from tests.factories import make
from tests.test_import import unit, xlsx
from tests.test_jobs import _job_id, _wait


@pytest.fixture()
def small_imports(app):
    app.config["IMPORT_JOB_ROWS"] = 2          # put back after the test (tests/baseline.py)


def _upload(client, data: bytes, name="名单.xlsx", **form):
    return client.post("/personnelview/import/", data={"file": (io.BytesIO(data), name), **form},
                       content_type="multipart/form-data")


def _people(app, department_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Personnel.name).where(
            Personnel.department_id == department_id, Personnel.is_deleted.is_(False)).order_by(Personnel.id)))


def _rows(tag: str, unit_name: str, count: int = 4) -> list[list]:
    return [["姓名", "性别", "单位"]] + [[f"后台{tag}{n}", "男", unit_name] for n in range(count)]


def test_a_large_import_is_written_in_the_background_and_says_what_it_wrote(app, as_role, worker, small_imports):
    tag = uuid.uuid4().hex[:6]
    dept = unit(app, f"后台导入处{tag}")
    clerk = as_role("clerk", "en")
    job_id = _job_id(_upload(clerk, xlsx(_rows(tag, f"后台导入处{tag}"))))
    job = _wait(app, job_id)
    assert job.status == DONE and job.kind == "import" and job.rows == 4 and job.total == 4 and job.path is None
    assert _people(app, dept) == [f"后台{tag}{n}" for n in range(4)]
    with app.app_context():
        created_by = set(db.session.scalars(select(Personnel.created_by).where(Personnel.department_id == dept)))
        act = (db.session.query(AuditLog).filter(AuditLog.action == "IMPORT", AuditLog.entity == "Personnel")
               .order_by(AuditLog.id.desc()).first())
    assert created_by == {"clerk"} and act.username == "clerk" and "名单.xlsx" in act.detail
    page = clerk.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "Imported 4 records from 名单.xlsx." in page and 'href="/personnelview/list/"' in page
    state = clerk.get(f"/downloads/{job_id}/state").get_json()
    assert state["finished"] and state["reload"] and state["percent"] == 100 and "url" not in state
    with app.app_context():
        assert not runner.upload_path(job_id).exists()          # the uploaded file is not kept
    assert "名单.xlsx" in clerk.get("/downloads/").get_data(as_text=True)


def test_a_large_file_with_bad_rows_writes_nothing_and_keeps_the_rows_to_correct(app, as_role, worker, small_imports):
    tag = uuid.uuid4().hex[:6]
    dept = unit(app, f"后台报错处{tag}")
    rows = _rows(tag, f"后台报错处{tag}")
    rows[2][1] = "未知"                        # a gender no one has
    rows[4][2] = "没有这个处"                   # a unit that does not exist
    clerk = as_role("clerk", "zh")
    job_id = _job_id(_upload(clerk, xlsx(rows)))
    job = _wait(app, job_id)
    assert job.status == FAILED and job.rows is None and job.path
    assert _people(app, dept) == []
    state = clerk.get(f"/downloads/{job_id}/state").get_json()
    assert state["reason"] == "未导入任何记录：2 行共有 2 个问题。请下载待更正行，更正后重新上传。"
    page = clerk.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "未知" in page and "没有这个处" in page and "下载待更正行" in page
    report = clerk.get(state["url"])
    assert report.status_code == 200 and "xlsx" in report.headers["Content-Disposition"]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(report.data)).get_sheet_by_index(0).to_python()
    report.close()
    assert [int(row[0]) for row in sheet[1:]] == [3, 5]          # the file's own row numbers
    assert "待更正行" in clerk.get("/downloads/").get_data(as_text=True)
    # only its owner gets it
    assert as_role("manager", "zh").get(state["url"]).status_code == 404


def test_a_large_file_only_checked_writes_nothing(app, as_role, worker, small_imports):
    tag = uuid.uuid4().hex[:6]
    dept = unit(app, f"后台检查处{tag}")
    clerk = as_role("clerk", "en")
    job = _wait(app, _job_id(_upload(clerk, xlsx(_rows(tag, f"后台检查处{tag}")), check_only="1")))
    assert job.status == DONE and job.rows == 0
    assert _people(app, dept) == []
    assert "The file is correct: 4 rows can be imported." in clerk.get(f"/downloads/{job.id}").get_data(as_text=True)


def test_the_clerks_own_mapping_goes_with_the_job(app, as_role, worker, small_imports):
    """The mapping step's choice (a column the importer would not have picked) is the job's."""
    tag = uuid.uuid4().hex[:6]
    dept = unit(app, f"后台映射处{tag}")
    rows = [["人员", "所在处室"]] + [[f"映射{tag}{n}", f"后台映射处{tag}"] for n in range(3)]
    clerk = as_role("clerk", "en")
    page = clerk.post("/personnelview/import/", data={"file": (io.BytesIO(xlsx(rows)), "映射.xlsx"), "review": "1"},
                      content_type="multipart/form-data").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    answer = clerk.post("/personnelview/import/", data={"token": token, "map-name": "0", "map-department": "1"})
    job = _wait(app, _job_id(answer))
    assert job.status == DONE, runner.reason_of(job)
    assert _people(app, dept) == [f"映射{tag}{n}" for n in range(3)]


@pytest.mark.parametrize("lang, reason", [("zh", "您已无权向此列表导入数据。"),
                                          ("en", "You may no longer import into this list.")])
def test_an_import_job_whose_user_lost_the_right_fails_and_writes_nothing(app, as_role, worker, lang, reason):
    with app.app_context():
        viewer = app.appbuilder.sm.find_user("viewer")
        job = Job(user_id=viewer.id, kind="import", entity="Personnel", endpoint="PersonnelView",
                  address="/personnelview/import/", title="名单.xlsx", lang="zh_Hans_CN" if lang == "zh" else "en",
                  params='{"filename": "名单.xlsx", "mode": "insert"}')
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        path = runner.upload_path(job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(xlsx([["姓名"], ["无权导入"]]))
    runner.run_job(job_id)
    job = _wait(app, job_id)
    assert job.status == FAILED
    assert as_role("viewer", lang).get(f"/downloads/{job_id}/state").get_json()["reason"] == reason
    assert not path.exists()
    with app.app_context():
        assert db.session.scalar(select(Personnel.id).where(Personnel.name == "无权导入")) is None


def test_a_small_file_is_still_imported_at_once(app, as_role):
    tag = uuid.uuid4().hex[:6]
    dept = unit(app, f"即时导入处{tag}")
    answer = _upload(as_role("clerk", "en"), xlsx(_rows(tag, f"即时导入处{tag}", count=2)))
    assert answer.status_code == 302 and answer.location.endswith("/personnelview/list/")
    assert len(_people(app, dept)) == 2


def test_the_bar_goes_through_reading_checking_and_writing(app):
    """import_file tells a job's progress each stage, in order, ending with every row written."""
    from app.importer import import_file
    from app.registry.spec import REGISTRY

    tag = uuid.uuid4().hex[:6]
    unit(app, f"进度处{tag}")
    seen, totals = [], []

    class Stub:
        def __call__(self, rows, stage=""):
            seen.append((stage, rows))

        def total(self, rows):
            totals.append(rows)

    with app.test_request_context():
        result = import_file(REGISTRY[Personnel], xlsx(_rows(tag, f"进度处{tag}", count=5)), "进度.xlsx",
                             db.session, progress=Stub())
    assert result.ok and result.created == 5 and totals == [5]
    stages = [stage for stage, _rows in seen]
    assert stages[0] == "read" and stages[-1] == "write" and "check" in stages
    assert stages.index("check") < stages.index("write")
    assert seen[-1] == ("write", 5)


# --- the search index, rebuilt from the console ---------------------------------------------------
def _found(client, word: str, pk: int) -> bool:
    """Whether the global search finds document `pk` by `word`."""
    page = client.get("/search/", query_string={"q": word}).get_data(as_text=True)
    return f'href="/documentview/show/{pk}"' in page


def test_an_admin_rebuilds_the_search_index_from_the_console(app, as_role, worker):
    word = f"控制台重建{uuid.uuid4().hex[:6]}"
    with app.app_context():
        pk = make(db.session, Document, title=word).id
        db.session.commit()
        db.session.execute(text(f"DELETE FROM {TABLE} WHERE entity = 'Document'"))
        db.session.commit()
    admin = as_role("admin", "zh")
    assert not _found(admin, word, pk)
    page = admin.get("/console/search-index/").get_data(as_text=True)
    assert "重建索引" in page and 'value="Document"' in page
    job_id = _job_id(admin.post("/console/search-index/", data={"entity": ["Document"]}))
    job = _wait(app, job_id, timeout=120)
    assert job.status == DONE and job.kind == "reindex", runner.reason_of(job)
    assert _found(admin, word, pk)
    shown = admin.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "检索索引已重建" in shown and "公文" in shown
    assert job.title in admin.get("/console/search-index/").get_data(as_text=True)     # the last rebuilds


def test_the_console_rebuild_is_refused_to_others_and_to_unknown_lists(app, as_role, worker):
    assert as_role("clerk", "en").post("/console/search-index/", data={}).status_code == 403
    assert as_role("admin", "en").post("/console/search-index/", data={"entity": ["NoSuchList"]}).status_code == 400
    with app.app_context():
        before = db.session.query(Job).filter(Job.kind == "reindex").count()
        clerk = app.appbuilder.sm.find_user("clerk")
        job = Job(user_id=clerk.id, kind="reindex", entity="*", endpoint="console_search",
                  address="/console/search-index/", title="检索索引", lang="en", params='{"entities": []}')
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    runner.run_job(job_id)
    job = _wait(app, job_id)
    assert job.status == FAILED and runner.reason_of(job) == "You may no longer use the configuration console."
    with app.app_context():
        assert db.session.query(Job).filter(Job.kind == "reindex").count() == before + 1
