from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text("language: tr\npipeline: []\n" + body, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HELPLINE_DATABASE_URL", raising=False)
    settings = load_settings(tmp_path / "missing.yml")
    assert settings.database_url == "sqlite:///./helpline.db"
    assert settings.nlu.backend == "embedded"


def test_file_wins_over_default_and_environment_wins_over_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(
        tmp_path,
        "helpline:\n  database_url: sqlite:///from-file.db\n  nlu:\n    backend: rasa\n"
        "    rasa_url: http://127.0.0.1:5005\n",
    )
    monkeypatch.delenv("HELPLINE_DATABASE_URL", raising=False)
    settings = load_settings(config)
    assert settings.database_url == "sqlite:///from-file.db"
    assert settings.nlu.backend == "rasa"

    monkeypatch.setenv("HELPLINE_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("HELPLINE_NLU__BACKEND", "embedded")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    settings = load_settings(config)
    assert settings.database_url == "sqlite:///from-env.db"
    assert settings.nlu.backend == "embedded"
    assert settings.nlu.rasa_url == "http://127.0.0.1:5005"
    assert settings.telegram_bot_token == "123:abc"


def test_a_bad_value_names_its_key(tmp_path: Path) -> None:
    config = write_config(tmp_path, "helpline:\n  nlu:\n    backend: gpt\n")
    with pytest.raises(SettingsError, match=r"nlu\.backend"):
        load_settings(config)


def test_an_unknown_key_is_named(tmp_path: Path) -> None:
    config = write_config(tmp_path, "helpline:\n  databse_url: sqlite:///typo.db\n")
    with pytest.raises(SettingsError, match="databse_url"):
        load_settings(config)


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("helpline: [unclosed\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid YAML"):
        load_settings(config)


def test_the_key_file_sits_beside_the_sqlite_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.yml", database_url=f"sqlite:///{tmp_path}/data/h.db")
    assert settings.resolved_key_file() == tmp_path / "data" / "h.key"
