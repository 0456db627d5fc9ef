from django.urls import path

from saferhub.web.accounts import password_views, two_factor_views, user_admin, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("two-factor/", two_factor_views.verify, name="two-factor"),
    path("two-factor/set-up/", two_factor_views.set_up, name="two-factor-set-up"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes, name="recovery-codes"),
    path("password/", password_views.PasswordChangeView.as_view(), name="password-change"),
    path("password-reset/", password_views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        password_views.PasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        password_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path("users/", user_admin.users, name="users"),
    path("users/<int:pk>/active/", user_admin.set_active, name="user-active"),
    path(
        "users/<int:pk>/two-factor/reset/",
        user_admin.reset_user_two_factor,
        name="user-two-factor-reset",
    ),
]
