#!/usr/bin/env python3
"""Write the offline copy: one reproducible zip of the built site, opened by double-clicking index.html.

Usage: python scripts/offline_zip.py SITE_DIR OUT.zip      (`make offline` runs it on site/)

- The entries are the site's files at the zip's top level (Windows' "Extract All" puts them in a
  folder named after the zip) plus README.txt in Korean and English saying how to open it.
- Reproducible: entries sorted by path, every timestamp fixed (SOURCE_DATE_EPOCH if set, else
  1980-01-01, the earliest a zip can hold), fixed permissions and compression, no extra fields;
  the same site gives a byte-identical zip.
- The site keeps its URLs: the offline copy and the web site share use_directory_urls: false,
  so runtimes.html#containerd is the same path in both.
"""
from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path

README_NAME = "README.txt"
README = """\
Windows 컨테이너 지식 베이스 — 오프라인 사본
=============================================

여는 방법
1. 이 ZIP 파일의 압축을 먼저 풉니다(Windows: 마우스 오른쪽 단추 > 모두 압축 풀기).
   ZIP 안에서 바로 열면 다른 페이지와 검색을 찾지 못합니다.
2. 압축을 푼 폴더에서 index.html 을 두 번 클릭합니다. 한국어 첫 페이지가 열립니다.
   영어 페이지는 en\\index.html 입니다.

인터넷 연결이나 웹 서버가 필요하지 않습니다. 검색(한국어, 영어), 언어 전환, 그림과 각주가
모두 이 폴더 안의 파일만으로 동작합니다. 각주의 출처 링크만 인터넷에 연결되었을 때 열립니다.
자세한 내용은 offline.html 페이지를 보십시오.


Windows Containers Knowledge Base — offline copy
================================================

How to open it
1. Unpack this ZIP file first (Windows: right-click > Extract All).
   Opened from inside the ZIP, the pages cannot find each other or the search index.
2. In the unpacked folder, double-click index.html. The Korean home page opens;
   the English one is en\\index.html.

No internet connection or web server is needed. Search (Korean and English), the language
switch, figures and footnotes all work from the files in this folder; only the source links in
footnotes need a connection. See the page en/offline.html for details.
"""


def zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        t = time.gmtime(max(int(epoch), 315532800))   # a zip cannot hold dates before 1980
        return t[:6]
    return (1980, 1, 1, 0, 0, 0)


def entries(site: Path) -> list[tuple[str, bytes]]:
    files = [(p.relative_to(site).as_posix(), p.read_bytes()) for p in site.rglob("*") if p.is_file()]
    if not any(name == "index.html" for name, _ in files):
        raise SystemExit(f"{site}: no index.html; build the site first (make build)")
    if any(name == README_NAME for name, _ in files):
        raise SystemExit(f"{site}: already has a {README_NAME}; the zip adds its own")
    readme = ("\ufeff" + README).replace("\n", "\r\n").encode("utf-8")   # BOM + CRLF: Notepad shows it right
    return sorted(files + [(README_NAME, readme)])


def write_zip(site: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    stamp = zip_time()
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in entries(site):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3                      # unix, so the permissions below are read
            info.external_attr = (0o100644 << 16)       # a regular file, rw-r--r--
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    tmp.replace(out)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    site, out = Path(argv[0]), Path(argv[1])
    if not site.is_dir():
        print(f"{site}: not a folder; build the site first (make build)", file=sys.stderr)
        return 1
    write_zip(site, out)
    with zipfile.ZipFile(out) as zf:
        count = len(zf.namelist())
    print(f"wrote {out} ({count} files, {out.stat().st_size / 1024 / 1024:.1f} MB): unpack it and open index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
