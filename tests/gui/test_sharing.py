"""Several desks in the window: Settings → Share…, and a server that goes away."""

from __future__ import annotations

import json

import psycopg2
import pytest

from shopfront import desks, paths
from shopfront.book import Book
from tests.conftest import add


def settings_page(window):
    window.show_area("settings")
    return window.page("settings")


@pytest.mark.sqlite_only(reason="shares a SQLite book")
def test_a_failed_share_keeps_what_was_typed_and_says_why(qtbot, window, answers) -> None:
    from shopfront.gui.share_dialog import ShareDialog

    page = settings_page(window)
    assert page.share_button.isEnabled()
    dialog = ShareDialog(window.book, page)
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(1)  # nothing listens there
    dialog.user.setText("desk")
    dialog.password.setText("s3cret")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Not copied"), timeout=20_000)
    assert "Can't open" in dialog.message.text() and "s3cret" not in dialog.message.text()
    assert (dialog.user.text(), dialog.password.text()) == ("desk", "s3cret")
    assert dialog.share_button.isEnabled() and dialog.result_data is None
    assert desks.remembered() is None


def test_sharing_through_the_dialog_remembers_the_address_without_the_password(
    qtbot, server, tmp_path, clock
) -> None:
    from shopfront.gui.share_dialog import ShareDialog

    desk = Book.open(str(tmp_path / "desk.db"), clock=clock)
    add(desk, "Ann Lee", "07400 123456")
    target = desks.parse(server.empty_database())
    try:
        dialog = ShareDialog(desk)
        qtbot.addWidget(dialog)
        dialog.host.setText(target.host)
        dialog.port.setValue(target.port)
        dialog.database.setText(target.database)
        dialog.user.setText(target.user)
        dialog.password.setText("not-needed-with-trust")
        dialog.start()
        qtbot.waitUntil(lambda: dialog.result_data is not None, timeout=60_000)
        assert dialog.result_data["customers"] == 1
        assert dialog.message.text().startswith("Done: 1 customers")
        stored = (paths.config_dir() / "server.json").read_text()
        assert "not-needed-with-trust" not in stored  # the password never goes to a file
        assert json.loads(stored)["url"] == target.url(with_password=False)
        assert desks.remembered().database == target.database
    finally:
        desk.close()
        server.drop(target.url())


def test_a_lost_server_keeps_the_open_card_and_shows_a_banner_that_retries(
    qtbot, window, answers, server, db_url
) -> None:
    from shopfront.gui.customer_dialog import CustomerDialog

    banner = window.server_banner
    assert banner.isHidden()
    dialog = CustomerDialog(window.book, None, window)
    qtbot.addWidget(dialog)
    dialog.ui.nameEdit.setText("Typed At The Desk")
    name = db_url.rsplit("/", 1)[1]
    admin = psycopg2.connect(server.url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
    admin.close()
    dialog.save()
    assert any("can't be reached" in text for text in answers)
    assert dialog.ui.nameEdit.text() == "Typed At The Desk"  # nothing typed is lost
    assert dialog.result() == 0 and banner.isVisible()
    banner.retry()  # the server itself is up: the banner goes away
    qtbot.waitUntil(lambda: banner.isHidden(), timeout=10_000)
    dialog.save()
    assert dialog.saved is not None and dialog.saved.name == "Typed At The Desk"
