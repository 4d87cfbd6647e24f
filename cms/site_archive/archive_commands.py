"""The commands `cms export`, `cms import` and `cms check` (registered by cms.cli)."""

import click
import mongoengine as me
from flask.cli import with_appcontext

from cms import database, page_cache
from cms.site_archive.archive_format import LEFT_OUT, ArchiveError, known_schema_number, schema_number
from cms.site_archive.check import check_site
from cms.site_archive.export import export_site
from cms.site_archive.import_ import import_site


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def export(path, force):
    """Write the whole site (content, revisions, versions, files, accounts, cities, audit log …) to one archive file."""
    try:
        manifest = export_site(me.connection.get_db(), path, force=force)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from None
    documents = sum(entry["documents"] for entry in manifest["collections"].values())
    files = sum(entry["files"] for entry in manifest["buckets"].values())
    click.echo(
        f"Exported {documents} documents in {len(manifest['collections'])} collections and {files} files "
        f"(schema {manifest['schema']}) to {path}."
    )
    click.echo(f"Left out: {', '.join(sorted(manifest['left_out'])) or 'nothing'} (see README, Backup and restore).")


@click.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def import_archive(path):
    """Restore an archive made by `cms export` into this installation's database, which must be empty."""
    db = me.connection.get_db()
    try:
        counts = import_site(db, path, database.ensure_indexes)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from None
    # Processes already serving this database may have cached its empty pages.
    page_cache.invalidate()
    for name, count in counts.items():
        click.echo(f"  {name}: {count}")
    click.echo(f"Imported {path}. Not restored (by design): {', '.join(sorted(LEFT_OUT))}; everyone logs in again.")
    known = known_schema_number()
    if known is not None and schema_number(db) < known:
        click.echo("The archive comes from an older CMS: run `cms migrate` next.")


@click.command("check")
@with_appcontext
def check():
    """Verify every stored file against its checksum and every item's history; exit 1 if something is wrong."""
    report = check_site(me.connection.get_db())
    click.echo("Checked: " + ", ".join(f"{count} {kind}" for kind, count in sorted(report.checked.items())) + ".")
    for problem in report.problems:
        click.echo(f"  - {problem}")
    if not report.clean:
        click.echo(f"{len(report.problems)} problems found.")
        raise SystemExit(1)
    click.echo("No problems found.")


def register(group) -> None:
    """Add the archive commands to a click group."""
    for command in (export, import_archive, check):
        group.add_command(command)
