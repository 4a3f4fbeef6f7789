from django.urls import path

from logbook import views

app_name = "logbook"

urlpatterns = [
    path("<slug:team>/today/", views.today, name="today"),
    path("<slug:team>/acknowledgement/", views.acknowledgement, name="acknowledgement"),
    path("<slug:team>/shifts/<int:duty_shift>/sign-in/", views.sign_in, name="sign-in"),
    path("<slug:team>/logbooks/<int:logbook>/late-explanation/", views.late_explanation, name="late-explanation"),
    path("<slug:team>/logbooks/<int:logbook>/equipment/", views.equipment_check, name="equipment-check"),
    path("<slug:team>/logbooks/<int:logbook>/break/", views.night_break, name="break"),
    path("<slug:team>/logbooks/<int:logbook>/leave-post/", views.leave_post, name="leave-post"),
    path("<slug:team>/logbooks/<int:logbook>/back/", views.back, name="back"),
    path("<slug:team>/logbooks/<int:logbook>/sign-out/", views.sign_out, name="sign-out"),
    path("<slug:team>/logbooks/<int:logbook>/entries/", views.entry_new, name="entry-new"),
    path("<slug:team>/logbooks/<int:logbook>/handover/", views.handover_start, name="handover-start"),
    path("<slug:team>/logbooks/<int:logbook>/summary/", views.summary, name="summary"),
    path("<slug:team>/logbooks/<int:logbook>/submit/", views.submit, name="submit"),
    path("<slug:team>/logbooks/<int:logbook>/report/", views.report, name="report"),
    path("<slug:team>/logbooks/<int:logbook>/", views.logbook_detail, name="logbook"),
    path("<slug:team>/logbooks/<int:logbook>/review/", views.review, name="review"),
    path("<slug:team>/entries/<int:entry>/", views.entry_detail, name="entry"),
    path("<slug:team>/entries/<int:entry>/edit/", views.entry_edit, name="entry-edit"),
    path("<slug:team>/entries/<int:entry>/reveal/", views.entry_reveal, name="entry-reveal"),
    path("<slug:team>/entries/<int:entry>/answer/", views.entry_answer, name="entry-answer"),
    path("<slug:team>/entries/<int:entry>/progress/", views.entry_progress, name="entry-progress"),
    path("<slug:team>/handovers/<int:handover>/", views.handover, name="handover"),
    path("<slug:team>/handovers/<int:handover>/save/", views.handover_save, name="handover-save"),
    path("<slug:team>/handovers/<int:handover>/sign/", views.handover_sign, name="handover-sign"),
    path("<slug:team>/board/", views.board, name="board"),
    path("<slug:team>/reviews/", views.reviews, name="reviews"),
    path("<slug:team>/discipline/", views.discipline, name="discipline"),
    path("<slug:team>/discipline/add/", views.discipline_add, name="discipline-add"),
    path("<slug:team>/complaints/", views.complaints, name="complaints"),
    path("<slug:team>/search/", views.search, name="search"),
    path("<slug:team>/equipment/", views.equipment, name="equipment"),
    path("privacy/", views.retention, name="retention"),
]
