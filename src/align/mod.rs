//! Sentence alignment within a paragraph (SPEC §3).
//!
//! Dynamic programming over links 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 2-3, 3-2,
//! 1-4, 4-1, 3-3, 1-0 and 0-1.
//! A link's cost adds a prior for its shape, the length ratio in log space
//! (against the paragraph's own ratio, so any language pair works), and the
//! weight of anchors (numbers, names, cognates, quotes, question marks,
//! brackets, colons) that the link separates from their partners. The path
//! covers every sentence of both sides once, in order: nothing is lost or
//! duplicated by construction. A text the first pass finds translated almost
//! wholly one sentence for one is aligned again, near its other links, with
//! those shapes made dearer (see `others_extra`).

pub(crate) mod anchors;
mod guide;
mod lexicon;
mod overlap;

pub use self::anchors::{bridge_keys, glossary_key};

use std::cell::RefCell;
use std::ops::Range;

use self::guide::Guide;
use crate::segment::Lang;

/// One row of the alignment: a run of source sentences and the run of target
/// sentences that translate it. Either run may be empty (1-0, 0-1).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub source: Range<usize>,
    pub target: Range<usize>,
    /// Confidence in [0, 1].
    pub score: f32,
}

impl Link {
    fn is_one_to_one(&self) -> bool {
        self.source.len() == 1 && self.target.len() == 1
    }

    /// The link's shape as SPEC §4 writes it: `2-1`, `1-0`, ...
    pub fn shape(&self) -> String {
        format!("{}-{}", self.source.len(), self.target.len())
    }
}

/// The shapes the dynamic program may use, with their prior cost in nats.
const MOVES: &[(usize, usize, f64)] = &[
    (1, 1, 0.0),
    (2, 1, 2.0),
    (1, 2, 2.0),
    (1, 0, 3.5),
    (0, 1, 3.5),
    (2, 2, 4.0),
    (3, 1, 4.5),
    (1, 3, 4.5),
    (2, 3, 5.5),
    (3, 2, 5.5),
    (1, 4, 5.5),
    (4, 1, 5.5),
    (3, 3, 6.5),
];

/// The least [`Model::prior`] makes of a move's `base` prior: a cut
/// inside both sides takes [`CUT`] off a move of two sentences or more on
/// each, and a fragment left alone costs [`NOISE`].
fn least_prior(a: usize, b: usize, base: f64) -> f64 {
    match (a, b) {
        (1, 0) | (0, 1) => base.min(NOISE),
        (a, b) if a >= 2 && b >= 2 => (base - CUT).max(0.0),
        _ => base,
    }
}

/// What leaving a fragment without a word unaligned costs.
const NOISE: f64 = 1.5;

/// Sentences shorter than this (characters, spaces aside) may join a link of
/// five sentences or more without an anchor of their own: list items and
/// the pieces of a cut sentence.
const SHORT: f64 = 50.0;

/// The extra cost of a merge whose added sentence comes first (see
/// `Model::leading_extra`).
const LEAD: f64 = 0.3;

/// The discount on a link of two sentences or more on each side when both
/// sides cut a sentence inside it.
const CUT: f64 = 2.0;

/// See `Side::cut`.
fn cut_between(a: &str, b: &str) -> bool {
    if b.trim_start()
        .starts_with(|c: char| c.is_lowercase() || "»”)]".contains(c))
    {
        return true;
    }
    // A tokenised stop after an abbreviation: "B.M .", "Ch .", "Nov .".
    let Some(before) = a.trim_end().strip_suffix(" .") else {
        return false;
    };
    let last = before.rsplit(' ').next().unwrap_or("");
    (last.chars().count() <= 3 && last.starts_with(char::is_uppercase)) || last.contains('.')
}

/// The log-length-ratio spread of a true link.
const SIGMA: f64 = 0.5;
/// Characters added to both lengths so that short sentences are judged kindly.
const SMOOTHING: f64 = 12.0;

/// Aligns the sentences of one paragraph with those of its translation.
pub fn align(source: &[&str], target: &[&str], from: Lang, to: Lang) -> Vec<Link> {
    align_with(source, target, from, to, &|_, _| Vec::new())
}

/// Extra anchor keys for a sentence, made with [`glossary_key`] or
/// [`bridge_keys`]: the same key on both sides is evidence of a pair. Called
/// with the sentence's index on its side and whether it is a source
/// sentence.
pub type Extra<'a> = dyn Fn(usize, bool) -> Vec<u64> + 'a;

/// [`align`], with extra anchors (the glossary's names).
pub fn align_with(
    source: &[&str],
    target: &[&str],
    from: Lang,
    to: Lang,
    extra: &Extra,
) -> Vec<Link> {
    let (n, m) = (source.len(), target.len());
    let mut numbering = anchors::Numbering::default();
    let mut src = Side::new(source, from, |k| extra(k, true), &mut numbering);
    let mut tgt = Side::new(target, to, |k| extra(k, false), &mut numbering);
    // Short blocks fill the whole table; long ones a band around a guide.
    let long = n * m > 250_000;
    let reach = 64 + n.abs_diff(m) / 8;
    // Both sides are numbered: the map from keys to numbers goes.
    let vocabulary = numbering.into_keys();
    let ranks = vocabulary.len();
    let guide = if long {
        guide::guide(&src.keys, &tgt.keys, reach + n.max(m) / 50, ranks)
    } else {
        Guide::diagonal(n, m)
    };
    let window = if long { reach } else { n.max(m) + 1 };
    anchors::keep_shared(&mut src.keys, &mut tgt.keys, &guide.centres, window, ranks);
    src.seal();
    tgt.seal();
    let ratio = if src.total() > 0.0 && tgt.total() > 0.0 {
        (tgt.total() / src.total()).clamp(0.4, 2.5)
    } else {
        1.0
    };
    let mut model = Model::new(&src, &tgt, ratio, &vocabulary);

    // A paragraph that is one sentence on either side is one link: the other
    // side translates that sentence, however it was split.
    if n == 0 || m == 0 || n == 1 || m == 1 {
        if n == 0 && m == 0 {
            return Vec::new();
        }
        if n > 0 && m > 0 {
            return vec![model.link(0..n, 0..m)];
        }
        let nulls = (0..n).map(|i| model.link(i..i + 1, 0..0));
        return nulls
            .chain((0..m).map(|j| model.link(0..0, j..j + 1)))
            .collect();
    }

    // A band around the guide keeps time and memory linear for long texts;
    // a path that runs along the band's edge may have been squeezed, so the
    // band widens until the path stays clear of its edges (`banded_path`).
    let half = if long { GUIDED_HALF } else { n.max(m) + 1 };
    let path = banded_path(n, m, half, &guide, &model);
    model.others_extra = others_extra(&path);
    let mut path = if model.others_extra > 0.0 {
        realign_others(path, &model)
    } else {
        path
    };
    // Scored once, on the final path: a link's score does not depend on
    // the pass that found it.
    for link in &mut path {
        link.score = model.link(link.source.clone(), link.target.clone()).score;
    }
    path
}

/// The cheapest path through a band `half` wide around the guide, doubled
/// until the path stays clear of the band's edges, or, where it presses
/// only on the narrow rows of straight stretches, widened around there.
fn banded_path(n: usize, m: usize, mut half: usize, guide: &Guide, model: &Model) -> Vec<Link> {
    loop {
        let band = Band::new(n, m, half, guide);
        let (path, edges) = band.best_path(model);
        if edges.is_empty() || band.is_full() {
            return path;
        }
        // Pressed only where the band is narrow: widened there alone.
        if half == GUIDED_HALF
            && edges.iter().all(|&i| guide.straight[i])
            && let Some(path) = widen_locally(path, &edges, model)
        {
            return path;
        }
        half *= 2;
    }
}

/// How many links either side of a narrow row where the path met the
/// band's edge are aligned again in a wider band.
const AROUND_EDGE: usize = 6;

/// Aligns again, within `GUIDED_HALF` of the path, the links around each
/// source position in `edges`; `None` if a window's path is squeezed too.
fn widen_locally(path: Vec<Link>, edges: &[usize], model: &Model) -> Option<Vec<Link>> {
    // The link that ends at each edge row, then runs of links around them.
    let mut at: Vec<usize> = edges
        .iter()
        .map(|&i| path.partition_point(|l| l.source.end < i))
        .collect();
    at.sort_unstable();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for k in at {
        let w = k.saturating_sub(AROUND_EDGE)..(k + AROUND_EDGE + 1).min(path.len());
        match windows.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => windows.push(w),
        }
    }
    replace_windows(&path, windows, |links| {
        let (links, edges) = Band::around(links, GUIDED_HALF).best_path(model);
        edges.is_empty().then_some(links)
    })
}

/// The share of links other than 1-1 that the priors in [`MOVES`] suit.
const USUAL_OTHERS: f64 = 0.2;
/// How many links of the usual mix the first pass's count is weighed
/// against, so that a short paragraph keeps the usual priors.
const PSEUDO_LINKS: f64 = 50.0;
/// The most a link other than 1-1 is made dearer.
const MOST_EXTRA: f64 = 3.0;

/// What a text translated almost wholly one sentence for one should add to
/// the prior of every other shape. A translation that splits and merges
/// sentences often keeps the usual priors; one that keeps its sentences
/// (a line-aligned corpus, a careful human translation) makes a rare merge
/// or omission less likely a priori, so that one loose translation does not
/// pull its neighbours into a 2-1 and a 1-2. The share is estimated from the
/// first pass, as a document's own statistics re-estimate an aligner's
/// priors.
fn others_extra(path: &[Link]) -> f64 {
    let others = path.iter().filter(|l| !l.is_one_to_one()).count() as f64;
    let share = (others + PSEUDO_LINKS * USUAL_OTHERS) / (path.len() as f64 + PSEUDO_LINKS);
    (USUAL_OTHERS / share).ln().clamp(0.0, MOST_EXTRA)
}

/// How many links on either side of one that is not 1-1 are aligned again
/// with the dearer priors. Raising the priors of shapes other than 1-1 only
/// changes the path near such links, so the second pass is local.
const AROUND: usize = 4;

/// The most links a window of the second pass spans between its first and
/// last link that is not 1-1: windows are whole tables, so a text with such
/// links every few sentences must not become one window.
const WINDOW_LINKS: usize = 48;

/// Aligns again, with the model's extra prior, the neighbourhood of every
/// link that is not 1-1; the path is kept where it goes one to one.
fn realign_others(path: Vec<Link>, model: &Model) -> Vec<Link> {
    let windows = windows(&path);
    let realigned = replace_windows(&path, windows, |links| {
        // Near the first pass's path first; the whole window if that
        // squeezes the new one.
        let (near, edges) = Band::around(links, WINDOW_HALF).best_path(model);
        Some(if edges.is_empty() {
            near
        } else {
            Band::around(links, usize::MAX).best_path(model).0
        })
    });
    realigned.expect("a whole window always gives a path")
}

/// `path` with each of `windows` (runs of its links, in order) replaced by
/// what `realign` makes of it; `None` as soon as `realign` gives none.
fn replace_windows(
    path: &[Link],
    windows: Vec<Range<usize>>,
    mut realign: impl FnMut(&[Link]) -> Option<Vec<Link>>,
) -> Option<Vec<Link>> {
    let mut out = Vec::with_capacity(path.len());
    let mut k = 0;
    for window in windows {
        out.extend_from_slice(&path[k..window.start]);
        out.extend(realign(&path[window.clone()])?);
        k = window.end;
    }
    out.extend_from_slice(&path[k..]);
    Some(out)
}

/// The runs of links the second pass aligns again: from `AROUND` links
/// before a link that is not 1-1 to `AROUND` after the last such link
/// close enough to it, at most [`WINDOW_LINKS`] apart.
fn windows(path: &[Link]) -> Vec<Range<usize>> {
    let other = |x: &usize| !path[*x].is_one_to_one();
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(next) = (k..path.len()).find(other) {
        let start = next.saturating_sub(AROUND).max(k);
        let mut last = next;
        while let Some(x) = (last + 1..(last + 1 + 2 * AROUND).min(path.len())).find(other) {
            if x - next >= WINDOW_LINKS {
                break;
            }
            last = x;
        }
        let end = (last + AROUND + 1).min(path.len());
        out.push(start..end);
        k = end;
    }
    out
}

/// The half-width of the band around the first pass's path in a window of
/// the second.
const WINDOW_HALF: usize = 3;

/// The first half-width of the band around a long block's guide, where it
/// is not straight.
const GUIDED_HALF: usize = 3;
/// The same where the guide is straight (see [`Guide::straight`]): a path
/// that strays further there touches the band's edge, and the links around
/// it are aligned again in a band `GUIDED_HALF` wide ([`widen_locally`]);
/// the whole band doubles only if that is squeezed too.
const STRAIGHT_HALF: usize = 1;

/// The cells of the dynamic program kept for each source position: the
/// targets within the half-width of the guide, between the corners `from`
/// and `(n, m)`.
struct Band {
    from: (usize, usize),
    n: usize,
    m: usize,
    /// The narrowest half-width of any row.
    half: usize,
    /// For row `from.0 + r`, the first and last target index kept and where
    /// its cells start.
    lo: Vec<usize>,
    hi: Vec<usize>,
    start: Vec<usize>,
}

impl Band {
    /// The band `half` wide either side of the guide, and a third as wide
    /// where the guide is straight. A row also reaches as far as its
    /// neighbours' centres, to cover a steep stretch of the guide; in the
    /// first band, a straight row's diagonal neighbours do not widen it.
    fn new(n: usize, m: usize, half: usize, guide: &Guide) -> Band {
        let (centres, straight) = (&guide.centres, &guide.straight);
        let narrow = (half / GUIDED_HALF * STRAIGHT_HALF).max(1);
        let (mut lo, mut hi, mut start) = (
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 2),
        );
        start.push(0);
        for i in 0..=n {
            // A steep stretch of the guide (a run of 0-1 links) is covered
            // by the rows on either side of it.
            let (low, high) = if straight[i] && half == GUIDED_HALF {
                // Along a straight stretch the neighbours' centres are one
                // sentence off on both sides: only a jump to a neighbour
                // further off (the stretch's end) needs covering.
                let before = if i > 0 {
                    centres[i - 1] + 1
                } else {
                    centres[i]
                };
                let after = if i < n {
                    centres[i + 1].saturating_sub(1)
                } else {
                    centres[i]
                };
                (centres[i].min(before), centres[i].max(after))
            } else {
                (
                    centres[i].min(centres[i.saturating_sub(1)]),
                    centres[i].max(centres[(i + 1).min(n)]),
                )
            };
            let half = if straight[i] { narrow } else { half };
            let l = low.saturating_sub(half);
            let h = (high + half).min(m);
            lo.push(l);
            hi.push(h);
            start.push(start[i] + (h - l + 1));
        }
        Band {
            from: (0, 0),
            n,
            m,
            half: if straight.contains(&true) {
                narrow
            } else {
                half
            },
            lo,
            hi,
            start,
        }
    }

    /// The cells within `half` of a run of links, between its corners:
    /// every cell between them when `half` is `usize::MAX`.
    fn around(links: &[Link], half: usize) -> Band {
        let (first, last) = (&links[0], &links[links.len() - 1]);
        let from = (first.source.start, first.target.start);
        let to = (last.source.end, last.target.end);
        let rows = to.0 - from.0 + 1;
        // The targets each row's stretch of the path spans.
        let (mut lo, mut hi) = (vec![usize::MAX; rows], vec![0; rows]);
        for link in links {
            for i in link.source.start..=link.source.end {
                let r = i - from.0;
                lo[r] = lo[r].min(link.target.start);
                hi[r] = hi[r].max(link.target.end);
            }
        }
        let mut start = vec![0];
        for r in 0..rows {
            lo[r] = lo[r].saturating_sub(half).max(from.1);
            hi[r] = hi[r].saturating_add(half).min(to.1);
            start.push(start[r] + hi[r] - lo[r] + 1);
        }
        Band {
            from,
            n: to.0,
            m: to.1,
            half,
            lo,
            hi,
            start,
        }
    }

    fn is_full(&self) -> bool {
        self.half > self.n.max(self.m)
    }

    fn cell(&self, i: usize, j: usize) -> Option<usize> {
        let r = i - self.from.0;
        (j >= self.lo[r] && j <= self.hi[r]).then(|| self.start[r] + j - self.lo[r])
    }

    /// The cheapest path through the band, its links not yet scored, and
    /// the source positions where it touches the band's edge and the edge
    /// is not the table's.
    fn best_path(&self, model: &Model) -> (Vec<Link>, Vec<usize>) {
        let (i0, j0) = self.from;
        let cells = self.start[self.n - i0 + 1];
        let mut cost = vec![f32::INFINITY; cells];
        let mut back = vec![0u8; cells];
        cost[0] = 0.0;
        let row = &mut *model.row.borrow_mut();
        // The least each move's prior can be, to pass over a move that
        // cannot win before its prior is worked out.
        let least: [f32; MOVES.len()] = std::array::from_fn(|k| {
            let (a, b, prior) = MOVES[k];
            least_prior(a, b, prior) as f32
        });
        for i in i0..=self.n {
            let (lo, hi) = (self.lo[i - i0], self.hi[i - i0]);
            let targets = lo.saturating_sub(overlap::MOST)..hi;
            row.start(&model.src.keys, i, &model.tgt.keys, targets);
            // The band of each row a move may start from, `a` rows back:
            // its first and last target and where its cells start, read
            // once a row rather than once a move. A row before the band's
            // first is empty.
            let earlier: [(usize, usize, usize); overlap::MOST + 1] =
                std::array::from_fn(|a| match (i - i0).checked_sub(a) {
                    Some(r) => (self.lo[r], self.hi[r], self.start[r]),
                    None => (1, 0, 0),
                });
            for j in lo..=hi {
                if (i, j) == self.from {
                    continue;
                }
                let mut best = f32::INFINITY;
                let mut best_move = 0u8;
                // What each target run ending at j shares with the source
                // runs ending at i, worked out once a move needs it.
                let mut shared = [None::<overlap::Shared>; overlap::MOST + 1];
                for (k, &(a, b, prior)) in MOVES.iter().enumerate() {
                    let (first, last, cells) = earlier[a];
                    // Before the table's first target, `j - b` wraps past
                    // any band.
                    let from = j.wrapping_sub(b);
                    if from < first || from > last {
                        continue;
                    }
                    let before = cost[cells + from - first];
                    if !before.is_finite() || before + least[k] >= best {
                        continue;
                    }
                    let (s, t) = (i - a..i, j - b..j);
                    let prior = model.prior(prior, s.clone(), t.clone());
                    // The fit is never negative, nor below what lengths and
                    // anchor totals alone cost: a move that cannot beat the
                    // best so far on those is not worth scoring in full.
                    if before + prior as f32 >= best {
                        continue;
                    }
                    let known = prior + model.bulk(s.clone(), t.clone());
                    // Worked out once, for the floor and the fit.
                    let lengths = model.lengths_fit(s.clone(), t.clone());
                    if before + (known + model.floor(s.clone(), t.clone(), lengths)) as f32 >= best
                    {
                        continue;
                    }
                    // Five sentences or more in one link only when each has
                    // a partner on the other side, or is short: an omitted
                    // stretch must not be swallowed whole.
                    let short_source = |o: usize| model.src.lengths[i - 1 - o] < SHORT;
                    let short_target = |k: usize| model.tgt.lengths[k] < SHORT;
                    if a + b >= 5
                        && !row.covered(&model.src.keys, a, t.clone(), short_source, short_target)
                    {
                        continue;
                    }
                    let fit = if a == 0 || b == 0 {
                        model.fit_alone(s, t, lengths)
                    } else {
                        let run = *shared[b].get_or_insert_with(|| row.shared(t.clone()));
                        model.fit(s, t, lengths, (run, row), best - before)
                    };
                    let c = before + (known + fit) as f32;
                    if c < best {
                        best = c;
                        best_move = k as u8;
                    }
                }
                let at = self.cell(i, j).expect("in the band");
                cost[at] = best;
                back[at] = best_move;
            }
        }

        // Most links are 1-1: as many as the longer side's sentences.
        let mut links = Vec::with_capacity((self.n - i0).max(self.m - j0));
        let mut edges = Vec::new();
        let (mut i, mut j) = (self.n, self.m);
        while (i, j) != self.from {
            let (lo, hi) = (self.lo[i - i0], self.hi[i - i0]);
            let edge = (j == lo && j > j0) || (j == hi && j < self.m);
            if edge && i > i0 && i < self.n {
                edges.push(i);
            }
            let (a, b, _) = MOVES[back[self.cell(i, j).expect("on the path")] as usize];
            // Unscored: the caller scores the final path's links once.
            links.push(Link {
                source: i - a..i,
                target: j - b..j,
                score: 0.0,
            });
            i -= a;
            j -= b;
        }
        links.reverse();
        (links, edges)
    }
}

/// One side of a paragraph: sentence lengths and anchor keys.
struct Side {
    lengths: Vec<f64>,
    /// Running totals of lengths and of anchor weights, so that any run's
    /// sum is one subtraction.
    length_sums: Vec<f64>,
    /// In twentieths of a nat ([`anchors::units`]), so that they subtract
    /// exactly.
    weight_sums: Vec<u32>,
    /// Sentences without a word of two letters or more.
    noise: Vec<bool>,
    /// Whether the boundary after each sentence cuts one rather than ends
    /// it: what follows opens in lowercase or with a closing quote, or it
    /// falls after an abbreviation a tokeniser split ("B.M .", "Ch .").
    cut: Vec<bool>,

    keys: anchors::KeyLists,
}

impl Side {
    /// Each sentence's keys numbered by `numbering`, which numbers the
    /// other side's too.
    fn new(
        sentences: &[&str],
        lang: Lang,
        extra: impl Fn(usize) -> Vec<u64>,
        numbering: &mut anchors::Numbering,
    ) -> Side {
        // Characters but whitespace, counted a byte at a time: every byte
        // but a UTF-8 continuation starts a character. Only a sentence
        // beyond ASCII is decoded, for the rarer whitespace there.
        let length = |s: &str| {
            // Summed in bytes, 255 at most at a time, rather than filtered
            // and counted: the compiler makes that a loop over many bytes at
            // once.
            let counted = |b: u8| (b as i8) >= -0x40 && !matches!(b, b'\t'..=b'\r' | b' ');
            let mut n: usize = s
                .as_bytes()
                .chunks(255)
                .map(|c| c.iter().fold(0u8, |n, &b| n + u8::from(counted(b))) as usize)
                .sum();
            if !s.is_ascii() {
                n -= s
                    .chars()
                    .filter(|c| !c.is_ascii() && c.is_whitespace())
                    .count();
            }
            n as f64
        };
        // Each sentence's keys are numbered into one buffer and added to
        // the side's one list.
        let bytes = sentences.iter().map(|s| s.len()).sum();
        let mut keys = anchors::KeyLists::for_text(sentences.len(), bytes);
        let mut numbered = Vec::new();
        let mut scanner = anchors::Scanner::new(lang, bytes);
        for (k, s) in sentences.iter().enumerate() {
            numbered.clear();
            scanner.keys(s, numbering, &mut numbered);
            numbered.extend(extra(k).into_iter().map(|key| numbering.number(key)));
            keys.push(&numbered);
        }
        Side {
            lengths: sentences.iter().map(|s| length(s)).collect(),
            noise: sentences
                .iter()
                .map(|s| {
                    !s.split(|c: char| !c.is_alphabetic())
                        .any(|w| w.chars().count() >= 2)
                })
                .collect(),
            cut: sentences
                .iter()
                .zip(sentences.iter().skip(1))
                .map(|(a, b)| cut_between(a, b))
                .collect(),
            keys,
            length_sums: Vec::new(),
            weight_sums: Vec::new(),
        }
    }

    /// Sums lengths and anchor weights; call once the keys are final.
    fn seal(&mut self) {
        let mut lengths = vec![0.0];
        for v in &self.lengths {
            lengths.push(lengths[lengths.len() - 1] + v);
        }
        let mut weights = vec![0];
        for k in self.keys.iter() {
            weights.push(weights[weights.len() - 1] + anchors::units(k));
        }
        self.length_sums = lengths;
        self.weight_sums = weights;
    }

    /// The summed anchor weight of the keys of `r`.
    fn weight(&self, r: Range<usize>) -> f64 {
        anchors::nats(self.weight_sums[r.end] - self.weight_sums[r.start])
    }

    /// Whether a boundary inside the run cuts a sentence.
    fn cuts_inside(&self, r: Range<usize>) -> bool {
        self.cut[r.start..r.end - 1].iter().any(|&c| c)
    }

    fn total(&self) -> f64 {
        self.lengths.iter().sum()
    }

    fn length(&self, r: Range<usize>) -> f64 {
        self.length_sums[r.end] - self.length_sums[r.start]
    }
}

struct Model<'a> {
    src: &'a Side,
    tgt: &'a Side,
    ratio: f64,
    /// The logarithm of each run's smoothed length (the source's scaled by
    /// the ratio), for runs of one to four sentences: the length fit of a
    /// move is then a subtraction, not a logarithm.
    src_logs: [Vec<f64>; 4],
    tgt_logs: [Vec<f64>; 4],
    /// See [`others_extra`]; 0 in the first pass.
    others_extra: f64,
    /// The overlaps of the dynamic program's current row: one for the
    /// block, as its tables are as long as the block has distinct keys.
    row: RefCell<overlap::Row>,
    /// What runs of sentences share, for the links' scores.
    matcher: anchors::Matcher,
}

impl<'a> Model<'a> {
    /// `vocabulary` is the numbered key of each number
    /// ([`anchors::Numbering`]).
    fn new(src: &'a Side, tgt: &'a Side, ratio: f64, vocabulary: &[anchors::Key]) -> Model<'a> {
        let logs = |side: &Side, scale: f64| -> [Vec<f64>; 4] {
            std::array::from_fn(|k| {
                let n = side.lengths.len();
                (0..n)
                    .map(|i| (side.length(i..(i + k + 1).min(n)) * scale + SMOOTHING).ln())
                    .collect()
            })
        };
        Model {
            src,
            tgt,
            ratio,
            src_logs: logs(src, ratio),
            tgt_logs: logs(tgt, 1.0),
            others_extra: 0.0,
            row: RefCell::new(overlap::Row::new(vocabulary)),
            matcher: anchors::Matcher::new(vocabulary.len()),
        }
    }

    /// A move's prior, adjusted for what its sentences look like.
    fn prior(&self, base: f64, s: Range<usize>, t: Range<usize>) -> f64 {
        let base = if s.len() == 1 && t.len() == 1 {
            base
        } else {
            base + self.others_extra
        };
        // Both sides cut a sentence inside the link: the pieces belong
        // together, however they pair.
        if s.len() >= 2
            && t.len() >= 2
            && self.src.cuts_inside(s.clone())
            && self.tgt.cuts_inside(t.clone())
        {
            return (base - CUT).max(0.0);
        }
        // A fragment with no word (OCR debris, a stray "....."): leaving it
        // alone is cheap.
        match (s.len(), t.len()) {
            (1, 0) if self.src.noise[s.start] => return NOISE,
            (0, 1) if self.tgt.noise[t.start] => return NOISE,
            _ => {}
        }
        base
    }

    /// Three sentences on one side are likely only when they are short
    /// (fragments a translation joined): the longer, the dearer.
    fn bulk(&self, s: Range<usize>, t: Range<usize>) -> f64 {
        if s.len() + t.len() < 4 {
            return 0.0;
        }
        let chars = if s.len() >= t.len() {
            self.src.length(s)
        } else {
            self.tgt.length(t)
        };
        (chars - 150.0).max(0.0) / 60.0
    }

    /// How badly a source run and a target run fit as translations, shape
    /// prior aside: length disagreement (`lengths`, their
    /// [`lengths_fit`](Self::lengths_fit)) plus separated anchors. `shared`
    /// is what the target run shares with the source runs of its row. Past
    /// `enough`, the move has lost and the rest is not worked out.
    fn fit(
        &self,
        s: Range<usize>,
        t: Range<usize>,
        lengths: f64,
        (shared, row): (overlap::Shared, &mut overlap::Row),
        enough: f32,
    ) -> f64 {
        let matched = anchors::nats(shared.runs[s.len() - 1]);
        let anchor =
            (self.src.weight(s.clone()) + self.tgt.weight(t.clone()) - 2.0 * matched).max(0.0);
        let fit = anchor + lengths;
        if fit as f32 >= enough {
            return fit;
        }
        // See `leading_extra`.
        let (first, last) = match (s.len(), t.len()) {
            (1, n) if n >= 2 => (row.with_last(t.start), row.with_last(t.end - 1)),
            (n, 1) if n >= 2 => (shared.sentences[n - 1], shared.sentences[0]),
            _ => return fit,
        };
        fit + if first < last { LEAD } else { 0.0 }
    }

    /// [`fit`](Self::fit) of a sentence left alone: nothing is shared.
    fn fit_alone(&self, s: Range<usize>, t: Range<usize>, lengths: f64) -> f64 {
        self.src.weight(s) + self.tgt.weight(t) + lengths
    }

    /// A floor under [`fit`](Self::fit) that costs no key comparison: the
    /// lengths' disagreement (`lengths`, the [`lengths_fit`](Self::lengths_fit)
    /// of the runs), and the anchors one side has beyond the other's total.
    /// Kept a hair low so that rounding never prunes a move that would have
    /// won.
    fn floor(&self, s: Range<usize>, t: Range<usize>, lengths: f64) -> f64 {
        let gap = (self.src.weight(s) - self.tgt.weight(t)).abs();
        lengths + gap - 1e-6
    }

    /// The length part of the fit.
    fn lengths_fit(&self, s: Range<usize>, t: Range<usize>) -> f64 {
        if s.is_empty() || t.is_empty() {
            // A sentence left alone: the longer it is, the less likely.
            return (self.src.length(s) + self.tgt.length(t)) / 60.0;
        }
        let d = if s.len() <= 4 && t.len() <= 4 {
            self.tgt_logs[t.len() - 1][t.start] - self.src_logs[s.len() - 1][s.start]
        } else {
            let ls = self.src.length(s) * self.ratio;
            let lt = self.tgt.length(t);
            ((lt + SMOOTHING) / (ls + SMOOTHING)).ln()
        };
        d * d / (2.0 * SIGMA * SIGMA)
    }

    /// [`fit`](Self::fit) for a score, leaving out the words of a bridge
    /// translation: a machine translation shares only some words with a
    /// human one, which says where a link goes but not how good it is.
    fn score_fit(&self, s: Range<usize>, t: Range<usize>) -> f64 {
        let ks = self.src.keys.run(s.clone());
        let kt = self.tgt.keys.run(t.clone());
        let anchor = self.matcher.unmatched_without_words(ks, kt);
        let lead = self.leading_extra(s.clone(), t.clone(), ks, kt);
        anchor + self.lengths_fit(s, t) + lead
    }

    /// A sentence added in translation more often follows what it
    /// elaborates than precedes it: a link of one sentence and several whose
    /// first shares less with the one than its last does costs a little more.
    fn leading_extra(
        &self,
        s: Range<usize>,
        t: Range<usize>,
        ks: &[anchors::Key],
        kt: &[anchors::Key],
    ) -> f64 {
        let (one, many, side) = match (s.len(), t.len()) {
            (1, n) if n >= 2 => (ks, t, self.tgt),
            (n, 1) if n >= 2 => (kt, s, self.src),
            _ => return 0.0,
        };
        let first = self.matcher.matched(&side.keys[many.start], one, true);
        let last = self.matcher.matched(&side.keys[many.end - 1], one, true);
        if first < last { LEAD } else { 0.0 }
    }

    fn link(&self, s: Range<usize>, t: Range<usize>) -> Link {
        let fit = self.score_fit(s.clone(), t.clone());
        let shape = match (s.len(), t.len()) {
            (1, 1) => 0.0,
            (0, _) | (_, 0) => 3.0,
            (a, b) if a + b == 3 => 0.4,
            _ => 1.0,
        };
        let score = (-(fit + shape) / 3.5).exp();
        Link {
            source: s,
            target: t,
            score: score as f32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(src: &[&str], tgt: &[&str]) -> Vec<String> {
        align(src, tgt, Lang::Indonesian, Lang::English)
            .iter()
            .map(Link::shape)
            .collect()
    }

    #[test]
    fn one_to_one() {
        let src = [
            "Presiden Joko Widodo tiba di Jenewa pada Senin.",
            "Ia akan bertemu Sekjen PBB Antonio Guterres.",
            "Pertemuan itu berlangsung 2,5 jam.",
        ];
        let tgt = [
            "President Joko Widodo arrived in Geneva on Monday.",
            "He will meet UN Secretary-General Antonio Guterres.",
            "The meeting lasted 2.5 hours.",
        ];
        assert_eq!(shapes(&src, &tgt), ["1-1", "1-1", "1-1"]);
    }

    #[test]
    fn split_and_merge() {
        let src = [
            "Banjir merendam 10.000 rumah di Semarang, dan BNPB mengirim 500 personel ke lokasi pada Selasa malam.",
            "Hujan turun.",
            "Angin kencang.",
            "Warga diminta waspada.",
        ];
        let tgt = [
            "Floods submerged 10,000 homes in Semarang.",
            "BNPB sent 500 personnel to the site on Tuesday night.",
            "Rain fell and strong winds blew.",
            "Residents were asked to stay alert.",
        ];
        assert_eq!(shapes(&src, &tgt), ["1-2", "2-1", "1-1"]);
    }

    #[test]
    fn single_sentence_side_is_one_link() {
        let links = align(
            &["Satu."],
            &["One.", "Two.", "Three.", "Four."],
            Lang::Indonesian,
            Lang::English,
        );
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].target, 0..4);
    }

    #[test]
    fn empty_sides_become_null_links() {
        let links = align(&["Satu.", "Dua."], &[], Lang::Indonesian, Lang::English);
        assert_eq!(
            links.iter().map(Link::shape).collect::<Vec<_>>(),
            ["1-0", "1-0"]
        );
        assert!(links.iter().all(|l| l.score < 0.5));
    }

    #[test]
    fn a_long_block_follows_its_guide_past_an_omitted_stretch() {
        // 1,200 sentences, the translation missing 150 in the middle: the
        // path leaves the diagonal by 75 sentences, far outside the band's
        // first width around a straight line.
        let words = ["rumah", "banjir", "hujan", "warga", "jalan", "sungai"];
        let source: Vec<String> = (0..1200)
            .map(|k| {
                format!(
                    "Laporan ke-{k} dari dinas kota menyebut {} yang merendam {} rumah warga sejak pagi.",
                    words[k % 6],
                    k * 7 + 3
                )
            })
            .collect();
        let target: Vec<String> = (0..1200)
            .filter(|k| !(500..650).contains(k))
            .map(|k| {
                format!(
                    "The city office's report no. {k} mentions the {} that has flooded {} homes since morning.",
                    words[k % 6],
                    k * 7 + 3
                )
            })
            .collect();
        let s: Vec<&str> = source.iter().map(String::as_str).collect();
        let t: Vec<&str> = target.iter().map(String::as_str).collect();
        let links = align(&s, &t, Lang::Indonesian, Lang::English);
        let alone = links
            .iter()
            .filter(|l| l.target.is_empty() && (500..650).contains(&l.source.start))
            .count();
        assert!(alone >= 140, "only {alone} of the 150 left out stand alone");
        // Away from the edges of the gap, every sentence finds its own.
        for l in links.iter().filter(|l| !l.target.is_empty()) {
            let k = l.source.start;
            if (495..655).contains(&k) {
                continue;
            }
            let expected = if k < 500 { k } else { k - 150 };
            assert_eq!(
                (l.source.len(), l.target.clone()),
                (1, expected..expected + 1)
            );
        }
    }

    #[test]
    fn pieces_of_a_cut_sentence_stay_together() {
        assert!(cut_between(
            "Erstersteigung 1933 durch B.M .",
            "Abalakow , seitdem besucht ."
        ));
        assert!(cut_between("Leiter Ch .", "Evans , Gipfelmannschaft ."));
        assert!(cut_between(
            "mit dem Schlachtruf « Bär !",
            "» und ein paar Bemerkungen ."
        ));
        assert!(!cut_between(
            "Der Gipfel wurde erreicht .",
            "Die Gruppe stieg ab ."
        ));
        assert!(!cut_between("Warga mengungsi.", "Banjir surut."));
    }

    /// Three sentences whose translation moved a clause across the line
    /// between the first two: on their own they read as 1-2 and 2-1.
    const LOOSE_SOURCE: [&str; 3] = [
        "Penyaluran kredit sudah mulai tumbuh, meski belum secepat yang diharapkan, dan pada akhir tahun akan makin besar, kata Burhanudin.",
        "Ia menambahkan bahwa penyaluran kredit belum optimal karena rasio pinjaman perbankan baru mencapai 60 persen.",
        "Dana perbankan yang tersimpan di SBI saat ini sekitar Rp170 triliun.",
    ];
    const LOOSE_TARGET: [&str; 3] = [
        "Credit growth has begun, although it is not as fast as we hoped.",
        "I think by the end of the year it will grow bigger, Burhanudin said.",
        "He added that lending was not yet optimal, with the loan ratio at 60 percent, while bank funds held in SBIs stood at around Rp170 trillion.",
    ];

    /// A long text translated one sentence for one, with the loose
    /// sentences at `at`.
    fn faithful_with_loose(at: usize, total: usize) -> (Vec<String>, Vec<String>) {
        let (mut source, mut target) = (Vec::new(), Vec::new());
        for k in 0..total {
            if k == at {
                source.extend(LOOSE_SOURCE.iter().map(|s| s.to_string()));
                target.extend(LOOSE_TARGET.iter().map(|s| s.to_string()));
            }
            source.push(format!(
                "Dinas kota mencatat {} rumah terendam di kecamatan ke-{k} sejak pagi.",
                k * 13 + 7
            ));
            target.push(format!(
                "The city office counted {} flooded homes in district no. {k} since morning.",
                k * 13 + 7
            ));
        }
        (source, target)
    }

    /// Both sides of a block, their keys numbered and kept as `align_with`
    /// keeps them for a guide through `centres`, and the vocabulary.
    fn sealed_sides(
        source: &[&str],
        target: &[&str],
        centres: &[usize],
    ) -> (Side, Side, Vec<anchors::Key>) {
        let mut numbering = anchors::Numbering::default();
        let mut src = Side::new(source, Lang::Indonesian, |_| Vec::new(), &mut numbering);
        let mut tgt = Side::new(target, Lang::English, |_| Vec::new(), &mut numbering);
        let vocabulary = numbering.into_keys();
        let window = source.len() + 1;
        let ranks = vocabulary.len();
        anchors::keep_shared(&mut src.keys, &mut tgt.keys, centres, window, ranks);
        src.seal();
        tgt.seal();
        (src, tgt, vocabulary)
    }

    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    #[test]
    fn a_faithful_translation_keeps_a_loose_pair_one_to_one() {
        assert_eq!(shapes(&LOOSE_SOURCE, &LOOSE_TARGET), ["1-2", "2-1"]);
        let (source, target) = faithful_with_loose(500, 1000);
        let links = align(
            &strs(&source),
            &strs(&target),
            Lang::Indonesian,
            Lang::English,
        );
        assert_eq!(links.len(), 1003);
        assert!(links.iter().all(Link::is_one_to_one), "{links:?}");
    }

    #[test]
    fn the_local_second_pass_matches_a_whole_one() {
        for at in [0, 3, 40] {
            let (source, target) = faithful_with_loose(at, 60);
            let (source, target) = (strs(&source), strs(&target));
            let (n, m) = (source.len(), target.len());
            let guide = Guide::diagonal(n, m);
            let (src, tgt, vocabulary) = sealed_sides(&source, &target, &guide.centres);
            let mut model = Model::new(&src, &tgt, tgt.total() / src.total(), &vocabulary);
            let whole = Band::new(n, m, n + 1, &guide);
            let first = whole.best_path(&model).0;
            assert!(first.iter().any(|l| !l.is_one_to_one()));
            model.others_extra = others_extra(&first);
            assert!(model.others_extra > 0.5, "{}", model.others_extra);
            let local = realign_others(first, &model);
            assert_eq!(local, whole.best_path(&model).0, "loose pair at {at}");
        }
    }

    #[test]
    fn a_straight_guide_widens_where_the_path_strays() {
        // Two joins, then two splits: the path runs two sentences off the
        // diagonal, past the edge of the band a straight guide gets.
        let one = |k: usize| format!("Warehouse {k} received {} tons of rice that day.", 100 + k);
        let source: Vec<String> = (0..12)
            .map(|k| match k {
                6 | 7 => format!(
                    "Gudang {k} menerima {} ton beras dan mengirim {} ton gula.",
                    100 + k,
                    200 + k
                ),
                _ => format!("Gudang {k} menerima {} ton beras pada hari itu.", 100 + k),
            })
            .collect();
        let mut target: Vec<String> = vec![one(0), one(1)];
        for k in [2, 4] {
            target.push(format!(
                "Warehouse {k} received {} tons of rice, and warehouse {} received {} tons.",
                100 + k,
                k + 1,
                101 + k
            ));
        }
        for k in [6, 7] {
            target.push(one(k));
            target.push(format!("It sent {} tons of sugar.", 200 + k));
        }
        target.extend((8..12).map(one));
        let (source, target) = (strs(&source), strs(&target));
        let (n, m) = (source.len(), target.len());
        assert_eq!((n, m), (12, 12));
        let guide = Guide {
            straight: vec![true; n + 1],
            ..Guide::diagonal(n, m)
        };
        let (src, tgt, vocabulary) = sealed_sides(&source, &target, &guide.centres);
        let model = Model::new(&src, &tgt, tgt.total() / src.total(), &vocabulary);
        let (_, edges) = Band::new(n, m, GUIDED_HALF, &guide).best_path(&model);
        assert!(!edges.is_empty(), "the narrow band holds the path");
        let path = banded_path(n, m, GUIDED_HALF, &guide, &model);
        let whole = Band::new(n, m, 3 * (n + 1), &guide).best_path(&model).0;
        assert_eq!(path, whole);
        let shapes: Vec<String> = path.iter().map(Link::shape).collect();
        assert_eq!(
            shapes,
            [
                "1-1", "1-1", "2-1", "2-1", "1-2", "1-2", "1-1", "1-1", "1-1", "1-1"
            ]
        );
    }

    #[test]
    fn straight_stretches_either_side_of_a_jump_stay_joined() {
        // Twelve source sentences; the target has eight sentences the source
        // lacks after its sixth. The guide is straight on both sides of the
        // jump, with no row inside it: the narrow rows must still cover it.
        let one = |k: usize| format!("Gudang {k} menerima {} ton beras.", 100 + k);
        let en = |k: usize| format!("Warehouse {k} received {} tons of rice.", 100 + k);
        let source: Vec<String> = (0..12).map(one).collect();
        let mut target: Vec<String> = (0..6).map(en).collect();
        target.extend((0..8).map(|k| format!("An aside number {k} of {}.", 900 + k)));
        target.extend((6..12).map(en));
        let (source, target) = (strs(&source), strs(&target));
        let (n, m) = (source.len(), target.len());
        let centres: Vec<usize> = (0..=n).map(|i| if i <= 6 { i } else { i + 8 }).collect();
        let guide = Guide {
            centres,
            straight: vec![true; n + 1],
        };
        let (src, tgt, vocabulary) = sealed_sides(&source, &target, &guide.centres);
        let model = Model::new(&src, &tgt, tgt.total() / src.total(), &vocabulary);
        let path = banded_path(n, m, GUIDED_HALF, &guide, &model);
        let whole = Band::new(n, m, 3 * (m + 1), &guide).best_path(&model).0;
        assert_eq!(path, whole);
        // Past the jump, each sentence is paired with its own translation.
        for i in 7..12 {
            let pair = |l: &&Link| l.source == (i..i + 1) && l.target == (i + 8..i + 9);
            assert!(path.iter().any(|l| pair(&l)), "{i}: {path:?}");
        }
    }

    #[test]
    fn second_pass_windows_stay_small() {
        let link = |a: usize, b: usize| Link {
            source: 0..a,
            target: 0..b,
            score: 1.0,
        };
        // A link that is not 1-1 every sixth: close enough to chain into
        // one window the length of the text, were windows not bounded.
        let path: Vec<Link> = (0..6000)
            .map(|k| if k % 6 == 0 { link(2, 1) } else { link(1, 1) })
            .collect();
        let chained = windows(&path);
        assert!(chained.len() > 100, "{}", chained.len());
        for w in &chained {
            assert!(w.len() <= WINDOW_LINKS + 2 * AROUND + 1, "{w:?}");
        }
        // Every link that is not 1-1 is in a window, and windows do not
        // overlap.
        for (k, l) in path.iter().enumerate() {
            if !l.is_one_to_one() {
                assert!(chained.iter().any(|w| w.contains(&k)), "{k}");
            }
        }
        assert!(chained.windows(2).all(|p| p[0].end <= p[1].start));
        // Links far from any other stay out of the windows.
        let mut sparse = vec![link(1, 1); 100];
        sparse[50] = link(1, 2);
        assert_eq!(windows(&sparse), vec![Range { start: 46, end: 55 }]);
    }

    #[test]
    fn priors_stay_usual_for_short_or_loose_texts() {
        let link = |a: usize, b: usize| Link {
            source: 0..a,
            target: 0..b,
            score: 1.0,
        };
        // A short paragraph all 1-1 says little about the translation.
        assert!(others_extra(&vec![link(1, 1); 5]) < 0.1);
        // A quarter of the links merged or split: the usual priors.
        let mixed: Vec<Link> = (0..400)
            .map(|k| if k % 4 == 0 { link(2, 1) } else { link(1, 1) })
            .collect();
        assert_eq!(others_extra(&mixed), 0.0);
        // Thousands of lines, a handful not 1-1: as dear as allowed.
        let mut lines = vec![link(1, 1); 6000];
        lines[3000] = link(2, 1);
        assert_eq!(others_extra(&lines), MOST_EXTRA);
    }

    #[test]
    fn scores_are_in_range() {
        let links = align(
            &["A b c.", "D e f g h i j k l m n o p q r s t u v w x y z."],
            &[
                "Completely different and much much longer sentence here.",
                "X.",
            ],
            Lang::Indonesian,
            Lang::English,
        );
        for l in links {
            assert!((0.0..=1.0).contains(&l.score), "{l:?}");
        }
    }
}
