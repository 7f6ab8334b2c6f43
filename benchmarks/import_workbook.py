"""``aftersales import`` of a realistic 10,000-row workbook, and the report of a broken copy.

A workbook of N follow-up records (the template's 18 columns plus 渠道 and
问题类型, Chinese headings, real Excel dates) is generated from the demo's
vocabulary: products, problems, handlers and engineers, every close status
(closed after a return visit, solved on first contact, waiting for the
customer, disputed, in execution, reopened by a low score, escalated,
cancelled). ``aftersales import`` loads it into a fresh SQLite file, in its
own process: rows per second, wall time and peak RSS are printed. Then a copy
with 20 broken cells (a bad date, an unknown priority, a masked phone number,
an empty required cell, a visit without a score …) is imported: the command
must refuse it, write nothing, and report exactly those 20 cells (row and
heading); its first lines and the count are printed.

Both sides must agree: each stored ticket's template cells against the row it
was generated from, and the reported cells against the cells broken; the
script prints one ``agreement:`` line and exits with status 1 when any
differs.

Usage:
    python benchmarks/import_workbook.py                 # 10,000 rows
    python benchmarks/import_workbook.py --rows 200      # quick check
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import csv  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from aftersales.model.query import TicketQuery  # noqa: E402
from aftersales.storage import SQLiteStore  # noqa: E402
from aftersales.transfer import TEMPLATE, template_cells  # noqa: E402
from aftersales.transfer.cells import format_instant  # noqa: E402
from aftersales.transfer.writing import write_rows  # noqa: E402

sys.path.insert(0, _HERE)
from _processes import aftersales_command, run_command  # noqa: E402

del sys.path[0]

KEYS = [key for key in TEMPLATE.column_keys() if key != "ticket_id"]
HEADINGS = [TEMPLATE.get(key).heading_zh for key in KEYS]

PRODUCTS = ["A型智能办公设备", "B型激光打印机", "C型扫地机器人", "D型净水器", "E型空调室内机"]
PROBLEMS = [
    ("开机后黑屏，指示灯不亮", "产品质量", "【硬件故障】电源板击穿", "维修、更换"),
    ("打印频繁卡纸，影响整层办公", "产品质量", "【产品缺陷】进纸辊批次磨损", "维修"),
    ("APP 提示配网失败，无法连接 Wi-Fi", "安装/使用指导", "【操作失误】客户使用 5GHz 频段", "指导"),
    ("滤芯更换后漏水", "安装/使用指导", "【操作失误】滤芯未旋紧", "指导"),
    ("物流超过承诺时间 5 天未送达", "物流延迟", "【物流问题】中转仓爆仓", "补偿"),
    ("安装师傅迟到且态度差", "服务态度", "【服务问题】派单未提醒", "补偿、建议"),
    ("咨询保修期与延保价格", "咨询", "", "指导"),
    ("退货申请 7 天无人处理", "售后流程", "【流程缺失】退货审批无时限", "退款"),
]
HANDLERS = ["李工", "客服小刘", "客服小王", "售后专员赵敏", "技术支持周工"]
ENGINEERS = ["王工程师", "陈师傅", "外包网点孙师傅"]
CHANNELS = ["电话", "在线客服", "公众号消息", "电商平台客服", "门店服务台"]
SURNAMES = "张王李赵刘陈杨黄吴周"
PRIORITIES = ["紧急", "重要", "一般", "一般"]
KINDS = [
    ("closed", 45),
    ("first_contact", 10),
    ("proposed", 8),
    ("disputed", 5),
    ("executing", 12),
    ("low_score", 5),
    ("escalated", 10),
    ("cancelled", 5),
]


def generate_rows(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` rows of the template, by column key, as the import should read them back."""
    rnd = random.Random(seed)
    start = datetime(2025, 1, 2, 9, 0)
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    rows = []
    for number in range(count):
        description, category, finding, demands = rnd.choice(PROBLEMS)
        kind = rnd.choice(kinds)
        handler, engineer = rnd.choice(HANDLERS), rnd.choice(ENGINEERS)
        occurred = start + timedelta(minutes=47 * number + rnd.randrange(30))
        at = occurred + timedelta(minutes=rnd.randrange(5, 120))
        customer = rnd.randrange(1, max(2, count // 12))
        phone = f"1{rnd.choice('3589')}{rnd.randrange(10**9):09d}"
        bought = occurred.date() - timedelta(days=rnd.randrange(20, 700))
        row: dict[str, Any] = {
            "customer_id": f"C{customer:07d}",
            "customer_name": f"客户{customer:05d}科技有限公司",
            "contact_person": f"{SURNAMES[customer % 10]}先生",
            "contact_info": phone if customer % 3 else f"{phone} / user{customer}@example.com",
            "purchase": f"{rnd.choice(PRODUCTS)}（{bought.isoformat()}购买）；序列号：SN{number:08d}",
            "occurred_at": occurred,
            "description": f"{description}（设备编号 D{number:06d}）",
            "demands": demands,
            "priority": rnd.choice(PRIORITIES),
            "first_handler": handler,
            "analysis": None,
            "solution": None,
            "confirmation": None,
            "execution_log": None,
            "return_visit": None,
            "improvement": None,
            "close_status": "处理中",
            "updated_at": at,
            "channel": rnd.choice(CHANNELS),
            "category": category,
        }
        deadline = format_instant(at + timedelta(days=2))
        plan = f"安排处理\n1. 上门检修（执行人：{engineer}，期限：{deadline}）"
        if kind == "first_contact":
            visit_at = at + timedelta(days=1)
            row |= {
                "solution": "一线解决：电话指导客户完成操作，已恢复正常",
                "return_visit": f"{format_instant(visit_at)} 已解决，满意度 {rnd.choice((4, 5))}分",
                "close_status": "已关闭",
                "updated_at": visit_at,
            }
            rows.append(row)
            continue
        if finding:
            row["analysis"] = finding
        if kind in ("cancelled", "escalated") and rnd.random() < 0.5:
            row["close_status"] = "已取消" if kind == "cancelled" else "需升级"
            row["analysis"] = None
            rows.append(row)
            continue
        row["solution"] = plan
        if kind == "disputed":
            row["confirmation"] = "异议：希望直接换新机"
        elif kind != "proposed":
            row["confirmation"] = (
                "异议：希望换新机\n同意：先维修" if rnd.random() < 0.2 else "同意：尽快安排"
            )
            node = at + timedelta(hours=rnd.randrange(2, 30))
            row["execution_log"] = f"{format_instant(node)} {engineer}：【上门】已完成检修"
            row["updated_at"] = node
            if kind in ("closed", "low_score"):
                visit_at = node + timedelta(days=rnd.randrange(1, 3))
                score = rnd.choice((3, 4, 5, 5)) if kind == "closed" else rnd.choice((1, 2))
                row["return_visit"] = f"{format_instant(visit_at)} 已解决，满意度 {score}分" + (
                    "，评价：师傅很专业" if score == 5 else ""
                )
                row["close_status"] = "已关闭" if kind == "closed" else "处理中"
                row["updated_at"] = visit_at
        if kind == "escalated":
            row["close_status"] = "需升级"
            row["updated_at"] += timedelta(hours=1)
        elif kind == "cancelled":
            row["close_status"] = "已取消"
            row["updated_at"] += timedelta(hours=1)
        if rnd.random() < 0.1 and row["close_status"] != "已取消":
            row["improvement"] = "建议该批次产品出厂前加测电源板"
            row["updated_at"] += timedelta(minutes=30)
        rows.append(row)
    return rows


def write_workbook(path: Path, rows: list[dict[str, Any]]) -> None:
    """The rows as an Excel workbook under the template's Chinese headings."""
    write_rows(path, "xlsx", HEADINGS, [[row[key] for key in KEYS] for row in rows])


#: The broken cells: (column key, bad value, what is wrong).
BREAKAGES = [
    ("occurred_at", "2025-02-30 10:00", "a date that does not exist"),
    ("occurred_at", "上周三下午", "no date"),
    ("priority", "高", "an unknown priority"),
    ("priority", "", "an empty required cell"),
    ("contact_info", "138****5678", "a masked phone number"),
    ("contact_info", "请回电", "neither phone nor e-mail"),
    ("customer_id", "", "an empty customer id"),
    ("return_visit", "客户表示满意", "a visit without a score"),
    ("close_status", "已完成", "an unknown close status"),
    ("channel", "飞鸽传书", "an unknown channel"),
]


def break_cells(rows: list[dict[str, Any]], count: int, seed: int) -> list[tuple[int, str]]:
    """Break ``count`` cells of distinct rows in place; their (row as Excel numbers it, heading)."""
    rnd = random.Random(seed + 1)
    broken = []
    for index in rnd.sample(range(len(rows)), min(count, len(rows))):
        key, value, _ = BREAKAGES[len(broken) % len(BREAKAGES)]
        rows[index] = {**rows[index], key: value}
        broken.append((index + 2, TEMPLATE.get(key).heading_zh))
    return sorted(broken)


def _text(cell: Any) -> str:
    return "" if cell is None else format_instant(cell) if isinstance(cell, datetime) else str(cell)


def differing_rows(db: Path, rows: list[dict[str, Any]]) -> int:
    """How many rows the store does not give back: missing tickets or other template cells."""
    with SQLiteStore(db) as store:
        stored = {}
        for ticket in store.find(TicketQuery()):
            cells = dict(zip(TEMPLATE.column_keys(), template_cells(ticket), strict=True))
            stored[(ticket.customer_id, ticket.description)] = [_text(cells[k]) for k in KEYS]
    return sum(
        1
        for row in rows
        if stored.get((row["customer_id"], row["description"])) != [_text(row[k]) for k in KEYS]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--broken", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="import-workbook-"))
    rows = generate_rows(args.rows, args.seed)
    book = folder / "跟进记录.xlsx"
    write_workbook(book, rows)
    print(f"workbook: {args.rows} rows, {book.stat().st_size / 1e6:.1f} MB, {book}")

    db = folder / "desk.db"
    run = run_command(aftersales_command("import", str(book), "--db", str(db)), folder)
    if run["status"] != 0:
        print(f"aftersales import failed ({run['status']}): {run['stderr']}")
        return 1
    print(
        f"aftersales import: {args.rows} rows in {run['wall']:.1f} s wall,"
        f" {args.rows / run['wall']:.0f} rows/s, peak RSS {run['rss_mb']:.0f} MB"
    )
    print(f"  {run['stdout'].strip()}")
    differ = differing_rows(db, rows)

    broken_rows = [dict(row) for row in rows]
    broken = break_cells(broken_rows, args.broken, args.seed)
    broken_book = folder / "跟进记录-broken.xlsx"
    write_workbook(broken_book, broken_rows)
    report = folder / "bad-cells.csv"
    fresh = folder / "fresh.db"
    command = aftersales_command(
        "import", str(broken_book), "--db", str(fresh), "--report", str(report)
    )
    refused = run_command(command, folder)
    stderr = (folder / "stderr.txt").read_text(encoding="utf-8").splitlines()
    print(f"broken copy: exit status {refused['status']} in {refused['wall']:.1f} s; first lines:")
    for line in stderr[:6]:
        print(f"  {line}")
    with report.open(encoding="utf-8-sig") as file:
        reported = sorted((int(r["row"]), r["heading"]) for r in csv.DictReader(file))
    print(f"  … {len(reported)} bad cells in the report")
    missed = len(set(broken) - set(reported))
    extra = len(set(reported) - set(broken))
    written = fresh.exists()
    ok = differ == 0 and missed == 0 and extra == 0 and refused["status"] == 2 and not written
    print(
        f"agreement: stored tickets vs the workbook's rows, {differ} of {args.rows} rows differ;"
        f" broken cells reported {len(broken) - missed} of {len(broken)}, {extra} extra;"
        f" broken copy {'refused' if refused['status'] == 2 else 'NOT REFUSED'}"
        f"{', but a store was written: DISAGREE' if written else ', nothing written'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
