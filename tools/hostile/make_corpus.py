#!/usr/bin/env python3
"""Makes a corpus of hostile and broken uploads for Posteingang (issue 7).

    python3 tools/hostile/make_corpus.py --out /tmp/hostile [--fixtures fixtures] [--size small|full]

Writes the files into OUT/files/ and OUT/manifest.json: one entry per inbox entry to create,

    {"name": "...", "name_hex": "...", "kind": "file|symlink|hardlink|fifo|dir",
     "source": "files/...", "target": "...", "sidecar": "files/...", "expect": "refuse|read|any",
     "code": "expected quarantine code or null", "what": "..."}

`expect: refuse` entries must all end in quarantine with a reason; `read` entries (a JPEG cut
in its image data) must not: they are read as far as they go and sent to review; `any` entries (bit-flipped
images that may still decode, wrong extensions on good content) may be filed or refused, but
must never stop the daemon. Links, FIFOs and folders are made by whoever delivers the corpus
(the test), since they only mean something inside the inbox. Nothing here is committed: the
corpus is made fresh in a temporary folder (the biggest files are a few MB).
"""

import argparse
import io
import json
import os
import random
import struct
import zlib
from pathlib import Path


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int, height: int, rows: int) -> bytes:
    """A 1-bit grey PNG whose header declares width x height; `rows` rows of zeros are really
    compressed (a real decompression bomb when rows == height)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(rows)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def jpeg_scan_start(jpeg: bytes) -> int:
    """Offset of the first byte of image data after the first SOS segment."""
    at = 2
    while jpeg[at + 1] != 0xDA:
        at += 2 + int.from_bytes(jpeg[at + 2:at + 4], "big")
    return at + 2 + int.from_bytes(jpeg[at + 2:at + 4], "big")


def jpeg_with_size(jpeg: bytes, width: int, height: int) -> bytes:
    """A real JPEG whose SOF header claims another size."""
    data = bytearray(jpeg)
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            break
        marker = data[i + 1]
        length = data[i + 2] << 8 | data[i + 3]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5:i + 7] = struct.pack(">H", height)
            data[i + 7:i + 9] = struct.pack(">H", width)
            return bytes(data)
        i += 2 + length
    raise ValueError("no SOF marker")


def tiff_bomb(width: int, height: int) -> bytes:
    """A little-endian TIFF with one strip of 64 KiB of zeros, deflated, declaring width x height."""
    strip = zlib.compress(b"\x00" * 65536, 9)
    entries = [
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 8),  # deflate
        (262, 3, 1, 1), (273, 4, 1, 0), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, len(strip)),
    ]
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    strip_offset = ifd_offset + ifd_size
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_offset))
    out += struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        if tag == 273:
            value = strip_offset
        if typ == 3:
            out += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, typ, count, value)
    out += struct.pack("<I", 0) + strip
    return bytes(out)


def tiff_ifd_loop() -> bytes:
    """A TIFF whose first page directory points at itself as the next one (endless pages)."""
    data = bytearray(tiff_bomb(100, 100))
    count = struct.unpack("<H", data[8:10])[0]
    next_offset_at = 10 + 12 * count
    data[next_offset_at:next_offset_at + 4] = struct.pack("<I", 8)
    return bytes(data)


def pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_many_pages(count: int) -> bytes:
    """`count` empty pages in a two-level page tree."""
    per_node = 1000
    nodes = (count + per_node - 1) // per_node
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    node_numbers = list(range(3, 3 + nodes))
    first_page = 3 + nodes
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, b" ".join(b"%d 0 R" % n for n in node_numbers))
    for node_index, node in enumerate(node_numbers):
        pages = range(node_index * per_node, min(count, (node_index + 1) * per_node))
        kids = b" ".join(b"%d 0 R" % (first_page + p) for p in pages)
        objects.append(b"<< /Type /Pages /Parent 2 0 R /Count %d /Kids [%s] >>" % (len(pages), kids))
    for p in range(count):
        parent = node_numbers[p // per_node]
        objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % parent)
    return pdf(objects)


def pdf_page_size(box: bytes) -> bytes:
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + box + b"] >>",
    ])


def heic_with_size(heic: bytes, width: int, height: int) -> bytes:
    """A real HEIC whose `ispe` (image spatial extent) boxes claim another size."""
    data = bytearray(heic)
    index = data.find(b"ispe")
    found = False
    while index >= 0:
        data[index + 8:index + 12] = struct.pack(">I", width)
        data[index + 12:index + 16] = struct.pack(">I", height)
        found = True
        index = data.find(b"ispe", index + 4)
    if not found:
        raise ValueError("no ispe box")
    return bytes(data)


def flipped(data: bytes, seed: int, flips: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--fixtures", type=Path, default=Path(__file__).resolve().parents[2] / "fixtures")
    parser.add_argument("--size", choices=["small", "full"], default="small",
                        help="small: one fixture per format truncated/flipped (for CI); full: every fixture")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    files = args.out / "files"
    files.mkdir(parents=True, exist_ok=True)
    entries: list[dict] = []

    def add(name: str, data: bytes, expect: str, what: str, code: str | None = None, **extra) -> None:
        stored = files / f"{len(entries):03d}.bin"
        stored.write_bytes(data)
        entries.append({"name": name, "kind": "file", "source": str(stored.relative_to(args.out)),
                        "expect": expect, "code": code, "what": what, **extra})

    fx = args.fixtures
    jpeg = (fx / "photo/au_bescheinigung_02.jpg").read_bytes()
    heic = next(sorted((fx / "photo").glob("*.heic")).__iter__()).read_bytes()
    png = (fx / "scan/au_bescheinigung_01.png").read_bytes()

    # Decompression bombs and absurd headers: refused before any pixel is allocated.
    add("bomb-png-60000.png", png_bomb(60000, 60000, 60000), "refuse", "PNG bomb: 60000x60000, 450 MB raw in 440 KB", "too_many_pixels")
    add("bomb-png-maxint.png", png_bomb(0x7FFFFFFF, 0x7FFFFFFF, 1), "refuse", "PNG header declaring 2^31-1 squared", None)
    add("bomb-jpeg-65000.jpg", jpeg_with_size(jpeg, 65000, 65000), "refuse", "JPEG whose SOF claims 65000x65000", "too_many_pixels")
    add("bomb-tiff-100000.tif", tiff_bomb(100000, 100000), "refuse", "TIFF declaring 100000x100000", "too_many_pixels")
    add("loop-tiff.tif", tiff_ifd_loop(), "any", "TIFF whose page directory points at itself")
    add("bomb-heic-60000.heic", heic_with_size(heic, 60000, 60000), "refuse", "HEIC whose ispe claims 60000x60000", None)
    # PDFs.
    add("pages-100000.pdf", pdf_many_pages(100_000), "refuse", "PDF with 100 000 pages", "too_many_pages")
    add("page-huge.pdf", pdf_page_size(b"14400 14400"), "refuse", "PDF page of 200 x 200 inches", "too_many_pixels")
    add("page-1e30.pdf", pdf_page_size(b"1e30 1e30"), "any", "PDF MediaBox of 1e30 points (poppler falls back to a default size)")
    add("page-negative.pdf", pdf_page_size(b"-5 -5"), "any", "PDF with a negative MediaBox")
    # Empty, wrong type, wrong extension.
    add("empty.pdf", b"", "refuse", "zero bytes", "empty_file")
    add("empty.jpg", b"", "refuse", "zero bytes", "empty_file")
    add("page.html.jpg", b"<!doctype html><html><body>hi</body></html>", "refuse", "HTML named .jpg", "unsupported_format")
    add("script.pdf", b"#!/bin/sh\nrm -rf /\n", "refuse", "shell script named .pdf", "unsupported_format")
    add("zip.tif", b"PK\x03\x04" + os.urandom(512), "refuse", "ZIP named .tif", "unsupported_format")
    add("random.heic", os.urandom(4096), "refuse", "random bytes", None)
    add("png-named.pdf", png, "any", "a good PNG named .pdf (type by content: may be filed)")
    add("magic-only.png", b"\x89PNG\r\n\x1a\n", "refuse", "PNG signature only", None)
    add("magic-only.pdf", b"%PDF-1.7\n", "refuse", "PDF header only", None)

    # Truncated and bit-flipped versions of fixtures.
    all_fixtures = sorted(p for p in fx.rglob("*") if p.suffix.lower() in {".jpg", ".png", ".tif", ".webp", ".heic", ".pdf"}
                          and p.parent.name != "bad")
    if args.size == "small":
        chosen, seen = [], set()
        # One document fixture per format; formats/ (one page in many encodings) only in "full".
        for p in (p for p in all_fixtures if "formats" not in p.relative_to(fx).parts):
            if p.suffix.lower() not in seen:
                seen.add(p.suffix.lower())
                chosen.append(p)
    else:
        chosen = all_fixtures
    for index, path in enumerate(chosen):
        data = path.read_bytes()
        stem, suffix = path.stem, path.suffix.lower()
        # Truncated to a half: PNG, HEIC and WebP are refused; a JPEG is read as far as it goes
        # and its page sent to review ("read": must not be quarantined); a PDF may be repaired
        # by poppler, so "any".
        half_expect = "refuse" if suffix in {".png", ".heic", ".webp"} else "read" if suffix == ".jpg" else "any"
        add(f"trunc-{stem}{suffix}", data[: len(data) // 2], half_expect, f"{path.name} truncated to half")
        if suffix == ".jpg":
            add(f"noscan-{stem}{suffix}", data[: jpeg_scan_start(data) + 256], "refuse",
                f"{path.name} cut 256 bytes into its image data (nothing usable)", "corrupt")
        add(f"trunc1k-{stem}{suffix}", data[:1024], "any", f"{path.name} truncated to 1 KiB")
        add(f"flip-{stem}{suffix}", flipped(data, args.seed + index, 20), "any", f"{path.name} with 20 bits flipped")
        add(f"fliphead-{stem}{suffix}", data[:16] + flipped(data[16:512], args.seed + index, 8) + data[512:], "any",
            f"{path.name} with 8 bits flipped in the header")

    # Names: each holds a good PNG, refused for its name alone.
    add("ctrl\x01\x1b[31mred.png", png, "refuse", "control characters and an ANSI escape in the name", "unsafe_name")
    add("invoice\u202egnp.exe", png, "refuse", "right-to-left override (reads as invoiceexe.png)", "unsafe_name")
    add("zero\u200bwidth.png", png, "refuse", "zero-width space in the name", "unsafe_name")
    add("dots..png", png, "refuse", "'..' in the name", "unsafe_name")
    add("x" * 240 + ".png", png, "refuse", "a 244-byte name", "unsafe_name")
    add("line\nbreak.png", png, "refuse", "newline in the name", "unsafe_name")
    entries.append({"name": None, "name_hex": (b"bad-\xff\xfe-utf8.png").hex(), "kind": "file",
                    "source": entries[-2]["source"], "expect": "refuse", "code": "unsafe_name", "what": "a name that is not UTF-8"})

    # Links and things that are not files: made in the inbox by the deliverer.
    entries += [
        {"name": "link-passwd.pdf", "kind": "symlink", "target": "/etc/passwd", "expect": "refuse", "code": "symlink",
         "what": "symbolic link to /etc/passwd"},
        {"name": "link-dotdot.pdf", "kind": "symlink", "target": "../../akte.sqlite", "expect": "refuse", "code": "symlink",
         "what": "symbolic link to the E-Akte database"},
        {"name": "link-fixture.png", "kind": "symlink", "target": str((fx / "scan/au_bescheinigung_01.png").resolve()),
         "expect": "refuse", "code": "symlink", "what": "symbolic link to a good file"},
        {"name": "hardlink.png", "kind": "hardlink", "source": entries[-1]["source"], "expect": "refuse", "code": "hard_link",
         "what": "hard link to a file outside the inbox"},
        {"name": "fifo.pdf", "kind": "fifo", "expect": "refuse", "code": "not_a_file", "what": "a FIFO (a reader would block)"},
        {"name": "folder.pdf", "kind": "dir", "expect": "refuse", "code": "not_a_file", "what": "a folder"},
    ]
    # Sidecars: huge, endless, not JSON, a link, naming another household from an untrusted channel.
    add("sidecar-huge.pdf", b"", "refuse", "empty upload with a 10 MB sidecar", "empty_file",
        sidecar_bytes=10 * 1024 * 1024)
    add("sidecar-zero.pdf", b"", "refuse", "empty upload whose sidecar links to /dev/zero", "empty_file",
        sidecar_link="/dev/zero")
    add("sidecar-junk.pdf", b"", "refuse", "empty upload with a sidecar that is not JSON", "empty_file",
        sidecar_text="{\"case\": [1,2,3], ")

    (args.out / "manifest.json").write_text(json.dumps(entries, indent=1, ensure_ascii=True))
    total = sum((files / f).stat().st_size for f in os.listdir(files))
    print(json.dumps({"entries": len(entries), "refuse": sum(e["expect"] == "refuse" for e in entries),
                      "any": sum(e["expect"] == "any" for e in entries), "bytes": total}))


if __name__ == "__main__":
    main()
