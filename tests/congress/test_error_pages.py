"""The portal's own Chinese pages for every error a browser can meet: 400, CSRF, 403, 404, 500, 503;
and the administration has no login page of its own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_an_unknown_host_name_gets_the_chinese_400_page(client):
    response = client.get("/", HTTP_HOST="portal.attacker.example")

    assert response.status_code == 400
    html = response.content.decode()
    assert "无法处理的请求" in html
    assert '<html lang="zh-hans">' in html


@pytest.mark.django_db
def test_a_form_without_its_token_gets_the_chinese_expired_page(cast):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("login"), {"username": cast.staff.username, "password": PASSWORD})

    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "重新提交" in html
    assert "Forbidden" not in html and "CSRF verification failed" not in html  # Django's own English page
    assert "no-store" in response["Cache-Control"]
    assert "_auth_user_id" not in browser.session


@pytest.mark.django_db
def test_the_administration_login_sends_to_the_portals_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_the_administration_cannot_be_signed_into_on_its_own_form(client, django_user_model):
    django_user_model.objects.create_superuser(username="root", password=PASSWORD, email="")

    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})

    assert response.status_code == 405
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_administration_sends_a_stranger_to_the_portals_login(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()
