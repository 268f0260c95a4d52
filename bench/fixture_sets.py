"""Shared by the bench scripts that render labelled sets from the fixture generator
(scans-of-photos.py, photos-12mp.py): the generator as a module, and writing a set's
truth.jsonl beside the case register, in the fixtures' format, for `posteingang eval`."""
import importlib.util
import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def generator():
    """tools/fixtures/generate.py, loaded as the module `generate`."""
    if "generate" in sys.modules:
        return sys.modules["generate"]
    spec = importlib.util.spec_from_file_location("generate", REPO / "tools/fixtures/generate.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = gen
    spec.loader.exec_module(gen)
    return gen


def write_set(out: Path, records: list) -> None:
    """OUT/truth.jsonl with `records`, and the fixtures' case register as OUT/cases.csv."""
    with open(out / "truth.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    shutil.copy(REPO / "fixtures/cases.csv", out / "cases.csv")
