from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    # Registration and e-mail confirmation
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirm-resend/", views.resend_confirmation, name="resend_confirmation"),
    # Who speaks for the enterprise
    path("verification/", views.verification_page, name="verification"),
    path("request-access/", views.request_access, name="request_access"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("claims/<int:pk>/document/", views.claim_document, name="claim_document"),
    # Sign-in and passwords
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            extra_context={"login_url": reverse_lazy("accounts:login")}
        ),
        name="password_reset_complete",
    ),
    # The user's own profile
    path("profile/", views.profile, name="profile"),
    # The enterprise's profile and staff accounts
    path("enterprise/", views.my_enterprise, name="my_enterprise"),
    path("enterprise/<int:pk>/", views.enterprise_detail, name="enterprise"),
    path("enterprise/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprise/<int:pk>/staff/", views.staff, name="staff"),
    path(
        "enterprise/<int:pk>/staff/<int:user_pk>/deactivate/",
        views.staff_deactivate,
        name="staff_deactivate",
    ),
    # Notifications
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
]
