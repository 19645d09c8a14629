//! The apertium provider against the real Apertium APy server, started on
//! 127.0.0.1 with the Indonesian–Malay pair (Debian packages apertium-apy
//! and apertium-ind-zlm, which `.ci/setup` installs).

mod common;

use std::io::Read;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::{data, paragraphs, read_csv, selaras, squeeze};

const MODES: &str = "/usr/share/apertium/modes";

/// APy on a free loopback port, stopped when dropped.
struct Apy {
    child: Child,
    port: u16,
}

impl Drop for Apy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_apy() -> Option<Apy> {
    let installed =
        Path::new(MODES).join("ind-zlm.mode").exists() && Path::new("/usr/bin/python3").exists();
    if !installed {
        // CI installs APy; anywhere else the test says why it did nothing.
        assert!(
            std::env::var_os("CI").is_none(),
            "Apertium APy is not installed: run .ci/setup"
        );
        eprintln!("skipped: Apertium APy is not installed (run .ci/setup)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/apy_loopback.py");
    let child = Process::new("/usr/bin/python3")
        .arg(script)
        .args(["-p", &port.to_string(), MODES])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start APy");
    let apy = Apy { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Write;
            let _ = write!(s, "GET /listPairs HTTP/1.0\r\n\r\n");
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            if answer.contains("zlm") {
                return Some(apy);
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("APy did not start on port {port} within 60 s");
}

#[test]
fn sample_article_to_malay_through_real_apy() {
    let Some(apy) = start_apy() else { return };
    let dir = tempfile::tempdir().unwrap();
    selaras()
        .arg("translate")
        .arg(data("banjir-semarang.id.txt"))
        .args(["--provider", "apertium", "--to", "ms", "--endpoint"])
        .arg(format!("http://127.0.0.1:{}", apy.port))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();

    let source = paragraphs(&std::fs::read_to_string(data("banjir-semarang.id.txt")).unwrap());
    let malay_text = std::fs::read_to_string(dir.path().join("banjir-semarang.id.ms.txt")).unwrap();
    let malay = paragraphs(&malay_text);
    assert_eq!(malay.len(), source.len());

    // Nothing lost: every paragraph's cells hold its text on both sides.
    let (_, rows) = read_csv(&dir.path().join("banjir-semarang.id.csv"));
    for (k, (src, tgt)) in source.iter().zip(&malay).enumerate() {
        let number = (k + 1).to_string();
        let cells = |col: &str| {
            rows.iter()
                .filter(|r| r["paragraph"] == number)
                .map(|r| r[col].as_str())
                .collect::<String>()
        };
        assert_eq!(
            squeeze(&cells("source")),
            squeeze(src),
            "paragraph {number}"
        );
        assert_eq!(
            squeeze(&cells("target")),
            squeeze(tgt),
            "paragraph {number}"
        );
    }

    // It was translated: Malay spellings, no unknown-word marks.
    assert_ne!(malay, source);
    let changed = source.iter().zip(&malay).filter(|(a, b)| a != b).count();
    assert!(
        changed * 2 > source.len(),
        "only {changed} of {} paragraphs changed",
        source.len()
    );
    assert!(
        malay_text.contains("bahawa") || malay_text.contains("selepas"),
        "{malay_text}"
    );
    assert!(
        !malay_text.contains(" *"),
        "unknown words were marked: {malay_text}"
    );
}

#[test]
fn uninstalled_pair_stops_with_the_servers_explanation() {
    let Some(apy) = start_apy() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "Banjir melanda kota.\n").unwrap();
    selaras()
        .arg("translate")
        .arg(&file)
        .args(["--provider", "apertium", "--to", "en", "--endpoint"])
        .arg(format!("http://127.0.0.1:{}", apy.port))
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(3)
        .stderr(predicates::str::contains("That pair is not installed"));
}
