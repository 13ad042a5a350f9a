"""Extraction quality on the curated documents (leave-one-document-out). The floors sit
just under the figures at the time of writing, so quality can only go up."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linkedalliance.commands.evaluate import command as evaluate_command
from linkedalliance.extract.evaluate import evaluate

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return evaluate(SEEDS)


def test_mentions_f1_floor(report) -> None:  # type: ignore[no-untyped-def]
    assert report.total(report.mentions).f1 >= 0.93


def test_relations_f1_floor(report) -> None:  # type: ignore[no-untyped-def]
    assert report.total(report.relations).f1 >= 0.80


def test_dates_exact_floor(report) -> None:  # type: ignore[no-untyped-def]
    assert report.date_exactness >= 0.95


def test_evaluate_cli_table() -> None:
    res = CliRunner().invoke(evaluate_command, ["--seeds", str(SEEDS), "--verbose"])
    assert res.exit_code == 0, res.output
    assert "ALL mentions" in res.output and "ALL relations" in res.output
    assert "-- misses" in res.output and "-- dates:" in res.output
