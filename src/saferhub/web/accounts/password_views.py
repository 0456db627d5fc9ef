"""Changing a password, and resetting a forgotten one by email (Django's own views)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from saferhub.web.access import ALL_ROLES, allow, public
from saferhub.web.audit.log import record

CHOOSING_GUIDANCE = (
    "Use at least 12 characters. Three or more random words work well. "
    "It cannot be a common password, or a common word with numbers or symbols added."
)


class NewPasswordMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = CHOOSING_GUIDANCE
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""


class ChangePasswordForm(NewPasswordMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"


class SetNewPasswordForm(NewPasswordMixin, auth_forms.SetPasswordForm):
    pass


class ResetRequestForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address your SaferHub account was set up with.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right format, like name@example.gov.uk",
        },
    )


@allow(*ALL_ROLES)
class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view keeps this session signed in and signs out every other session."""

    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request, "password-changed", summary=f"{self.request.user} changed password")
        messages.success(self.request, "Your password has been changed.")
        return response


@public
class PasswordResetView(auth_views.PasswordResetView):
    """Always answers the same way, so the page does not reveal who has an account."""

    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")


@public
class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


@public
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetNewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            self.request,
            "password-reset",
            summary=f"{form.user.username} reset their password by email",
            detail={"user_id": form.user.pk},
        )
        return response


@public
class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
