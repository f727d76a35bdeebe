"""Attachments: type and size limits, sha256, stored outside the web root, downloads
only through the owner's permission and scope, none on a classified record."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from app.extensions import db
from models.attachments import Attachment
from models.info import ResearchReport
from models.org import Department
from models.supervision import SupervisionItem
from tests.factories import make

PDF = b"%PDF-1.7\n" + b"0" * 5000 + b"\n%%EOF\n"


def _item(app, **values):
    with app.app_context():
        item = make(db.session, SupervisionItem, **values)
        db.session.commit()
        return item.id


def _upload(client, pk, data: bytes, name: str, view="supervisionitemview"):
    return client.post(f"/{view}/attachments/{pk}/upload", data={"title": "附件", "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def _attachments(app, entity="SupervisionItem", pk=None):
    with app.app_context():
        return db.session.query(Attachment).filter_by(entity=entity, record_id=pk, is_deleted=False).all()


def test_upload_stores_hash_outside_the_web_root_and_downloads_back(app, as_role):
    pk = _item(app)
    clerk = as_role("clerk", "en")
    page = _upload(clerk, pk, PDF, "批复.pdf").get_data(as_text=True)
    assert "Attached" in page
    (row,) = _attachments(app, pk=pk)
    assert row.sha256 == hashlib.sha256(PDF).hexdigest() and row.size == len(PDF)
    stored = Path(app.config["ATTACHMENT_DIR"]) / row.stored_name
    assert stored.read_bytes() == PDF and "static" not in stored.parts
    response = as_role("viewer").get(f"/supervisionitemview/attachments/{pk}/{row.id}")
    assert response.status_code == 200 and response.data == PDF
    assert "批复.pdf" in as_role("viewer").get(f"/supervisionitemview/show/{pk}").get_data(as_text=True)


def test_wrong_type_disguised_file_empty_file_and_oversize_are_refused(app, as_role):
    pk = _item(app)
    clerk = as_role("clerk", "en")
    assert "cannot be attached" in _upload(clerk, pk, b"MZ\x90\x00", "tool.exe").get_data(as_text=True)
    assert "not a PDF file" in _upload(clerk, pk, b"MZ\x90\x00 renamed", "fake.pdf").get_data(as_text=True)
    assert "empty" in _upload(clerk, pk, b"", "empty.pdf").get_data(as_text=True)
    app.config["ATTACHMENT_MAX_MB"], old = 1, app.config["ATTACHMENT_MAX_MB"]
    try:
        big = b"%PDF" + b"0" * (1024 * 1024 + 10)
        assert "larger than 1 MB" in _upload(clerk, pk, big, "big.pdf").get_data(as_text=True)
    finally:
        app.config["ATTACHMENT_MAX_MB"] = old
    assert _attachments(app, pk=pk) == []
    assert not any(p.is_file() for p in (Path(app.config["ATTACHMENT_DIR"]) / "SupervisionItem").rglob("*")
                   if "big" in p.name)


def test_viewer_cannot_upload_and_other_units_cannot_download(app, as_role):
    pk = _item(app)
    as_role("clerk").post(f"/supervisionitemview/attachments/{pk}/upload",
                          data={"file": (io.BytesIO(PDF), "a.pdf")}, content_type="multipart/form-data")
    (row,) = _attachments(app, pk=pk)
    response = as_role("viewer").post(f"/supervisionitemview/attachments/{pk}/upload",
                                      data={"file": (io.BytesIO(PDF), "b.pdf")}, content_type="multipart/form-data")
    assert response.status_code in (302, 403) and len(_attachments(app, pk=pk)) == 1
    foreign = _item(app, lead_department=None)
    with app.app_context():
        item = db.session.get(SupervisionItem, foreign)
        item.lead_department = make(db.session, Department, parent_id=None)
        db.session.commit()
    # the attachment id of another record, asked through a record of another unit: nothing
    assert as_role("clerk").get(f"/supervisionitemview/attachments/{foreign}/{row.id}").status_code == 404
    with app.app_context():
        db.session.get(Attachment, row.id).record_id = foreign
        db.session.commit()
    assert as_role("clerk").get(f"/supervisionitemview/attachments/{foreign}/{row.id}").status_code == 404
    assert as_role("admin").get(f"/supervisionitemview/attachments/{foreign}/{row.id}").status_code == 200


def test_classified_record_takes_no_attachment(app, as_role):
    with app.app_context():
        report = make(db.session, ResearchReport, secrecy_level="MIMI")
        db.session.commit()
        pk = report.id
    page = _upload(as_role("clerk", "en"), pk, PDF, "密件.pdf", view="researchreportview").get_data(as_text=True)
    assert "keeps no attachment" in page
    assert _attachments(app, "ResearchReport", pk) == []
