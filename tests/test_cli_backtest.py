"""``aftersales sla backtest`` and the demo's backtest, on a demo store.

The demo ends with a backtest of its quarter under a stricter urgent first
response and writes the proposed policy file; the command, given that file,
gives the same figures; given the policy in force (``sla policy show``), no
flip at all. Every output leads with the same-policy check and holds no
contact and no customer name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aftersales.cli import main
from aftersales.model.query import TicketQuery
from aftersales.storage import SQLiteStore


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo")
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["demo", "--out", str(out), "--lang", "en", "--scale", "0.3"]) == 0
    return out, printed.getvalue()


def backtest(db: Path, policy: Path, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    args = ["sla", "backtest", "--db", str(db), "--period", "2026-Q4", "--policy", str(policy)]
    assert main([*args, "--complete-years", "2027", *more]) == 0
    return capsys.readouterr().out


def test_the_demo_shows_a_backtest_of_a_stricter_urgent_first_response(
    demo: tuple[Path, str],
) -> None:
    out, printed = demo
    lines = printed.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("backtest 2026-Q4"))
    assert "urgent first response 30 → 20 min: same policy: 0 flips" in lines[first]
    assert "newly breached (urgent +" in lines[first + 1]
    for suffix in ("md", "html", "json"):
        assert (out / f"backtest-2026-Q4.{suffix}").is_file()
    assert (out / "proposed-sla-policy.toml").is_file()


def test_the_command_repeats_the_demos_backtest(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out, _ = demo
    md, page = tmp_path / "b.md", tmp_path / "b.html"
    printed = backtest(
        out / "aftersales.db",
        out / "proposed-sla-policy.toml",
        capsys,
        "--md",
        str(md),
        "--html",
        str(page),
    )
    assert printed.splitlines()[0].startswith("same policy: 0 flips")
    data = json.loads(
        backtest(out / "aftersales.db", out / "proposed-sla-policy.toml", capsys, "--json")
    )
    written = json.loads((out / "backtest-2026-Q4.json").read_text(encoding="utf-8"))
    assert data["metrics"] == written["metrics"]
    assert [f["ticket_id"] for f in data["flips"]] == [f["ticket_id"] for f in written["flips"]]
    first = next(row for row in data["metrics"] if row["metric"] == "first_response")
    assert first["to_breached"] > 0
    assert first["to_met"] == 0
    assert md.read_text(encoding="utf-8").startswith("# SLA backtest 2026-Q4")
    assert (
        page.read_text(encoding="utf-8").count("<svg") >= 2
    )  # rates per metric, flips by priority…
    with SQLiteStore(out / "aftersales.db") as store:
        found = store.find(TicketQuery())
    secrets = {t.customer_name for t in found}
    for ticket in found:
        if ticket.contact is not None:
            secrets |= {ticket.contact.name, ticket.contact.phone or "", ticket.contact.email or ""}
    texts = [printed, json.dumps(data, ensure_ascii=False), md.read_text(), page.read_text()]
    assert not [s for s in secrets if s and any(s in text for text in texts)]


def test_the_policy_in_force_as_the_proposal_flips_nothing(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out, _ = demo
    db = out / "aftersales.db"
    assert main(["sla", "policy", "show", "--db", str(db), "--complete-years", "2027"]) == 0
    same = tmp_path / "same.toml"
    same.write_text(capsys.readouterr().out, encoding="utf-8")
    data = json.loads(backtest(db, same, capsys, "--json"))
    assert data["same_policy"]["flips"] == 0
    assert data["flips"] == []
    assert all(row["to_breached"] == row["to_met"] == 0 for row in data["metrics"])


@pytest.mark.parametrize(
    ("more", "message"),
    [
        (["--period", "2026/11"], "period: '2026/11' is not a period"),
        (["--policy", "no-such.toml"], "no-such.toml"),
        (["--md", "no-such-folder/x.md"], "the folder no-such-folder does not exist"),
    ],
)
def test_bad_arguments_end_with_one_line_and_status_2(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str], more: list[str], message: str
) -> None:
    out, _ = demo
    args = ["sla", "backtest", "--db", str(out / "aftersales.db"), "--period", "2026-Q4"]
    args += ["--policy", str(out / "proposed-sla-policy.toml")]
    for flag, value in zip(more[::2], more[1::2], strict=True):
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
