"""flask commands: create-admin, seed-demo, backup, datasets import."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app

from eventhub.errors import DomainError
from eventhub.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(backup)
    app.cli.add_command(datasets)


@click.command("create-admin")
@click.argument("email")
@click.option("--name", help="Name for a new account.")
@click.option(
    "--password",
    envvar="EVENTHUB_ADMIN_PASSWORD",
    help="Password for a new account (or EVENTHUB_ADMIN_PASSWORD); asked if needed.",
)
def create_admin(email: str, name: str | None, password: str | None) -> None:
    """Make the account with EMAIL a site admin, creating it if needed."""
    from eventhub.accounts.services import find_user, make_admin

    if find_user(email) is None and password is None:
        password = click.prompt(
            "Password for the new account", hide_input=True, confirmation_prompt=True
        )
    try:
        user, created = make_admin(email, name=name, password=password)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(
        f"{'Created' if created else 'Promoted'} {user.email}: site admin, may organize events."
    )


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any event already exists.")
def seed_demo(if_empty: bool) -> None:
    """Create a Datapalooza-style demo event with an agenda, registrations and demo accounts."""
    from eventhub.demo import seed

    accounts = seed(only_if_empty=if_empty)
    if accounts is None:
        click.echo("The database already has events; no demo data added.")
        return
    db.session.commit()
    click.echo("Demo event created: /events/health-datapalooza-demo")
    click.echo("Demo accounts (email / password / role):")
    for email, password, role in accounts:
        click.echo(f"  {email:<32} {password:<28} {role}")


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def backup(out: Path) -> None:
    """Write a consistent copy of the live database to OUT (SQLite file or pg_dump archive)."""
    from eventhub.backup import BackupError
    from eventhub.backup import backup as take_backup

    try:
        written = take_backup(out)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup written to {written}")


@click.group("datasets")
def datasets() -> None:
    """The dataset catalog."""


@datasets.command("import")
@click.argument("source")
@click.option(
    "--catalog",
    help="Name the datasets are kept under (default: the file's name, or the address).",
)
def import_datasets(source: str, catalog: str | None) -> None:
    """Import a DCAT-US catalog or one portal dataset from SOURCE, a file path or https URL.

    Re-importing the same source updates its datasets; nothing is duplicated.
    """
    from eventhub.datasets import services

    bars = []

    def progress_factory(total: int):
        bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
        bar.__enter__()
        bars.append(bar)
        return bar.update

    if source.startswith(("https://", "http://")):
        history = services.import_url(source, via="cli", progress_factory=progress_factory)
    else:
        path = Path(source)
        if not path.is_file():
            raise click.ClickException(f"No such file: {source}")
        limit = current_app.config["IMPORT_MAX_BYTES"]
        if path.stat().st_size > limit:
            raise click.ClickException(
                f"{source} is larger than {limit / (1024 * 1024):g} MB; nothing was imported."
            )
        history = services.import_bytes(
            path.read_bytes(),
            catalog_key=catalog or path.name,
            via="cli",
            source=str(path),
            progress_factory=progress_factory,
        )
    for bar in bars:
        bar.__exit__(None, None, None)
    db.session.commit()
    if history.status == "failed":
        raise click.ClickException(f"Nothing was imported: {history.message}")
    click.echo(
        f"{history.kind} from {history.source}: {history.new_count} new, "
        f"{history.updated_count} updated, {history.unchanged_count} unchanged, "
        f"{history.rejected_count} rejected."
    )
    for rejection in history.rejected:
        where = f"record {rejection['position']}" if rejection.get("position") else "a record"
        name = rejection.get("identifier") or rejection.get("title") or ""
        click.echo(f"  rejected {where} {name}: {rejection['reason']}".replace("  :", ":"))
    for amended in history.amended:
        click.echo(f"  imported {amended['identifier']} with changes: {amended['reason']}")
