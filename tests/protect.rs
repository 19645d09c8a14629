//! `--protect-names` end to end through the binary: glossary names travel
//! already in their preferred English form inside a no-translate element
//! (LibreTranslate and DeepL doubles that insist on it and answer with
//! markup, entities and the odd space out of place, as real services do),
//! the CSV and the text hold the names without any markup, the cache keeps
//! protected and plain translations apart, and a provider without tag
//! handling says the flag is ignored and translates normally.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::{read_csv, selaras, serve_at, serve_libretranslate, translate_via};
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

const ARTICLE: &str =
    "Kantor berita Pers Terkait melaporkan bahwa Tiongkok & Rusia menandatangani perjanjian baru.

Menurut Pers Terkait, pejabat Tiongkoknya menolak berkomentar.
";

const GLOSSARY: &str = "source,target,note
Pers Terkait,Associated Press,news agency
Tiongkok,China|Chinese,country
";

/// What the English should read once the markup is gone.
const ENGLISH: [&str; 2] = [
    "The news agency Associated Press reported that China & Russia signed a new agreement.",
    "According to Associated Press, China's officials declined to comment.",
];

/// The Indonesian glossary forms: never to be seen outside an element.
const INDONESIAN: [&str; 2] = ["Pers Terkait", "Tiongkok"];
/// What may stand inside an element: the preferred English forms.
const PREFERRED: [&str; 2] = ["Associated Press", "China"];

/// The double's translations of the paragraphs with every protected element
/// as `§1`, `§2`, ... in order: markup as an HTML or XML service returns it,
/// `&` as `&amp;`, with a space dropped next to one element and one added
/// before a comma next to another, as Google and others do.
const SKELETONS: [(&str, &str); 2] = [
    (
        "Kantor berita §1 melaporkan bahwa §2 &amp; Rusia menandatangani perjanjian baru.",
        "The news agency §1 reported that §2 &amp; Russia signed a new agreement.",
    ),
    (
        "Menurut §1, pejabat §2nya menolak berkomentar.",
        "According to§1 , §2's officials declined to comment.",
    ),
];

/// Plain-text translations, names and all, as a service translates them
/// unprotected.
const PLAIN: [(&str, &str); 2] = [
    (
        "Kantor berita Pers Terkait melaporkan bahwa Tiongkok & Rusia menandatangani perjanjian baru.",
        "The news agency Related Press reported that Tiongkok & Russia signed a new agreement.",
    ),
    (
        "Menurut Pers Terkait, pejabat Tiongkoknya menolak berkomentar.",
        "According to Related Press, Tiongkok officials declined to comment.",
    ),
];

/// A paragraph with its no-translate elements (`open` .. `close`) taken
/// out: the skeleton with `§N` in their place, and their contents. Refuses
/// a glossary name outside an element, anything but a preferred English
/// name inside one, other tags and unescaped `&` or `<`.
fn skeleton(q: &str, open: &str, close: &str) -> Result<(String, Vec<String>), String> {
    let mut skeleton = String::new();
    let mut names = Vec::new();
    let mut rest = q;
    while let Some(i) = rest.find(open) {
        skeleton.push_str(&rest[..i]);
        let after = &rest[i + open.len()..];
        let end = after
            .find(close)
            .ok_or_else(|| format!("unclosed element in {q}"))?;
        let name = &after[..end];
        if !PREFERRED.contains(&name) {
            return Err(format!("{name:?} inside a no-translate element"));
        }
        names.push(name.to_string());
        skeleton.push_str(&format!("§{}", names.len()));
        rest = &after[end + close.len()..];
    }
    skeleton.push_str(rest);
    if let Some(name) = INDONESIAN.iter().find(|n| skeleton.contains(*n)) {
        return Err(format!("{name:?} outside a no-translate element in {q}"));
    }
    if skeleton.contains('<') || skeleton.contains('>') {
        return Err(format!("unexpected markup in {q}"));
    }
    if skeleton.replace("&amp;", "").contains('&') {
        return Err(format!("an unescaped & in {q}"));
    }
    Ok((skeleton, names))
}

/// The double's answer to a protected paragraph, elements kept.
fn answer(q: &str, open: &str, close: &str) -> Result<String, String> {
    let (skeleton, names) = skeleton(q, open, close)?;
    let (_, english) = SKELETONS
        .iter()
        .find(|(id, _)| *id == skeleton)
        .ok_or_else(|| format!("the double has no translation for {skeleton}"))?;
    let mut out = english.to_string();
    for (k, name) in names.iter().enumerate().rev() {
        out = out.replace(&format!("§{}", k + 1), &format!("{open}{name}{close}"));
    }
    Ok(out)
}

/// One request as a double received it: its format and its texts.
type Received = (String, Vec<String>);

/// LibreTranslate with `format: "html"`: names must arrive inside
/// `<span translate="no">`, which it leaves alone and returns; with
/// `format: "text"` it translates the names like any other words.
#[derive(Clone, Default)]
struct LibreHtml {
    /// (format, q) of every request.
    seen: Arc<Mutex<Vec<Received>>>,
}

fn libre_error(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({ "error": message }))
}

impl Respond for LibreHtml {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let format = body["format"].as_str().unwrap_or_default().to_string();
        let qs: Vec<String> = body["q"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        self.seen.lock().unwrap().push((format.clone(), qs.clone()));
        let mut out = Vec::new();
        for q in &qs {
            let translated = match format.as_str() {
                "html" => answer(q, "<span translate=\"no\">", "</span>"),
                "text" => PLAIN
                    .iter()
                    .find(|(id, _)| id == q)
                    .map(|(_, en)| en.to_string())
                    .ok_or_else(|| format!("no plain translation for {q}")),
                other => Err(format!("format {other:?} is neither text nor html")),
            };
            match translated {
                Ok(t) => out.push(t),
                Err(e) => return libre_error(&e),
            }
        }
        ResponseTemplate::new(200).set_body_json(json!({ "translatedText": out }))
    }
}

const DEEPL_KEY: &str = "9e1f0c2a-3b4d-4c5e-8f6a-7b8c9d0e1f2a:fx";

/// DeepL with `tag_handling: "xml"` and `ignore_tags: ["x"]`: names must
/// arrive inside `<x>`, which it returns untouched.
#[derive(Clone, Default)]
struct DeepLXml {
    seen: Arc<Mutex<Vec<Vec<String>>>>,
}

impl Respond for DeepLXml {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let refuse = |m: String| ResponseTemplate::new(400).set_body_json(json!({ "message": m }));
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if auth != Some(format!("DeepL-Auth-Key {DEEPL_KEY}").as_str()) {
            return ResponseTemplate::new(403).set_body_json(json!({"message": "Forbidden"}));
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        if body["tag_handling"] != "xml" || body["ignore_tags"] != json!(["x"]) {
            return refuse(format!(
                "expected tag_handling xml and ignore_tags [x], got {body}"
            ));
        }
        if body["source_lang"] != "ID" || body["target_lang"] != "EN-US" {
            return refuse(format!("unexpected languages in {body}"));
        }
        let texts: Vec<String> = body["text"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        self.seen.lock().unwrap().push(texts.clone());
        let mut out = Vec::new();
        for t in &texts {
            match answer(t, "<x>", "</x>") {
                Ok(en) => out.push(json!({"detected_source_language": "ID", "text": en})),
                Err(e) => return refuse(e),
            }
        }
        ResponseTemplate::new(200).set_body_json(json!({ "translations": out }))
    }
}

/// The article and the glossary, written in `dir`.
fn inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let article = dir.join("berita.id.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    let glossary = dir.join("names.csv");
    std::fs::write(&glossary, GLOSSARY).unwrap();
    (article, glossary)
}

/// The English text and the CSV's target cells and issues, checked to carry
/// no markup or entities.
fn outputs(out: &Path) -> (String, Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(out.join("berita.id.en.txt")).unwrap();
    let (_, rows) = read_csv(&out.join("berita.id.csv"));
    let targets: Vec<String> = rows.iter().map(|r| r["target"].clone()).collect();
    let issues: Vec<String> = rows.iter().map(|r| r["issues"].clone()).collect();
    for t in targets.iter().chain([&text]) {
        for bad in ["<", ">", "&amp;", "&#", "span", "translate="] {
            assert!(!t.contains(bad), "{bad:?} left in {t:?}");
        }
    }
    (text, targets, issues)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libretranslate_gets_names_in_no_translate_spans() {
    let dir = tempfile::tempdir().unwrap();
    let (article, glossary) = inputs(dir.path());
    let cache = dir.path().join("cache.sqlite3");
    let double = LibreHtml::default();
    let server = serve_libretranslate(double.clone()).await;
    let run = |out: &str, protect: bool| {
        let mut cmd = translate_via(&server.uri());
        cmd.arg(&article)
            .arg("--glossary")
            .arg(&glossary)
            .arg("--cache")
            .arg(&cache)
            .arg("--out")
            .arg(dir.path().join(out));
        if protect {
            cmd.arg("--protect-names");
        }
        cmd.assert().success()
    };

    let done = run("protected", true);
    let stderr = String::from_utf8_lossy(&done.get_output().stderr).to_string();
    assert!(!stderr.contains("ignored"), "{stderr}");
    let seen = double.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].0, "html");
    assert_eq!(
        seen[0].1,
        [
            "Kantor berita <span translate=\"no\">Associated Press</span> melaporkan bahwa \
             <span translate=\"no\">China</span> &amp; Rusia menandatangani perjanjian baru.",
            "Menurut <span translate=\"no\">Associated Press</span>, pejabat \
             <span translate=\"no\">China</span>nya menolak berkomentar.",
        ]
    );
    let (text, targets, issues) = outputs(&dir.path().join("protected"));
    assert_eq!(text, format!("{}\n\n{}\n", ENGLISH[0], ENGLISH[1]));
    assert_eq!(targets.concat(), ENGLISH.concat());
    assert!(issues.iter().all(|i| !i.contains("glossary")), "{issues:?}");

    // Again: everything comes from the cache, unprotected.
    run("again", true);
    assert_eq!(double.seen.lock().unwrap().len(), 1);
    let (again, _, _) = outputs(&dir.path().join("again"));
    assert_eq!(again, text);

    // Without the flag the protected translations are not used: the plain
    // ones are asked for, and their names are flagged as usual.
    run("plain", false);
    let seen = double.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1].0, "text");
    assert_eq!(seen[1].1, [PLAIN[0].0, PLAIN[1].0]);
    let (_, rows) = read_csv(&dir.path().join("plain/berita.id.csv"));
    assert!(
        rows.iter()
            .any(|r| r["issues"].contains("glossary-missing: Pers Terkait -> Associated Press")),
        "{rows:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deepl_gets_names_in_ignored_x_tags() {
    let dir = tempfile::tempdir().unwrap();
    let (article, glossary) = inputs(dir.path());
    let double = DeepLXml::default();
    let server = serve_at("POST", "/v2/translate", double.clone()).await;
    let out = dir.path().join("out");
    selaras()
        .env("SELARAS_TEST_DEEPL_KEY", DEEPL_KEY)
        .arg("translate")
        .arg(&article)
        .args(["--provider", "deepl", "--endpoint", &server.uri()])
        .args(["--api-key-env", "SELARAS_TEST_DEEPL_KEY", "--protect-names"])
        .arg("--glossary")
        .arg(&glossary)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let seen = double.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [[
            "Kantor berita <x>Associated Press</x> melaporkan bahwa <x>China</x> &amp; Rusia \
             menandatangani perjanjian baru.",
            "Menurut <x>Associated Press</x>, pejabat <x>China</x>nya menolak berkomentar.",
        ]]
    );
    let (text, targets, issues) = outputs(&out);
    assert_eq!(text, format!("{}\n\n{}\n", ENGLISH[0], ENGLISH[1]));
    assert_eq!(targets.concat(), ENGLISH.concat());
    assert!(issues.iter().all(|i| !i.contains("glossary")), "{issues:?}");
}

/// MyMemory, which has no tag handling: plain text in, plain text out.
#[derive(Clone, Default)]
struct MyMemory {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Respond for MyMemory {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        self.seen.lock().unwrap().push(q.clone());
        let text = PLAIN
            .iter()
            .find(|(id, _)| *id == q)
            .map_or(format!("no translation for {q}"), |(_, en)| en.to_string());
        ResponseTemplate::new(200).set_body_json(json!({
            "responseData": {"translatedText": text, "match": 1},
            "quotaFinished": false,
            "responseDetails": "",
            "responseStatus": 200,
            "matches": [],
        }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_without_tag_handling_says_so_and_translates_normally() {
    let dir = tempfile::tempdir().unwrap();
    let (article, glossary) = inputs(dir.path());
    let double = MyMemory::default();
    let server = serve_at("GET", "/get", double.clone()).await;
    let out = dir.path().join("out");
    let done = selaras()
        .arg("translate")
        .arg(&article)
        .args(["--provider", "mymemory", "--endpoint", &server.uri()])
        .arg("--protect-names")
        .arg("--glossary")
        .arg(&glossary)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&done.get_output().stderr).to_string();
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("--protect-names"))
        .collect();
    assert_eq!(
        said,
        [
            "selaras: mymemory has no tag handling; --protect-names is ignored and names are translated normally"
        ]
    );
    let mut seen = double.seen.lock().unwrap().clone();
    seen.sort();
    assert_eq!(seen, [PLAIN[0].0, PLAIN[1].0]);
    let text = std::fs::read_to_string(out.join("berita.id.en.txt")).unwrap();
    assert_eq!(text, format!("{}\n\n{}\n", PLAIN[0].1, PLAIN[1].1));
}
