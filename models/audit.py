"""The audit log (docs/domain.md §0, §9): who changed, exported, imported or unmasked what.

Rows are written by `app.audit` on every flush (insert, update with old → new per
field, delete, soft delete and restore, workflow transition) and by the screens for
acts that change no row (export, import, unmasking). The table is append-only: no
screen edits or deletes it. It holds codes (entity class name, field names, message
codes with parameters); app/history.py puts them into words in the reader's language.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Optional

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, _l, display, label, now_cn
from models.lookups import define_lookup

AUDIT_ACTION = define_lookup("audit_action", _l("Audited action"), [
    ("INSERT", "新增", "Created"),
    ("UPDATE", "修改", "Changed"),
    ("DELETE", "删除", "Deleted"),
    ("SOFT_DELETE", "移入回收站", "Moved to trash"),
    ("RESTORE", "恢复", "Restored"),
    ("TRANSITION", "流转", "Workflow step"),
    ("EXPORT", "导出", "Exported"),
    ("IMPORT", "导入", "Imported"),
    ("UNMASK", "查看敏感信息", "Viewed sensitive data"),
    ("LOGIN_FAILED", "登录失败", "Failed sign-in"),
    ("LOCKED", "账号锁定", "Account locked"),
    ("UNLOCKED", "账号解锁", "Account unlocked"),
], styles={"INSERT": "success", "UPDATE": "info", "DELETE": "danger", "SOFT_DELETE": "warning",
           "RESTORE": "success", "TRANSITION": "primary", "EXPORT": "default", "IMPORT": "default",
           "UNMASK": "warning", "LOGIN_FAILED": "warning", "LOCKED": "danger", "UNLOCKED": "success"})


#: How an audit row reads in the reader's language: app/history.py puts its functions here
#: (entity_label, changes_text, detail_text, describe) when imported, so this model imports
#: no app feature; until then a row shows its stored codes.
READERS: dict[str, Callable[[Any], str]] = {}


def _read(name: str, value: Any, stored: Any) -> Any:
    reader = READERS.get(name)
    return reader(value) if reader is not None else stored


#: Acts that read and change nothing: in the audit log (its own filter), never in a record's
#: History tab, where a record viewed daily would push its real edits out of the last 200 lines.
READ_ACTIONS = ("UNMASK",)


class AuditLog(Model):
    """One audited act on one record (or, for exports and imports, on one entity)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_owner", "entity", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, index=True, info=label(_l("At")))
    username: Mapped[Optional[str]] = mapped_column(String(128), index=True, info=label(_l("User")))
    client_addr: Mapped[Optional[str]] = mapped_column(String(64), info=label(_l("Client address")))
    action: Mapped[str] = mapped_column(String(32), index=True, info=label(_l("Action"), lookup=AUDIT_ACTION))
    entity: Mapped[str] = mapped_column(String(64), index=True, info=label(_l("Entity")))
    record_id: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Record")))
    record_version: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Version")))
    record_name: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Record name")))
    changes: Mapped[Optional[dict]] = mapped_column(JSON, info=label(_l("Changes")))
    detail: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Detail")))

    # The stored codes read in the reader's language (app/history.py, through READERS), for the
    # screens and exports.
    @display(_l("Entity"))
    def entity_label(self) -> str:
        return _read("entity_label", self.entity, self.entity)

    @display(_l("Changes"))
    def changes_text(self) -> str:
        return _read("changes_text", self, "")

    @display(_l("Detail"))
    def detail_text(self) -> str:
        return _read("detail_text", self, self.detail or "")

    def __str__(self) -> str:
        return _read("describe", self, f"{self.action} {self.entity} #{self.record_id}")

    def __repr__(self) -> str:
        return f"<AuditLog {self.action} {self.entity}#{self.record_id} by {self.username}>"
