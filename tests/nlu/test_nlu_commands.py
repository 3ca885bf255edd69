from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.nlu.commands import nlu

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "nlu"

LINES = [
    b"hello",
    b"",
    "😀😀😀".encode(),
    b"\x00\x01 control \x1b[31m chars",
    b"invalid \xff\xfe utf-8 \xc3",
    ("x" * 20_000).encode(),
    "بدي محامي".encode(),
    b"my husband will kill me tonight",
    b"   ",
    "İSTANBUL'da hastane".encode(),
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "HELPLINE_CONFIG": str(tmp_path / "absent.yml"),
        "HELPLINE_NLU__DATA_DIR": str(FIXTURE_DATA),
        "HELPLINE_NLU__MODEL_PATH": str(tmp_path / "nlu.pkl"),
    }


def _check(output: bytes) -> None:
    rows = [json.loads(line) for line in output.decode("utf-8").splitlines()]
    assert len(rows) == len(LINES)
    for row, line in zip(rows, LINES, strict=True):
        assert row["text"] == line.decode("utf-8", errors="replace")
        assert set(row) == {"text", "language", "intent", "confidence", "entities", "risk"}
        assert row["language"] in ("tr", "ar", "en", "fa")
        assert row["risk"]["level"] in ("none", "medium", "high", "imminent")
    assert rows[1]["intent"] == "out_of_scope" and rows[1]["risk"]["level"] == "none"
    assert rows[6]["entities"] == [{"entity": "service_category", "value": "legal"}]
    assert rows[6]["language"] == "ar"
    assert rows[7]["risk"] == {
        "level": "imminent",
        "category": "domestic_violence",
        "evidence": rows[7]["risk"]["evidence"],
    }
    assert "\\u" not in output.decode("utf-8").split("\n")[6]  # ensure_ascii=False


def test_parse_with_click_runner(env: dict[str, str]) -> None:
    result = CliRunner().invoke(nlu, ["parse"], input=b"\n".join(LINES) + b"\n", env=env)
    assert result.exit_code == 0, result.output
    _check(result.stdout_bytes)


def test_parse_as_a_process_answers_line_by_line(env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.nlu.commands", "parse"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    # one line in, one line out, before the input ends (flushed per line)
    process.stdin.write(b"hello\n")
    process.stdin.flush()
    first = json.loads(process.stdout.readline())
    assert first["text"] == "hello"
    rest, errors = process.communicate(b"\n".join(LINES[1:]) + b"\n", timeout=120)
    assert process.returncode == 0, errors.decode()
    _check(json.dumps(first, ensure_ascii=False).encode() + b"\n" + rest)


def test_train_prints_a_report(env: dict[str, str]) -> None:
    result = CliRunner().invoke(nlu, ["train", "--folds", "2"], env=env)
    assert result.exit_code == 0, result.output
    assert "trained on 65 intent examples" in result.output
    assert "macro_f1" in result.output and "per-intent F1" in result.output
    assert "per language accuracy" in result.output
    assert Path(env["HELPLINE_NLU__MODEL_PATH"]).exists()


def test_evaluate(env: dict[str, str], tmp_path: Path) -> None:
    labelled = tmp_path / "test.jsonl"
    rows = [
        {
            "text": "hello there",
            "language": "en",
            "intent": "greet",
            "entities": [],
            "risk": {"level": "none", "category": None},
        },
        {
            "text": "ücretsiz avukat lazım",
            "language": "tr",
            "intent": "faq_legal",
            "entities": [{"entity": "service_category", "value": "legal"}],
            "risk": {"level": "none", "category": None},
        },
        {
            "text": "my husband hit me yesterday",
            "language": "en",
            "risk": {"level": "high", "category": "domestic_violence"},
        },
    ]
    labelled.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    result = CliRunner().invoke(nlu, ["evaluate", str(labelled), "--json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["lines"] == 3
    assert report["intent_lines"] == 2
    assert report["service_category_accuracy"] == 1.0
    assert report["high_imminent_recall"] == 1.0
    assert set(report["per_language"]) == {"en", "tr"}
    text = CliRunner().invoke(nlu, ["evaluate", str(labelled)], env=env)
    assert "high_imminent_recall" in text.output


def test_evaluate_rejects_a_malformed_file(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi"}\nnot json\n')
    result = CliRunner().invoke(nlu, ["evaluate", str(bad)], env=env)
    assert result.exit_code != 0
    assert "bad.jsonl:2" in result.output


def test_tune_risk_does_not_overwrite_thresholds_another_rule_chose(tmp_path: Path) -> None:
    data = tmp_path / "nlu"
    (data / "risk").mkdir(parents=True)
    kept = "# Chosen by hand: keep every recall of an earlier model.\nthresholds:\n  high: 0.275\n"
    (data / "risk" / "thresholds.yml").write_text(kept)
    env = {"HELPLINE_CONFIG": str(tmp_path / "absent.yml"), "HELPLINE_NLU__DATA_DIR": str(data)}
    result = CliRunner().invoke(nlu, ["tune-risk", "--write"], env=env)
    assert result.exit_code != 0 and "--force replaces it" in result.output
    assert (data / "risk" / "thresholds.yml").read_text() == kept
