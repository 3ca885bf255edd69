"""`helpline nlu ...`: train, parse and evaluate the embedded NLU.

The group also runs on its own: ``python -m bot.nlu.commands parse``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO

import click

from bot.nlu.embedded import build_nlu
from bot.nlu.model_store import save, train
from bot.nlu.training_data import load as load_training_data
from bot.settings import Settings, SettingsError, load_settings


@click.group("nlu")
def nlu() -> None:
    """Train, try and measure the language understanding."""


@nlu.command("train")
@click.option("--folds", default=5, show_default=True, help="cross-validation folds (0: none)")
def train_command(folds: int) -> None:
    """Train from nlu/, save the model and print a cross-validated report."""
    # scikit-learn: serving never imports it
    from bot.nlu.evaluate import cross_validate, format_report

    settings = _settings()
    data = load_training_data(settings.nlu.data_dir)  # the model keeps only what serving reads
    model = train(settings.nlu.data_dir, data=data)
    save(model, settings.nlu.model_path)
    click.echo(
        f"trained on {len(data.examples)} intent examples, "
        f"{len(data.risk.phrases)} risk phrases, "
        f"{len(data.risk_examples)} risk examples "
        f"in {model.training_seconds:.1f} s; saved to {settings.nlu.model_path}"
    )
    if folds >= 2:
        report = cross_validate(data.examples, folds=folds)
        click.echo(f"cross-validated ({folds} folds) intent report:")
        click.echo(format_report(report))


@nlu.command("parse")
@click.option("--lang", "language_hint", default=None, help="the conversation's language")
def parse_command(language_hint: str | None) -> None:
    """Read one message per line on stdin, write one JSON object per line on stdout."""
    engine = build_nlu(_settings())
    out = sys.stdout.buffer  # bytes: UTF-8 whatever the locale says
    for raw in _LineIterator(sys.stdin.buffer):
        text = raw.decode("utf-8", errors="replace")
        result = engine.parse(text, language_hint).to_json()
        out.write(json.dumps(result, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()


@nlu.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
def evaluate_command(file: Path, as_json: bool) -> None:
    """Measure the configured NLU (embedded or Rasa) on a labelled JSONL file."""
    from bot.nlu.evaluate import evaluate, format_report, read_labelled

    settings = _settings()
    try:
        lines = read_labelled(file)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    report = evaluate(build_nlu(settings), lines)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))


# the first words of the note `tune-risk --write` leaves in the thresholds file
BY_TUNING = "Chosen by `helpline nlu tune-risk --write`"


@nlu.command("tune-risk")
@click.option("--folds", default=5, show_default=True)
@click.option("--write", is_flag=True, help="write the choice to nlu/risk/thresholds.yml")
@click.option(
    "--force",
    is_flag=True,
    help="with --write: replace thresholds that another rule chose (their comment says how)",
)
@click.option("--mistakes", "show_mistakes", default=0, help="print this many OOF mistakes")
@click.option(
    "--shared-phrases",
    is_flag=True,
    help="search on readings where a phrase counts on a disclosure only if it hits another",
)
def tune_risk_command(
    folds: int, write: bool, force: bool, show_mistakes: int, shared_phrases: bool
) -> None:
    """Choose the risk thresholds on out-of-fold readings of the training data (no test set)."""
    from bot.nlu import training_data
    from bot.nlu.risk_tuning import (
        TARGETS,
        THRESHOLDS_FILE,
        measure,
        mistakes,
        out_of_fold,
        save_thresholds,
        search,
        shared_phrases_only,
    )

    settings = _settings()
    path = settings.nlu.data_dir / THRESHOLDS_FILE
    if (
        write
        and not force
        and path.exists()
        and not path.read_text("utf-8").startswith(f"# {BY_TUNING}")
    ):
        # a hand-kept rule ("keep every recall of an earlier model") is not this search's
        raise click.ClickException(
            f"{path} was chosen by another rule (its comment says how); --force replaces it"
        )
    rows = out_of_fold(training_data.load(settings.nlu.data_dir), folds=folds)
    shared = shared_phrases_only(rows)
    chosen, measured, ranked = search(shared if shared_phrases else rows)
    click.echo(f"out-of-fold over {len(rows)} training messages, targets {TARGETS}")
    click.echo(f"chosen: {chosen}")
    click.echo(json.dumps(measured))
    click.echo("the same, each phrase credited only where it hits another disclosure too:")
    click.echo(json.dumps(measure(shared, chosen)))
    click.echo("next best settings:")
    for row in ranked[1:6]:
        click.echo(json.dumps(row))
    for line in mistakes(rows, chosen, limit=show_mistakes) if show_mistakes else []:
        click.echo(line)
    if write:
        note = (
            f"{BY_TUNING} on out-of-fold readings of the\n"
            "training data (never a test set). Out-of-fold figures for this choice:\n"
            + json.dumps(measured)
        )
        save_thresholds(chosen, path, note)
        click.echo(f"written to {path}")


class _LineIterator:
    """Lines of a binary stream without their end (``\\n``, ``\\r\\n``), read as they come."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def __iter__(self) -> _LineIterator:
        return self

    def __next__(self) -> bytes:
        line = self._stream.readline()
        if not line:
            raise StopIteration
        if line.endswith(b"\n"):
            line = line[:-1]
        if line.endswith(b"\r"):
            line = line[:-1]
        return line


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


if __name__ == "__main__":
    nlu()
