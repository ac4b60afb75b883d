"""What reading attachments (PII-1) costs a crawl: the same site crawled with and without it, interleaved.

The generated site has a homepage, list pages and articles; every article links one attachment, in turn an
.xlsx name list (a title row, a header and --rows rows of masked numbers), a .docx notice, a .pdf and a .csv
(made with govmon.demo.assets and openpyxl, as the demo makes its own). nginx serves it on 127.0.0.1
(bench/run.py's server). Each crawl is `govmon crawl --no-check` in a child process, its wall time and CPU
(user + sys, from wait4) recorded; "reading" is the national pack, "HEAD only" an overlay whose PII-1 reads
no kind of attachment, which is how a crawl checked attachments before.

    .venv/bin/python bench/attachments.py [--articles 400] [--rows 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import statistics
import tempfile
from contextlib import closing
from pathlib import Path

from openpyxl import Workbook
from run import BIN, contender_env, machine, measure, registry_toml, serve_site

from govmon.demo.assets import docx, pdf

KINDS = ("xlsx", "docx", "pdf", "csv")
HEAD_ONLY_PACK = """\
extends = "national"
id = "bench-head-only"
name = "附件不读取（基准对照）"
[rules.PII-1]
attachment_kinds = ["ofd"]  # a kind the generated site has none of: every attachment is only HEAD-checked
"""


def name_list(rows: int, seed: int) -> bytes:
    """An .xlsx 公示 list: a title row, a header and rows of masked numbers, as real lists are published."""
    book = Workbook()
    sheet = book.active
    sheet.append([f"第{seed}批拟录用人员名单"])
    sheet.append(["序号", "姓名", "性别", "身份证号码", "联系电话", "备注"])
    for n in range(1, rows + 1):
        sheet.append([n, f"张某{n}", "男" if n % 2 else "女", f"530102********{n % 10000:04d}",
                      f"138****{n % 10000:04d}", "拟录用"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(kind: str, number: int, rows: int) -> bytes:
    if kind == "xlsx":
        return name_list(rows, number)
    if kind == "docx":
        return docx([f"关于第{number}号事项的通知", *(f"第{n}条 本通知自发布之日起施行。" for n in range(1, 30))])
    if kind == "pdf":
        return pdf(f"Notice {number}: " + "the text of a policy document. " * 40)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["序号", "项目名称", "金额（万元）"])
    writer.writerows([n, f"项目{n}", n * 10] for n in range(1, rows + 1))
    return text.getvalue().encode("utf-8")


def generate(root: Path, articles: int, rows: int) -> dict[str, int]:
    """The site on disk; returns how many pages and attachments it has."""
    per_list = 20
    lists = [list(range(start, min(start + per_list, articles))) for start in range(0, articles, per_list)]
    (root / "a").mkdir(parents=True)
    (root / "f").mkdir()
    links = "".join(f'<li><a href="/l{n}.html">栏目{n}</a></li>' for n in range(len(lists)))
    (root / "index.html").write_text(f"<html><head><title>基准市人民政府</title></head><body><ul>{links}</ul>"
                                     "</body></html>", encoding="utf-8")
    for n, numbers in enumerate(lists):
        items = "".join(f'<li><a href="/a/{i}.html">关于第{i}号事项的公示</a><span>2026-11-02</span></li>'
                        for i in numbers)
        (root / f"l{n}.html").write_text(f"<html><head><title>栏目{n}</title></head><body><ul>{items}</ul>"
                                         "</body></html>", encoding="utf-8")
    for i in range(articles):
        kind = KINDS[i % len(KINDS)]
        (root / "f" / f"{i}.{kind}").write_bytes(attachment(kind, i, rows))
        (root / "a" / f"{i}.html").write_text(
            f"<html><head><title>关于第{i}号事项的公示</title></head><body><h1>关于第{i}号事项的公示</h1>"
            f"<p>发布日期：2026-11-02</p><p>现将有关名单予以公示。</p>"
            f'<p>附件：<a href="/f/{i}.{kind}">第{i}号名单.{kind}</a></p></body></html>', encoding="utf-8")
    return {"pages": 1 + len(lists) + articles, "attachments": articles}


def read_back(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        run_id, status = conn.execute("SELECT id, status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        pages = conn.execute("SELECT count(*) FROM pages WHERE run_id = ? AND kind = 'page'", (run_id,)).fetchone()[0]
        read = conn.execute("SELECT count(*) FROM pages WHERE run_id = ? AND kind = 'attachment' AND method = 'GET'",
                            (run_id,)).fetchone()[0]
    if status != "complete":
        raise RuntimeError(f"run {run_id} is {status}")
    return {"pages": pages, "read": read}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400, help="articles, each with one attachment (default 400)")
    parser.add_argument("--rows", type=int, default=200, help="rows of each .xlsx and .csv (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="crawls per variant, interleaved (default 3)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govmon-bench-attachments-") as tmp:
        work = Path(tmp)
        site = generate(work / "site", args.articles, args.rows)
        sizes = {kind: (work / "site" / "f" / f"{i}.{kind}").stat().st_size for i, kind in enumerate(KINDS)}
        (work / "head-only.toml").write_text(HEAD_ONLY_PACK, encoding="utf-8")
        env = contender_env(work)
        results: dict[str, list[dict]] = {"reading": [], "head_only": []}
        with serve_site(work / "site", work / "nginx") as origin:
            for variant, pack in (("reading", "national"), ("head_only", str(work / "head-only.toml"))):
                (work / f"{variant}.toml").write_text(registry_toml(origin, pack, concurrency=16, max_pages=10000,
                                                                    spider_view_pages=0), encoding="utf-8")
            for number in range(args.runs + 1):  # round 0 warms the bytecode cache and is not counted
                for variant in results:
                    db = work / f"{variant}-{number}.db"
                    cmd = [str(BIN / "govmon"), "crawl", "bench", "--no-check", "--config",
                           str(work / f"{variant}.toml"), "--db", f"sqlite:///{db}"]
                    wall, cpu, rss, code = measure(cmd, work, work / f"{variant}-{number}.log", env)
                    if code != 0:
                        raise RuntimeError(f"{variant} crawl exited {code}: see {work / f'{variant}-{number}.log'}")
                    if number:
                        results[variant].append({"wall_s": wall, "cpu_s": cpu, "rss_mib": rss, **read_back(db)})
    median = {variant: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
              for variant, runs in results.items()}
    extra_cpu = median["reading"]["cpu_s"] - median["head_only"]["cpu_s"]
    summary = {
        "site": site, "attachment_bytes": sizes, "runs": args.runs, "machine": machine(), "median": median,
        "cpu_ms_per_page": {variant: 1000 * m["cpu_s"] / site["pages"] for variant, m in median.items()},
        "extra_cpu_ms_per_attachment_read": 1000 * extra_cpu / max(1, median["reading"]["read"]),
        "reading_vs_head_only": {"wall": median["reading"]["wall_s"] / median["head_only"]["wall_s"],
                                 "cpu": median["reading"]["cpu_s"] / median["head_only"]["cpu_s"]},
        "all_runs": results,
    }
    text = json.dumps(summary, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
