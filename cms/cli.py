"""The `cms` command: serve, init, migrate, reindex, create-user, update-user, demo, repair, send-mail, report, …"""

import os
import signal
import time

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from cms import background, create_app, database, publication, revisions, search
from cms.config import ConfigError
from cms.demo import DEMO_PASSWORD, create_demo_documents, create_demo_users
from cms.exports.report_command import report
from cms.generated_companies import add_generated_companies
from cms.mail import digest, sender
from cms.migrations.command import migrate, run_migrations
from cms.operations import accounts, cities, consents, scheduling
from cms.seed_data import seed_cities
from cms.site_archive import archive_commands
from content_types import MemberCity, User
from content_types.refusals import Refused
from workflows.permissions import SITE_ROLES


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@with_appcontext
def serve(host, port, threads):
    """Serve the CMS with waitress (and own the embedded database, if used)."""
    from waitress import serve as waitress_serve

    # The scheduler and the mail sender, each run by one process of the installation at a time.
    background.start(current_app._get_current_object())
    # SIGTERM (systemd, docker stop, kill) ends the server as cleanly as Ctrl-C: the embedded database is closed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    click.echo(f"Alliance CMS on http://{host}:{port}/  (database: {current_app.config['CMS_DATABASE_KIND']})")
    waitress_serve(
        current_app._get_current_object(),
        host=host,
        port=port,
        threads=threads,
        ident="alliance-cms",
        # waitress would otherwise take up to 1 GiB of body before the app can answer 413.
        max_request_body_size=current_app.config["MAX_CONTENT_LENGTH"],
    )


@click.command("init")
@with_appcontext
def init():
    """Migrate stored data, create indexes and the founding member cities, finish interrupted work (safe to repeat)."""
    run_migrations()
    database.ensure_indexes()
    added = seed_cities()
    click.echo(f"Indexes ready; {added} founding member cities added ({MemberCity.objects.count()} in all).")
    _repair()
    if search.is_empty():
        _reindex()


@click.command("reindex")
@with_appcontext
def reindex():
    """Rebuild the search index from the database (after a failure, a restore, or a new version's index)."""
    _reindex()


def _reindex() -> None:
    click.echo(f"Indexing for search in {search.index_dir(current_app)} ...")
    indexed = search.rebuild(report=lambda count: click.echo(f"  {count} items"))
    click.echo(f"Search index rebuilt: {indexed} items.")


@click.command("repair")
@with_appcontext
def repair():
    """Finish publications left pending and record missing revisions (after a failure or a crash)."""
    _repair()


def _repair() -> None:
    published = publication.repair()
    recorded = revisions.repair_revisions()
    settled = consents.settle_open()
    cities_moved = cities.repair_city_statuses()
    click.echo(
        f"Repaired: {len(published)} pending publications, {recorded} missing revisions, "
        f"{len(settled)} applications settled by their decisions, {len(cities_moved)} city status changes redone."
    )


def _city(name):
    if not name:
        return None
    city = MemberCity.find_by_name(name)
    if city is None:
        raise click.UsageError(f"No member city called {name!r}. Run `cms init` first, or check the name.")
    return city


def _password(prompt: bool):
    return os.environ.get("CMS_PASSWORD") or (
        click.prompt("Password", hide_input=True, confirmation_prompt=True) if prompt else None
    )


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice(SITE_ROLES), help="Site role (repeatable)."
)
@click.option("--city", default=None, help="Member city (name in German, Chinese or English).")
@click.option("--name", default="", help="Display name.")
@with_appcontext
def create_user(email, roles, city, name):
    """Create a user; the password comes from CMS_PASSWORD or a prompt."""
    city_document = _city(city)
    try:
        user = accounts.create_account(email, _password(prompt=True), list(roles), name, city_document)
    except Refused as refusal:
        raise click.ClickException(_describe(refusal)) from None
    click.echo(f"Created {user.email} with roles {', '.join(user.roles)}.")


@click.command("update-user")
@click.argument("email")
@click.option("--role", "roles", multiple=True, type=click.Choice(SITE_ROLES), help="New site roles (repeatable).")
@click.option("--city", default=None, help="Member city (name in German, Chinese or English).")
@click.option("--name", default=None, help="Display name.")
@click.option("--active/--inactive", default=None, help="Allow or stop the account's logins.")
@click.option("--password", "new_password", is_flag=True, help="Set a new password (CMS_PASSWORD or a prompt).")
@with_appcontext
def update_user(email, roles, city, name, active, new_password):
    """Change a user: roles, city, name, active, password (the same rules as the admin and the API)."""
    user = User.objects(email=email.strip().lower()).first()
    if user is None:
        raise click.UsageError(f"No account with the e-mail address {email!r}.")
    changes = {}
    if roles:
        changes["roles"] = list(roles)
    if city:
        changes["city"] = _city(city)
    if name is not None:
        changes["name"] = name
    if active is not None:
        changes["active"] = active
    if new_password:
        changes["password"] = _password(prompt=True)
    if not changes:
        raise click.UsageError("Say what to change (see --help).")
    try:
        accounts.update_account(None, user, changes)
    except Refused as refusal:
        raise click.ClickException(_describe(refusal)) from None
    click.echo(f"Updated {user.email}: {', '.join(sorted(changes))}.")


def _describe(refusal: Refused) -> str:
    field = next(iter(refusal.details), None)
    return f"{field}: {refusal.message}" if field else refusal.message


@click.command("demo")
@click.option(
    "--companies",
    type=click.IntRange(0, 100_000),
    default=0,
    help="Also store this many generated, published companies (a company database at scale, e.g. 20000).",
)
@with_appcontext
def demo(companies):
    """Add demo accounts for every role and a few documents; print the logins."""
    database.ensure_indexes()
    seed_cities()
    logins = create_demo_users()
    added = create_demo_documents()
    click.echo(f"Demo documents added: {added}.")
    if companies:
        click.echo(f"Generated companies added: {add_generated_companies(companies)} (indexed for search as they are).")
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for email, role in logins:
        click.echo(f"  {role:<9} {email}")


@click.command("publish-scheduled")
@with_appcontext
def publish_scheduled():
    """Fire the scheduled publications and expiries that are due (for cron)."""
    fired = scheduling.run_due()
    for item_id, trigger in fired:
        click.echo(f"{trigger}: {item_id}")
    click.echo(f"{len(fired)} scheduled transitions fired.")


@click.command("send-mail")
@click.option("--watch", is_flag=True, help="Keep running, sending what becomes due (a worker beside the server).")
@click.option(
    "--interval", default=10.0, show_default=True, type=click.FloatRange(0.5, 3600), help="Seconds between runs."
)
@with_appcontext
def send_mail(watch, interval):
    """Send the outbox's due mail once (for cron), or keep sending with --watch."""
    click.echo(f"Sending mail by {sender.backend_name()}.")
    while True:
        # The digests of the days that are over are written first, so that this very run sends them.
        digests = digest.compile_due()
        if digests:
            click.echo(f"{digests} daily digests written.")
        delivery = sender.deliver_due()
        if delivery.sent or delivery.retrying or delivery.failed or delivery.unconfirmed or not watch:
            click.echo(
                f"{len(delivery.sent)} sent, {len(delivery.retrying)} to retry, {len(delivery.failed)} failed, "
                f"{len(delivery.unconfirmed)} unconfirmed."
            )
        if not watch:
            if delivery.failed or delivery.unconfirmed:
                raise SystemExit(1)  # cron mails its operator a non-zero exit
            return
        time.sleep(interval)


def register(group) -> None:
    """Add our commands to a click group."""
    for command in (
        serve,
        init,
        migrate,
        repair,
        reindex,
        create_user,
        update_user,
        demo,
        publish_scheduled,
        send_mail,
        report,
    ):
        group.add_command(command)
    archive_commands.register(group)


def _create_app():
    # A configuration that can't be used is a message for the operator, not a traceback.
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def main():
    """Alliance CMS: the content management system of the Sino-German Industrial Cities Alliance."""


register(main)
