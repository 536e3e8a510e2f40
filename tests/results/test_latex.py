"""summary.tex: each Markdown table of a summary as a booktabs LaTeX table, same numbers."""

from __future__ import annotations

from qray.results.latex import escape, markdown_to_latex

MD = """# Sweep `s-1` (simulators)

Some text with 5 % of it.

## Median time [ms]

| backend | n=4 | n=8 |
|---|---|---|
| qiskit_aer | 1.23 [1.1–1.4]† | 12.3 |
| numpy | 0.0456 | 2-9-12 |

## GHZ population

| backend | p=0.01 |
|---|---|
| stim | 0.9812 ± 0.0042 |

| second | table |
|---|---|
| a | b |
"""


def test_every_table_becomes_a_booktabs_table_with_the_same_numbers() -> None:
    tex = markdown_to_latex(MD, "s-1")
    assert tex.count(r"\begin{table}") == 3 and tex.count(r"\toprule") == 3
    assert tex.count(r"\midrule") == 3 and tex.count(r"\bottomrule") == 3
    assert r"\caption{Median time [ms]}" in tex and r"\label{tab:s-1-1}" in tex
    # a second table in a section is numbered
    assert r"\caption{GHZ population (2)}" in tex and r"\label{tab:s-1-3}" in tex
    assert r"qiskit\_aer & 1.23 [1.1--1.4]\textsuperscript{\dag} & 12.3 \\" in tex
    assert r"stim & 0.9812 $\pm$ 0.0042 \\" in tex
    # a column of numbers is right-aligned; one holding a node list is not
    assert r"\begin{tabular}{lrl}" in tex


def test_escape() -> None:
    assert escape("a_b & 5 % #1 `code` {x}") == r"a\_b \& 5 \% \#1 code \{x\}"
