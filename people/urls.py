"""Readable addresses: /people/<team>/, /people/<team>/skills/, /people/<team>/training/ ..."""

from django.urls import path, register_converter

from dutydesk.months import MonthConverter
from people.views import activation, imports, members, protection, qualification, skills, support, training

register_converter(MonthConverter, "people_month")

app_name = "people"
urlpatterns = [
    path("mine/", training.mine, name="mine"),
    path("training/", training.overview, name="training-overview"),
    path("skills/", skills.company_skills, name="skills"),
    path("skills/<int:skill>/rename/", skills.rename, name="skill-rename"),
    path("skills/<int:skill>/remove/", skills.remove, name="skill-remove"),
    path("activate/<str:uidb64>/<str:token>/", activation.activate, name="activate"),
    path("<slug:team>/members/", members.members, name="members"),
    path("<slug:team>/add/", members.person_add, name="person-add"),
    path("<slug:team>/import/", imports.import_people, name="import"),
    path("<slug:team>/export.xlsx", imports.export, name="export"),
    path("<slug:team>/people/<int:person>/", members.person, name="person"),
    path("<slug:team>/people/<int:person>/edit/", members.person_edit, name="person-edit"),
    path("<slug:team>/people/<int:person>/move/", members.person_move, name="person-move"),
    path("<slug:team>/people/<int:person>/leave/", members.person_leave, name="person-leave"),
    path("<slug:team>/people/<int:person>/stay/", members.person_stay, name="person-stay"),
    path("<slug:team>/people/<int:person>/activation/", members.person_activation, name="person-activation"),
    path("<slug:team>/people/<int:person>/protection/", protection.protection_add, name="protection-add"),
    path(
        "<slug:team>/people/<int:person>/protection/<int:period>/remove/",
        protection.protection_remove,
        name="protection-remove",
    ),
    path("<slug:team>/skills/", skills.matrix, name="matrix"),
    path("<slug:team>/skills/<int:person>/<int:skill>/", skills.toggle, name="matrix-toggle"),
    path("<slug:team>/new-hires/", qualification.new_hires, name="new-hires"),
    path("<slug:team>/new-hires/<int:person>/check/", qualification.record_check, name="check"),
    path("<slug:team>/checks/<int:check>/count-in-draft/", qualification.count_in_draft, name="count-in-draft"),
    path("<slug:team>/training/", training.sessions, name="training"),
    path("<slug:team>/training/new/", training.session_new, name="session-new"),
    path("<slug:team>/training/<int:session>/", training.session, name="session"),
    path("<slug:team>/training/<int:session>/edit/", training.session_edit, name="session-edit"),
    path("<slug:team>/training/<int:session>/cancel/", training.session_cancel, name="session-cancel"),
    path("<slug:team>/training/<int:session>/attendance/", training.attendance, name="attendance"),
    path("<slug:team>/rewards/<people_month:month>/<int:person>/", training.grant_reward, name="reward"),
    path("<slug:team>/support/", support.directory, name="support"),
    path("<slug:team>/support/new/", support.contact_edit, name="contact-new"),
    path("<slug:team>/support/<int:contact>/", support.contact_edit, name="contact-edit"),
    path("<slug:team>/support/<int:contact>/remove/", support.contact_remove, name="contact-remove"),
]
