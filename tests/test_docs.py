"""The README is the manual: every setting and every command is documented there."""

from __future__ import annotations

import pytest

from newsdesk import config
from newsdesk.cli import build_parser
from tests.conftest import REPO

README = (REPO / "README.md").read_text()


@pytest.mark.parametrize("setting", [s.name for s in config.SETTINGS])
def test_every_setting_is_in_the_readme(setting):
    assert f"`{setting}`" in README, f"document {setting} in the README's configuration table"


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command):
    assert f"`newsdesk {command}" in README, f"document `newsdesk {command}` in the README"


def test_settings_json_masks_secrets(monkeypatch):
    monkeypatch.setenv("NEWSDESK_SECRET_KEY", "very-secret")
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", "postgresql://editor:pw@db:5432/news")
    shown = config.public_values()
    assert shown["NEWSDESK_SECRET_KEY"] == "********"
    assert "pw" not in shown["NEWSDESK_DATABASE_URL"] and "db:5432/news" in shown["NEWSDESK_DATABASE_URL"]
