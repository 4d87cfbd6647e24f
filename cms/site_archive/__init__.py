"""The whole site to one archive file and back (`cms export`, `cms import`), and `cms check` of what is stored.

One job per module: `archive_format` (what an archive holds and how it is named),
`export` (database to archive), `import_` (archive to an empty database),
`check` (every stored file's checksum and every item's history).
"""
