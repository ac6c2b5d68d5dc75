"""`shopfront screenshot VIEW -o FILE.png`: render a view of the app to an image."""

from __future__ import annotations

import argparse
import re

from shopfront.errors import ShopfrontError


def register(sub, common) -> None:
    p = sub.add_parser(
        "screenshot",
        parents=[common(json_flag=False)],
        help="render a view to PNG (customers, customer:ID, settings, …)",
    )
    p.add_argument("view", help="customers | customer:ID | settings | today | appointments | …")
    p.add_argument("-o", "--output", required=True, help="PNG file to write")
    p.add_argument("--size", default="1280x800", help="WIDTHxHEIGHT (default 1280x800)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    match = re.fullmatch(r"(\d{3,4})x(\d{3,4})", args.size)
    if not match:
        raise ShopfrontError(f"--size must look like 1280x800, not '{args.size}'")
    from shopfront.gui.screenshot import render_view

    render_view(
        getattr(args, "db", None),
        args.view,
        args.output,
        (int(match.group(1)), int(match.group(2))),
    )
    print(args.output)
    return 0
