#!/usr/bin/env python3
"""Prints the ratio tables of a run.sh run from its raw results (interleaved comparisons'
Markdown, JMH JSON, wrk output, footprint JSON) as Markdown: every Bridge figure next to its
baselines measured in the same run, the ratio, the bar from issue #6 and whether it is met.

Usage: report.py bridge-benchmarks/target/results
"""
import json
import re
import sys
from pathlib import Path


def load_jmh(path):
    """benchmark method name (plus ':threads' when several thread counts) -> JMH result."""
    if not path.exists():
        return {}
    try:
        entries = json.loads(path.read_text() or "[]")
    except json.JSONDecodeError:
        return {}
    results = {}
    for entry in entries:
        cls, method = entry["benchmark"].rsplit(".", 1)
        results[(cls.rsplit(".", 1)[-1], method)] = entry
    return results


def metric(entry):
    return entry["primaryMetric"]


def error(entry):
    try:
        return float(metric(entry)["scoreError"])
    except (TypeError, ValueError):
        return float("nan")


def pct(entry, p):
    return metric(entry)["scorePercentiles"][p]


def fmt(value, digits=2):
    if isinstance(value, str):
        # JMH writes "NaN" for an error it cannot compute (too few iterations)
        try:
            value = float(value)
        except ValueError:
            return value
    if value is None or value != value:
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def offload(d):
    r = load_jmh(d / "offload.json")
    if not r:
        return None
    cls = "OffloadOverheadBenchmark"
    base = r.get((cls, "reactorBoundedElastic"))
    base_score = metric(base)["score"] if base else None
    rows = []
    names = [("bridgeOffloadBlockingMono", "Bridge `@OffloadBlocking` -> `Mono` (default threads)", True),
             ("bridgeOffloadBlockingMonoPlatform", "Bridge `@OffloadBlocking` -> `Mono` (threads=platform)", False),
             ("bridgeOffloadBlockingFuture", "Bridge `@OffloadBlocking` -> `CompletableFuture`", False),
             ("bridgeOffloaderMono", "Bridge `Offloader.mono` (no proxy)", False),
             ("bridgeOffloaderMonoOnElasticExecutor", "Bridge `Offloader.mono` (no proxy) on `boundedElastic` workers",
              False),
             ("reactorBoundedElastic", "baseline: `fromCallable.subscribeOn(boundedElastic)`", False),
             ("springAsync", "baseline: Spring `@Async` `CompletableFuture`", False)]
    for method, label, barred in names:
        e = r.get((cls, method))
        if not e:
            continue
        score = metric(e)["score"]
        q = ratio(score, base_score)
        ok = (q <= 1.10) if (barred and q is not None) else None
        rows.append([label, f"{fmt(score)} ± {fmt(metric(e)['scoreError'])}", fmt(q), "≤ 1.10" if barred else "",
                     verdict(ok) if barred else ""])
    return table(["variant", "µs/op (mean ± 99.9% CI)", "ratio to Reactor", "bar", "result"], rows)


def roundtrip(d):
    r = load_jmh(d / "roundtrip.json")
    if not r:
        return None
    out = []
    for cls, threads in (("RoundTrip1Benchmark", 1), ("RoundTrip8Benchmark", 8)):
        raw = r.get((cls, "rawHandOff"))
        if not raw:
            continue
        raw_mean, raw_p50 = metric(raw)["score"], pct(raw, "50.0")
        rows = []
        for method, label, barred in [("bridgeCall", "Bridge `LoopRunner.call(() -> x)`", True),
                                      ("bridgeRunMono", "Bridge `LoopRunner.run(Mono.just(x))`", True),
                                      ("bridgeRunOnLoop", "Bridge sync `@RunOnLoop` method", True),
                                      ("rawHandOff", "baseline: `supplyAsync(.., singleThread).join()`", False),
                                      ("reactorSingleBlock", "baseline: `subscribeOn(single()).block()`", False)]:
            e = r.get((cls, method))
            if not e:
                continue
            mean, p50, p99 = metric(e)["score"], pct(e, "50.0"), pct(e, "99.0")
            q_mean, q_p50 = ratio(mean, raw_mean), ratio(p50, raw_p50)
            ok = (q_mean <= 1.25 and p50 < 10) if barred else None
            rows.append([label, fmt(p50), fmt(p99), fmt(mean), fmt(q_p50), fmt(q_mean),
                         "≤ 1.25 and median < 10 µs" if barred else "", verdict(ok) if barred else ""])
        out.append(f"{threads} caller thread{'s' if threads > 1 else ''}:\n\n" + table(
            ["variant", "median µs", "p99 µs", "mean µs", "median ratio to raw", "mean ratio to raw", "bar",
             "result"], rows))
    return "\n\n".join(out)


def fanout(d):
    r = {**load_jmh(d / "fanout.json"), **load_jmh(d / "fanout-elastic.json")}
    if not r:
        return None
    cls = "FanOutBenchmark"
    rows = []
    for method, label, barred in [("bridgeVirtual", "Bridge `Offloader`, virtual threads", True),
                                  ("bridgePlatform", "Bridge `Offloader`, platform threads", False),
                                  ("jdkVirtualPerTask", "baseline: JDK virtual-thread-per-task executor", False),
                                  ("fixedPool200", "baseline: fixed pool of 200", False),
                                  ("boundedElasticDefaults", "baseline: `boundedElastic()` defaults", False)]:
        e = r.get((cls, method))
        if not e:
            continue
        raw = [v for fork in metric(e)["rawData"] for v in fork]
        mean = metric(e)["score"]
        fixed = r.get((cls, "fixedPool200"))
        q = ratio(mean, metric(fixed)["score"]) if fixed else None
        ok = (mean < 250) if barred else None
        rows.append([label, fmt(mean), fmt(min(raw)), fmt(max(raw)), len(raw), fmt(q),
                     "< 250 ms" if barred else "", verdict(ok) if barred else ""])
    return table(["variant", "mean ms", "min ms", "max ms", "iterations", "ratio to fixed-200", "bar", "result"], rows)


def stream(d):
    r = load_jmh(d / "stream.json")
    if not r:
        return None
    cls = "StreamBenchmark"
    raw = r.get((cls, "fluxToStream"))
    hop = r.get((cls, "fluxToStreamFromOtherThread"))
    rows = []
    for method, label, barred in [("bridgeStream", "Bridge `LoopRunner.stream(Flux.range(..))`", True),
                                  ("fluxToStream", "baseline: `Flux.range(..).toStream()` (same thread)", False),
                                  ("fluxToStreamFromOtherThread",
                                   "baseline: `.subscribeOn(newSingle).toStream()` (one hand-off)", False)]:
        e = r.get((cls, method))
        if not e:
            continue
        score = metric(e)["score"]
        q = ratio(score, metric(raw)["score"]) if raw else None
        q_hop = ratio(score, metric(hop)["score"]) if hop else None
        ok = (q >= 0.8 and score > 5e6) if barred and q is not None else None
        rows.append([label, f"{score / 1e6:.2f} M", fmt(q), fmt(q_hop), "≥ 0.8 and > 5 M/s" if barred else "",
                     verdict(ok) if barred else ""])
    return table(["variant", "items/s", "ratio to toStream()", "ratio to toStream() across threads", "bar",
                  "result"], rows)


def context(d):
    r = load_jmh(d / "context.json")
    if not r:
        return None
    cls = "ContextBenchmark"
    rows = []
    for label, without, with_ in [("same thread: capture, restore, run, restore back",
                                   "wrapAndRunWithoutContext", "wrapAndRunWithContext"),
                                  ("one hop to the loop (`LoopRunner.call`)", "loopHopWithoutContext",
                                   "loopHopWithContext")]:
        a, b = r.get((cls, without)), r.get((cls, with_))
        if not a or not b:
            continue
        if a["mode"] == "sample":
            # sampled hops: compare medians, which the hand-off's rare slow waits do not swamp
            x, y = pct(a, "50.0"), pct(b, "50.0")
            label += " (medians)"
            added_text = fmt(y - x)
        else:
            x, y = metric(a)["score"], metric(b)["score"]
            added_text = f"{fmt(y - x)} ± {fmt(error(a) + error(b))}"
        rows.append([label, fmt(x), fmt(y), added_text, fmt(ratio(y, x)), "< 1,000 ns added", verdict(y - x < 1000)])
    return table(["hop", "without context ns", "MDC + security + observation ns", "added ns", "ratio", "bar",
                  "result"], rows)


def wrk(path):
    if not path.exists():
        return None
    text = path.read_text()
    units = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}

    def ms(value):
        m = re.match(r"([\d.]+)(us|ms|s|m)$", value)
        return float(m.group(1)) * units[m.group(2)] if m else None

    out = {"rps": None, "p50": None, "p99": None, "requests": None, "errors": 0, "non2xx": 0}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else None
    for p in ("50", "99"):
        m = re.search(rf"^\s+{p}%\s+(\S+)", text, re.M)
        out["p" + p] = ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in", text)
    out["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["errors"] = sum(int(g) for g in m.groups()) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    return out


def http(d, jdk):
    """Bridge and MVC alternated in rounds (http-<endpoint>-r<n>.txt); the two hopeless
    baselines were run once each, for scale, and carry no ratio."""
    def rounds(name):
        found = {}
        for path in d.glob(f"http-{name}-r*.txt"):
            w = wrk(path)
            if w and w["rps"] and w["p99"]:
                found[int(re.search(r"-r(\d+)\.txt$", path.name).group(1))] = w
        return found

    def median(values):
        values = sorted(values)
        n = len(values)
        return None if n == 0 else (values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2)

    mvc = rounds("mvc")
    if not mvc:
        return None
    rows = []
    for name, label in [("bridge", "Bridge `@OffloadBlocking` on WebFlux/Netty (default pool)"),
                        ("bridge-platform", "Bridge `@OffloadBlocking` on WebFlux/Netty, pool of 256 platform threads"),
                        ("mvc", "baseline: Spring MVC on Tomcat, `spring.threads.virtual.enabled=true`")]:
        runs = rounds(name)
        both = sorted(set(runs) & set(mvc))
        if not both:
            continue
        q_rps = [runs[r]["rps"] / mvc[r]["rps"] for r in both]
        q_p99 = [runs[r]["p99"] / mvc[r]["p99"] for r in both]
        barred = name == "bridge"
        ok = (median(q_rps) >= 1.0 and median(q_p99) <= 1.0) if barred else None
        bar = ("throughput ≥ MVC and p99 ≤ MVC" + ("" if jdk == "25" else " (judged on JDK 25)")) if barred else ""
        rows.append([label, len(both), fmt(median([runs[r]["rps"] for r in both])),
                     fmt(median([runs[r]["p50"] for r in both])), fmt(median([runs[r]["p99"] for r in both])),
                     sum(runs[r]["errors"] + runs[r]["non2xx"] for r in both),
                     f"{fmt(median(q_rps))} ({fmt(min(q_rps))}–{fmt(max(q_rps))})",
                     f"{fmt(median(q_p99))} ({fmt(min(q_p99))}–{fmt(max(q_p99))})", bar,
                     verdict(ok) if barred and jdk == "25" else ""])
    for name, label in [("elastic", "baseline, once, for scale: hand-written `boundedElastic` on WebFlux/Netty"),
                        ("event-loop", "baseline, once, for scale: blocking on the Netty event loop")]:
        w = wrk(d / f"http-{name}.txt")
        if w:
            rows.append([label, 1, fmt(w["rps"]), fmt(w["p50"]), fmt(w["p99"]), w["errors"] + w["non2xx"], "", "",
                         "", ""])
    return table(["endpoint", "rounds", "requests/s (median)", "p50 ms (median)", "p99 ms (median)", "errors",
                  "throughput ratio to MVC (median of rounds, spread)", "p99 ratio to MVC (median of rounds, spread)",
                  "bar", "result"], rows)


def memory(d):
    rows = []
    for mode, label in [("bridge-virtual", "Bridge `Offloader`, virtual threads"),
                        ("bridge-platform", "Bridge `Offloader`, platform threads"),
                        ("jdk-virtual", "baseline: JDK virtual-thread-per-task executor")]:
        path = d / f"memory-{mode}.json"
        if not path.exists():
            continue
        m = json.loads(path.read_text())
        rows.append([label, f"{m['heapBytesPerCall'] / 1024:.2f}", f"{m['rssBytesPerCall'] / 1024:.1f}",
                     f"{m['platformThreadsPerCall']:.3f}", m["calls"]])
    text = None
    if rows:
        text = table(["variant", "heap KiB per call", "RSS KiB per call", "platform threads per call",
                      "calls held open"], rows)
    idle = d / "memory-loop-idle-cpu.json"
    if idle.exists():
        m = json.loads(idle.read_text())
        line = (f"Idle loop: its {m['threads']} threads used {m['cpuMillis']:.1f} ms of CPU in "
                f"{m['windowMillis']} ms ({m['cpuPercentOfOneCore']:.3f}% of one core).")
        text = (text + "\n\n" + line) if text else line
    return text


def meta(path):
    """One line saying when the scenario ran and how busy the machine was around it."""
    if not path.exists():
        return ""
    m = dict(line.split(": ", 1) for line in path.read_text().splitlines() if ": " in line)
    return (f"_Ran {m.get('date', '?')} with `{m.get('command', '?')}`; CPU busy with other work "
            f"{m.get('cpu-busy-before', '?')} before, {m.get('cpu-busy-after', '?')} after._\n\n")


def interleaved(d, name):
    """The Markdown an interleaved comparison printed, from its first table on."""
    path = d / f"interleaved-{name}.md"
    if not path.exists():
        return None
    text = path.read_text()
    start = text.find("### ")
    return text[start:].strip() if start >= 0 else None


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "bridge-benchmarks/target/results")
    for d in sorted(p for p in root.glob("jdk*") if p.is_dir()):
        jdk = d.name[3:]
        print(f"## JDK {jdk}\n")
        machine = d / "machine.txt"
        if machine.exists():
            print("```\n" + machine.read_text().strip() + "\n```\n")
        for name in ("offload", "roundtrip", "context", "stream", "idle"):
            section = interleaved(d, name)
            if section:
                print(f"{meta(d / f'interleaved-{name}.meta')}{section}\n")
        for title, name, section in [("1. Offload overhead", "offload", offload(d)),
                                     ("2. Sync -> loop round trip", "roundtrip", roundtrip(d)),
                                     ("3. Fan-out: 10,000 calls blocking 50 ms each", "fanout", fanout(d)),
                                     ("4. Stream bridging, 10M items", "stream", stream(d)),
                                     ("5. Context propagation cost", "context", context(d)),
                                     ("6. HTTP end to end, wrk -c 256, 20 ms blocking call", "http", http(d, jdk)),
                                     ("7. Memory per in-flight call, 10,000 held open", "memory", memory(d))]:
            if section:
                print(f"### {title} (JDK {jdk})\n\n{meta(d / (name + '.meta'))}{section}\n")


if __name__ == "__main__":
    main()
