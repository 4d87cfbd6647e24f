"""The Wagtail anchor: one Wagtail page and one Wagtail document on SQLite, in a single module.

Runs in its own virtual environment (bench/.wagtail-venv, made by bench/run.py with `pip install wagtail`).
`python wagtail_site.py setup` migrates a fresh SQLite database in BENCH_ANCHOR_DIR and creates
a page rendered from page.jinja's HTML (wagtailcore/page.html) and a document holding file.pdf;
`gunicorn --chdir bench/anchors wagtail_site:application` serves them (page at /, document at the
URL written to wagtail-document-url).
"""

import os
import sys
from pathlib import Path

import django
from django.conf import settings

folder = Path(os.environ["BENCH_ANCHOR_DIR"])
settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "wagtail.sqlite3")}},
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "taggit",
        "modelcluster",
        "wagtail",
        "wagtail.admin",
        "wagtail.users",
        "wagtail.images",
        "wagtail.documents",
        "wagtail.sites",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(folder / "wagtail-templates")],
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
        }
    ],
    MEDIA_ROOT=str(folder / "wagtail-media"),
    MEDIA_URL="/media/",
    STATIC_URL="/static/",
    WAGTAIL_SITE_NAME="bench",
    WAGTAILADMIN_BASE_URL="http://127.0.0.1",
    WAGTAILDOCS_SERVE_METHOD="serve_view",
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.urls import include, path  # noqa: E402
from wagtail import urls as wagtail_urls  # noqa: E402
from wagtail.documents import urls as wagtaildocs_urls  # noqa: E402

urlpatterns = [path("documents/", include(wagtaildocs_urls)), path("", include(wagtail_urls))]


def setup() -> None:
    """Migrate a fresh database; create the page (as the site's root page) and the document."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from wagtail.documents.models import Document
    from wagtail.models import Page, Site

    templates = folder / "wagtail-templates" / "wagtailcore"
    templates.mkdir(parents=True, exist_ok=True)
    page_html = (folder / "page.jinja").read_text().replace("{{ title }}", "{{ page.title }}")
    (templates / "page.html").write_text(
        page_html.replace("{% raw %}", "{% verbatim %}").replace("{% endraw %}", "{% endverbatim %}")
    )
    call_command("migrate", verbosity=0)
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Alliance", slug="alliance"))
    page.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = page
    site.save()
    document = Document(title="file")
    document.file.save("file.pdf", ContentFile((folder / "file.pdf").read_bytes()))
    document.save()
    (folder / "wagtail-document-url").write_text(document.url)


if __name__ == "__main__" and sys.argv[1:] == ["setup"]:
    setup()
else:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
