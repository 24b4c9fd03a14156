"""The Content Security Policy, applied by a real Chromium to a page built from base.html, lets the
vendored Bootstrap, Bootstrap Icons, htmx and ECharts work without a single violation."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from csp.utils import build_policy
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.template import RequestContext, Template
from django.test import RequestFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PROBE = Path(__file__).parent / "csp_probe"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

PAGE = Template(
    """{% extends "base.html" %}
{% block content %}
<input class="form-control is-invalid" value="x"><select class="form-select"><option>a</option></select>
<i class="bi bi-house"></i>
<button id="probe-tip" type="button" class="btn btn-primary" data-bs-title="提示">tip</button>
<div class="dropdown"><button id="probe-dropdown" class="btn dropdown-toggle" data-bs-toggle="dropdown">dd</button>
<ul class="dropdown-menu"><li><a class="dropdown-item" href="#">x</a></li></ul></div>
<div id="probe-indicator"><span class="htmx-indicator">…</span></div>
<div id="probe-chart" class="probe-chart"></div>
<div id="probe-modal" class="modal"><div class="modal-dialog"><div class="modal-content">m</div></div></div>
{% endblock %}
{% block scripts %}<script src="/probe.js" defer></script>{% endblock %}"""
)


def serve(root: Path, policy: str) -> ThreadingHTTPServer:
    """Serve the probe page, its script and the static files (found as Django finds them) with the CSP."""

    class Handler(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            path = path.split("?")[0]
            if path.startswith("/static/"):
                return finders.find(path.removeprefix("/static/")) or str(root / "missing")
            return super().translate_path(path)

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def probe_site(tmp_path: Path) -> Iterator[str]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = PAGE.render(RequestContext(request, {"with_charts": True}))
    # The chart needs a size; the CSP forbids giving it in a style attribute, so a stylesheet does.
    html = html.replace("</head>", '<link rel="stylesheet" href="/probe.css">\n</head>')
    (tmp_path / "index.html").write_text(html, encoding="utf-8")
    (tmp_path / "probe.css").write_text(".probe-chart { width: 600px; height: 300px; }")
    shutil.copy(PROBE / "probe.js", tmp_path / "probe.js")
    server = serve(tmp_path, build_policy())
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def violations_in_chromium(url: str) -> list[str]:
    result = subprocess.run(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = re.search(r'<output id="probe-result" data-ready="(\w+)" data-violations="([^"]*)"', result.stdout)
    assert found, "the probe did not finish: " + result.stderr[-2000:]
    assert found.group(1) == "true", "htmx or ECharts did not load"
    return json.loads(found.group(2).replace("&quot;", '"'))


def test_vendored_libraries_run_without_a_csp_violation(probe_site):
    assert violations_in_chromium(probe_site + "?tooltip=richText") == []


def test_echarts_html_tooltips_would_violate_the_style_policy(probe_site):
    """Why charts use richText tooltips: the HTML ones are built with style="" attributes."""
    found = violations_in_chromium(probe_site + "?tooltip=html")
    assert found and all(v.startswith("style-src-attr echarts") for v in found)
