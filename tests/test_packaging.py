"""The installable wheel carries the generated forms and resources; forms are up to date."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_generated_forms_match_their_sources() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build_forms.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_wheel_contains_forms_resources_and_entry_point(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(tmp_path.glob("shopfront-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "shopfront = shopfront.cli:main" in archive.read(entry_points).decode()
    for ui in (ROOT / "ui").glob("*.ui"):
        assert f"shopfront/gui/forms/ui_{ui.stem}.py" in names
    assert "shopfront/gui/forms/rc_shopfront.py" in names
    assert "shopfront/core/customers.py" in names
    assert "shopfront/reports/fonts/DejaVuSans.ttf" in names  # embedded in every report
