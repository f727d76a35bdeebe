"""The ModelAdmin of the peer: the project's Personnel screen (views/org.py) in Django's terms.

Same list columns, the same filters (the code columns and the unit; the free-text post is
searched, not listed as a filter), "starts with" on the name as the project's name filter,
newest first, 20 rows a page, the same form sections. The Clerk's unit scope is
app/registry/scope.py's for Personnel: rows of his unit or a unit under it, rows of no unit,
rows he registered himself; the Admin (a superuser) sees every row. Trashed rows are not
listed, as in the project. A save bumps the row version and stamps who and when, as the
project's save does; Django writes its admin log entry as the project writes its audit row.

`capped_site` registers the same ModelAdmin with Django's own count-saving setting,
`show_full_result_count = False` (no second, unfiltered count beside a filtered list).
"""
from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import Q

from bench.django_peer.peer_site.models import Department, OfficeUser, Personnel


def scope_units(username: str) -> list[int]:
    """The unit on the user's account and every unit under it."""
    unit = OfficeUser.objects.filter(username=username).values_list("department_id", flat=True).first()
    if unit is None:
        return []
    units, frontier = [unit], [unit]
    while frontier:
        frontier = list(Department.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        units += frontier
    return units


class PersonnelAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "department", "post_title", "leadership_level", "rank", "political_status",
                    "status"]
    list_filter = ["department", "gender", "political_status", "leadership_level", "rank", "category", "status",
                   "education"]
    search_fields = ["^name"]
    ordering = ["-id"]
    list_per_page = 20
    list_select_related = ["department"]
    fieldsets = [
        ("基本信息", {"fields": ["name", "gender", "ethnicity", "birth_date", "id_card_no", "native_place",
                                 "education", "mobile"]}),
        ("政治面貌", {"fields": ["political_status", "party_join_date", "party_branch"]}),
        ("职务", {"fields": ["department", "category", "post_title", "post_since", "leadership_level", "rank",
                             "work_start_date", "status"]}),
        ("备注", {"fields": ["remark"]}),
    ]

    def get_queryset(self, request):
        rows = super().get_queryset(request).filter(is_deleted=False)
        if request.user.is_superuser:
            return rows
        username = request.user.get_username()
        return rows.filter(Q(department__isnull=True) | Q(department_id__in=scope_units(username))
                           | Q(created_by=username))

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user.get_username()
        obj.updated_at = dt.datetime.now()
        if change:
            obj.row_version += 1
        else:
            obj.created_by, obj.created_at = obj.updated_by, obj.updated_at
        super().save_model(request, obj, form, change)


class CappedPersonnelAdmin(PersonnelAdmin):
    show_full_result_count = False


admin.site.register(Personnel, PersonnelAdmin)
capped_site = admin.AdminSite(name="capped")
capped_site.register(Personnel, CappedPersonnelAdmin)
