"""The base layout: Chinese by default, English on request, sign in/out, password change, error pages,
favicon, vendored assets and the role-aware navigation."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation

from congress import urls as project_urls
from congress import views
from congress.models import District, Role, Town
from congress.navigation import NavEntry, nav_items, roles

TEMPLATES_DIR = Path(django_settings.BASE_DIR) / "templates"
STATIC_DIR = Path(django_settings.BASE_DIR) / "static"
PASSWORD = "Beifang-2025-secret"


# A URLconf for the tests that need a view which fails or sends messages: the project's URLs plus three.
def _boom(request):
    raise RuntimeError("the database went away")


def _forbidden(request):
    raise PermissionDenied


def _with_messages(request):
    messages.success(request, "saved-message")
    messages.error(request, "failed-message")
    return render(request, "base.html")


urlpatterns = [
    *project_urls.urlpatterns,
    path("test/boom/", _boom),
    path("test/forbidden/", _forbidden),
    path("test/messages/", _with_messages),
]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def town(db):
    district = District.objects.create(name="怀柔区")
    return Town.objects.create(district=district, name="北房镇", slug="beifang")


@pytest.fixture
def deputy_user(django_user_model, town):
    return django_user_model.objects.create_user(
        username="zhangguilan", password=PASSWORD, role=Role.DEPUTY, town=town, full_name="张桂兰"
    )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password=PASSWORD, email="")


@pytest.fixture
def test_urls(settings):
    settings.ROOT_URLCONF = __name__


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def inline_scripts(html: str) -> list[dict[str, str | None]]:
    """Script elements that would execute without a src (JSON data blocks are data, not code)."""
    parser = _Scripts()
    parser.feed(html)
    return [s for s in parser.scripts if not s.get("src") and s.get("type") != "application/json"]


def external_hosts(text: str) -> set[str]:
    return set(re.findall(r"https?://([^/\"'\s<>]+)", text)) - {"testserver"}


# Language


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "镇人大工作平台" in html
    assert "用户名" in html


@pytest.mark.django_db
def test_login_page_has_no_inline_script_and_no_external_url(client):
    html = client.get(reverse("login")).content.decode()

    assert inline_scripts(html) == []
    assert external_hosts(html) == set()


def test_no_template_has_an_inline_script_or_an_external_url():
    for template in TEMPLATES_DIR.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert inline_scripts(text) == [], template
        assert external_hosts(text) == set(), template


@pytest.mark.django_db
def test_switching_to_english_shows_the_login_page_in_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302

    html = client.get(reverse("login")).content.decode()

    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Town People&#x27;s Congress Work Portal" in html
    assert "登录" not in html


@pytest.mark.django_db
def test_language_switch_posts_both_languages_to_set_language(client):
    html = client.get(reverse("login")).content.decode()

    form = re.search(rf'<form[^>]*action="{reverse("set_language")}".*?</form>', html, re.S)
    assert form is not None
    assert 'method="post"' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert 'value="zh-hans"' in form.group(0) and 'value="en"' in form.group(0)
    # Each language is named in itself, whatever the current one.
    assert ">简体中文</button>" in form.group(0) and ">English</button>" in form.group(0)


# Signing in and out, password change


@pytest.mark.django_db
def test_user_signs_in_with_the_login_form(client, deputy_user):
    response = client.post(reverse("login"), {"username": "zhangguilan", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(deputy_user.pk)


@pytest.mark.django_db
def test_logout_by_post_signs_the_user_out(client, deputy_user):
    client.force_login(deputy_user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_navigation_offers_logout_as_a_post_form(client, deputy_user):
    client.force_login(deputy_user)

    html = client.get(reverse("home")).content.decode()

    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert f'href="{reverse("logout")}"' not in html


@pytest.mark.django_db
def test_password_change_requires_login(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_password_change_page_is_chinese(client, deputy_user):
    client.force_login(deputy_user)

    html = client.get(reverse("password_change")).content.decode()

    assert "修改密码" in html
    assert "保存新密码" in html


@pytest.mark.django_db
def test_password_change_stores_the_new_password(client, deputy_user):
    client.force_login(deputy_user)
    new_password = "Huairou-Beifang-2026"

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    deputy_user.refresh_from_db()
    assert deputy_user.check_password(new_password)
    assert "密码已修改" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_password_change_with_a_wrong_old_password_changes_nothing(client, deputy_user):
    client.force_login(deputy_user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong-password", "new_password1": "Xx-1234567890", "new_password2": "Xx-1234567890"},
    )

    assert response.status_code == 200
    deputy_user.refresh_from_db()
    assert deputy_user.check_password(PASSWORD)


# Messages and error pages


@pytest.mark.django_db
def test_messages_are_shown_as_bootstrap_alerts(client, test_urls):
    html = client.get("/test/messages/").content.decode()

    assert re.search(r'class="alert alert-success[^"]*"[^>]*>\s*saved-message', html)
    assert re.search(r'class="alert alert-danger[^"]*"[^>]*>\s*failed-message', html)


@pytest.mark.django_db
def test_unknown_page_is_a_chinese_404(client, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert "返回首页" in response.content.decode()


@pytest.mark.django_db
def test_forbidden_page_is_a_chinese_403(client, settings, test_urls):
    settings.DEBUG = False

    response = client.get("/test/forbidden/")

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.django_db
def test_a_failing_view_gets_the_chinese_500_page(settings, test_urls):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/test/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出错" in html
    assert "镇人大工作平台" in html


@pytest.mark.django_db
def test_500_page_renders_without_touching_the_database(django_assert_num_queries, settings):
    # A context processor that would fail proves the 500 page does not run them.
    engine = settings.TEMPLATES[0]
    processors = [*engine["OPTIONS"]["context_processors"], f"{__name__}.failing"]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]
    request = RequestFactory().get("/")

    with translation.override("zh-hans"), django_assert_num_queries(0):
        response = views.server_error(request)

    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


@pytest.mark.django_db
def test_a_database_error_outside_a_view_gets_the_503_page_without_touching_the_database(
    django_assert_num_queries,
):
    request = RequestFactory().get("/")

    with translation.override("zh-hans"), django_assert_num_queries(0):
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            response = views.server_error(request)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "暂时无法连接数据库" in response.content.decode()
    assert "server closed" not in response.content.decode()


def failing(request):
    raise RuntimeError("context processors must not run for the 500 page")


# Favicon and vendored assets


def test_favicon_ico_redirects_to_the_static_file(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response.url == static("favicon.ico")
    assert finders.find("favicon.ico")
    assert finders.find("favicon.svg")


@pytest.mark.django_db
def test_pages_link_the_svg_favicon(client):
    html = client.get(reverse("login")).content.decode()

    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html


VENDORED = {
    "vendor/bootstrap-5.3.9": ["css/bootstrap.min.css", "js/bootstrap.bundle.min.js"],
    "vendor/bootstrap-icons-1.13.2": ["bootstrap-icons.min.css", "fonts/bootstrap-icons.woff2"],
    "vendor/echarts-6.1.0": ["echarts.min.js", "i18n/langZH.js"],
}


@pytest.mark.parametrize("package", VENDORED)
def test_vendored_package_ships_its_files_and_licence(package):
    for name in [*VENDORED[package], "LICENSE"]:
        assert (STATIC_DIR / package / name).is_file(), f"{package}/{name}"


def test_base_template_loads_the_vendored_files_through_static():
    base = (TEMPLATES_DIR / "base.html").read_text(encoding="utf-8")

    for asset in [
        "vendor/bootstrap-5.3.9/css/bootstrap.min.css",
        "vendor/bootstrap-5.3.9/js/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons-1.13.2/bootstrap-icons.min.css",
        "vendor/echarts-6.1.0/echarts.min.js",
        "css/portal.css",
        "js/portal.js",
    ]:
        assert "{% static '" + asset + "' %}" in base
    assert "{% htmx_script %}" in base


def test_every_static_path_in_the_templates_exists():
    for template in TEMPLATES_DIR.rglob("*.html"):
        for asset in re.findall(r"{% static '([^']+)' %}", template.read_text(encoding="utf-8")):
            assert finders.find(asset), f"{template.name}: {asset}"


@pytest.mark.django_db
def test_rendered_page_loads_bootstrap_and_htmx_from_this_server(client):
    html = client.get(reverse("login")).content.decode()

    assert static("vendor/bootstrap-5.3.9/css/bootstrap.min.css") in html
    assert static("vendor/bootstrap-5.3.9/js/bootstrap.bundle.min.js") in html
    assert static("django_htmx/htmx-2.min.js") in html
    # Only pages with charts load ECharts.
    assert "echarts" not in html


def test_pages_with_charts_load_echarts_from_this_server():
    html = render_to_string("base.html", {"with_charts": True})

    assert f'<script src="{static("vendor/echarts-6.1.0/echarts.min.js")}" defer></script>' in html


def test_form_text_is_at_least_16px():
    css = (STATIC_DIR / "css" / "portal.css").read_text(encoding="utf-8")
    rule = re.search(r"\.form-control,[^{]*{\s*font-size:\s*([\d.]+)rem", css)

    assert rule is not None
    assert float(rule.group(1)) * 16 >= 16


# Navigation and home page


@pytest.mark.django_db
def test_superuser_navigation_includes_the_admin(client, superuser):
    client.force_login(superuser)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("admin:index")}"' in html
    assert "admin:index" in [item.url_name for item in nav_items(superuser)]


@pytest.mark.django_db
def test_deputy_navigation_has_no_admin(client, deputy_user):
    client.force_login(deputy_user)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("admin:index")}"' not in html
    assert "admin:index" not in [item.url_name for item in nav_items(deputy_user)]


@pytest.mark.django_db
def test_entries_are_filtered_by_role(deputy_user):
    entries = [
        NavEntry(url_name="home", label="for staff", icon="x", roles=roles(Role.STAFF, Role.CHAIRMAN)),
        NavEntry(url_name="password_change", label="for deputies", icon="x", roles=roles(Role.DEPUTY)),
    ]

    assert [item.label for item in nav_items(deputy_user, entries=entries)] == ["for deputies"]


@pytest.mark.django_db
def test_an_entry_with_an_action_follows_the_access_module(cast):
    entries = [NavEntry(url_name="home", label="quota", icon="x", action="visits.view_quota")]

    assert nav_items(cast.deputy_user, entries=entries) == []
    assert [item.label for item in nav_items(cast.chairman, entries=entries)] == ["quota"]


@pytest.mark.django_db
def test_home_groups_the_tiles_of_a_staff_member(client, cast):
    client.force_login(cast.staff)

    html = client.get(reverse("home")).content.decode()

    assert reverse("visits:visit_create") in html
    assert reverse("congress:account_list") in html
    assert html.index('id="tiles-visits"') < html.index('id="tiles-reference"')


@pytest.mark.django_db
def test_entries_whose_url_does_not_exist_yet_are_skipped(deputy_user):
    entries = [
        NavEntry(url_name="nowhere:page", label="not merged yet", icon="x"),
        NavEntry(url_name="home", label="home", icon="x"),
    ]

    assert [item.url_name for item in nav_items(deputy_user, entries=entries)] == ["home"]


def test_anonymous_visitor_gets_no_entries():
    from django.contrib.auth.models import AnonymousUser

    assert nav_items(AnonymousUser()) == []


@pytest.mark.django_db
def test_home_greets_the_user_by_name_and_role(client, deputy_user):
    client.force_login(deputy_user)

    html = client.get(reverse("home")).content.decode()

    assert "张桂兰，您好" in html
    assert "代表" in html
    assert "北房镇" in html


@pytest.mark.django_db
def test_home_shows_the_users_entries_as_tiles(client, superuser):
    client.force_login(superuser)

    html = client.get(reverse("home")).content.decode()

    tiles = re.findall(r'<a class="card h-100 portal-tile[^"]*" href="([^"]+)"', html)
    expected = [item.url for item in nav_items(superuser) if item.show_as_tile and item.section == "main"]
    assert reverse("admin:index") in tiles
    assert sorted(tiles) == sorted(expected)
    assert "系统管理员" in html


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert 'lang="en"' in page.content.decode()
