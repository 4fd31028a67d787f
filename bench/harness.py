#!/usr/bin/env python3
"""The benchmark suite's parts (issue 7), run by bench/run-all after it has installed the
peers, built the programs and made the real corpus. Standard library only.

Parts: index (correlare-indexer vs omindex vs recollindex vs pdftotext, same files, same
run), query (wrk over HTTP at 1/4/16 connections vs the in-process Xapian floor), inbox
(drop-to-searchable latency of 100 files), scale (synthetic corpus of N documents).
Writes WORK/results.json (every figure) and WORK/results.md (the table), and prints the
table. Figures are measured and reported, never asserted.
"""
import argparse
import datetime
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# Targets of issue 7 (2 cores).
TARGET_WALL_VS_RECOLL = 0.7
TARGET_SIZE_VS_OMEGA = 1.5
TARGET_MEDIAN_VS_FLOOR = 5.0
TARGET_P99_16_MS = 10.0
TARGET_RPS = 3000.0
TARGET_INBOX_P95_S = 1.0
TARGET_SCALE_P99_MS = 50.0
TARGET_SCALE_RSS_MB = 200.0


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(mem_kb / 1048576, 1),
        "kernel": platform.release(),
        "os": platform.freedesktop_os_release().get("PRETTY_NAME", "?")
        if hasattr(platform, "freedesktop_os_release") else "?",
    }


def du_bytes(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


_delve_said = set()


def delve_doccount(db):
    """The index's document count, or None; why it could not be read is logged (once per
    distinct reason): an index that stops opening mid-run must not just stop the samples."""
    try:
        run = subprocess.run(["xapian-delve", db], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        why = f"xapian-delve {db}: {e}"
    else:
        m = re.search(r"number of documents = (\d+)", run.stdout)
        if m:
            return int(m.group(1))
        why = f"xapian-delve {db} (exit {run.returncode}): {(run.stderr or run.stdout).strip()[:300]}"
    if why not in _delve_said:
        _delve_said.add(why)
        log(f"cannot read the document count: {why}")
    return None


def timed(cmd, log_file, cwd=REPO, env=None):
    """Runs cmd under GNU time; returns wall s, cpu s (user+sys, children included), peak RSS MB
    (the largest single process), exit code."""
    tfile = log_file + ".time"
    full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", tfile] + cmd
    with open(log_file, "w") as out:
        rc = subprocess.run(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    with open(tfile) as f:
        last = f.read().strip().splitlines()[-1].split()
    return {"wall_s": float(last[0]), "cpu_s": round(float(last[1]) + float(last[2]), 2),
            "rss_mb": round(int(last[3]) / 1024, 1), "rc": rc}


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


# ---------------------------------------------------------------------------- daemon --

class Searchd:
    def __init__(self, build, data, work, name):
        self.log_path = os.path.join(work, f"searchd-{name}.log")
        self.out = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [os.path.join(build, "bin", "correlare-searchd"), "--data", data,
             "--taxonomy", os.path.join(REPO, "taxonomy", "taxonomy.json"),
             "--listen", "127.0.0.1:0"],
            cwd=REPO, stdout=self.out, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        self.base = None
        while time.time() < deadline and self.base is None:
            if self.proc.poll() is not None:
                raise RuntimeError(f"searchd exited: see {self.log_path}")
            with open(self.log_path) as f:
                m = re.search(r"listening on (http://[0-9.]+:\d+)", f.read())
            if m:
                self.base = m.group(1)
            else:
                time.sleep(0.05)
        if not self.base:
            raise RuntimeError("searchd did not start")
        u = urllib.parse.urlparse(self.base)
        self.host, self.port = u.hostname, u.port

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
        return None

    def get(self, path, conn=None):
        own = conn is None
        conn = conn or http.client.HTTPConnection(self.host, self.port, timeout=30)
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        if own:
            conn.close()
        return resp.status, body

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.out.close()


def read_mix(path):
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def parse_wrk_time(s):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", s)
    v, unit = float(m.group(1)), m.group(2)
    return v * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(searchd, mix_file, connections, duration, log_dir):
    threads = min(2, connections)
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency",
           "--timeout", "10s", "-s", os.path.join(HERE, "wrk-mix.lua"), searchd.base, "--", mix_file]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    with open(os.path.join(log_dir, f"wrk-c{connections}.txt"), "w") as f:
        f.write(out)
    res = {"connections": connections, "threads": threads, "duration_s": duration}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    res["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        res[f"p{pct}_ms"] = round(parse_wrk_time(m.group(1)), 3) if m else None
    m = re.search(r"(\d+) requests in", out)
    res["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", out)
    res["socket_errors"] = m.group(1).strip() if m else ""
    return res


# ----------------------------------------------------------------------------- index --

def part_index(a, R):
    work = os.path.join(a.work, "index")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    corpus = a.corpus
    pdfs = sorted(os.path.join(r, n) for r, _d, fs in os.walk(corpus) for n in fs if n.lower().endswith(".pdf"))
    files = sum(len(fs) for _r, _d, fs in os.walk(corpus))
    log(f"index: warming the page cache with {corpus} ({files} files, {len(pdfs)} PDFs)")
    for r, _d, fs in os.walk(corpus):
        for n in fs:
            with open(os.path.join(r, n), "rb") as f:
                while f.read(1 << 20):
                    pass
    res = {"files": files, "pdfs": len(pdfs), "corpus_mb": round(du_bytes(corpus) / 1e6, 1), "runs": {}}

    def run(name, cmd, env=None, index_dir=None, count=None):
        load0 = loadavg()
        log(f"index: {name}: {' '.join(cmd)}")
        t = timed(cmd, os.path.join(work, f"{name}.log"), env=env)
        t["load_before"], t["load_after"] = load0, loadavg()
        if index_dir:
            t["index_mb"] = round(du_bytes(index_dir) / 1e6, 1)
        if count:
            t["documents"] = delve_doccount(count)
        log(f"index: {name}: {t}")
        res["runs"][name] = t
        return t

    taxonomy = os.path.join(REPO, "taxonomy", "taxonomy.json")
    cdata = os.path.join(work, "correlare")
    run("correlare", [os.path.join(a.build, "bin", "correlare-indexer"), "--data", cdata,
                      "--taxonomy", taxonomy, "index", corpus],
        index_dir=os.path.join(cdata, "index"), count=os.path.join(cdata, "index"))
    res["runs"]["correlare"]["store_mb"] = round(du_bytes(os.path.join(cdata, "store")) / 1e6, 1)
    with open(os.path.join(work, "correlare.log")) as f:
        m = re.search(r"indexed: \d+.*", f.read())
        res["runs"]["correlare"]["summary"] = m.group(0) if m else ""

    odb = os.path.join(work, "omega-db")
    run("omindex", ["omindex", "--db", odb, "--url", "/", "--stemmer=italian", corpus],
        index_dir=odb, count=odb)

    conf = os.path.join(work, "recoll-conf")
    os.makedirs(conf)
    rdb = os.path.join(work, "recoll-db")
    with open(os.path.join(conf, "recoll.conf"), "w") as f:
        f.write(f"topdirs = {corpus}\ndbdir = {rdb}\nindexStemmingLanguages = italian\n")
    env = dict(os.environ, RECOLL_CONFDIR=conf, HOME=work)
    run("recollindex", ["recollindex", "-c", conf, "-z"], env=env, index_dir=rdb, count=rdb)

    lst = os.path.join(work, "pdfs.lst")
    with open(lst, "wb") as f:
        f.write(b"\0".join(p.encode() for p in pdfs))
    for procs in (1, 2):
        run(f"pdftotext-P{procs}", ["sh", "-c", f"xargs -0 -n1 -P{procs} -a '{lst}' sh -c "
                                    "'pdftotext -q \"$0\" - >/dev/null || true'"])

    r = res["runs"]
    c, rc, om = r["correlare"], r["recollindex"], r["omindex"]
    res["ratios"] = {
        "wall_vs_recoll": ratio(c["wall_s"], rc["wall_s"]),
        "wall_vs_omindex": ratio(c["wall_s"], om["wall_s"]),
        "wall_vs_pdftotext_P2": ratio(c["wall_s"], r["pdftotext-P2"]["wall_s"]),
        "cpu_vs_recoll": ratio(c["cpu_s"], rc["cpu_s"]),
        "cpu_vs_omindex": ratio(c["cpu_s"], om["cpu_s"]),
        "rss_vs_recoll": ratio(c["rss_mb"], rc["rss_mb"]),
        "rss_vs_omindex": ratio(c["rss_mb"], om["rss_mb"]),
        "size_vs_omindex": ratio(c["index_mb"], om["index_mb"]),
        "size_vs_recoll": ratio(c["index_mb"], rc["index_mb"]),
    }
    R["index"] = res


# ----------------------------------------------------------------------------- query --

def ensure_real_index(a, R):
    data = os.path.join(a.work, "index", "correlare")
    if not os.path.isdir(os.path.join(data, "index")):
        log("query: no index of the real corpus yet: running the index part first")
        part_index(a, R)
    return data


def per_query_http(searchd, mix, rounds):
    """Sequential requests over one keep-alive connection: client latency and the daemon's
    own took_ms, median per query."""
    conn = http.client.HTTPConnection(searchd.host, searchd.port, timeout=30)
    rows = []
    for line in mix:
        path = "/api/search?" + line
        lat, took, total, status = [], [], None, None
        for _ in range(rounds):
            t0 = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            lat.append((time.perf_counter() - t0) * 1000)
            status = resp.status
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(searchd.host, searchd.port, timeout=30)
            if status == 200:
                doc = json.loads(body)
                took.append(doc.get("took_ms", 0))
                total = doc.get("total")
        rows.append({"query": line, "status": status, "total": total,
                     "http_median_ms": round(statistics.median(lat), 3),
                     "took_median_ms": round(statistics.median(took), 3) if took else None})
    conn.close()
    return rows


def run_floor(a, index_dir, mix_file, log_dir):
    out = subprocess.run([os.path.join(a.build, "bin", "xapian_floor"), index_dir, mix_file, str(a.floor_rounds)],
                         capture_output=True, text=True)
    with open(os.path.join(log_dir, "floor.txt"), "w") as f:
        f.write(out.stdout + out.stderr)
    per = {}
    for line in out.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            per[parts[3]] = (float(parts[0]), float(parts[1]), int(parts[2]))
    m = re.search(r"floor_median_ms ([\d.]+)", out.stdout)
    p = re.search(r"parse_median_ms ([\d.]+)", out.stdout)
    return (float(m.group(1)) if m else None), (float(p.group(1)) if p else None), per


def query_suite(a, data, mix_file, name, connections):
    log_dir = os.path.join(a.work, name)
    os.makedirs(log_dir, exist_ok=True)
    mix = read_mix(mix_file)
    res = {"queries": len(mix), "mix_file": os.path.relpath(mix_file, REPO), "load_before": loadavg()}
    log(f"{name}: floor (xapian_floor, {a.floor_rounds} rounds per query)")
    res["floor_median_ms"], res["parse_median_ms"], floor_per = run_floor(a, os.path.join(data, "index"), mix_file, log_dir)
    per = [v[0] for v in floor_per.values() if v and v[0] is not None]
    res["floor_mean_ms"] = round(statistics.mean(per), 3) if per else None
    searchd = Searchd(a.build, data, log_dir, name)
    try:
        log(f"{name}: searchd at {searchd.base}; per-query sequential requests")
        rows = per_query_http(searchd, mix, a.http_rounds)
        for row in rows:
            fl = floor_per.get(row["query"])
            row["floor_ms"], row["parse_ms"], row["floor_matches"] = (fl if fl else (None, None, None))
        res["per_query"] = rows
        res["http_seq_median_ms"] = round(statistics.median(r["http_median_ms"] for r in rows), 3)
        res["took_median_ms"] = round(statistics.median(r["took_median_ms"] or 0 for r in rows), 3)
        res["statuses"] = sorted({r["status"] for r in rows})
        res["zero_hit_queries"] = sum(1 for r in rows if not r["total"])
        res["rss_mb_before_load"] = searchd.rss_mb()
        res["wrk"] = []
        for c in connections:
            log(f"{name}: wrk {c} connections, {a.duration}s")
            w = run_wrk(searchd, os.path.abspath(mix_file), c, a.duration, log_dir)
            w["load_after"] = loadavg()
            log(f"{name}: {w}")
            res["wrk"].append(w)
        res["rss_mb_after_load"] = searchd.rss_mb()
    finally:
        searchd.stop()
    res["load_after"] = loadavg()
    first = res["wrk"][0] if res["wrk"] else {}
    res["ratio_p50_c1_vs_floor"] = ratio(first.get("p50_ms"), res["floor_median_ms"])
    res["ratio_http_seq_vs_floor"] = ratio(res["http_seq_median_ms"], res["floor_median_ms"])
    res["ratio_took_vs_floor"] = ratio(res["took_median_ms"], res["floor_median_ms"])
    return res


def part_query(a, R):
    data = ensure_real_index(a, R)
    R["query"] = query_suite(a, data, os.path.join(HERE, "queries.txt"), "query", (1, 4, 16))


# ----------------------------------------------------------------------------- inbox --

def pick_inbox_files(corpus, count):
    """A fixed mix of distinct files: 35 small (< 100 kB), 25 medium (100 kB–1 MB, PDFs
    first), 30 PDFs under 1 MB, 10 large (1–10 MB)."""
    entries = []
    for r, _d, fs in os.walk(corpus):
        for n in sorted(fs):
            p = os.path.join(r, n)
            entries.append((p, os.path.getsize(p)))
    entries.sort()
    seen = set()

    def take(pred, k):
        chosen = []
        for p, s in entries:
            if len(chosen) >= k:
                break
            if p in seen or not pred(p, s):
                continue
            seen.add(p)
            chosen.append((p, s))
        return chosen
    is_pdf = lambda p: p.lower().endswith(".pdf")
    picks = (take(lambda p, s: s < 100_000 and not is_pdf(p) and s > 500, 35) +
             take(lambda p, s: 100_000 <= s < 1_000_000 and not is_pdf(p), 25) +
             take(lambda p, s: s < 1_000_000 and is_pdf(p), 30) +
             take(lambda p, s: 1_000_000 <= s < 10_000_000, 10))
    # Spread each kind over the run: interleave by a fixed stride.
    picks.sort(key=lambda ps: hashlib.sha256(ps[0].encode()).hexdigest())
    return picks[:count]


def part_inbox(a, R):
    work = os.path.join(a.work, "inbox")
    shutil.rmtree(work, ignore_errors=True)
    data = os.path.join(work, "var")
    os.makedirs(data)
    indexer = os.path.join(a.build, "bin", "correlare-indexer")
    taxonomy = os.path.join(REPO, "taxonomy", "taxonomy.json")
    # Seed: the sample corpus, so the index exists and is not empty.
    seed = [os.path.join(REPO, "corpus-samples", d) for d in sorted(os.listdir(os.path.join(REPO, "corpus-samples")))
            if os.path.isdir(os.path.join(REPO, "corpus-samples", d)) and d not in ("src", "hostile")]
    subprocess.run([indexer, "--data", data, "--taxonomy", taxonomy, "index"] + seed, cwd=REPO,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    files = pick_inbox_files(a.corpus, 100)
    ids = []
    for p, s in files:
        with open(p, "rb") as f:
            ids.append(hashlib.sha256(f.read()).hexdigest()[:32])
    res = {"files": len(files), "spacing_ms": a.inbox_spacing_ms, "load_before": loadavg()}
    wlog = open(os.path.join(work, "watch.log"), "w")
    watcher = subprocess.Popen([indexer, "--data", data, "--taxonomy", taxonomy, "watch"], cwd=REPO,
                               stdout=wlog, stderr=subprocess.STDOUT)
    searchd = Searchd(a.build, data, work, "inbox")
    provinces = ["lodi", "MI", "bergamo", "pavia", "BS"]
    drop_time, found_time = {}, {}
    stop = threading.Event()
    lock = threading.Lock()

    # Cheap polling, so that the measurement does not take the watcher's CPU: /healthz
    # (a document count) every 20 ms, and the pending ids only when that count moved.
    def poller():
        conn = http.client.HTTPConnection(searchd.host, searchd.port, timeout=30)
        last_count = None
        while not stop.is_set():
            time.sleep(0.02)
            try:
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                count = json.loads(resp.read()).get("documents")
            except (OSError, http.client.HTTPException, ValueError):
                conn.close()
                conn = http.client.HTTPConnection(searchd.host, searchd.port, timeout=30)
                continue
            if count == last_count:
                continue
            with lock:
                pending = [i for i in drop_time if i not in found_time]
            if not pending:
                continue
            last_count = count
            for doc_id in pending:
                try:
                    conn.request("GET", f"/api/documents/{doc_id}")
                    resp = conn.getresponse()
                    resp.read()
                    if resp.status == 200:
                        with lock:
                            found_time[doc_id] = time.monotonic()
                    if resp.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = http.client.HTTPConnection(searchd.host, searchd.port, timeout=30)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(searchd.host, searchd.port, timeout=30)
                    last_count = None
        conn.close()

    t = threading.Thread(target=poller)
    t.start()
    try:
        time.sleep(1.0)
        log(f"inbox: dropping {len(files)} files, {a.inbox_spacing_ms} ms apart")
        for n, ((p, s), doc_id) in enumerate(zip(files, ids)):
            dest_dir = os.path.join(data, "inbox", provinces[n % len(provinces)])
            os.makedirs(dest_dir, exist_ok=True)
            name = f"{n:03d}-{os.path.basename(p)}"
            tmp = os.path.join(dest_dir, f".{name}.part")
            shutil.copyfile(p, tmp)
            os.rename(tmp, os.path.join(dest_dir, name))
            with lock:
                drop_time.setdefault(doc_id, time.monotonic())
            time.sleep(a.inbox_spacing_ms / 1000)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with lock:
                if len(found_time) >= len(drop_time):
                    break
            time.sleep(0.1)
    finally:
        stop.set()
        t.join()
        searchd.stop()
        watcher.send_signal(signal.SIGTERM)
        try:
            watcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            watcher.kill()
        wlog.close()
    per_file = []
    for n, ((p, s), doc_id) in enumerate(zip(files, ids)):
        d = found_time.get(doc_id)
        per_file.append({"n": n, "file": os.path.relpath(p, a.corpus), "bytes": s,
                         "latency_s": round(d - drop_time[doc_id], 3) if d and doc_id in drop_time else None})
    res["per_file"] = per_file
    lat_all, lat_small, missing = [], [], []
    sizes = {}
    for (p, s), doc_id in zip(files, ids):
        sizes[doc_id] = min(sizes.get(doc_id, s), s)
    for doc_id, t0 in drop_time.items():
        if doc_id in found_time:
            d = found_time[doc_id] - t0
            lat_all.append(d)
            if sizes[doc_id] < 1_000_000:
                lat_small.append(d)
        else:
            missing.append(doc_id)
    rejected = []
    for r, _d, fs in os.walk(os.path.join(data, "inbox")):
        if ".rejected" in r:
            rejected += [n for n in fs if n.endswith(".reason.txt")]

    def pct(v, q):
        if not v:
            return None
        v = sorted(v)
        return round(v[min(len(v) - 1, int(round(q * (len(v) - 1))))], 3)
    res.update({
        "distinct": len(drop_time), "searchable": len(lat_all), "missing": len(missing), "rejected": len(rejected),
        "p50_s": pct(lat_all, 0.5), "p95_s": pct(lat_all, 0.95), "max_s": pct(lat_all, 1.0),
        "small_files": len(lat_small), "small_p50_s": pct(lat_small, 0.5), "small_p95_s": pct(lat_small, 0.95),
        "load_after": loadavg(),
    })
    R["inbox"] = res


# ----------------------------------------------------------------------------- scale --

def part_scale(a, R):
    R.setdefault("scale", {})
    for n in a.scale:
        R["scale"][str(n)] = scale_one(a, n)
        save(a, R)


def child_pids(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def index_segment(a, cmd, work, index, offset_s, deadline):
    """Runs one stretch of `correlare-indexer index` under GNU time, sampling the index's
    document count; past `deadline` (monotonic s) the indexer is stopped with SIGTERM (what
    it had committed stays; the batch in progress is indexed again on --resume)."""
    seg = {"documents_before": (delve_doccount(index) if os.path.isdir(index) else 0) or 0,
           "load_before": loadavg(), "samples": []}
    tfile = os.path.join(work, f"index-{int(time.time())}.log")
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%e %U %S %M", "-o", tfile + ".time"] + cmd, cwd=REPO,
                            stdout=open(tfile, "w"), stderr=subprocess.STDOUT)
    t0 = time.monotonic()
    stopped = False
    while proc.poll() is None:
        time.sleep(a.sample_s)
        if os.path.isdir(index):
            c = delve_doccount(index)
            if c is not None:
                seg["samples"].append((round(offset_s + time.monotonic() - t0, 1), c))
                log(f"scale: {seg['samples'][-1][0]} s: {c} documents")
        if deadline is not None and time.monotonic() > deadline and not stopped and proc.poll() is None:
            log("scale: the indexing budget is spent: stopping the indexer (resume with --resume)")
            for pid in child_pids(proc.pid):
                os.kill(pid, signal.SIGTERM)
                stopped = True
    with open(tfile + ".time") as f:
        last = f.read().strip().splitlines()[-1].split()
    seg.update({"wall_s": float(last[0]), "cpu_s": round(float(last[1]) + float(last[2]), 1),
                "rss_mb": round(int(last[3]) / 1024, 1), "documents_after": delve_doccount(index) or 0,
                "stopped": stopped, "exit": proc.returncode, "load_after": loadavg()})
    return seg


def scale_one(a, n):
    work = os.path.join(a.work, f"scale-{n}")
    docs = os.path.join(a.work, f"synth-{n}")
    marker = os.path.join(docs, ".complete")
    res = {"documents": n, "load_before": loadavg()}
    if not os.path.exists(marker):
        shutil.rmtree(docs, ignore_errors=True)
        log(f"scale: generating {n} synthetic documents into {docs}")
        t0 = time.monotonic()
        out = subprocess.run([os.path.join(a.build, "bin", "synth_corpus"), docs, str(n)],
                             capture_output=True, text=True, check=True).stdout
        res["generate_s"] = round(time.monotonic() - t0, 1)
        open(marker, "w").write(out)
    with open(marker) as f:
        m = re.search(r"bytes (\d+)", f.read())
        res["corpus_mb"] = round(int(m.group(1)) / 1e6, 1) if m else None
    data = os.path.join(work, "var")
    index = os.path.join(data, "index")
    segments_file = os.path.join(work, "segments.json")
    segments = []
    if a.resume:
        # Starting afresh instead would throw away hours of indexing, and a stretch that
        # is not in the file has no time to add: both are errors to look at.
        if not os.path.exists(segments_file):
            sys.exit(f"--resume: {segments_file} is missing: no stopped run of {n} documents to go on with")
        with open(segments_file) as f:
            segments = json.load(f)
        log(f"scale: resuming the run of {n} documents after {len(segments)} stretch(es)")
    else:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(data)
    cmd = [os.path.join(a.build, "bin", "correlare-indexer"), "--data", data,
           "--taxonomy", os.path.join(REPO, "taxonomy", "taxonomy.json"), "index", docs]
    log(f"scale: indexing {n} documents")
    deadline = time.monotonic() + a.index_budget_s if a.index_budget_s else None
    offset = sum(s["wall_s"] for s in segments)
    seg = index_segment(a, cmd, work, index, offset, deadline)
    segments.append(seg)
    with open(segments_file, "w") as f:
        json.dump(segments, f, indent=1)
    samples = [tuple(x) for s in segments for x in s["samples"]]
    res.update({"index_wall_s": round(sum(s["wall_s"] for s in segments), 1),
                "index_cpu_s": round(sum(s["cpu_s"] for s in segments), 1),
                "index_rss_mb": max(s["rss_mb"] for s in segments), "indexed": delve_doccount(index) or 0,
                "index_mb": round(du_bytes(index) / 1e6, 1), "store_mb": round(du_bytes(os.path.join(data, "store")) / 1e6, 1),
                "samples": samples, "stretches": len(segments),
                "exit": seg["exit"]})
    # Stopped before the end (a run that had just finished as it was stopped is not).
    res["paused"] = seg["stopped"] and res["indexed"] < n
    res["docs_per_s"] = round(res["indexed"] / res["index_wall_s"], 1) if res["indexed"] else None
    # Throughput over time: documents per second in each tenth of the run.
    rates = []
    prev = (0.0, segments[0]["documents_before"])
    step = max(1, len(samples) // 10)
    for t, c in samples[step - 1::step]:
        if t > prev[0]:
            rates.append(round((c - prev[1]) / (t - prev[0]), 1))
        prev = (t, c)
    res["docs_per_s_over_time"] = rates
    if res["paused"]:
        log(f"scale: paused at {res['indexed']} of {n} documents; go on with the same command and --resume")
        res["query"] = None
    else:
        res["query"] = query_suite(a, data, os.path.join(HERE, "queries-synth.txt"), f"scale-{n}-query", (16,))
    res["load_after"] = loadavg()
    return res


# ----------------------------------------------------------------------------- table --

def fmt(v, unit="", nd=2):
    if v is None:
        return "—"
    if isinstance(v, float):
        v = f"{v:.{nd}f}"
    return f"{v}{unit}"


def verdict(value, target, lower_is_better=True):
    if value is None:
        return "not measured"
    ok = value <= target if lower_is_better else value >= target
    if ok:
        return "met"
    by = value / target if lower_is_better else target / value
    return f"MISSED ({by:.1f}× off)"


def table(R):
    m = R["machine"]
    L = [f"# Correlare benchmarks — {m['date']}", "",
         f"Machine: {m['nproc']} × {m['cpu']}, {m['ram_gb']} GB RAM, {m['os']}, kernel {m['kernel']}. "
         f"Load average (1/5/15 min) at start: {R['load_start']}, at end: {R.get('load_end', '?')}.",
         f"Command: `{R['command']}`. Build: `{R['build']}` ({R.get('build_type', '?')}).", ""]
    targets = []
    if "index" in R:
        ix = R["index"]
        L += [f"## Indexing the real corpus ({ix['files']} files, {ix['pdfs']} PDFs, {ix['corpus_mb']} MB), from scratch", "",
              "| run | wall s | CPU s | peak RSS MB | index MB | documents | correlare wall ÷ this | load before → after |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
        cw = ix["runs"]["correlare"]["wall_s"]
        for name, r in ix["runs"].items():
            L.append(f"| {name} | {fmt(r['wall_s'], nd=1)} | {fmt(r['cpu_s'], nd=1)} | {fmt(r['rss_mb'], nd=0)} | "
                     f"{fmt(r.get('index_mb'), nd=1)} | {fmt(r.get('documents'))} | {fmt(ratio(cw, r['wall_s']))} | "
                     f"{r['load_before']} → {r['load_after']} |")
        rr = ix["ratios"]
        L += ["", f"correlare ÷ recollindex: wall {fmt(rr['wall_vs_recoll'])}, CPU {fmt(rr['cpu_vs_recoll'])}, "
                  f"RSS {fmt(rr['rss_vs_recoll'])}, size {fmt(rr['size_vs_recoll'])}. "
                  f"correlare ÷ omindex: wall {fmt(rr['wall_vs_omindex'])}, CPU {fmt(rr['cpu_vs_omindex'])}, "
                  f"RSS {fmt(rr['rss_vs_omindex'])}, size {fmt(rr['size_vs_omindex'])}. "
                  f"correlare ÷ pdftotext (2 processes): wall {fmt(rr['wall_vs_pdftotext_P2'])}. "
                  f"correlare store (originals + text, not in the index size): {ix['runs']['correlare'].get('store_mb')} MB. "
                  f"{ix['runs']['correlare'].get('summary', '')}", ""]
        targets.append(("index wall ≤ 0.7× recollindex", fmt(rr["wall_vs_recoll"], "×"), verdict(rr["wall_vs_recoll"], TARGET_WALL_VS_RECOLL)))
        targets.append(("(same, in CPU seconds: less sensitive to the load)", fmt(rr["cpu_vs_recoll"], "×"), verdict(rr["cpu_vs_recoll"], TARGET_WALL_VS_RECOLL)))
        targets.append(("index size ≤ 1.5× omindex", fmt(rr["size_vs_omindex"], "×"), verdict(rr["size_vs_omindex"], TARGET_SIZE_VS_OMEGA)))

    def query_rows(q):
        out = ["| connections | req/s | p50 ms | p90 ms | p99 ms | non-2xx | load after |", "|---:|---:|---:|---:|---:|---:|---|"]
        for w in q["wrk"]:
            out.append(f"| {w['connections']} | {fmt(w['rps'], nd=0)} | {fmt(w['p50_ms'])} | {fmt(w['p90_ms'])} | "
                       f"{fmt(w['p99_ms'])} | {w['non_2xx']} | {w['load_after']} |")
        out += ["", f"Floor (xapian_floor: match + fetch 10 documents, in-process, query parsed beforehand): median {fmt(q['floor_median_ms'], nd=3)} ms "
                    f"over {q['queries']} queries; parsing as searchd does (spelling, wildcards) {fmt(q.get('parse_median_ms'), nd=3)} ms more. Sequential HTTP (one keep-alive connection): median {fmt(q['http_seq_median_ms'], nd=3)} ms, "
                    f"daemon's took_ms median {fmt(q['took_median_ms'], nd=3)} ms. Ratios to the floor: wrk p50 at 1 connection "
                    f"{fmt(q['ratio_p50_c1_vs_floor'], '×', 1)}, sequential HTTP {fmt(q['ratio_http_seq_vs_floor'], '×', 1)}, "
                    f"took_ms {fmt(q['ratio_took_vs_floor'], '×', 1)}. searchd RSS {fmt(q['rss_mb_before_load'])} MB before the load, "
                    f"{fmt(q['rss_mb_after_load'])} MB after. Queries with no hit: {q['zero_hit_queries']}; statuses {q['statuses']}.", ""]
        return out
    if "query" in R:
        q = R["query"]
        L += [f"## /api/search over HTTP, real corpus ({q['queries']}-query mix `{q['mix_file']}`, wrk, 2 threads)", ""] + query_rows(q)
        w16 = next((w for w in q["wrk"] if w["connections"] == 16), {})
        best_rps = max((w["rps"] or 0) for w in q["wrk"]) if q["wrk"] else None
        targets.append(("search median ≤ 5× bare Xapian match", fmt(q["ratio_p50_c1_vs_floor"], "×", 1), verdict(q["ratio_p50_c1_vs_floor"], TARGET_MEDIAN_VS_FLOOR)))
        targets.append(("p99 ≤ 10 ms at 16 connections", fmt(w16.get("p99_ms"), " ms"), verdict(w16.get("p99_ms"), TARGET_P99_16_MS)))
        targets.append(("≥ 3,000 requests/s", fmt(best_rps, " req/s", 0), verdict(best_rps, TARGET_RPS, lower_is_better=False)))
    if "inbox" in R:
        ib = R["inbox"]
        L += ["## Inbox: drop to searchable", "",
              f"{ib['files']} files ({ib['distinct']} distinct contents) renamed into `inbox/<province>/` {ib['spacing_ms']} ms apart, "
              f"`correlare-indexer watch` (default settle 500 ms) and searchd running; searchable = `/api/documents/{{id}}` answers 200.", "",
              "| files | searchable | p50 s | p95 s | max s | < 1 MB: count | p50 s | p95 s | rejected | load before → after |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
              f"| {ib['distinct']} | {ib['searchable']} | {fmt(ib['p50_s'])} | {fmt(ib['p95_s'])} | {fmt(ib['max_s'])} | "
              f"{ib['small_files']} | {fmt(ib['small_p50_s'])} | {fmt(ib['small_p95_s'])} | {ib['rejected']} | {ib['load_before']} → {ib['load_after']} |", ""]
        targets.append(("drop→searchable p95 ≤ 1 s (< 1 MB)", fmt(ib["small_p95_s"], " s"), verdict(ib["small_p95_s"], TARGET_INBOX_P95_S)))
    for n, s in R.get("scale", {}).items():
        q = s["query"] or {"wrk": [], "rss_mb_after_load": None, "floor_median_ms": None}
        w = q["wrk"][0] if q["wrk"] else {}
        L += [f"## Scale: {int(n):,} synthetic documents ({s.get('corpus_mb')} MB of text)", "",
              "| indexed | wall s | docs/s | CPU s | peak RSS MB | index MB | store MB | req/s (16 conn.) | p50 ms | p99 ms | searchd RSS MB | load before → after |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
              f"| {s['indexed']} | {fmt(s['index_wall_s'], nd=0)} | {fmt(s['docs_per_s'], nd=1)} | {fmt(s['index_cpu_s'], nd=0)} | "
              f"{fmt(s['index_rss_mb'], nd=0)} | {fmt(s['index_mb'], nd=0)} | {fmt(s['store_mb'], nd=0)} | {fmt(w.get('rps'), nd=0)} | "
              f"{fmt(w.get('p50_ms'))} | {fmt(w.get('p99_ms'))} | {fmt(q['rss_mb_after_load'])} | {s['load_before']} → {s['load_after']} |", "",
              f"Documents/s in each tenth of the run: {', '.join(str(x) for x in s['docs_per_s_over_time']) or '—'}. "
              f"Floor median {fmt(q['floor_median_ms'], nd=3)} ms; wrk p50 ÷ floor not comparable at 16 connections.", ""]
        if q.get("floor_mean_ms") and w.get("rps"):
            cores = int(R["machine"].get("nproc") or os.cpu_count() or 1)
            L += [f"Closed loop: wrk keeps 16 requests in the server, so the mean latency is 16 ÷ requests/s "
                  f"({fmt(16000 / w['rps'], ' ms')}). Even a server adding nothing to the bare match "
                  f"(mean {fmt(q['floor_mean_ms'], ' ms', nd=3)} over the mix) would answer in 16 × that ÷ {cores} cores = "
                  f"{fmt(16 * q['floor_mean_ms'] / cores, ' ms')} on average; the daemon's own time (`took_ms`) "
                  f"has a median of {fmt(q.get('took_median_ms'), ' ms', nd=3)}.", ""]
        if s.get("stretches", 1) > 1:
            L += [f"Indexed in {s['stretches']} stretches (stopped with `--index-budget-s`, then `--resume`d); "
                  "wall and CPU are their sums, peak RSS their maximum, and the batch in progress at each stop "
                  "was indexed again.", ""]
        if s.get("paused"):
            L += [f"**Paused** at {s['indexed']:,} of {int(n):,} documents: the queries run once the index is "
                  "complete (the same command with `--resume`).", ""]
        if int(n) >= 1_000_000:
            targets.append(("1M: p99 ≤ 50 ms", fmt(w.get("p99_ms"), " ms"), verdict(w.get("p99_ms"), TARGET_SCALE_P99_MS)))
            targets.append(("1M: searchd RSS ≤ 200 MB", fmt(q["rss_mb_after_load"], " MB"), verdict(q["rss_mb_after_load"], TARGET_SCALE_RSS_MB)))
        else:
            targets.append((f"{int(n):,} (1M target applied): p99 ≤ 50 ms", fmt(w.get("p99_ms"), " ms"), verdict(w.get("p99_ms"), TARGET_SCALE_P99_MS)))
            targets.append((f"{int(n):,} (1M target applied): searchd RSS ≤ 200 MB", fmt(q["rss_mb_after_load"], " MB"), verdict(q["rss_mb_after_load"], TARGET_SCALE_RSS_MB)))
    if targets:
        L += ["## Targets (issue 7)", "", "| target | measured | verdict |", "|---|---:|---|"]
        L += [f"| {t} | {v} | {d} |" for t, v, d in targets]
        L.append("")
    return "\n".join(L)


def save(a, R):
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump(R, f, indent=1, ensure_ascii=False)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.path.join(REPO, "build"))
    p.add_argument("--corpus", default=os.path.join(REPO, "bench", "data", "corpus"))
    p.add_argument("--work", default=None, help="default BUILD/bench")
    p.add_argument("--only", default="index,query,inbox,scale", help="comma-separated parts")
    p.add_argument("--scale", default="100000", help="comma-separated sizes (1000000 for the full run)")
    p.add_argument("--duration", type=int, default=12, help="seconds per wrk run")
    p.add_argument("--floor-rounds", type=int, default=200)
    p.add_argument("--http-rounds", type=int, default=20)
    p.add_argument("--inbox-spacing-ms", type=int, default=200)
    p.add_argument("--sample-s", type=float, default=10.0)
    p.add_argument("--index-budget-s", type=float, default=0,
                   help="scale: stop indexing after this many seconds (0: no limit); --resume goes on")
    p.add_argument("--resume", action="store_true",
                   help="scale: go on indexing where a stopped run left its index, summing the stretches")
    p.add_argument("--command", default="bench/run-all")
    p.add_argument("--keep", action="store_true",
                   help="keep the parts of WORK/results.json that this run does not redo")
    a = p.parse_args()
    a.build = os.path.abspath(a.build)
    a.corpus = os.path.abspath(a.corpus)
    a.work = os.path.abspath(a.work or os.path.join(a.build, "bench"))
    a.scale = [int(x) for x in a.scale.split(",") if x]
    parts = [x.strip() for x in a.only.split(",") if x.strip()]
    os.makedirs(a.work, exist_ok=True)
    build_type = "?"
    try:
        with open(os.path.join(a.build, "CMakeCache.txt")) as f:
            m = re.search(r"CMAKE_BUILD_TYPE:STRING=(\w*)", f.read())
            build_type = m.group(1) if m else "?"
    except OSError:
        pass
    R = {}
    previous = os.path.join(a.work, "results.json")
    if a.keep and os.path.exists(previous):
        with open(previous) as f:
            R = json.load(f)
        R["command"] = R.get("command", "") + f"; then {a.command}"
    else:
        R["command"] = a.command
    R.update({"machine": machine(), "load_start": loadavg(), "build": a.build, "build_type": build_type})
    R["parts"] = sorted(set(R.get("parts", [])) | set(parts))
    for part in parts:
        {"index": part_index, "query": part_query, "inbox": part_inbox, "scale": part_scale}[part](a, R)
        R["load_end"] = loadavg()
        save(a, R)
    R["load_end"] = loadavg()
    save(a, R)
    text = table(R)
    with open(os.path.join(a.work, "results.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    log(f"wrote {os.path.join(a.work, 'results.md')} and results.json")


if __name__ == "__main__":
    main()
