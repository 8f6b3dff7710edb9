"""Demo-day pages: the public running order (one page, printable through its print styles:
no separate print route), the room screen, and the organizer's order and phone control.

The room screen is a page of its own, without the site's header and footer, sized to one
screen. Its script asks for the page again every ``DEMODAY_SCREEN_POLL_SECONDS`` (15 unless
the app's config says otherwise) and swaps in what is on stage; a failed request leaves the
last good state up and retries with backoff, so a dropped network never leaves a browser
error page on the projector (as an HTTP ``Refresh`` would). Without scripts a <noscript>
meta refresh does the same job. ``?refresh=off`` stops it, for someone reading along on their
own device (WCAG 2.2.1).
"""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.authz import requires
from eventhub.demoday import queries, services
from eventhub.demoday.forms import BreakForm, BuildForm, SettingsForm, SlotForm
from eventhub.errors import DomainError
from eventhub.events.blueprint import load_event
from eventhub.extensions import db
from eventhub.forms import ActionForm

bp = Blueprint("demoday", __name__, url_prefix="/events/<slug>")
bp.url_value_preprocessor(load_event)

REFRESH_SECONDS = 15


@bp.app_template_global()
def has_running_order(event) -> bool:
    """For the event page's link: shown once slots exist."""
    return queries.has_running_order(event)


@bp.app_template_filter()
def slot_time(slot, zone: str) -> str:
    """'2:05 PM to 2:10 PM EST': a slot's span in the event's zone, the zone named once."""
    return queries.clock_span(slot.starts_at, slot.ends_at, zone)


def _to(endpoint: str = "organize"):
    return redirect(url_for(f"demoday.{endpoint}", slug=g.event.slug))


def _run(service, *args, done, failed_form=None):
    """Act and commit; a refusal rolls back and is flashed (or put on ``failed_form``)."""
    try:
        result = service(*args, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        if failed_form is None:
            flash(exc.message, "error")
            return False
        failed_form.add_error(exc.message, exc.field)
        return None
    db.session.commit()
    flash(done(result) if callable(done) else done, "success")
    return True


def _slot_form(slot, number):
    data = {"position": number, "minutes": slot.minutes, "title": slot.title}
    return SlotForm(formdata=None, prefix=f"slot-{slot.id}", data=data)


def _organize_page(settings=None, build=None, add=None, failed=None):
    demo = queries.demo_day_of(g.event)
    if settings is None:
        defaults = None if demo is not None else {"slot_minutes": 5}
        settings = SettingsForm(formdata=None, obj=demo, data=defaults, event=g.event)
        if demo is not None:
            settings.fill_times(demo, g.event.timezone)
    slots = queries.slots_of(g.event)
    forms = {s.id: _slot_form(s, n) for n, s in enumerate(slots, 1)}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "demoday/organize.html",
        event=g.event,
        demo=demo,
        slots=slots,
        settings=settings,
        build=build or BuildForm(formdata=None, data={"break_minutes": 10}),
        add=add or BreakForm(formdata=None, data={"after": len(slots), "minutes": 10}),
        forms=forms,
        is_live=queries.is_live,
        withdrawn=sum(1 for s in slots if not queries.is_live(s)),
        action=ActionForm(),
    )


@bp.get("/demo-day")
@requires("demoday.view")
def view():
    return render_template(
        "demoday/view.html",
        event=g.event,
        demo=queries.demo_day_of(g.event),
        slots=queries.live_slots(g.event),
    )


@bp.get("/demo-day/now")
@requires("demoday.view")
def screen():
    every = current_app.config.get("DEMODAY_SCREEN_POLL_SECONDS", REFRESH_SECONDS)
    return render_template(
        "demoday/screen.html",
        event=g.event,
        stage=queries.stage(g.event),
        refresh=request.args.get("refresh") != "off",
        poll_ms=round(every * 1000),
        refresh_seconds=REFRESH_SECONDS,
    )


@bp.route("/manage/demo-day", methods=["GET", "POST"])
@requires("demoday.organize")
def organize():
    if request.method == "GET":
        return _organize_page()
    form = SettingsForm(event=g.event)
    if form.validate_on_submit():
        saved = _run(
            services.save_settings,
            g.event,
            form.data_for_service(),
            done="Demo day saved.",
            failed_form=form,
        )
        if saved:
            return _to()
    return _organize_page(settings=form)


@bp.post("/manage/demo-day/build")
@requires("demoday.organize")
def build():
    form = BuildForm()
    if form.validate_on_submit():
        done = _run(
            services.build_order,
            g.event,
            form.data_for_service(),
            done=lambda slots: f"Running order built: {len(slots)} slots.",
            failed_form=form,
        )
        if done:
            return _to()
    return _organize_page(build=form)


@bp.post("/manage/demo-day/sync")
@requires("demoday.organize")
def sync():
    if ActionForm().validate_on_submit():
        _run(
            services.sync_order,
            g.event,
            done=lambda r: f"Added {r[0]} project(s) at the end; removed {r[1]} withdrawn.",
        )
    return _to()


@bp.post("/manage/demo-day/breaks")
@requires("demoday.organize")
def add_break():
    form = BreakForm()
    if form.validate_on_submit():
        done = _run(
            services.add_break,
            g.event,
            form.data_for_service(),
            done="Break added.",
            failed_form=form,
        )
        if done:
            return _to()
    return _organize_page(add=form)


@bp.post("/manage/demo-day/slots/<int:slot_id>/move")
@requires("demoday.organize")
def move(slot_id: int):
    slot = queries.get_slot(g.event, slot_id)
    if ActionForm().validate_on_submit():
        direction = request.form.get("direction", "")
        _run(services.move_slot, slot, direction, done=f"Moved “{slot.title}” {direction}.")
    return _to()


@bp.post("/manage/demo-day/slots/<int:slot_id>")
@requires("demoday.organize")
def edit_slot(slot_id: int):
    slot = queries.get_slot(g.event, slot_id)
    form = SlotForm(prefix=f"slot-{slot.id}")
    if form.validate_on_submit():
        done = _run(
            services.update_slot,
            slot,
            form.data_for_service(),
            done="Slot saved.",
            failed_form=form,
        )
        if done:
            return _to()
    return _organize_page(failed=(slot.id, form))


@bp.get("/manage/demo-day/control")
@requires("demoday.organize")
def control():
    return render_template(
        "demoday/control.html", event=g.event, stage=queries.stage(g.event), action=ActionForm()
    )


@bp.post("/manage/demo-day/advance")
@requires("demoday.organize")
def advance():
    if ActionForm().validate_on_submit():
        _run(
            services.advance,
            g.event,
            request.form,
            done=lambda now: f"Now presenting: {services.describe(now.current, now.finished)}.",
        )
    return _to("control")


# Last: the permission walk asks every route with one slot id, and this one removes it.
@bp.post("/manage/demo-day/slots/<int:slot_id>/remove")
@requires("demoday.organize")
def remove_slot(slot_id: int):
    slot = queries.get_slot(g.event, slot_id)
    if ActionForm().validate_on_submit():
        _run(services.remove_slot, slot, done=f"Removed “{slot.title}” from the running order.")
    return _to()
