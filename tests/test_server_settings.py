"""The settings table drives --help-settings and --setting; doctests of the server helpers."""

from __future__ import annotations

import doctest

import pytest
from click.testing import CliRunner

from linkedalliance import query, settings, store
from linkedalliance.cli import main
from linkedalliance.server import negotiation, pages, urls


def test_help_settings_lists_every_setting() -> None:
    result = CliRunner().invoke(main, ["serve", "--help-settings"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert listed == [s.name for s in settings.SETTINGS]


def test_setting_values_are_typed_and_checked() -> None:
    s = settings.Settings.from_pairs([("max_result_rows", "5"), ("base_iri", "http://e.org/x/")])
    assert s.max_result_rows == 5 and str(s.scheme.entity("a")) == "http://e.org/x/id/a"
    with pytest.raises(settings.SettingError, match="setting 'port' needs a int, got 'x'"):
        settings.Settings.from_pairs([("port", "x")])
    with pytest.raises(settings.SettingError, match="must end with '/'"):
        settings.Settings.from_pairs([("base_iri", "http://e.org/x")])


@pytest.mark.parametrize("module", [settings, store, query, negotiation, urls, pages])
def test_doctests(module: object) -> None:
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert tried > 0 and failures == 0


def test_flag_settings() -> None:
    assert settings.Settings().access_log is False
    assert settings.Settings.from_pairs([("access_log", "true")]).access_log is True
    assert settings.Settings.from_pairs([("access_log", "off")]).access_log is False
    with pytest.raises(settings.SettingError, match="setting 'access_log' needs a flag"):
        settings.Settings.from_pairs([("access_log", "maybe")])
    with pytest.raises(settings.SettingError, match="lookup_cache"):
        settings.Settings.from_pairs([("lookup_cache", "-1")])
