"""Dataset pages: search, one dataset, the catalog as data.json, and imports with history."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from wtforms import ValidationError

from eventhub.authz import requires
from eventhub.datasets import export, queries, services
from eventhub.datasets.forms import FileImportForm, UrlImportForm, megabytes
from eventhub.datasets.models import DatasetImport
from eventhub.datasets.records import ACCESS_LEVELS
from eventhub.extensions import db, limiter
from eventhub.forms import search_words
from eventhub.http import id_arg, page_arg
from eventhub.security import larger_body

bp = Blueprint("datasets", __name__, url_prefix="/datasets")

# An upload may be as large as an import allows, plus room for the rest of the form.
FORM_OVERHEAD = 64 * 1024


def _filters() -> queries.Filters:
    args = request.args
    access = args.get("access", "")
    return queries.Filters(
        q=search_words(args.get("q")),
        publisher=args.get("publisher", type=id_arg),
        keyword=search_words(args.get("keyword")),
        format=search_words(args.get("format"), 40),
        access=access if access in ACCESS_LEVELS else "",
    )


@bp.get("")
@requires("public")
def index():
    filters = _filters()
    results = queries.search_datasets(filters, page=request.args.get("page", 1, type=page_arg))
    return render_template(
        "datasets/index.html",
        filters=filters,
        results=results,
        facets=queries.facet_entries(filters, results.facets),
        publisher_name=queries.publisher_name(filters.publisher),
    )


@bp.get("/<int:dataset_id>")
@requires("public")
def show(dataset_id: int):
    dataset = queries.get_dataset(dataset_id) or abort(404)
    return render_template(
        "datasets/show.html",
        dataset=dataset,
        challenges=queries.featured_in(dataset),
        projects=queries.used_by(dataset),
    )


@bp.get("/publishers/<int:publisher_id>")
@requires("public")
def publisher(publisher_id: int):
    """A publisher's datasets and how much events used them: the case for opening data."""
    found = queries.get_publisher(publisher_id) or abort(404)
    challenges, projects = queries.publisher_usage(found)
    return render_template(
        "datasets/publisher.html",
        publisher=found,
        datasets=queries.publisher_datasets(found),
        challenge_count=challenges,
        project_count=projects,
    )


@bp.get("/data.json")
@requires("public")
def catalog_json():
    response = jsonify(export.catalog())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _import_limit() -> str:
    return current_app.config["IMPORT_RATE_LIMIT"]


def _importer() -> str:
    return f"import-user:{current_user.get_id()}"


def _upload_limit() -> tuple[int, str]:
    limit = current_app.config["IMPORT_MAX_BYTES"]
    return (
        limit + FORM_OVERHEAD,
        f"The file is larger than {megabytes(limit)}; nothing was imported.",
    )


@bp.route("/import", methods=["GET", "POST"])
@requires("dataset.import")
@limiter.limit(_import_limit, key_func=_importer, methods=["POST"])
@larger_body(_upload_limit)
def import_catalog():
    """Each remote import may hold a worker for up to IMPORT_TIMEOUT: limited per person."""
    via = request.form.get("via") if request.method == "POST" else None
    # Only the form that was sent reads the request; the other is shown empty.
    file_form = FileImportForm() if via == "file" else FileImportForm(formdata=None)
    url_form = UrlImportForm() if via == "url" else UrlImportForm(formdata=None)
    history = None
    if via == "file" and file_form.validate_on_submit():
        history = _import_file(file_form)
    elif via == "url" and url_form.validate_on_submit():
        history = services.import_url(url_form.url.data, actor=current_user)
    if history is not None:
        db.session.commit()
        return redirect(url_for("datasets.import_report", import_id=history.id))
    return render_template(
        "datasets/import.html",
        file_form=file_form,
        url_form=url_form,
        limit=megabytes(current_app.config["IMPORT_MAX_BYTES"]),
        history=queries.import_history(limit=10),
    )


def _import_file(form: FileImportForm):
    try:
        body = form.read()
    except ValidationError as exc:
        form.file.errors = [str(exc)]
        return None
    return services.import_bytes(
        body,
        catalog_key=form.catalog_key(),
        via="file",
        source=form.file.data.filename or "upload",
        actor=current_user,
    )


@bp.get("/imports")
@requires("dataset.import")
def imports():
    return render_template("datasets/imports.html", history=queries.import_history(limit=200))


@bp.get("/imports/<int:import_id>")
@requires("dataset.import")
def import_report(import_id: int):
    history = db.session.get(DatasetImport, import_id) or abort(404)
    return render_template("datasets/import_report.html", history=history)
