"""The command line through its real entry point: JSON contract, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopfront import __version__
from shopfront.book import Book
from shopfront.cli import main


def run(*args: str, env_home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if env_home:
        env["SHOPFRONT_HOME"] = str(env_home)
    return subprocess.run(
        [sys.executable, "-m", "shopfront", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def cli_json(capsys: pytest.CaptureFixture[str], *args: str):
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_version_through_the_module_entry_point() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"shopfront {__version__}"


def test_add_search_list_show_json_contract(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(db_path)
    assert main(["settings", "--db", db, "phone_region=US", "timezone=America/Los_Angeles"]) == 0
    capsys.readouterr()
    added = cli_json(
        capsys,
        "customers",
        "add",
        "--db",
        db,
        "--name",
        "Élodie Martin",
        "--phone",
        "+1 415 555 1234",
        "--email",
        "elodie@example.com",
        "--tags",
        "vip",
    )
    assert added["id"] > 0 and added["phones"] == ["+14155551234"]
    for query in ("elo", "5512", "vip", "elodie@example"):
        found = cli_json(capsys, "customers", "search", query, "--db", db)
        assert [c["id"] for c in found] == [added["id"]], query
        assert {"id", "name", "phones", "emails", "owner"} <= set(found[0])
    listed = cli_json(capsys, "customers", "list", "--db", db)
    assert [c["name"] for c in listed] == ["Élodie Martin"]
    shown = cli_json(capsys, "customers", "show", str(added["id"]), "--db", db)
    assert shown["timeline"][0]["kind"] == "created"


def test_add_prints_the_new_id_without_json(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            ["customers", "add", "--db", str(db_path), "--name", "Ann", "--email", "a@example.com"]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == "1"


def test_duplicate_is_refused_unless_allowed(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(db_path)
    base = ["customers", "add", "--db", db, "--name", "Ann Lee", "--phone", "07400 123456"]
    assert main(base) == 0
    assert main(base) == 2
    err = capsys.readouterr().err
    assert "likely duplicate of #1" in err and err.count("\n") == 1
    assert main([*base, "--allow-duplicate"]) == 0


def test_archive_restore_merge(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(db_path)
    main(["customers", "add", "--db", db, "--name", "Ann Lee", "--phone", "07400 123456"])
    main(["customers", "add", "--db", db, "--name", "Ann Leigh", "--phone", "07400 654321"])
    capsys.readouterr()
    assert main(["customers", "archive", "2", "--db", db]) == 0
    assert "Archived customer #2." in capsys.readouterr().out
    assert [c["id"] for c in cli_json(capsys, "customers", "list", "--db", db)] == [1]
    assert main(["customers", "restore", "2", "--db", db]) == 0
    assert "Restored customer #2." in capsys.readouterr().out
    merged = cli_json(capsys, "customers", "merge", "1", "2", "--db", db)
    assert merged["phones"] == ["+447400123456", "+447400654321"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["customers", "add", "--name", "X", "--phone", "123"], "not a valid phone number"),
        (["customers", "add", "--name", "", "--email", "a@example.com"], "A name is needed"),
        (["customers", "add", "--name", "X", "--email", "nope"], "not an email address"),
        (
            [
                "customers",
                "add",
                "--name",
                "X",
                "--email",
                "a@example.com",
                "--birthday",
                "2030-01-01",
            ],
            "future",
        ),
        (["customers", "add", "--name", "X"], "give --phone or --email"),
        (["customers", "show", "99"], "no customer #99"),
        (["settings", "timezone=Mars/Base"], "not a time zone"),
        (["settings", "colour=blue"], "KEY=VALUE"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_changes_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    Book.open(str(db_path)).close()
    assert main([*args, "--db", str(db_path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    assert main(["customers", "list", "--db", str(db_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_bad_book_paths_exit_2_without_traceback(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a book")
    for target, message in (
        (tmp_path / "missing" / "b.db", "There is no book at"),
        (text_file, "not a shopfront book"),
    ):
        result = run("customers", "list", "--db", str(target), env_home=tmp_path)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
    assert text_file.read_text() == "not a book"


def test_unexpected_errors_apologise_and_point_to_the_log(
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    private_home: Path,
) -> None:
    from shopfront.book import Book

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("Ann Lee's secret")

    Book.open(str(db_path)).close()
    monkeypatch.setattr(Book, "search_ids", boom)
    assert main(["customers", "list", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "sorry" in err and "RuntimeError" in err and "Traceback" not in err
    assert "shopfront.log" in err
    log_text = (private_home / "logs" / "shopfront.log").read_text()
    assert "Traceback" in log_text


def test_demo_staff_services_through_cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(db_path)
    demo = cli_json(capsys, "demo", "--db", db, "--customers", "120", "--seed", "4")
    assert demo["customers"] == 120
    assert len(cli_json(capsys, "staff", "list", "--db", db)) == 8
    services = cli_json(capsys, "services", "list", "--db", db)
    assert len(services) == 25 and all(isinstance(s["price_minor"], int) for s in services)
    added = cli_json(
        capsys,
        "services",
        "add",
        "--db",
        db,
        "--name",
        "Fringe",
        "--minutes",
        "15",
        "--price",
        "8.50",
    )
    assert added["price_minor"] == 850
    assert len(cli_json(capsys, "customers", "list", "--db", db)) == 120
    assert main(["demo", "--db", db]) == 2  # not into a book with data


def test_screenshot_command_writes_png(db_path: Path, tmp_path: Path) -> None:
    main(["demo", "--db", str(db_path), "--customers", "50"])
    for view in ("customers", "customer:3", "settings"):
        out = tmp_path / f"{view.replace(':', '-')}.png"
        result = run(
            "screenshot",
            view,
            "--db",
            str(db_path),
            "-o",
            str(out),
            "--size",
            "1024x700",
            env_home=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = run(
        "screenshot",
        "nowhere",
        "--db",
        str(db_path),
        "-o",
        str(tmp_path / "x.png"),
        env_home=tmp_path,
    )
    assert bad.returncode == 2 and "unknown view" in bad.stderr


def test_reading_commands_never_create_a_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "tpyo.db"
    for args in (["customers", "list"], ["customers", "search", "ann"], ["customers", "show", "1"]):
        assert main([*args, "--db", str(typo)]) == 2
        assert "There is no book at" in capsys.readouterr().err
    assert not typo.exists()


def test_usage_mistakes_are_one_line(tmp_path: Path) -> None:
    for args in (
        ["customers"],
        ["customers", "frobnicate"],
        ["customers", "show", "abc"],
        ["--nope"],
    ):
        result = run(*args, "--db", str(tmp_path / "b.db"), env_home=tmp_path)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and "see shopfront" in result.stderr, result.stderr


def test_demo_refuses_silly_sizes_before_creating_a_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "demo.db"
    assert main(["demo", "--db", str(target), "--customers", "0"]) == 2
    assert "--customers must be" in capsys.readouterr().err
    assert not target.exists()
