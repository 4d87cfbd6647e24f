"""The `cms migrate` command: apply the pending schema migrations, or list them."""

import click
from flask.cli import with_appcontext

from cms import migrations


def run_migrations() -> list[migrations.Migration]:
    """Apply the pending migrations, printing each; a failure is a ClickException naming it (exit status 1)."""
    try:
        return migrations.migrate(announce=lambda migration: click.echo(f"Applying {migration.name} …"))
    except (migrations.MigrationFailed, migrations.MigrationBusy) as error:
        raise click.ClickException(f"{error}. Nothing after it was applied.") from None


@click.command("migrate")
@click.option("--list", "listing", is_flag=True, help="Show every migration, applied or pending; change nothing.")
@click.option(
    "--release", type=click.IntRange(1), default=None, help="Drop the unfinished claim of a process that died."
)
@with_appcontext
def migrate(listing, release):
    """Bring the database to this version's schema: apply the pending numbered migrations in order."""
    if release is not None:
        found = migrations.release(release)
        click.echo(
            f"Claim on migration {release} released." if found else f"No unfinished claim on migration {release}."
        )
        return
    if listing:
        for migration, record in migrations.status():
            when = f"applied {record['applied_at']:%Y-%m-%d %H:%M} UTC" if record else "pending"
            click.echo(f"{migration.name:<40} {when:<28} {migration.summary}")
        click.echo(f"Schema number: {migrations.current_number()}.")
        return
    done = run_migrations()
    click.echo(f"{len(done)} migrations applied; schema number {migrations.current_number()}.")
