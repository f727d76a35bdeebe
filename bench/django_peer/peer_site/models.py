"""Django models over the project's own tables (`managed = False`): the same rows the
project's screens read. Only the columns the peer shows, filters or saves are declared.

The code columns take their choices from the project's `lookup` table, read once per
process on first use, as a Django project would declare them in code: a label costs a dict
look-up, not a query.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db import connection, models

_labels: dict[str, list[tuple[str, str]]] = {}


def lookup(category: str) -> Callable[[], list[tuple[str, str]]]:
    """The (code, Chinese label) choices of a lookup category, active codes in their order."""
    def choices() -> list[tuple[str, str]]:
        if not _labels:
            with connection.cursor() as cursor:
                cursor.execute("SELECT category, code, label_zh FROM lookup WHERE active = %s "
                               "ORDER BY category, sort, code", [True])
                for cat, code, label in cursor.fetchall():
                    _labels.setdefault(cat, []).append((code, label))
        return _labels.get(category, [])
    return choices


class Department(models.Model):
    name_zh = models.CharField("名称", max_length=100)
    name_en = models.CharField(max_length=200, null=True, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")
    sort_order = models.IntegerField(default=100)
    is_deleted = models.BooleanField(default=False)

    class Meta:
        managed = False
        db_table = "department"
        ordering = ["sort_order"]
        verbose_name = verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name_zh


class OfficeUser(models.Model):
    """The project's user accounts (`ab_user`), read for one thing: the unit of a Clerk's
    scope, which an admin sets on his account (app/registry/scope.py)."""

    username = models.CharField(max_length=128)
    department = models.ForeignKey(Department, null=True, on_delete=models.DO_NOTHING, related_name="+")

    class Meta:
        managed = False
        db_table = "ab_user"


def _code(label: str, category: str, **extra) -> models.CharField:
    extra.setdefault("null", True)
    extra.setdefault("blank", extra["null"])
    return models.CharField(label, max_length=32, choices=lookup(category), **extra)


class Personnel(models.Model):
    name = models.CharField("姓名", max_length=50)
    gender = _code("性别", "gender")
    ethnicity = _code("民族", "ethnicity")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_card_no = models.CharField("身份证号", max_length=18, null=True, blank=True)
    native_place = models.CharField("籍贯", max_length=50, null=True, blank=True)
    political_status = _code("政治面貌", "political_status")
    party_join_date = models.DateField("入党时间", null=True, blank=True)
    work_start_date = models.DateField("参加工作时间", null=True, blank=True)
    education = _code("学历", "education")
    category = _code("人员类别", "personnel_category")
    department = models.ForeignKey(Department, verbose_name="所在单位", null=True, blank=True,
                                   on_delete=models.DO_NOTHING, related_name="+")
    post_title = models.CharField("职务", max_length=100, null=True, blank=True)
    post_since = models.DateField("任现职时间", null=True, blank=True)
    leadership_level = _code("领导职务层次", "leadership_level")
    rank = _code("职级", "civil_rank")
    mobile = models.CharField("手机", max_length=20, null=True, blank=True)
    status = _code("在职状态", "personnel_status", null=False, default="ZAIZHI")
    party_branch = models.CharField("所在党支部", max_length=100, null=True, blank=True)
    remark = models.TextField("备注", null=True, blank=True)
    created_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(null=True)
    created_by = models.CharField(max_length=128, null=True)
    updated_by = models.CharField(max_length=128, null=True)
    is_deleted = models.BooleanField(default=False)
    row_version = models.IntegerField(default=1)

    class Meta:
        managed = False
        db_table = "personnel"
        verbose_name = verbose_name_plural = "人员"

    def __str__(self) -> str:
        return self.name
