"""Leave and swap addresses: /roster/requests/... for one's own, /roster/<team>/requests/... for a team's."""

from django.urls import path

from leave import views

app_name = "leave"
urlpatterns = [
    path("requests/mine/", views.my_requests, name="requests-mine"),
    path("requests/leave/new/", views.leave_new, name="leave-new"),
    path("requests/swap/new/", views.swap_new, name="swap-new"),
    path("<slug:team>/requests/", views.queue, name="requests-queue"),
    path("<slug:team>/requests/emergency/", views.emergency_new, name="emergency-new"),
    path("<slug:team>/requests/leave/<int:leave>/", views.leave_detail, name="leave-detail"),
    path("<slug:team>/requests/leave/<int:leave>/decide/", views.leave_decide, name="leave-decide"),
    path("<slug:team>/requests/leave/<int:leave>/withdraw/", views.leave_withdraw, name="leave-withdraw"),
    path("<slug:team>/requests/swap/<int:swap>/", views.swap_detail, name="swap-detail"),
    path("<slug:team>/requests/swap/<int:swap>/answer/", views.swap_answer, name="swap-answer"),
    path("<slug:team>/requests/swap/<int:swap>/decide/", views.swap_decide, name="swap-decide"),
    path("<slug:team>/requests/swap/<int:swap>/withdraw/", views.swap_withdraw, name="swap-withdraw"),
]
