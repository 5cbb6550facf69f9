#!/usr/bin/env python3
"""Writes files of known types for the seeded magika evaluation set: the same bytes on every run
and machine (a fixed seed, Python's standard library only, every timestamp fixed), three files of
each type, each type named as magika's labels name it.

    python known_files.py <out-dir>

Writes `<out-dir>/<type>-<n>.<ext>` and `<out-dir>/index.json`: [{"file", "type"}] in a fixed order.
The task runner reads them, makes magika's byte features with `assay_inference::pre` (the code the
browser runs) and publishes them as an evaluation bundle.
"""

import bz2
import gzip
import io
import json
import lzma
import os
import random
import struct
import sys
import tarfile
import wave
import zipfile
import zlib

WORDS = (
    "model market licence buyer creator weights trial browser chain ledger sample digit accuracy "
    "bundle claim tolerance split royalty escrow review version parent layer tensor batch label"
).split()


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def ident(rng):
    return "_".join(rng.choice(WORDS) for _ in range(2))


def python(rng):
    out = ["import json", "import os", ""]
    for _ in range(6):
        name, arg = ident(rng), rng.choice(WORDS)
        out += [
            f"def {name}({arg}, limit={rng.randint(1, 99)}):",
            f'    """{words(rng, 8).capitalize()}."""',
            f"    total = 0",
            f"    for item in {arg}:",
            f"        if item > limit:",
            f"            total += item * {rng.randint(2, 9)}",
            f"    return total",
            "",
            "",
        ]
    out += ['if __name__ == "__main__":', f"    print({ident(rng)}([1, 2, 3]))"]
    return "\n".join(out) + "\n"


def javascript(rng):
    out = ["'use strict';", ""]
    for _ in range(6):
        name = ident(rng).replace("_", "")
        out += [
            f"export function {name}(items, options = {{}}) {{",
            f"  const limit = options.limit ?? {rng.randint(1, 99)};",
            "  return items",
            "    .filter((item) => item.value > limit)",
            f"    .map((item) => ({{ ...item, score: item.value * {rng.randint(2, 9)} }}));",
            "}",
            "",
        ]
    out += ["document.addEventListener('DOMContentLoaded', () => {", "  console.log('ready');", "});"]
    return "\n".join(out) + "\n"


def c(rng):
    out = ["#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>", ""]
    for _ in range(5):
        name = ident(rng)
        out += [
            f"static int {name}(const int *values, size_t n) {{",
            "    int total = 0;",
            "    for (size_t i = 0; i < n; i++) {",
            f"        if (values[i] > {rng.randint(1, 99)}) total += values[i];",
            "    }",
            "    return total;",
            "}",
            "",
        ]
    out += ["int main(int argc, char **argv) {", '    printf("%d\\n", argc);', "    return EXIT_SUCCESS;", "}"]
    return "\n".join(out) + "\n"


def rust(rng):
    out = ["use std::collections::BTreeMap;", ""]
    for _ in range(5):
        name = ident(rng)
        out += [
            f"/// {words(rng, 8).capitalize()}.",
            f"pub fn {name}(values: &[u64]) -> Option<u64> {{",
            f"    let limit = {rng.randint(1, 99)};",
            "    values.iter().filter(|v| **v > limit).copied().reduce(|a, b| a.saturating_add(b))",
            "}",
            "",
        ]
    out += ["fn main() {", "    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();", '    seen.insert("a", 1);',
            '    println!("{seen:?}");', "}"]
    return "\n".join(out) + "\n"


def html(rng):
    items = "\n".join(f"      <li><a href=\"/{rng.choice(WORDS)}\">{words(rng, 3)}</a></li>" for _ in range(12))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n"
        f"    <title>{words(rng, 3).title()}</title>\n    <link rel=\"stylesheet\" href=\"style.css\">\n"
        f"  </head>\n  <body>\n    <h1>{words(rng, 4).title()}</h1>\n    <p>{words(rng, 30)}</p>\n"
        f"    <ul>\n{items}\n    </ul>\n  </body>\n</html>\n"
    )


def css(rng):
    out = []
    for _ in range(12):
        out += [
            f".{rng.choice(WORDS)}-{rng.choice(WORDS)} {{",
            f"  margin: {rng.randint(0, 24)}px {rng.randint(0, 24)}px;",
            f"  color: #{rng.randrange(1 << 24):06x};",
            f"  font-size: {rng.randint(10, 32)}px;",
            "}",
            "",
        ]
    return "\n".join(out)


def json_text(rng):
    rows = [{"id": i, "name": words(rng, 2), "score": round(rng.random(), 4), "tags": [rng.choice(WORDS)]}
            for i in range(20)]
    return json.dumps({"version": 1, "rows": rows}, indent=2) + "\n"


def csv_text(rng):
    lines = ["id,name,price,quantity,category"]
    lines += [f"{i},{rng.choice(WORDS)},{rng.randint(1, 9999) / 100},{rng.randint(1, 50)},{rng.choice(WORDS)}"
              for i in range(60)]
    return "\n".join(lines) + "\n"


def xml(rng):
    items = "\n".join(
        f'  <item id="{i}" kind="{rng.choice(WORDS)}">\n    <name>{words(rng, 2)}</name>\n'
        f"    <value>{rng.randint(0, 999)}</value>\n  </item>" for i in range(15)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<catalogue>\n{items}\n</catalogue>\n'


def markdown(rng):
    out = [f"# {words(rng, 3).title()}", "", words(rng, 25) + ".", ""]
    for _ in range(4):
        out += [f"## {words(rng, 2).title()}", "", f"- {words(rng, 5)}", f"- {words(rng, 5)}",
                f"- **{rng.choice(WORDS)}**: `{ident(rng)}`", "", words(rng, 20) + ".", ""]
    return "\n".join(out)


def shell(rng):
    out = ["#!/usr/bin/env bash", "set -euo pipefail", ""]
    for _ in range(6):
        name = ident(rng)
        out += [f"{name}() {{", f'  local dir="${{1:-/tmp/{rng.choice(WORDS)}}}"', '  mkdir -p "$dir"',
                f'  for f in "$dir"/*.{rng.choice(["txt", "log", "json"])}; do', '    echo "$f"', "  done", "}", ""]
    out += ['main "$@"']
    return "\n".join(out) + "\n"


def sql(rng):
    out = []
    for _ in range(4):
        table = rng.choice(WORDS) + "s"
        out += [f"CREATE TABLE {table} (", "  id INTEGER PRIMARY KEY,", "  name TEXT NOT NULL,",
                f"  {rng.choice(WORDS)} REAL DEFAULT 0", ");", ""]
        out += [f"INSERT INTO {table} (id, name) VALUES ({i}, '{rng.choice(WORDS)}');" for i in range(5)]
        out += [f"SELECT name, COUNT(*) FROM {table} WHERE id > {rng.randint(0, 4)} GROUP BY name ORDER BY name;", ""]
    return "\n".join(out)


def yaml(rng):
    out = ["version: 2", "services:"]
    for _ in range(5):
        out += [f"  {rng.choice(WORDS)}:", f"    image: {rng.choice(WORDS)}:{rng.randint(1, 9)}.{rng.randint(0, 9)}",
                "    ports:", f"      - \"{rng.randint(1000, 9999)}:80\"", "    environment:",
                f"      MODE: {rng.choice(WORDS)}", f"      LIMIT: {rng.randint(1, 99)}"]
    return "\n".join(out) + "\n"


def png(rng):
    width, height = 32, 32
    rows = b"".join(b"\x00" + bytes(rng.randrange(256) if (x * y) % 7 else 0 for x in range(width * 3))
                    for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def bmp(rng):
    width, height = 24, 24
    row = width * 3
    pixels = b"".join(bytes(rng.randrange(256) for _ in range(row)) for _ in range(height))
    header = b"BM" + struct.pack("<IHHI", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def wav(rng):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", rng.randint(-3000, 3000)) for _ in range(4000)))
    return buffer.getvalue()


def zip_archive(rng):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(3):
            info = zipfile.ZipInfo(f"{rng.choice(WORDS)}-{i}.txt", date_time=(2024, 1, 1, 0, 0, 0))
            z.writestr(info, words(rng, 200))
    return buffer.getvalue()


def gzip_file(rng):
    return gzip.compress(csv_text(rng).encode(), mtime=0)


def bzip(rng):
    return bz2.compress(json_text(rng).encode())


def xz(rng):
    return lzma.compress(markdown(rng).encode())


def tar(rng):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for i in range(3):
            data = python(rng).encode()
            info = tarfile.TarInfo(f"{rng.choice(WORDS)}/{ident(rng)}_{i}.py")
            info.size, info.mtime, info.mode = len(data), 1_700_000_000, 0o644
            info.uname = info.gname = "assay"
            t.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def pdf(rng):
    text = words(rng, 12)
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def svg(rng):
    shapes = "\n".join(
        f'  <circle cx="{rng.randint(0, 200)}" cy="{rng.randint(0, 200)}" r="{rng.randint(2, 40)}" '
        f'fill="#{rng.randrange(1 << 24):06x}" />' for _ in range(12)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">\n{shapes}\n</svg>\n'


# magika's label, file extension, maker (text makers return str).
TYPES = [
    ("python", "py", python),
    ("javascript", "js", javascript),
    ("c", "c", c),
    ("rust", "rs", rust),
    ("html", "html", html),
    ("css", "css", css),
    ("json", "json", json_text),
    ("csv", "csv", csv_text),
    ("xml", "xml", xml),
    ("markdown", "md", markdown),
    ("shell", "sh", shell),
    ("sql", "sql", sql),
    ("yaml", "yaml", yaml),
    ("svg", "svg", svg),
    ("png", "png", png),
    ("bmp", "bmp", bmp),
    ("wav", "wav", wav),
    ("zip", "zip", zip_archive),
    ("gzip", "gz", gzip_file),
    ("bzip", "bz2", bzip),
    ("xz", "xz", xz),
    ("tar", "tar", tar),
    ("pdf", "pdf", pdf),
]
PER_TYPE = 3


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(19)
    index = []
    for label, ext, make in TYPES:
        for n in range(PER_TYPE):
            content = make(rng)
            data = content.encode() if isinstance(content, str) else content
            name = f"{label}-{n}.{ext}"
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)
            index.append({"file": name, "type": label})
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)


main()
