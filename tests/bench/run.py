#!/usr/bin/env python3
"""Benchmark ragboard at 1k, 10k and 100k actions, with its peers, and print the table.

    python3 tests/bench/run.py [--build build] [--work /tmp/ragboard-bench] [--runs 5]
                               [--sizes 1k,10k,100k] [--import-sizes 100k,1m]
                               [--no-peers] [--compare OLD_RAGBOARD] [--output FILE]

Builds bench_gen and bench_drive (meson targets, not built by default), generates the
plans once into the work folder (kept for the next run: 100k takes some minutes), then:
- the full-screen program on its own pseudo-terminal (bench_drive, ragboard.script) at
  each size, --runs times: time to the first frame and from each key to the settled
  screen, bytes written per key, peak resident memory;
- the command line: import throughput (CSV of 100k and 1M rows), export in each format,
  each report, the minutes;
- peers in the same run: Taskwarrior 2.6 (import of the 10k plan, 'task list', 'task
  modify'), VisiData (open the CSV, first screen), and the sqlite3 shell running the
  board's count queries and the list's first page on ragboard's own database.
Taskwarrior and VisiData are installed from Debian when missing and this runs as root;
otherwise their rows say they were skipped. Prints Markdown (also to --output).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INI = os.path.join(HERE, "bench.ini")
SCRIPT = os.path.join(HERE, "ragboard.script")
TODAY = "2026-03-12"
SIZES = {"1k": 1000, "10k": 10000, "100k": 100000, "1m": 1000000}
ROWS, COLS = 40, 120


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def bench_env(work):
    env = dict(os.environ)
    env.update(RAGBOARD_TODAY=TODAY, USER="bench", HOME=work, XDG_DATA_HOME=work,
               XDG_CONFIG_HOME=work, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("RAGBOARD_NOW", None)
    env.pop("RAGBOARD_CONFIG", None)
    env.pop("NO_COLOR", None)
    return env


def timed(cmd, env, stdin=None, out=None):
    """Run cmd; return (seconds, peak RSS in KiB, exit code)."""
    with open(out or os.devnull, "wb") as so, open(os.devnull, "rb") as si:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, stdin=stdin or si, stdout=so,
                             stderr=subprocess.PIPE if out is None else so)
        if p.stderr:
            err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        t = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0 and out is None:
        log("  %s exited %d: %s" % (" ".join(cmd[:3]), p.returncode,
                                    err.decode(errors="replace")[:300]))
    return t, ru.ru_maxrss, p.returncode


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    """p10-p90 of the samples (min-max when few)."""
    if not xs:
        return ""
    s = sorted(xs)
    if len(s) < 10:
        return "%s-%s" % (fmt(s[0]), fmt(s[-1]))
    lo = s[int(0.1 * (len(s) - 1))]
    hi = s[int(round(0.9 * (len(s) - 1)))]
    return "%s-%s" % (fmt(lo), fmt(hi))


def fmt(ms):
    if ms != ms:
        return "-"
    if ms >= 100:
        return "%.0f" % ms
    if ms >= 10:
        return "%.1f" % ms
    return "%.2f" % ms


def cell(xs):
    return "%s (%s)" % (fmt(med(xs)), spread(xs)) if xs else "-"


class Bench:
    def __init__(self, args):
        self.a = args
        self.build = os.path.abspath(args.build)
        self.work = os.path.abspath(args.work)
        os.makedirs(self.work, exist_ok=True)
        self.env = bench_env(self.work)
        self.ragboard = os.path.join(self.build, "ragboard")
        self.gen = os.path.join(self.build, "tests", "bench", "bench_gen")
        self.driver = os.path.join(self.build, "tests", "bench", "bench_drive")
        self.notes = []
        self.rated = set()

    # ---- building and generating ----

    def prepare(self):
        log("building ragboard, bench_gen and bench_drive in %s" % self.build)
        subprocess.run(["ninja", "-C", self.build, "ragboard", "tests/bench/bench_gen",
                        "tests/bench/bench_drive"], check=True, stdout=subprocess.DEVNULL)

    def plan(self, size):
        path = os.path.join(self.work, "plan-%s.db" % size)
        if not os.path.exists(path):
            log("generating the %s plan (once; kept in %s)" % (size, self.work))
            t, rss, rc = timed([self.gen, "db", path + ".tmp", str(SIZES[size]), "--config",
                                INI], self.env)
            if rc != 0:
                sys.exit("bench_gen failed")
            os.rename(path + ".tmp", path)
            self.notes.append("Generating the %s plan through the store API: %.0f s (%.0f "
                              "actions/s, one transaction per 2,000)." % (size, t,
                                                                         SIZES[size] / t))
        if path not in self.rated:
            # A plan kept from an earlier run may predate the RAG index's layout: rate it
            # now, as ragboard's first start would, so that no measured run pays for it.
            t, _, rc = timed([self.gen, "rate", path, "0", "--config", INI], self.env)
            if rc != 0:
                sys.exit("bench_gen rate failed")
            if t > 1:
                self.notes.append("Rating the kept %s plan again (a new index layout): %.1f s."
                                  % (size, t))
            self.rated.add(path)
        return path

    def csv(self, size):
        path = os.path.join(self.work, "plan-%s.csv" % size)
        if not os.path.exists(path):
            log("writing the %s CSV" % size)
            subprocess.run([self.gen, "csv", path + ".tmp", str(SIZES[size])], check=True,
                           env=self.env)
            os.rename(path + ".tmp", path)
        return path

    def scratch_copy(self, size):
        """A copy of the plan to edit (saving an update changes it)."""
        src = self.plan(size)
        dst = os.path.join(self.work, "run-%s.db" % size)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(dst + suffix):
                os.unlink(dst + suffix)
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o600)  # ragboard warns (in the hint bar) about a plan others can read
        return dst

    # ---- the full-screen program ----

    def drive(self, script, cmd, env=None):
        p = subprocess.run([self.driver, "--rows", str(ROWS), "--cols", str(COLS), "--timeout",
                            "120000", script, "--"] + cmd, env=env or self.env,
                           capture_output=True, text=True)
        if p.returncode != 0:
            log("  bench_drive: " + p.stderr.strip())
            return None
        samples = {}
        for line in p.stdout.splitlines():
            label, value, nbytes, cpu, waited = (line.split("\t") + ["0"] * 4)[:5]
            samples.setdefault(label, []).append((int(value), int(nbytes), int(cpu),
                                                  int(waited)))
        return samples

    def tui(self, size, binary=None):
        db = self.scratch_copy(size)
        out = {}
        for run in range(self.a.runs):
            log("  %s run %d/%d" % (size, run + 1, self.a.runs))
            s = self.drive(SCRIPT, [binary or self.ragboard, "--db", db, "--config", INI])
            if not s:
                continue
            for label, vs in s.items():
                out.setdefault(label, []).extend(vs)
        return out

    # ---- the command line ----

    def cli(self, size):
        db = self.plan(size)
        res = {}
        outdir = os.path.join(self.work, "out")
        os.makedirs(outdir, exist_ok=True)
        jobs = [("export csv", ["export", "--format", "csv"]),
                ("export json", ["export", "--format", "json"]),
                ("export md", ["export", "--format", "md"]),
                ("export ics", ["export", "--format", "ics"]),
                ("report exceptions", ["report", "exceptions"]),
                ("report highlight", ["report", "highlight"]),
                ("minutes", ["minutes", "latest"])]
        runs = 3 if SIZES[size] >= 100000 else self.a.runs
        for name, args in jobs:
            target = os.path.join(outdir, "%s-%s.out" % (size, name.replace(" ", "-")))
            ts = []
            for _ in range(runs):
                t, rss, rc = timed([self.ragboard] + args + ["--db", db, "--config", INI,
                                                             "--output", target, "--force"],
                                   self.env)
                if rc == 0:
                    ts.append(t * 1000)
            res[name] = ts
        return res

    def imports(self):
        res = {}
        for size in self.a.import_sizes:
            csv = self.csv(size)
            db = os.path.join(self.work, "import-%s.db" % size)
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
            subprocess.run([self.ragboard, "init", "--db", db, "--config", INI], env=self.env,
                           check=True, stdout=subprocess.DEVNULL)
            log("importing the %s CSV" % size)
            t, rss, rc = timed([self.ragboard, "import", csv, "--db", db, "--config", INI],
                               self.env)
            res[size] = (t, rss, rc)
            os.unlink(db)
            for suffix in ("-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
        return res

    # ---- peers ----

    def ensure_packages(self):
        missing = [p for p, b in (("taskwarrior", "task"), ("visidata", "vd"))
                   if not shutil.which(b)]
        if missing and os.geteuid() == 0 and shutil.which("apt-get"):
            log("installing %s from Debian" % " ".join(missing))
            subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends"]
                           + missing, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                           stdout=subprocess.DEVNULL)
        return shutil.which("task"), shutil.which("vd")

    def taskwarrior(self, size):
        """Import the plan's actions into a fresh Taskwarrior, time list and modify."""
        task = shutil.which("task")
        if not task:
            return None
        base = os.path.join(self.work, "taskwarrior")
        shutil.rmtree(base, ignore_errors=True)
        os.makedirs(os.path.join(base, "data"))
        rc_path = os.path.join(base, "taskrc")
        with open(rc_path, "w") as f:
            f.write("data.location=%s\nconfirmation=off\nverbose=nothing\ncolor=off\n"
                    "hooks=off\nnews.version=2.6.0\n" % os.path.join(base, "data"))
        env = dict(self.env, TASKRC=rc_path, TASKDATA=os.path.join(base, "data"))
        plan = json.loads(subprocess.run([self.ragboard, "export", "--format", "json", "--db",
                                          self.plan(size), "--config", INI,
                                          "--include-confidential"],
                                         env=self.env, capture_output=True,
                                         check=True).stdout)
        tasks = []
        for a in plan["actions"]:
            status = {"complete": "completed", "cancelled": "deleted"}.get(a["state"],
                                                                           "pending")
            t = {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "ragboard:" + a["ref"])),
                 "description": "%s %s" % (a["ref"], a["title"]), "status": status,
                 "entry": "20250101T090000Z",
                 "project": "%s.%s" % (a["strand"], (a.get("objective") or "none")),
                 "tags": [a["lead"]] if a.get("lead") else [],
                 "annotations": [{"entry": u["date"].replace("-", "") + "T120000Z",
                                  "description": u["text"]} for u in a.get("updates", [])]}
            if a.get("due"):
                t["due"] = a["due"].replace("-", "") + "T000000Z"
            if status != "pending":
                t["end"] = "20260101T090000Z"
            tasks.append(t)
        path = os.path.join(base, "tasks.json")
        with open(path, "w") as f:
            json.dump(tasks, f)
        log("Taskwarrior: importing %d tasks" % len(tasks))
        t_import, _, rc = timed([task, "import", path], env)
        if rc != 0:
            return None
        lists, mods = [], []
        target = tasks[len(tasks) // 2]["uuid"]
        for i in range(self.a.runs):
            t, _, rc = timed([task, "list"], env, out=os.path.join(base, "list.txt"))
            if rc in (0, 1):
                lists.append(t * 1000)
            t, _, rc = timed([task, target, "modify", "priority:%s" % "HML"[i % 3]], env)
            if rc == 0:
                mods.append(t * 1000)
        return {"import": t_import, "n": len(tasks), "list": lists, "modify": mods}

    def visidata(self, size):
        vd = shutil.which("vd")
        if not vd:
            return None
        csv = self.csv(size)
        with open(csv, encoding="utf-8") as f:
            f.readline()
            first_ref = f.readline().split(",", 1)[0]
        script = os.path.join(self.work, "vd.script")
        with open(script, "w") as f:
            f.write("ready first-screen %s\nend gq\n" % first_ref)
        home = os.path.join(self.work, "vdhome")
        os.makedirs(home, exist_ok=True)
        env = dict(self.env, HOME=home)
        ts = []
        for _ in range(self.a.runs):
            s = self.drive(script, [vd, "-f", "csv", csv], env)
            if s and "first-screen" in s:
                ts.append(s["first-screen"][0][0] / 1000)
        return ts

    def sqlite_floor(self, size):
        """The board's queries and the list's first page, run by the sqlite3 shell."""
        sqlite3 = shutil.which("sqlite3")
        if not sqlite3:
            return None
        db = self.plan(size)
        today = (datetime.date.fromisoformat(TODAY) - datetime.date(1970, 1, 1)).days
        board = ["SELECT strand, rag, sum(n), sum(overdue), sum(stale) FROM rag_totals"
                 " GROUP BY strand, rag;",
                 "SELECT lead, rag, sum(n), sum(overdue), sum(stale) FROM rag_totals"
                 " WHERE lead <> '' GROUP BY lead, rag;",
                 "SELECT strand, since, sum(n) FROM rag_totals GROUP BY strand, since;"]
        for i in range(4):
            for rag in range(3):
                board.append("SELECT min(due_key) FROM rag_index WHERE strand = %d AND rag = %d"
                             " AND due_key >= %d AND due_key < 2147483647;" % (i, rag, today))
        for code in ["SC", "WMP", "NHS", "EDU", "PROB", "HMP", "SFRS", "VCS", "DC", "HE",
                     "YJS", "CTP"]:
            for rag in range(3):
                board.append("SELECT min(due_key) FROM rag_index WHERE lead = '%s' AND rag = %d"
                             " AND due_key >= %d AND due_key < 2147483647;" % (code, rag, today))
        page = ROWS - 4
        listq = ["SELECT a.ref, a.title, a.strand, a.lead, o.ref, o.title, r.rag, r.state,"
                 " a.due_date, r.last_update, a.progress, r.overdue, r.stale, a.confidential"
                 " FROM (SELECT id FROM rag_index INDEXED BY rag_index_plan WHERE strand = 3"
                 " ORDER BY strand, obj_key, ref_key LIMIT %d) p" % page +
                 " JOIN rag_index r ON r.id = p.id JOIN actions a ON a.id = r.id"
                 " LEFT JOIN objectives o ON o.id = a.objective_id;"]
        res = {}
        for name, sql in (("board", board), ("list", board + listq)):
            path = os.path.join(self.work, "floor-%s.sql" % name)
            with open(path, "w") as f:
                f.write("\n".join(sql) + "\n")
            ts = []
            for _ in range(self.a.runs * 2):
                with open(path, "rb") as si:
                    t, _, rc = timed([sqlite3, "-readonly", db], self.env, stdin=si)
                if rc == 0:
                    ts.append(t * 1000)
            res[name] = ts
        return res


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) // 1024
    deb = open("/etc/debian_version").read().strip() if os.path.exists("/etc/debian_version") \
        else "?"
    sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True,
                            text=True).stdout.split(" ")[0] if shutil.which("sqlite3") else "?"
    load = os.getloadavg()[0]
    return ("%s, %d cores, %d MiB RAM, Linux %s, Debian %s, SQLite %s; load average %.1f "
            "when the run started" % (cpu, os.cpu_count(), mem, platform.release(), deb, sqlite,
                                      load))


def ms(samples):
    return [v[0] / 1000.0 for v in samples]


def cpu_ms(samples):
    return [v[2] / 1000.0 for v in samples]


def wait_ms(samples):
    return [v[3] / 1000.0 for v in samples]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--work", default="/tmp/ragboard-bench")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="1k,10k,100k")
    ap.add_argument("--import-sizes", default="100k,1m")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--compare", help="another ragboard binary to measure on the same plans")
    ap.add_argument("--output")
    a = ap.parse_args()
    a.sizes = [s for s in a.sizes.split(",") if s]
    a.import_sizes = [s for s in a.import_sizes.split(",") if s]
    b = Bench(a)
    b.prepare()
    started = time.time()
    info = machine()
    for s in a.sizes:
        b.plan(s)

    tui = {s: b.tui(s) for s in a.sizes}
    old = {s: b.tui(s, a.compare) for s in a.sizes} if a.compare else None
    cli = {s: b.cli(s) for s in a.sizes}
    imp = b.imports()
    peers = {}
    if not a.no_peers:
        b.ensure_packages()
        psize = "10k" if "10k" in a.sizes else a.sizes[0]
        peers["task"] = b.taskwarrior(psize)
        peers["task_size"] = psize
        peers["vd"] = {s: b.visidata(s) for s in a.sizes if s in ("10k", "100k")}
        peers["floor"] = {s: b.sqlite_floor(s) for s in a.sizes}

    out = []
    w = out.append
    w("Measured %s on %s." % (time.strftime("%Y-%m-%d"), info))
    w("")
    w("Command: `%s`" % " ".join(["python3", "tests/bench/run.py"] + sys.argv[1:]))
    w("")
    w("Full-screen program, %dx%d pseudo-terminal, TERM=xterm-256color, %d runs per size; "
      "milliseconds, median (p10-p90, or min-max under ten samples):" % (COLS, ROWS, a.runs))
    w("")
    w("| measure | " + " | ".join("%s actions" % s for s in a.sizes) + " | target at 100k |")
    w("|---|" + "---|" * len(a.sizes) + "---|")
    rows = [("first complete frame", "first-frame", "<= 100 ms"),
            ("start to the Prevent list on screen, typed ahead", "start-to-list", ""),
            ("open the Prevent list (Enter)", "open-list", ""),
            ("move one row (j)", "row-move", "<= 5 ms"),
            ("next page (Space)", "page", "<= 5 ms"),
            ("jump to the end (G)", "jump-end", "<= 5 ms"),
            ("open a detail (Enter)", "open-detail", ""),
            ("sort (o d, o r)", "sort", "<= 50 ms"),
            ("filter (f r, f x)", "filter", "<= 50 ms"),
            ("search \"venue hire\" (/ Enter)", "search", "<= 50 ms"),
            ("save a progress update (Ctrl-S)", "save", "<= 20 ms")]
    for name, label, target in rows:
        w("| %s | %s | %s |" % (name, " | ".join(cell(ms(tui[s].get(label, [])))
                                                 for s in a.sizes), target))
    def bytes_of(s, label):
        v = [x[1] for x in tui[s].get(label, [])]
        return "%d" % med(v) if v else "-"
    w("| bytes written: one row move | %s | <= %d (2 rows) |" % (
        " | ".join(bytes_of(s, "row-move") for s in a.sizes), 2 * COLS))
    w("| bytes written: one page | %s | <= %d (1 screen) |" % (
        " | ".join(bytes_of(s, "page") for s in a.sizes), ROWS * COLS))
    def rss(s):
        v = [x[0] for x in tui[s].get("peak_rss_kb", [])]
        return "%.1f" % (max(v) / 1024) if v else "-"
    w("| peak resident memory (MiB, largest run) | %s | <= 32 |" % " | ".join(
        rss(s) for s in a.sizes))
    if "1k" in tui and "100k" in tui:
        f1, f100 = med(ms(tui["1k"].get("first-frame", []))), \
            med(ms(tui["100k"].get("first-frame", [])))
        w("| first frame, 100k / 1k | | | %.2fx | <= 2x |" % (f100 / f1) if len(a.sizes) == 3
          else "| first frame, 100k / 1k | %.2fx | <= 2x |" % (f100 / f1))
    w("")
    w("The same steps, ragboard's own CPU time and its time waiting for a CPU (others' work "
      "on the machine), medians in ms; on an idle machine the time above is close to the CPU "
      "time:")
    w("")
    w("| measure | " + " | ".join("%s CPU | %s waiting" % (s, s) for s in a.sizes) + " |")
    w("|---|" + "---|---|" * len(a.sizes))
    for name, label, _ in rows:
        w("| %s | %s |" % (name, " | ".join(
            "%s | %s" % (fmt(med(cpu_ms(tui[s].get(label, [])))),
                         fmt(med(wait_ms(tui[s].get(label, []))))) for s in a.sizes)))
    w("")
    if old:
        w("Before and after (same run, same plans; `--compare` binary first), medians in ms:")
        w("")
        w("| measure | " + " | ".join("%s before | %s after" % (s, s) for s in a.sizes) + " |")
        w("|---|" + "---|---|" * len(a.sizes))
        for name, label, _ in rows:
            w("| %s | %s |" % (name, " | ".join(
                "%s | %s" % (fmt(med(ms(old[s].get(label, [])))),
                             fmt(med(ms(tui[s].get(label, []))))) for s in a.sizes)))
        w("| peak resident memory (MiB) | %s |" % " | ".join(
            "%.1f | %.1f" % (max(x[0] for x in old[s].get("peak_rss_kb", [(0,)])) / 1024,
                             max(x[0] for x in tui[s].get("peak_rss_kb", [(0,)])) / 1024)
            for s in a.sizes))
        w("")
    w("Command line, whole process, milliseconds (median of the runs):")
    w("")
    w("| command | " + " | ".join("%s actions" % s for s in a.sizes) + " |")
    w("|---|" + "---|" * len(a.sizes))
    for name in cli[a.sizes[0]]:
        w("| `ragboard %s` | %s |" % (name, " | ".join(fmt(med(cli[s][name])) for s in a.sizes)))
    for size, (t, rss_kb, rc) in imp.items():
        w("| `ragboard import` of %s CSV rows | %s |" % (
            size, "%.1f s, %.0f rows/s, peak %.0f MiB%s" % (
                t, SIZES[size] / t, rss_kb / 1024, "" if rc == 0 else " (exit %d)" % rc)
            + " |" * (len(a.sizes) - 1)))
    w("")
    if peers:
        w("Peers in the same run (ratio = peer / ragboard; above 1 means ragboard is faster):")
        w("")
        w("| peer | what | peer | ragboard | ratio |")
        w("|---|---|---|---|---|")
        tk = peers.get("task")
        ps = peers.get("task_size")
        if tk:
            rb_list = med(ms(tui[ps].get("start-to-list", [])))
            rb_save = med(ms(tui[ps].get("save", [])))
            w("| Taskwarrior %s | import %d tasks | %.1f s | see import above | |" % (
                subprocess.run(["task", "--version"], capture_output=True,
                               text=True).stdout.strip(), tk["n"], tk["import"]))
            w("| Taskwarrior | `task list` vs start to the list on screen (%s) | %s ms | %s ms"
              " | %.1fx |" % (ps, fmt(med(tk["list"])), fmt(rb_list), med(tk["list"]) / rb_list))
            w("| Taskwarrior | `task modify` vs saving an update (%s) | %s ms | %s ms | %.1fx |"
              % (ps, fmt(med(tk["modify"])), fmt(rb_save), med(tk["modify"]) / rb_save))
        else:
            w("| Taskwarrior | skipped (not installed) | | | |")
        for s, ts in (peers.get("vd") or {}).items():
            rb = med(ms(tui[s].get("first-frame", [])))
            if ts:
                w("| VisiData | open the %s CSV, first screen vs first frame | %s ms | %s ms |"
                  " %.1fx |" % (s, fmt(med(ts)), fmt(rb), med(ts) / rb))
            else:
                w("| VisiData | skipped (not installed or failed) | | | |")
        for s, fl in (peers.get("floor") or {}).items():
            if not fl:
                continue
            rb = med(ms(tui[s].get("first-frame", [])))
            rl = med(ms(tui[s].get("start-to-list", [])))
            w("| sqlite3 shell (floor) | %s: board queries vs first frame | %s ms | %s ms |"
              " %.2fx |" % (s, fmt(med(fl["board"])), fmt(rb), med(fl["board"]) / rb))
            w("| sqlite3 shell (floor) | %s: board + first list page vs start to the list |"
              " %s ms | %s ms | %.2fx |" % (s, fmt(med(fl["list"])), fmt(rl),
                                           med(fl["list"]) / rl))
        w("")
    for n in b.notes:
        w(n)
    w("Whole run: %.0f s." % (time.time() - started))
    text = "\n".join(out) + "\n"
    print(text)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
