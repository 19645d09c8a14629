//! Everything between "translate these paragraphs" and one provider's
//! protocol, written once for all providers: identical paragraphs sent once,
//! batching within the provider's limits, requests in flight concurrently
//! under one budget, a timeout per request, retries with exponential backoff
//! and jitter that honour `Retry-After`, and validation of every answer.
//! With protected names (`--protect-names`) every text is protected just
//! before it is sent and its answer unprotected as it arrives, so that the
//! cache and everything after the client see plain text; sizes are those of
//! the protected text, which is what travels.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use indicatif::ProgressBar;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Cache, Failure, Limits, Protector, Provider};
use crate::error::{Error, Result};
use crate::segment::{Lang, sentences};

/// The longest `Retry-After` we wait for; a service asking for more is
/// telling us to come back another time.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);
/// An answer body larger than this is refused rather than read.
const MAX_BODY: usize = 32 << 20;

/// How requests are sent.
#[derive(Debug, Clone)]
pub struct Options {
    /// Requests in flight at once, across all inputs.
    pub concurrency: usize,
    /// Time allowed for one request, from connecting to the end of the answer.
    pub timeout: Duration,
    /// Retries after the first try.
    pub retries: usize,
    /// The first pause between tries; it doubles each time, with jitter.
    pub first_delay: Duration,
    /// The longest pause the backoff grows to.
    pub max_delay: Duration,
    /// A secret (the API key) to blank out of any message shown.
    pub secret: Option<String>,
    /// Where translations are looked up before sending and stored as they
    /// arrive; `None` sends everything.
    pub cache: Option<Arc<Cache>>,
    /// What besides the text decides a translation: provider, endpoint,
    /// languages, options. The cache key's other half.
    pub scope: String,
    /// The source language, for cutting long texts at sentence boundaries.
    pub source: Lang,
    /// The least time between two requests (the rate limit); zero for none.
    pub spacing: Duration,
    /// A limit on the text in one request below the provider's own.
    pub max_bytes: Option<usize>,
    /// `--protect-names` on a provider with tag handling: glossary names go
    /// out already translated, inside no-translate elements.
    pub protect: Option<Arc<Protector>>,
}

impl Options {
    /// A text as it travels: protected when names are protected.
    fn sent<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match &self.protect {
            Some(p) => Cow::Owned(p.protect(text)),
            None => Cow::Borrowed(text),
        }
    }

    /// The bytes of a text as it travels.
    fn sent_len(&self, text: &str) -> usize {
        self.sent(text).len()
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            concurrency: 4,
            timeout: Duration::from_secs(60),
            retries: 5,
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            secret: None,
            cache: None,
            scope: String::new(),
            source: Lang::Other,
            spacing: Duration::ZERO,
            max_bytes: None,
            protect: None,
        }
    }
}

/// What a run cost.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests sent, retries included.
    pub requests: usize,
    /// Characters of text in the requests that were answered.
    pub characters: usize,
    /// Paragraphs answered from the cache.
    pub cache_hits: usize,
}

/// What all of a run's requests share: counts and the pace.
#[derive(Default)]
struct Counters {
    requests: AtomicUsize,
    characters: AtomicUsize,
    /// The earliest moment the next request may leave.
    next_slot: tokio::sync::Mutex<Option<tokio::time::Instant>>,
}

impl Counters {
    /// Waits for this request's turn under the rate limit: requests leave at
    /// least `spacing` apart, whatever the concurrency, plus 5%: requests
    /// paced exactly reach the server with network jitter, and one that
    /// arrives early puts one request too many in some second of the
    /// server's clock.
    async fn pace(&self, spacing: Duration) {
        if spacing.is_zero() {
            return;
        }
        let spacing = spacing.mul_f64(1.05);
        let slot = {
            let mut next = self.next_slot.lock().await;
            let now = tokio::time::Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + spacing);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// The texts of a run, cut into the units that travel, with what the cache
/// already holds.
struct Prepared<'a> {
    /// Each distinct text once, and for every input text its distinct index.
    unique: Vec<&'a str>,
    slots: Vec<usize>,
    copies: Vec<usize>,
    /// Whole texts, or pieces of the long ones, and the text each belongs to.
    units: Vec<String>,
    owner: Vec<usize>,
    /// Translations known so far, per unit.
    done: Vec<Option<String>>,
    cache_hits: usize,
    limits: Limits,
}

fn prepare<'a>(
    provider: &dyn Provider,
    texts: &'a [String],
    options: &Options,
) -> Result<Prepared<'a>> {
    let mut unique: Vec<&str> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let slots: Vec<usize> = texts
        .iter()
        .map(|t| {
            *index.entry(t.as_str()).or_insert_with(|| {
                unique.push(t);
                unique.len() - 1
            })
        })
        .collect();
    let copies = count_copies(&slots, unique.len());

    let mut limits = provider.limits();
    if let Some(max) = options.max_bytes {
        limits.bytes = limits.bytes.min(max);
    }
    let mut units: Vec<String> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    let sent_len = |t: &str| options.sent_len(t);
    let size: Option<&dyn Fn(&str) -> usize> = match options.protect {
        Some(_) => Some(&sent_len),
        None => None,
    };
    for (k, text) in unique.iter().enumerate() {
        for piece in pieces_sized(text, limits.bytes, options.source, size) {
            units.push(piece);
            owner.push(k);
        }
    }

    let done: Vec<Option<String>> = match &options.cache {
        Some(cache) => {
            let units: Vec<&str> = units.iter().map(|u| u.as_ref()).collect();
            cache.get_many(&options.scope, &units)?
        }
        None => vec![None; units.len()],
    };
    let mut cached = vec![true; unique.len()];
    for (u, d) in done.iter().enumerate() {
        if d.is_none() {
            cached[owner[u]] = false;
        }
    }
    let cache_hits = (0..unique.len())
        .filter(|&k| cached[k])
        .map(|k| copies[k])
        .sum();
    Ok(Prepared {
        unique,
        slots,
        copies,
        units,
        owner,
        done,
        cache_hits,
        limits,
    })
}

/// What a run would send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub paragraphs: usize,
    /// Paragraphs the cache already answers.
    pub cache_hits: usize,
    pub requests: usize,
    pub characters: usize,
}

/// Works out the requests a run would send, and sends nothing.
pub fn plan(provider: &dyn Provider, texts: &[String], options: &Options) -> Result<Plan> {
    let p = prepare(provider, texts, options)?;
    let todo: Vec<Cow<str>> = (0..p.units.len())
        .filter(|&u| p.done[u].is_none())
        .map(|u| options.sent(&p.units[u]))
        .collect();
    let sizes: Vec<usize> = todo.iter().map(|t| t.len()).collect();
    Ok(Plan {
        paragraphs: texts.len(),
        cache_hits: p.cache_hits,
        requests: batches_sized(&sizes, p.limits).len(),
        characters: todo.iter().map(|t| t.chars().count()).sum(),
    })
}

/// Translates `texts` in order. Identical texts are sent once; a text over
/// the provider's byte limit is sent in pieces cut at sentence boundaries
/// and rejoined. `progress` advances by one for every text translated.
pub async fn translate(
    provider: Arc<dyn Provider>,
    texts: &[String],
    options: &Options,
    progress: &ProgressBar,
) -> Result<(Vec<String>, Stats)> {
    let Prepared {
        unique,
        slots,
        copies,
        units,
        owner,
        mut done,
        cache_hits,
        limits,
    } = prepare(&*provider, texts, options)?;
    progress.inc(cache_hits as u64);
    let todo: Vec<usize> = (0..units.len()).filter(|&u| done[u].is_none()).collect();
    let todo_texts: Vec<&str> = todo.iter().map(|&u| units[u].as_str()).collect();
    let sizes: Vec<usize> = todo_texts.iter().map(|t| options.sent_len(t)).collect();
    // Units still missing per text, to advance the progress bar when a text
    // is complete.
    let mut missing = vec![0usize; unique.len()];
    for &u in &todo {
        missing[owner[u]] += 1;
    }

    // A warm run has nothing to send: no client then, since loading its TLS
    // roots is a good part of such a run.
    let http = if todo.is_empty() {
        None
    } else {
        Some(http_client(options)?)
    };
    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let counters = Arc::new(Counters::default());
    let mut tasks = JoinSet::new();
    for range in batches_sized(&sizes, limits) {
        let slots: Vec<usize> = todo[range.clone()].to_vec();
        let batch: Vec<String> = todo_texts[range].iter().map(|s| s.to_string()).collect();
        let (provider, http, semaphore, counters) = (
            Arc::clone(&provider),
            http.clone().expect("a client whenever there is a batch"),
            Arc::clone(&semaphore),
            Arc::clone(&counters),
        );
        let options = options.clone();
        tasks.spawn(async move {
            let _permit = semaphore
                .acquire_owned()
                .await
                .expect("semaphore never closed");
            let call = Call {
                provider: &*provider,
                http: &http,
                options: &options,
                counters: &counters,
            };
            let mut result = call.send_adaptive(batch.clone()).await;
            // Keep what was paid for before anything else can go wrong.
            if let (Ok(translations), Some(cache)) = (&result, &options.cache) {
                let pairs: Vec<(&str, &str)> = batch
                    .iter()
                    .map(String::as_str)
                    .zip(translations.iter().map(String::as_str))
                    .collect();
                if let Err(e) = cache.put(&options.scope, &pairs) {
                    result = Err(e);
                }
            }
            (slots, result)
        });
    }

    while let Some(joined) = tasks.join_next().await {
        let (slots, result) =
            joined.map_err(|e| Error::service(format!("a request task failed: {e}")))?;
        match result {
            Ok(translations) => {
                for (u, t) in slots.into_iter().zip(translations) {
                    done[u] = Some(t);
                    let k = owner[u];
                    missing[k] -= 1;
                    if missing[k] == 0 {
                        progress.inc(copies[k] as u64);
                    }
                }
            }
            Err(e) => {
                tasks.abort_all();
                return Err(e);
            }
        }
    }

    let mut joined: Vec<Vec<String>> = vec![Vec::new(); unique.len()];
    for (u, t) in done.into_iter().enumerate() {
        joined[owner[u]].push(t.expect("every batch answered or failed"));
    }
    let joined: Vec<String> = joined.into_iter().map(|parts| parts.join(" ")).collect();
    let stats = Stats {
        requests: counters.requests.load(Ordering::Relaxed),
        characters: counters.characters.load(Ordering::Relaxed),
        cache_hits,
    };
    Ok((slots.iter().map(|&k| joined[k].clone()).collect(), stats))
}

fn count_copies(slots: &[usize], unique: usize) -> Vec<usize> {
    let mut copies = vec![0; unique];
    for &k in slots {
        copies[k] += 1;
    }
    copies
}

/// Cuts `text` into pieces of at most `limit` bytes: whole sentences where
/// they fit, else words, else (a single enormous word) characters.
pub fn pieces(text: &str, limit: usize, lang: Lang) -> Vec<String> {
    pieces_sized(text, limit, lang, None)
}

/// [`pieces`], with the size of a piece measured by `size` (the bytes of
/// its protected form, say) rather than its own length.
pub fn pieces_sized(
    text: &str,
    limit: usize,
    lang: Lang,
    size: Option<&dyn Fn(&str) -> usize>,
) -> Vec<String> {
    let measure = |s: &str| size.map_or(s.len(), |f| f(s));
    // The size of `a b`, or of `ab` without the space.
    let joined = |a: &str, space: bool, b: &str| match size {
        None => a.len() + usize::from(space) + b.len(),
        Some(f) => f(&format!("{a}{}{b}", if space { " " } else { "" })),
    };
    if measure(text) <= limit {
        return vec![text.to_string()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut push = |piece: &str, out: &mut Vec<String>| {
        if !current.is_empty() && joined(&current, true, piece) > limit {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(piece);
    };
    for sentence in sentences(text, lang) {
        if measure(sentence) <= limit {
            push(sentence, &mut out);
            continue;
        }
        for word in sentence.split_whitespace() {
            if measure(word) <= limit {
                push(word, &mut out);
                continue;
            }
            let mut chunk = String::new();
            for c in word.chars() {
                if !chunk.is_empty() && joined(&chunk, false, c.encode_utf8(&mut [0; 4])) > limit {
                    push(&std::mem::take(&mut chunk), &mut out);
                }
                chunk.push(c);
            }
            push(&chunk, &mut out);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn http_client(options: &Options) -> Result<reqwest::Client> {
    // reqwest is built without a default TLS crypto provider; pick ring once.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(concat!("selaras/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(options.timeout.min(Duration::from_secs(30)))
        .build()
        .map_err(|e| Error::service(format!("cannot start the HTTP client: {e}")))
}

/// Groups consecutive texts into batches within `limits`. A text larger than
/// the byte limit travels alone.
pub fn batches(texts: &[&str], limits: Limits) -> Vec<Range<usize>> {
    let sizes: Vec<usize> = texts.iter().map(|t| t.len()).collect();
    batches_sized(&sizes, limits)
}

/// [`batches`] for texts of these sizes in bytes.
pub fn batches_sized(sizes: &[usize], limits: Limits) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (k, &size) in sizes.iter().enumerate() {
        let full = k - start >= limits.items.max(1) || (k > start && bytes + size > limits.bytes);
        if full {
            out.push(start..k);
            start = k;
            bytes = 0;
        }
        bytes += size;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// One batch's way to the service, with everything it needs.
struct Call<'a> {
    provider: &'a dyn Provider,
    http: &'a reqwest::Client,
    options: &'a Options,
    counters: &'a Counters,
}

/// What a batch came to.
enum Sent {
    Done(Vec<String>),
    /// A translation much shorter than its source: the service cut it off.
    TooShort(String),
}

impl Call<'_> {
    fn redact(&self, m: String) -> String {
        match &self.options.secret {
            Some(s) if !s.is_empty() => m.replace(s.as_str(), "***"),
            _ => m,
        }
    }

    /// Sends a batch; when an answer comes back cut off, sends it again in
    /// smaller pieces (halves of the batch, then halves of the paragraph by
    /// sentences) and joins the pieces' translations.
    fn send_adaptive(
        &self,
        texts: Vec<String>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<String>>> + Send + '_>> {
        Box::pin(async move {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let message = match self.send(&refs).await? {
                Sent::Done(v) => return Ok(v),
                Sent::TooShort(m) => m,
            };
            if texts.len() > 1 {
                let (a, b) = texts.split_at(texts.len() / 2);
                let mut out = self.send_adaptive(a.to_vec()).await?;
                out.extend(self.send_adaptive(b.to_vec()).await?);
                return Ok(out);
            }
            let parts = sentences(&texts[0], self.options.source);
            if parts.len() < 2 {
                return Err(Error::service(self.redact(format!(
                    "{}: {message}, even for a single sentence; try another provider",
                    self.provider.name()
                ))));
            }
            let (a, b) = parts.split_at(parts.len() / 2);
            let first = self.send_adaptive(vec![a.join(" ")]).await?;
            let second = self.send_adaptive(vec![b.join(" ")]).await?;
            Ok(vec![format!("{} {}", first[0], second[0])])
        })
    }

    /// Sends one batch until it is answered, retrying what is worth retrying.
    /// With protected names the texts travel protected and the answers come
    /// back unprotected, checked against the texts as given.
    async fn send(&self, texts: &[&str]) -> Result<Sent> {
        let name = self.provider.name();
        let options = self.options;
        let sent: Vec<Cow<str>> = texts.iter().map(|t| options.sent(t)).collect();
        let sent: Vec<&str> = sent.iter().map(|t| t.as_ref()).collect();
        let sent_chars: usize = sent.iter().map(|t| t.chars().count()).sum();
        let mut schedule = ExponentialBuilder::default()
            .with_min_delay(options.first_delay)
            .with_max_delay(options.max_delay)
            .with_max_times(options.retries)
            .with_jitter()
            .build();
        let mut tries = 0;
        loop {
            tries += 1;
            self.counters.pace(options.spacing).await;
            self.counters.requests.fetch_add(1, Ordering::Relaxed);
            let answer = attempt(self.provider, self.http, &sent, options.timeout).await;
            let (message, retry_after) = match answer {
                Ok(translations) => {
                    let billed = || {
                        self.counters
                            .characters
                            .fetch_add(sent_chars, Ordering::Relaxed);
                    };
                    let translations = match &options.protect {
                        Some(p) => translations.iter().map(|t| p.unprotect(t)).collect(),
                        None => translations,
                    };
                    match validate(texts, translations) {
                        Ok(v) => {
                            billed();
                            return Ok(Sent::Done(v));
                        }
                        Err(Invalid::Short(m)) => {
                            billed();
                            return Ok(Sent::TooShort(m));
                        }
                        Err(Invalid::Wrong(m)) => (format!("invalid answer: {m}"), None),
                    }
                }
                Err((Failure::Fatal(m), _)) => {
                    return Err(Error::service(
                        self.redact(format!("{name}: the service refused the request: {m}")),
                    ));
                }
                Err((Failure::Quota(m), _)) => {
                    return Err(Error::service(self.redact(format!(
                        "{name}: the account's quota is used up: {m}; translations received so far are kept, \
                         and a re-run resumes from them once the quota allows"
                    ))));
                }
                Err((Failure::Invalid(m), _)) => (format!("invalid answer: {m}"), None),
                Err((Failure::Truncated(m), _)) => {
                    self.counters
                        .characters
                        .fetch_add(sent_chars, Ordering::Relaxed);
                    return Ok(Sent::TooShort(m));
                }
                Err((Failure::Retry(m), after)) => (m, after),
            };
            let Some(backoff) = schedule.next() else {
                return Err(Error::service(self.redact(format!(
                    "{name}: gave up after {tries} tries: {message}; the service may be down or faulty, try again later"
                ))));
            };
            let pause = match retry_after {
                Some(after) if after > MAX_RETRY_AFTER => {
                    return Err(Error::service(self.redact(format!(
                        "{name}: the service asks to wait {} s before another request ({message}); try again later",
                        after.as_secs()
                    ))));
                }
                // Honour the service's own word, spread a little so that
                // concurrent requests do not all come back at the same instant.
                Some(after) => after + after.mul_f64(fastrand::f64() * 0.1),
                None => backoff,
            };
            tokio::time::sleep(pause).await;
        }
    }
}

/// One request and its answer.
async fn attempt(
    provider: &dyn Provider,
    http: &reqwest::Client,
    texts: &[&str],
    timeout: Duration,
) -> std::result::Result<Vec<String>, (Failure, Option<Duration>)> {
    let transport = |e: reqwest::Error| {
        let e = e.without_url();
        let failure = if e.is_builder() {
            Failure::Fatal(format!("cannot build the request: {e}"))
        } else if e.is_timeout() {
            Failure::Retry(format!("no answer within {} s", timeout.as_secs_f64()))
        } else if e.is_connect() {
            Failure::Retry(format!("cannot connect: {}", source_chain(&e)))
        } else {
            Failure::Retry(format!("connection failed: {}", source_chain(&e)))
        };
        (failure, None)
    };
    let mut response = provider
        .request(http, texts)
        .timeout(timeout)
        .send()
        .await
        .map_err(transport)?;
    let status = response.status();
    let retry_after = retry_after(response.headers());
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err((
                Failure::Fatal(format!("the answer is larger than {} MB", MAX_BODY >> 20)),
                None,
            ));
        }
        body.extend_from_slice(&chunk);
    }
    provider.parse(status, &body).map_err(|f| (f, retry_after))
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = s.source();
    }
    parts.join(": ")
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Why an answer cannot be used.
#[derive(Debug)]
enum Invalid {
    /// Wrong count or an empty translation: worth another try.
    Wrong(String),
    /// Cut off: worth sending again in smaller pieces.
    Short(String),
}

/// Checks an answer against what was sent: one translation per text, none
/// empty, none much shorter than its source (a silently truncated answer).
/// Whitespace is normalised: a translation is one paragraph.
fn validate(texts: &[&str], got: Vec<String>) -> std::result::Result<Vec<String>, Invalid> {
    if got.len() != texts.len() {
        return Err(Invalid::Wrong(format!(
            "{} translations came back for {} paragraphs sent",
            got.len(),
            texts.len()
        )));
    }
    texts
        .iter()
        .zip(got)
        .map(|(source, t)| {
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if t.is_empty() && !source.trim().is_empty() {
                return Err(Invalid::Wrong(format!(
                    "an empty translation for “{}”",
                    start_of(source)
                )));
            }
            // Bytes, not characters: a script with fewer, wider characters
            // (Chinese, say) is not "shorter".
            let (ls, lt) = (source.len(), t.len());
            if ls >= 200 && lt * 5 < ls * 2 {
                return Err(Invalid::Short(format!(
                    "a translation of {lt} bytes came back for {ls} bytes of “{}”, a sign of a truncated answer",
                    start_of(source)
                )));
            }
            Ok(t)
        })
        .collect()
}

fn start_of(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(6).collect();
    format!("{}…", words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_count_and_bytes() {
        let limits = Limits {
            items: 3,
            bytes: 10,
        };
        let texts = ["aaaa", "bbbb", "cc", "d", "e", "f", "gggggggggggggg", "h"];
        assert_eq!(batches(&texts, limits), [0..3, 3..6, 6..7, 7..8]);
        assert!(batches(&[], limits).is_empty());
    }

    #[test]
    fn long_texts_are_cut_at_sentences_then_words() {
        let text = "Satu dua tiga. Empat lima enam. Tujuh delapan sembilan sepuluh.";
        assert_eq!(pieces(text, 1000, Lang::Indonesian), [text]);
        assert_eq!(
            pieces(text, 32, Lang::Indonesian),
            [
                "Satu dua tiga. Empat lima enam.",
                "Tujuh delapan sembilan sepuluh."
            ]
        );
        let cut = pieces(text, 16, Lang::Indonesian);
        assert!(cut.iter().all(|p| p.len() <= 16), "{cut:?}");
        assert_eq!(cut.join(" "), text);
        let word = "x".repeat(25);
        assert_eq!(pieces(&word, 10, Lang::Indonesian).concat(), word);
        let emoji = "🌧".repeat(10);
        assert!(pieces(&emoji, 9, Lang::Other).iter().all(|p| p.len() <= 9));
    }

    #[test]
    fn protected_sizes_decide_pieces_and_batches() {
        use crate::check::glossary::Entry;
        use crate::translate::Markup;
        let entry = Entry {
            sources: vec!["RRT".into()],
            targets: vec!["People's Republic of China".into()],
            forbidden: Vec::new(),
            note: String::new(),
            case_sensitive: true,
            file: "t.csv".into(),
            line: 1,
        };
        let protector = Protector::new(&[entry], Markup::Html);
        let size = |t: &str| protector.protect(t).len();
        let text = "RRT & RRT menolak. RRT setuju. Kata RRT, RRT dan RRT.";
        // Plain, it fits in one piece; protected, it does not.
        assert_eq!(pieces(text, 80, Lang::Indonesian), [text]);
        let cut = pieces_sized(text, 80, Lang::Indonesian, Some(&size));
        assert!(cut.len() > 1, "{cut:?}");
        assert!(cut.iter().all(|p| size(p) <= 80), "{cut:?}");
        assert_eq!(cut.join(" "), text);
        // Down to words and characters.
        let cut = pieces_sized(
            "RRT,RRT,RRT,RRT xxxxxxxxxx",
            40,
            Lang::Indonesian,
            Some(&size),
        );
        assert!(cut.iter().all(|p| size(p) <= 40), "{cut:?}");
        assert_eq!(cut.concat().replace(' ', ""), "RRT,RRT,RRT,RRTxxxxxxxxxx");
        let limits = Limits {
            items: 10,
            bytes: 100,
        };
        let sizes: Vec<usize> = ["RRT.", "RRT.", "RRT."].iter().map(|t| size(t)).collect();
        assert_eq!(batches(&["RRT.", "RRT.", "RRT."], limits).len(), 1);
        assert_eq!(batches_sized(&sizes, limits), [0..1, 1..2, 2..3]);
    }

    #[test]
    fn retry_after_seconds_and_date() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(30);
        h.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let got = retry_after(&h).unwrap();
        assert!(
            got > Duration::from_secs(27) && got <= Duration::from_secs(30),
            "{got:?}"
        );
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn validation_catches_count_empty_and_truncation() {
        let long = "kata ".repeat(60);
        assert!(matches!(
            validate(&["a", "b"], vec!["x".into()]),
            Err(Invalid::Wrong(_))
        ));
        assert!(matches!(
            validate(&["a"], vec!["  ".into()]),
            Err(Invalid::Wrong(_))
        ));
        assert!(matches!(
            validate(&[long.as_str()], vec!["word".into()]),
            Err(Invalid::Short(_))
        ));
        let chinese = "雨".repeat(40);
        assert!(validate(&[long.as_str()], vec![chinese]).is_ok());
        assert_eq!(
            validate(&["a b"], vec!["one\n two".into()]).unwrap(),
            ["one two"]
        );
    }
}
