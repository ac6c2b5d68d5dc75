"""Running the real entry point in tests: JSON out, or a one-line refusal."""

from __future__ import annotations

import json

import pytest

from shopfront.cli import main


def cli_json(capsys: pytest.CaptureFixture[str], *args: str):
    code = main([*args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    return captured.err
