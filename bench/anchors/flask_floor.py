"""The Flask floor: a minimal Flask app serving the benchmark's page (as a template) and file (send_file).

Served by bench/run.py with gunicorn: `gunicorn --chdir bench/anchors flask_floor:app`, with
BENCH_ANCHOR_DIR naming the folder that holds page.html (the CMS's own published page) and file.pdf.
"""

import os
from pathlib import Path

from flask import Flask, render_template, send_file

folder = Path(os.environ["BENCH_ANCHOR_DIR"])
app = Flask(__name__, template_folder=str(folder))


@app.get("/page")
def page():
    """Render the 5 KB page as a Jinja template (one variable, like a CMS page's title)."""
    return render_template("page.jinja", title="Alliance")


@app.get("/file")
def file():
    """Send the 200 KB file with send_file (conditional, with an ETag), as the CMS's downloads do."""
    return send_file(folder / "file.pdf", mimetype="application/pdf", as_attachment=True, conditional=True)
