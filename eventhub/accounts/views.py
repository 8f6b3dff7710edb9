"""Account pages and the admin's user list."""

import secrets

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from eventhub.accounts import services
from eventhub.accounts import signup as signups
from eventhub.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    ResetForm,
    ResetRequestForm,
    SignUpConfirmForm,
    SignUpForm,
)
from eventhub.accounts.models import User, lower_email
from eventhub.authz import requires
from eventhub.errors import DomainError
from eventhub.extensions import client_address, db, limiter
from eventhub.forms import ActionForm, search_words
from eventhub.security import safe_next

bp = Blueprint("accounts", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_email() -> str:
    return "login-email:" + lower_email(request.form.get("email", ""))


def _login_failed(response) -> bool:
    return bool(g.get("login_failed"))


_limit_args = dict(methods=["POST"], deduct_when=_login_failed)


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def _signup_client_limit() -> str:
    return current_app.config["SIGNUP_CLIENT_RATE_LIMIT"]


def _signup_email() -> str:
    return "signup-email:" + lower_email(request.form.get("email", ""))


def _signup_sent(response) -> bool:
    return bool(g.get("signup_sent"))


_SIGNUP_BROWSER = "signup_browser"
_signup_args = dict(methods=["POST"], deduct_when=_signup_sent)


@bp.route("/signup", methods=["GET", "POST"])
@requires("public")
@limiter.limit(
    _signup_client_limit, key_func=client_address, scope="signup-address", **_signup_args
)
@limiter.limit(_signup_limit, key_func=_signup_email, scope="signup-email", **_signup_args)
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        browser = session.get(_SIGNUP_BROWSER) or secrets.token_urlsafe(16)
        try:
            signups.start_sign_up(
                form.email.data,
                form.name.data,
                form.password.data,
                browser=browser,
                next_path=safe_next(request.args.get("next"), ""),
            )
        except DomainError as exc:
            form.add_error(exc.message, exc.field)
        else:
            db.session.commit()
            session[_SIGNUP_BROWSER] = browser
            g.signup_sent = True
            return redirect(url_for("accounts.signup_sent"))
    return render_template("accounts/signup.html", form=form)


@bp.get("/signup/sent")
@requires("public")
def signup_sent():
    hours = current_app.config["SIGNUP_CONFIRM_HOURS"]
    return render_template("accounts/signup_sent.html", hours=hours)


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
@requires("public")
def signup_confirm(token: str):
    pending = signups.find_pending(token)
    if pending is None:
        flash(signups.EXPIRED, "error")
        return redirect(url_for("accounts.signup"))
    browser = session.get(_SIGNUP_BROWSER)
    form = SignUpConfirmForm()
    if form.validate_on_submit():
        try:
            user, next_path = signups.finish_sign_up(
                token, browser=browser, password=form.password.data or ""
            )
        except DomainError as exc:
            form.add_error(exc.message, exc.field)
        else:
            db.session.commit()
            session.pop(_SIGNUP_BROWSER, None)
            login_user(user)
            flash("Welcome to EventHub. Your account is ready.", "success")
            return redirect(safe_next(next_path, url_for("events.index")))
    same_browser = signups.same_browser(pending, browser)
    return render_template(
        "accounts/signup_confirm.html", form=form, pending=pending, same_browser=same_browser
    )


@bp.route("/login", methods=["GET", "POST"])
@requires("public")
@limiter.limit(_login_limit, key_func=client_address, scope="login-address", **_limit_args)
@limiter.limit(_login_limit, key_func=_login_email, scope="login-email", **_limit_args)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            flash(f"Signed in as {user.name}.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("events.index")))
        g.login_failed = True
        form.add_error("That email and password do not match an account.")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@requires("account.self")
def logout():
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    flash("You are signed out on every device.", "success")
    return redirect(url_for("core.home"))


@bp.route("/account", methods=["GET", "POST"])
@requires("account.self")
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            name=form.name.data,
            affiliation=form.affiliation.data,
            bio=form.bio.data,
            skills=form.skills.data,
        )
        db.session.commit()
        flash("Your profile is saved.", "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@requires("account.self")
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as exc:
            form.add_error(exc.message, exc.field)
        else:
            db.session.commit()
            # This session continues under the new epoch. The user object, not the
            # current_user proxy: a proxy stored as the user resolves to itself forever.
            login_user(current_user._get_current_object())
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@requires("public")
@limiter.limit(_login_limit, key_func=client_address, scope="reset-address", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            "If an account uses that email, a reset link is on its way. "
            "It works once, for 30 minutes.",
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@requires("public")
def reset_confirm(token: str):
    if services.find_reset(token) is None:
        flash("This reset link has expired or was already used. Ask for a new one.", "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as exc:
            form.add_error(exc.message, "password")
        else:
            db.session.commit()
            flash("Your password is changed. Sign in with it now.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@admin_bp.get("/users")
@requires("admin.users")
def users():
    query = search_words(request.args.get("q"))
    stmt = db.select(User).order_by(User.name)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(db.or_(db.func.lower(User.name).like(like), User.email.like(like)))
    people = db.session.scalars(stmt.limit(200)).all()
    return render_template("admin/users.html", people=people, query=query, form=ActionForm())


@admin_bp.post("/users/<int:user_id>/organizer")
@requires("admin.users")
def organizer_right(user_id: int):
    user = db.get_or_404(User, user_id)
    allowed = request.form.get("allowed") == "1"
    services.set_organizer_right(user, allowed, actor=current_user)
    db.session.commit()
    verb = "may now organize events" if allowed else "may no longer organize events"
    flash(f"{user.name} {verb}.", "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))
