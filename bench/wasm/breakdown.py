#!/usr/bin/env python3
"""What a wasm module's bytes are: its sections, and its code by crate.

    python3 bench/wasm/breakdown.py MODULE.wasm [--top N]

Sections are listed with their raw size and their size compressed alone (gzip -9). When the
module has a name section (the linker's, before `wasm-opt --strip-debug`), each function body's
size is added to its crate, read from the Rust symbol (legacy `_ZN…E` or v0 `_R…` mangling): `core`/`alloc`/`std` generics are counted where they are defined, so the crate of a
generic type's method is the type's crate. Used for issue #24's initial-download figures
(bench/RESULTS.md "Initial bundle").
"""
import gzip
import re
import sys
from collections import Counter

SECTION_NAMES = {0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
                 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount", 13: "tag"}


def leb(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def sections(data):
    assert data[:4] == b"\0asm", "not a wasm module"
    i = 8
    while i < len(data):
        kind = data[i]
        size, j = leb(data, i + 1)
        name = SECTION_NAMES.get(kind, str(kind))
        body = j
        if kind == 0:
            length, k = leb(data, j)
            name = "custom:" + data[k:k + length].decode("utf-8", "replace")
        yield kind, name, data[body:j + size], data[i:j + size]
        i = j + size


def imported_functions(body):
    count, i = leb(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):
            length, i = leb(body, i)
            i += length
        kind = body[i]
        i += 1
        if kind == 0:
            _, i = leb(body, i)
            functions += 1
        elif kind == 1:
            i += 1
            flags, i = leb(body, i)
            _, i = leb(body, i)
            if flags & 1:
                _, i = leb(body, i)
        elif kind == 2:
            flags, i = leb(body, i)
            _, i = leb(body, i)
            if flags & 1:
                _, i = leb(body, i)
        elif kind == 3:
            i += 2
        elif kind == 4:
            i += 1
            _, i = leb(body, i)
    return functions


def function_names(body):
    length, i = leb(body, 0)
    i += length  # "name"
    names = {}
    while i < len(body):
        sub = body[i]
        size, j = leb(body, i + 1)
        if sub == 1:
            count, k = leb(body, j)
            for _ in range(count):
                index, k = leb(body, k)
                length, k = leb(body, k)
                names[index] = body[k:k + length].decode("utf-8", "replace")
                k += length
        i = j + size
    return names


def code_sizes(body):
    count, i = leb(body, 0)
    sizes = []
    for _ in range(count):
        size, j = leb(body, i)
        sizes.append(j + size - i)
        i = j + size
    return sizes


def crate_of(symbol):
    """The crate a legacy-mangled Rust symbol is defined in (`_ZN4core3ptr…E` → core)."""
    if symbol.startswith("_R"):
        # v0 mangling: the first crate root (`C`, an optional disambiguator, then the name).
        match = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)", symbol)
        if match:
            start = match.end()
            return symbol[start:start + int(match.group(1))]
    if not symbol.startswith("_ZN"):
        return "(not Rust: " + re.sub(r"[0-9]+$", "", symbol.split("::")[0])[:24] + ")"
    i = 3
    match = re.match(r"[0-9]+", symbol[i:])
    if not match:
        return "(unreadable)"
    length = int(match.group())
    i += len(match.group())
    first = symbol[i:i + length]
    if first.startswith("_$LT$"):
        # `<Type as Trait>::method`: the type's crate.
        inner = first[5:]
        inner = re.sub(r"^(\$RF\$|\$BP\$|mut\$u20\$|dyn\$u20\$|\$u5b\$|\$LP\$|_)+", "", inner)
        crate = inner.split("..")[0].split("$")[0]
        if ".." not in inner.split("$u20$as$u20$")[0] and "$u20$as$u20$" in inner:
            # `<T as Trait>` with T a type parameter: the trait's crate.
            crate = inner.split("$u20$as$u20$")[1].split("..")[0].split("$")[0]
        return crate or "(generic)"
    return first


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    data = open(path, "rb").read()
    print(f"{path}: {len(data):,} bytes, gzip -9 {len(gzip.compress(data, 9)):,}")
    print(f"{'section':<28}{'raw':>12}{'gzip -9 alone':>16}")
    imported = 0
    names = {}
    code = None
    for kind, name, body, whole in sections(data):
        print(f"{name:<28}{len(whole):>12,}{len(gzip.compress(whole, 9)):>16,}")
        if kind == 2:
            imported = imported_functions(body)
        elif name == "custom:name":
            names = function_names(body)
        elif kind == 10:
            code = body
    if not names or code is None:
        print("no name section: code by crate needs the linker's module (before wasm-opt strips names)")
        return
    by_crate = Counter()
    for offset, size in enumerate(code_sizes(code)):
        by_crate[crate_of(names.get(imported + offset, "(unnamed)"))] += size
    total = sum(by_crate.values())
    print(f"\ncode by crate ({total:,} bytes of function bodies)")
    for crate, size in by_crate.most_common(top):
        print(f"{crate:<40}{size:>10,}{100 * size / total:>7.1f} %")


if __name__ == "__main__":
    main()
