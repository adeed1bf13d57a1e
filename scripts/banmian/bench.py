"""Benchmark: synthetic archive → ingest → both site builds, against a plain MkDocs floor. Stub."""

from __future__ import annotations

import argparse


def main(args: argparse.Namespace) -> int:
    print("not implemented yet")
    return 1
