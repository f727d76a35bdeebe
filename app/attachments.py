"""Storing and checking uploaded files.

A file is accepted only if its extension is allowed (config ATTACHMENT_TYPES), its first
bytes match what that extension claims (a renamed .exe is not a PDF), and it is not
larger than ATTACHMENT_MAX_MB. It is hashed while it is written, under a random name in
ATTACHMENT_DIR, outside anything the web server serves.
"""
from __future__ import annotations

import hashlib
import mimetypes
import os
import uuid
from pathlib import Path
from typing import Optional

from flask import current_app
from flask_babel import gettext

from app.settings import setting
from models.attachments import Attachment
from models.base import today_cn

CHUNK = 1 << 16
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # legacy Office / WPS
ZIP = b"PK\x03\x04"                        # docx, xlsx, ofd, zip
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",), "png": (b"\x89PNG",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "docx": (ZIP,), "xlsx": (ZIP,), "ofd": (ZIP,), "zip": (ZIP,),
    "doc": (OLE,), "xls": (OLE,), "wps": (OLE, ZIP), "et": (OLE, ZIP),
}


class AttachmentRefused(Exception):
    pass


def allowed_types() -> list[str]:
    return [t.strip().lower() for t in setting("ATTACHMENT_TYPES").split(",") if t.strip()]


def storage_root() -> Path:
    return Path(current_app.config["ATTACHMENT_DIR"])


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check_upload(filename: str, head: bytes) -> str:
    """The file's extension if it may be stored; else AttachmentRefused with the reason."""
    ext = _extension(filename or "")
    if not filename:
        raise AttachmentRefused(gettext("Choose a file to upload."))
    if ext not in allowed_types():
        raise AttachmentRefused(gettext("Files of type “%(ext)s” cannot be attached. Allowed: %(types)s.",
                                        ext=ext or "?", types=", ".join(allowed_types())))
    if ext == "txt":
        if b"\x00" in head:
            raise AttachmentRefused(gettext("The file is not plain text."))
    elif ext in SIGNATURES and not head.startswith(SIGNATURES[ext]):
        raise AttachmentRefused(gettext("The file's content is not a %(ext)s file.", ext=ext.upper()))
    return ext


def store(stream, filename: str, *, entity: str, record_id: int, title: Optional[str]) -> Attachment:
    """Write `stream` to the attachment directory and return its (unsaved) row."""
    head = stream.read(16)
    if filename and not head:
        raise AttachmentRefused(gettext("The file is empty."))
    ext = check_upload(filename, head)
    limit = setting("ATTACHMENT_MAX_MB") * 1024 * 1024
    relative = Path(entity) / f"{today_cn():%Y}" / f"{uuid.uuid4().hex}.{ext}"
    target = storage_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with open(target, "wb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise AttachmentRefused(gettext("The file is larger than %(mb)d MB.",
                                                    mb=setting("ATTACHMENT_MAX_MB")))
                digest.update(chunk)
                out.write(chunk)
                chunk = stream.read(CHUNK)
    except AttachmentRefused:
        target.unlink(missing_ok=True)
        raise
    return Attachment(entity=entity, record_id=record_id, title=(title or "").strip()[:200] or None,
                      filename=os.path.basename(filename)[:255], stored_name=str(relative), size=size,
                      mime=mimetypes.guess_type(filename)[0] or "application/octet-stream",
                      sha256=digest.hexdigest())


def path_of(attachment: Attachment) -> Path:
    root = storage_root().resolve()
    path = (root / attachment.stored_name).resolve()
    if root not in path.parents:          # a tampered row must not reach outside the directory
        raise FileNotFoundError(attachment.stored_name)
    return path


def attachments_of(session, entity: str, record_id: int) -> list[Attachment]:
    return (session.query(Attachment)
            .filter_by(entity=entity, record_id=record_id, is_deleted=False)
            .order_by(Attachment.id).all())
