"""EventHub: open-data civic events. ``create_app`` is the table of contents."""

from __future__ import annotations

from flask import Flask

from eventhub import config as settings


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(settings.INSTANCE),
    )
    register_config(app, config)
    register_logging(app)
    register_extensions(app)
    register_database(app)
    register_security(app)
    register_templates(app)
    register_http(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    return app


def register_config(app: Flask, overrides: dict | None) -> None:
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.from_env())
    app.config.update(overrides or {})
    settings.finish(app.config)


def register_logging(app: Flask) -> None:
    from eventhub.logs import configure_logging

    configure_logging(app)


def register_extensions(app: Flask) -> None:
    from eventhub import models  # noqa: F401  (all tables on the metadata)
    from eventhub.datasets import search
    from eventhub.extensions import csrf, db, limiter, login_manager, migrate
    from eventhub.mail import register_mail

    db.init_app(app)
    migrate.init_app(
        app, db, render_as_batch=True, compare_type=True, include_object=search.include_object
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    register_mail(app)


def register_database(app: Flask) -> None:
    from sqlalchemy.orm import configure_mappers

    from eventhub.database import configure_engine

    configure_engine(app)
    # Relationships are resolved now, when a worker starts, not in its first request (a
    # tenth of a second), and a mistake in them stops the start instead of that request.
    configure_mappers()


def register_security(app: Flask) -> None:
    from eventhub.security import configure_security

    configure_security(app)


def register_templates(app: Flask) -> None:
    from eventhub.templating import configure_templates

    configure_templates(app)


def register_http(app: Flask) -> None:
    from eventhub.http import configure_http

    configure_http(app)


def register_blueprints(app: Flask) -> None:
    from eventhub.accounts.views import admin_bp
    from eventhub.accounts.views import bp as accounts_bp
    from eventhub.calendar.views import bp as calendar_bp
    from eventhub.challenges.views import bp as challenges_bp
    from eventhub.core.views import bp as core_bp
    from eventhub.datasets.views import bp as datasets_bp
    from eventhub.demoday.views import bp as demoday_bp
    from eventhub.events.views import bp as events_bp
    from eventhub.judging.routes import bp as judging_bp
    from eventhub.results.views import bp as results_bp
    from eventhub.submissions import manage_views, views  # noqa: F401  (routes on projects_bp)
    from eventhub.submissions.blueprint import bp as projects_bp
    from eventhub.teams.views import bp as teams_bp

    for blueprint in (
        core_bp,
        accounts_bp,
        admin_bp,
        events_bp,
        datasets_bp,
        challenges_bp,
        teams_bp,
        projects_bp,
        judging_bp,
        results_bp,
        demoday_bp,
        calendar_bp,
    ):
        app.register_blueprint(blueprint)


def register_errors(app: Flask) -> None:
    from eventhub.errors import register_error_handlers

    register_error_handlers(app)


def register_cli(app: Flask) -> None:
    from eventhub.cli import register_commands

    register_commands(app)
