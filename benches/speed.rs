//! Speed and memory, measured on the release binary as a user runs it.
//!
//! ```text
//! cargo bench --bench speed                 # every part
//! cargo bench --bench speed -- align        # one or more parts
//! ```
//!
//! Parts (each figure the median of `SPEED_RUNS` runs, default 5):
//!
//! - `pipeline`: `translate` on a document of 1,000+ distinct paragraphs
//!   (the project's sample repeated) through a LibreTranslate-protocol
//!   server started here, which holds every answer 50 ms and refuses (429)
//!   any request beyond the requests per second the config declares. Wall
//!   time against the ideal: `ceil(requests / concurrency) × latency`, or the
//!   rate limit's bound `(requests − 1) / rate + latency` when higher.
//! - `cached`: the same document again with the cache warm, at once and after
//!   a one-second pause.
//! - `align`: `align --presegmented` on PANL-BPPT (`../shared/corpora`),
//!   every line split into sentences, repeated to 100,000+ pairs in one
//!   block, on one core; pairs per second and peak memory, and the same at
//!   half size to show how memory grows.
//! - `glossary`: a 10,000-entry glossary over 1,000 paragraphs, aligned and
//!   checked in process.
//! - `memory`: peak memory of `translate` on a 10 MB input with the cache
//!   warm, against a small input with the same cache and with an empty one.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use selaras::check::Checker;
use selaras::check::glossary::{Entry, Glossary};
use selaras::cmd::translate::align_document;
use selaras::document::{Document, paragraphs};
use selaras::segment::{Lang, sentences};

const SELARAS: &str = env!("CARGO_BIN_EXE_selaras");
const LATENCY: Duration = Duration::from_millis(50);
const RATE: f64 = 40.0;
const CONCURRENCY: usize = 4;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|a| a == "--peak-of") {
        return peak_of(&args[2..]);
    }
    let parts: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wants = |p: &str| parts.is_empty() || parts.iter().any(|x| x == p);
    let runs: usize = std::env::var("SPEED_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    println!(
        "machine: {} cores, {} memory; {runs} runs a figure, medians",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory_total()
    );
    if wants("pipeline") || wants("cached") {
        pipeline(runs, wants("cached"));
    }
    if wants("align") {
        align(runs);
    }
    if wants("glossary") {
        glossary(runs);
    }
    if wants("memory") {
        memory();
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample article's paragraphs and their English, as the test double
/// knows them.
fn sample() -> (Vec<String>, Vec<String>) {
    let read = |name: &str| {
        let text = std::fs::read_to_string(root().join("tests/data").join(name)).unwrap();
        paragraphs(&text)
            .into_iter()
            .map(|p| p.text)
            .collect::<Vec<_>>()
    };
    (
        read("banjir-semarang.id.txt"),
        read("banjir-semarang.en.txt"),
    )
}

/// `count` distinct paragraphs: the sample's, each copy marked `[k]` so
/// that none is a repeat the client would send only once.
fn document(count: usize) -> String {
    let (id, _) = sample();
    (0..count)
        .map(|k| format!("{} [{}]", id[k % id.len()], k / id.len()))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A LibreTranslate server: `POST /translate`, `q` a list, answers held
/// `latency`, and a limit of `rate` requests in any one second beyond
/// which it answers 429.
#[derive(Clone)]
struct Server {
    table: Arc<HashMap<String, String>>,
    latency: Duration,
    rate: f64,
    arrivals: Arc<Mutex<VecDeque<Instant>>>,
    requests: Arc<Mutex<(usize, usize)>>,
}

impl Respond for Server {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let now = Instant::now();
        {
            let mut arrivals = self.arrivals.lock().unwrap();
            while arrivals
                .front()
                .is_some_and(|&t| now.duration_since(t) >= Duration::from_secs(1))
            {
                arrivals.pop_front();
            }
            let mut counts = self.requests.lock().unwrap();
            counts.0 += 1;
            if arrivals.len() as f64 >= self.rate {
                counts.1 += 1;
                return ResponseTemplate::new(429)
                    .insert_header("Retry-After", "1")
                    .set_body_json(serde_json::json!({"error": "Too many requests"}));
            }
            arrivals.push_back(now);
        }
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        let out: Vec<String> = body["q"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                let q = q.as_str().unwrap();
                let (text, mark) = q.rsplit_once(" [").unwrap_or((q, "]"));
                let english = self.table.get(text).cloned().unwrap_or_else(|| text.into());
                format!("{english} [{mark}")
            })
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({ "translatedText": out }))
            .set_delay(self.latency)
    }
}

fn start_server(
    rt: &tokio::runtime::Runtime,
    latency: Duration,
    rate: f64,
) -> (MockServer, Server) {
    let (id, en) = sample();
    let server = Server {
        table: Arc::new(id.into_iter().zip(en).collect()),
        latency,
        rate,
        arrivals: Arc::default(),
        requests: Arc::default(),
    };
    let mock = rt.block_on(async {
        let mock = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/translate"))
            .respond_with(server.clone())
            .mount(&mock)
            .await;
        mock
    });
    (mock, server)
}

/// A config for the local server, its cache in `dir`.
fn config(dir: &Path, uri: &str, rate: f64) -> PathBuf {
    let file = dir.join("selaras.toml");
    std::fs::write(
        &file,
        format!(
            "provider = \"libretranslate\"\nconcurrency = {CONCURRENCY}\n\
             cache = \"{}\"\n\n[providers.libretranslate]\nendpoint = \"{uri}\"\n\
             requests_per_second = {rate}\n",
            dir.join("cache.sqlite3").display()
        ),
    )
    .unwrap();
    file
}

/// Runs the binary; returns its wall time and peak memory (KiB).
fn run(args: &[&str], dir: &Path) -> (Duration, u64) {
    run_on(args, dir, false)
}

/// [`run`], on the first core alone when `one_core`.
fn run_on(args: &[&str], dir: &Path, one_core: bool) -> (Duration, u64) {
    let log = dir.join("stderr.txt");
    // Through a copy of this program in `--peak-of` mode: a child's peak
    // memory as the kernel reports it includes its parent's at the moment
    // it was started, and this process is large, the runner is not.
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("--peak-of")
        .arg(SELARAS)
        .args(args)
        .current_dir(dir)
        .env("XDG_CACHE_HOME", dir.join("xdg-cache"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env(ONE_CORE, if one_core { "1" } else { "" })
        .stderr(std::fs::File::create(&log).unwrap())
        .output()
        .unwrap();
    if !out.status.success() {
        let err = std::fs::read_to_string(&log).unwrap_or_default();
        panic!("selaras {args:?} failed: {err}");
    }
    let told = String::from_utf8_lossy(&out.stdout).to_string();
    let mut fields = told.split_whitespace().map(|f| f.parse::<u64>().unwrap());
    let (peak, nanos) = (fields.next().unwrap(), fields.next().unwrap());
    (Duration::from_nanos(nanos), peak)
}

/// Set to 1 for the runner to keep the program on the first core.
const ONE_CORE: &str = "SPEED_ONE_CORE";

/// `--peak-of PROGRAM ARGS...`: runs the program, its output to this
/// process's stderr, and prints its peak resident memory in KiB and its
/// wall time in nanoseconds, from spawning it to reaping it.
// The child is reaped by `wait4`, which std cannot do, for its rusage.
#[allow(clippy::zombie_processes)]
fn peak_of(command: &[String]) {
    if std::env::var(ONE_CORE).is_ok_and(|v| v == "1") {
        // SAFETY: a zeroed set is a valid empty one; CPU 0 always exists;
        // pid 0 is this process, and the child inherits its affinity.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(0, &mut set);
            let done = libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
            assert_eq!(done, 0, "sched_setaffinity failed");
        }
    }
    let started = Instant::now();
    let child = Command::new(&command[0])
        .args(&command[1..])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child, not yet waited for; both pointers are
    // valid for the call.
    let got = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(got, child.id() as i32, "wait4 failed");
    println!("{} {}", usage.ru_maxrss, started.elapsed().as_nanos());
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        1
    };
    std::process::exit(code);
}

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn pipeline(runs: usize, cached: bool) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (mock, server) = start_server(&rt, LATENCY, RATE);
    let paragraphs = 1000;
    let (mut walls, mut requests, mut refused) = (vec![], 0, 0);
    let (mut warm, mut later) = (vec![], vec![]);
    for _ in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("doc.txt"), document(paragraphs)).unwrap();
        let toml = config(dir.path(), &mock.uri(), RATE);
        let args = [
            "translate",
            "doc.txt",
            "--config",
            toml.to_str().unwrap(),
            "--out",
            "out",
        ];
        *server.requests.lock().unwrap() = (0, 0);
        server.arrivals.lock().unwrap().clear();
        let (wall, _) = run(&args, dir.path());
        (requests, refused) = *server.requests.lock().unwrap();
        walls.push(wall);
        // The same document again, at once as a user re-running would, and
        // after a pause that lets the kernel drop the cache file's pages
        // (which also lets the server's one-second window clear before the
        // next run's requests).
        let again = || {
            let (wall, _) = run(&args, dir.path());
            assert_eq!(
                server.requests.lock().unwrap().0,
                requests,
                "a warm run sent requests"
            );
            wall
        };
        if cached {
            warm.push(again());
        }
        std::thread::sleep(Duration::from_secs(1));
        if cached {
            later.push(again());
        }
    }
    let wall = median(walls);
    let by_latency = LATENCY * requests.div_ceil(CONCURRENCY) as u32;
    let by_rate = Duration::from_secs_f64((requests.saturating_sub(1)) as f64 / RATE) + LATENCY;
    let ideal = by_latency.max(by_rate);
    println!(
        "pipeline: {paragraphs} paragraphs, {requests} requests ({refused} refused with 429), \
         concurrency {CONCURRENCY}, {} ms latency, {RATE} requests/s: {:.2} s; ideal {:.2} s \
         ({}); ratio {:.2}",
        LATENCY.as_millis(),
        wall.as_secs_f64(),
        ideal.as_secs_f64(),
        if by_rate > by_latency {
            "rate limit"
        } else {
            "latency"
        },
        wall.as_secs_f64() / ideal.as_secs_f64()
    );
    if cached {
        let share = |d: Duration| 100.0 * d.as_secs_f64() / wall.as_secs_f64();
        let (again, later) = (median(warm), median(later));
        println!(
            "cached: the same document again: 0 requests, {:.3} s at once ({:.1}% of the first run); \
             {:.3} s after a one-second pause ({:.1}%)",
            again.as_secs_f64(),
            share(again),
            later.as_secs_f64(),
            share(later)
        );
    }
}

/// PANL-BPPT as presegmented files: every line's sentences, one a line,
/// the whole corpus repeated until `pairs` sentence pairs or more.
fn corpus(dir: &Path, pairs: usize) -> (PathBuf, PathBuf, usize) {
    let panl = root().join("../shared/corpora/panl-bppt");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&panl)
        .unwrap_or_else(|e| panic!("{}: {e}", panl.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let side = |lang: &str, l: Lang| -> Vec<String> {
        files
            .iter()
            .filter(|p| p.to_string_lossy().contains(&format!("-{lang}-")))
            .flat_map(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                text.lines()
                    .flat_map(|line| {
                        sentences(line, l)
                            .into_iter()
                            .map(String::from)
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let (id, en) = (side("ID", Lang::Indonesian), side("EN", Lang::English));
    let copies = pairs.div_ceil(id.len().min(en.len()));
    let write = |name: &str, lines: &[String]| {
        let file = dir.join(name);
        let one = lines.join("\n");
        std::fs::write(&file, vec![one; copies].join("\n")).unwrap();
        file
    };
    (
        write("panl.id.txt", &id),
        write("panl.en.txt", &en),
        copies * id.len().min(en.len()),
    )
}

fn align(runs: usize) {
    let dir = tempfile::tempdir().unwrap();
    for pairs in [50_000, 100_000] {
        let (id, en, made) = corpus(dir.path(), pairs);
        let args = [
            "align",
            id.to_str().unwrap(),
            en.to_str().unwrap(),
            "--presegmented",
            "--out",
            "out",
        ];
        // On one core, as the target is stated; the program uses one
        // thread for one block anyway.
        let measured: Vec<(Duration, u64)> =
            (0..runs).map(|_| run_on(&args, dir.path(), true)).collect();
        let wall = median(measured.iter().map(|m| m.0).collect());
        let peak = median(measured.iter().map(|m| m.1).collect());
        println!(
            "align: {made} sentence pairs in one block, one core: {:.2} s, {:.0} pairs/s, peak {} MiB",
            wall.as_secs_f64(),
            made as f64 / wall.as_secs_f64(),
            peak / 1024
        );
    }
}

fn glossary(runs: usize) {
    let root = root();
    let source = std::fs::read_to_string(root.join("tests/data/banjir-semarang.id.txt")).unwrap();
    let english = std::fs::read_to_string(root.join("tests/data/banjir-semarang.en.txt")).unwrap();
    let (id, en) = (paragraphs(&source), paragraphs(&english));
    let copies = 1000usize.div_ceil(id.len());
    let doc = Document {
        path: "bench.txt".into(),
        paragraphs: (0..copies)
            .flat_map(|_| id.iter().cloned())
            .enumerate()
            .map(|(k, mut p)| {
                p.number = k + 1;
                p
            })
            .collect(),
    };
    let translations: Vec<String> = (0..copies)
        .flat_map(|_| en.iter().map(|p| p.text.clone()))
        .collect();

    // The project's glossary plus synthetic names up to 10,000 entries.
    let mut entries = selaras::check::default_glossary().unwrap().entries;
    let mut k = 0;
    while entries.len() < 10_000 {
        entries.push(Entry {
            sources: vec![format!("Nama Lembaga {k}"), format!("NL{k}X")],
            targets: vec![format!("Institution Name {k}")],
            forbidden: vec![],
            note: String::new(),
            case_sensitive: k % 10 != 0,
            file: "synthetic".into(),
            line: k,
        });
        k += 1;
    }
    let mut build = Vec::new();
    let mut check = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let glossary = Glossary::from_entries(entries.clone()).unwrap();
        let started = Instant::now();
        let checker = Checker::new(glossary, Lang::Indonesian, Lang::English);
        build.push(started.elapsed());
        let started = Instant::now();
        let checked = align_document(&doc, &translations, &checker);
        check.push(started.elapsed());
        rows = checked.len();
    }
    build.sort();
    check.sort();
    println!(
        "glossary of {} entries, {} paragraphs, {rows} rows: build {:.1} ms, segment+align+check {:.1} ms (medians of {runs})",
        entries.len(),
        doc.paragraphs.len(),
        build[runs / 2].as_secs_f64() * 1e3,
        check[runs / 2].as_secs_f64() * 1e3,
    );

    // The checks alone, without alignment.
    let checker = Checker::new(
        Glossary::from_entries(entries.clone()).unwrap(),
        Lang::Indonesian,
        Lang::English,
    );
    let pairs: Vec<(String, String)> = align_document(&doc, &translations, &checker)
        .into_iter()
        .map(|r| (r.source.into(), r.target.into()))
        .collect();
    let mut alone = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let findings: usize = pairs
            .iter()
            .map(|(s, t)| checker.findings(s, t, 1.0).len())
            .sum();
        alone.push(started.elapsed());
        std::hint::black_box(findings);
    }
    alone.sort();
    println!(
        "checks alone: {:.1} ms for {} rows",
        alone[runs / 2].as_secs_f64() * 1e3,
        pairs.len()
    );
}

fn memory() {
    // No latency here: this part is about memory, not waiting.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (mock, _server) = start_server(&rt, Duration::ZERO, 1e9);
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = sample();
    let per_copy: usize = id.iter().map(|p| p.len() + 8).sum();
    let count = (10 << 20) / per_copy * id.len();
    std::fs::write(dir.path().join("big.txt"), document(count)).unwrap();
    std::fs::write(dir.path().join("small.txt"), document(id.len())).unwrap();
    let toml = config(dir.path(), &mock.uri(), 1e9);
    let args = |input: &str| {
        [
            "translate",
            input,
            "--config",
            toml.to_str().unwrap(),
            "--out",
            "out",
        ]
        .map(String::from)
    };
    let go = |input: &str| {
        let a = args(input);
        run(
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
            dir.path(),
        )
    };
    let (_, small_cold) = go("small.txt");
    let (cold, big_cold) = go("big.txt");
    let (warm, big_warm) = go("big.txt");
    let (_, small_warm) = go("small.txt");
    let cache = std::fs::metadata(dir.path().join("cache.sqlite3")).map_or(0, |m| m.len());
    println!(
        "memory: a {:.1} MB input ({count} paragraphs): peak {} MiB filling the cache ({:.1} s), \
         {} MiB with it warm ({:.1} s); a {}-paragraph input: {} MiB with a near-empty cache, \
         {} MiB with the {} MiB cache",
        std::fs::metadata(dir.path().join("big.txt")).unwrap().len() as f64 / 1e6,
        big_cold / 1024,
        cold.as_secs_f64(),
        big_warm / 1024,
        warm.as_secs_f64(),
        id.len(),
        small_cold / 1024,
        small_warm / 1024,
        cache >> 20
    );
}

/// The machine's memory, from /proc/meminfo.
fn memory_total() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let kb: u64 = m.lines().next()?.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{} GiB", kb >> 20))
        })
        .unwrap_or_else(|| "unknown".into())
}
