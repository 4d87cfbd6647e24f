"""The `cms` command: serve, init, create-user, demo (Flask's CLI underneath)."""

import os

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from cms import create_app, database, scheduler
from cms.accounts import AccountError, create_account
from cms.demo import DEMO_PASSWORD, create_demo_documents, create_demo_users
from cms.seed_data import seed_cities
from content_types import MemberCity
from workflows.permissions import MEMBER, SITE_ROLES


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@with_appcontext
def serve(host, port, threads):
    """Serve the CMS with waitress (and own the embedded database, if used)."""
    from waitress import serve as waitress_serve

    interval = current_app.config.get("CMS_SCHEDULER_SECONDS", 60)
    if interval:
        scheduler.start_background(current_app._get_current_object(), interval)
    click.echo(f"Alliance CMS on http://{host}:{port}/  (database: {current_app.config['CMS_DATABASE_KIND']})")
    waitress_serve(current_app._get_current_object(), host=host, port=port, threads=threads, ident="alliance-cms")


@click.command("init")
@with_appcontext
def init():
    """Create indexes and the founding member cities (safe to run again)."""
    database.upgrade_stored_data()
    database.ensure_indexes()
    added = seed_cities()
    click.echo(f"Indexes ready; {added} founding member cities added ({MemberCity.objects.count()} in all).")


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
    city_document = None
    if city:
        city_document = MemberCity.find_by_name(city)
        if city_document is None:
            raise click.UsageError(f"No member city called {city!r}. Run `cms init` first, or check the name.")
    if MEMBER in roles and city_document is None:
        raise click.UsageError("A member needs --city.")
    password = os.environ.get("CMS_PASSWORD") or click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_account(email, password, list(roles), name, city_document)
    except AccountError as error:
        raise click.ClickException(f"{error.field}: {error}") from None
    click.echo(f"Created {user.email} with roles {', '.join(user.roles)}.")


@click.command("demo")
@with_appcontext
def demo():
    """Add demo accounts for every role and a few documents; print the logins."""
    database.ensure_indexes()
    seed_cities()
    logins = create_demo_users()
    added = create_demo_documents()
    click.echo(f"Demo documents added: {added}.")
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for email, role in logins:
        click.echo(f"  {role:<9} {email}")


@click.command("publish-scheduled")
@with_appcontext
def publish_scheduled():
    """Fire the scheduled publications and expiries that are due (for cron)."""
    fired = scheduler.run_due()
    for item_id, trigger in fired:
        click.echo(f"{trigger}: {item_id}")
    click.echo(f"{len(fired)} scheduled transitions fired.")


def register(group) -> None:
    """Add our commands to a click group."""
    for command in (serve, init, create_user, demo, publish_scheduled):
        group.add_command(command)


@click.group(
    cls=FlaskGroup,
    create_app=create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def main():
    """Alliance CMS: the content management system of the Sino-German Industrial Cities Alliance."""


register(main)
