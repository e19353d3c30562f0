"""Serve the app with Flask's server: ``python -m web --index DIR --host H --port P``."""
from __future__ import annotations

import argparse

from web import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m web", description="Serve the IP policy search app.")
    parser.add_argument("--index", required=True, help="index folder to serve")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=5000, help="port to listen on")
    args = parser.parse_args(argv)
    create_app({"INDEX_DIR": args.index}).run(host=args.host, port=args.port, threaded=True)


if __name__ == "__main__":
    main()
