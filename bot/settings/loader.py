"""Reading the settings: environment variables win over `config.yml`, which wins over defaults.

`config.yml` is shared with Rasa: Rasa reads its `language` and `pipeline`,
the helpline reads its `helpline:` section.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from bot.settings.helpline import Settings

DEFAULT_CONFIG_FILE = Path("config.yml")


class SettingsError(Exception):
    """A setting is wrong; the message names the key."""


def load_settings(config_file: Path | None = None, **overrides: object) -> Settings:
    """Read settings from the environment, then `config_file` (or `$HELPLINE_CONFIG`)."""
    path = config_file or Path(os.environ.get("HELPLINE_CONFIG", DEFAULT_CONFIG_FILE))
    if path.exists():
        import yaml

        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path}: not valid YAML: {exc}") from exc
        has_section = isinstance(content, dict) and "helpline" in content
    else:
        has_section = False

    class FileSettings(Settings):
        model_config = SettingsConfigDict(
            yaml_file=path if has_section else None,
            yaml_config_section="helpline" if has_section else None,
        )

    try:
        return FileSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid setting in {path} or the environment: {problems}") from exc
