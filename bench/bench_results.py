"""The summary the side-by-side bench scripts print from their results.jsonl.

Each line of that file is one measurement: the bench's JSON result plus "row", "run" and the
side it measured under a key the script names ("name", "store"), or "failed" with the error of a
run that did not finish. The scripts import it with PYTHONPATH="$root/bench".
"""
import json
import statistics


def load(path):
    with open(path) as lines:
        return [json.loads(line) for line in lines]


def succeeded(results):
    return [r for r in results if "failed" not in r]


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def rows(results):
    """The rows in the order they were first measured."""
    return list(dict.fromkeys(r["row"] for r in results))


def label(row):
    return row.replace("x", " × ")


def groups(results, side, sides):
    """(row, side, its finished measurements) for each row and side that has any, in row order."""
    ok = succeeded(results)
    for row in rows(results):
        for value in sides:
            measured = [r for r in ok if r["row"] == row and r[side] == value]
            if measured:
                yield row, value, measured


def per_run(xs):
    """Rates of the runs one after the other, as whole numbers."""
    return " / ".join(f"{x:,.0f}" for x in xs)


def faults(measured):
    """Messages lost, duplicated and reordered, summed over the runs."""
    return "/".join(str(sum(r[key] for r in measured)) for key in ("lost", "duplicated", "reordered"))


def print_ratios(results, side, top, bottom, rate, header):
    """A table of top's rate over bottom's, run by run, each run's two sides paired, and its median."""
    ok = succeeded(results)
    print()
    print(header)
    print("|---|---|---|")
    for row in rows(results):
        ratios = []
        for run in sorted({r["run"] for r in ok}):
            pair = {r[side]: r for r in ok if r["row"] == row and r["run"] == run}
            if top in pair and bottom in pair and pair[bottom][rate]:
                ratios.append(pair[top][rate] / pair[bottom][rate])
        print(f"| {label(row)} | {' / '.join(f'{x:.3f}' for x in ratios)} | **{median(ratios):.3f}** |")


def print_failures(results, side):
    for r in results:
        if "failed" in r:
            print(f"FAILED run {r['run']} {r[side]} {r['row']}: {r['failed']}")
