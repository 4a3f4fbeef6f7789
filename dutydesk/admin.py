from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from dutydesk.models import Profile, Skill, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ["skills", "oversees"]


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "profile__name", "profile__role", "profile__team", "is_active"]
    list_filter = ["profile__role", "profile__team", "is_active"]
    list_select_related = ["profile__team"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "team", "qualification", "hire_date"]
    list_filter = ["role", "team", "qualification"]
    search_fields = ["name", "user__username"]
    filter_horizontal = ["skills", "oversees"]
