"""The coin-flip summary: mean fraction of heads per coin and p."""

from __future__ import annotations

from pathlib import Path

from qray.results import read_dataset
from qray.results.writer import write_text_atomic
from qray.summary import Summary, header_lines
from qray_coinflip.rows import SCHEMA


def summarize(sweep_dir: Path) -> Summary:
    table, problems = read_dataset(sweep_dir / "coinflip", schema=SCHEMA)
    df = table.to_pandas()
    lines = header_lines(sweep_dir, "coinflip", problems)
    lines += ["| coin | p | rows | heads fraction |", "|---|---|---|---|"]
    ok = df[df["status"] == "ok"]
    for (coin, p), g in ok.groupby(["coin", "p"]):
        lines.append(f"| {coin} | {p:g} | {len(g)} | {(g['heads'] / g['flips']).mean():.3f} |")
    md = "\n".join(lines) + "\n"
    path = write_text_atomic(md, sweep_dir / "summary.md")
    return Summary(sweep_dir, md, [path])
