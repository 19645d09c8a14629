//! Sentence alignment within a paragraph (SPEC §3).
//!
//! Dynamic programming over links 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 2-3, 3-2,
//! 1-4, 4-1, 3-3, 1-0 and 0-1.
//! A link's cost adds a prior for its shape, the length ratio in log space
//! (against the paragraph's own ratio, so any language pair works), and the
//! weight of anchors (numbers, names, cognates, quotes, question marks,
//! brackets, colons) that the link separates from their partners. The path
//! covers every sentence of both sides once, in order: nothing is lost or
//! duplicated by construction.

pub(crate) mod anchors;
mod lexicon;

pub use self::anchors::{bridge_keys, glossary_key};

use std::borrow::Cow;
use std::ops::Range;

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

/// What leaving a fragment without a word unaligned costs.
const NOISE: f64 = 1.5;

/// Sentences shorter than this (characters, spaces aside) may join a link of
/// five sentences or more without an anchor of their own: list items and
/// the pieces of a cut sentence.
const SHORT: f64 = 50.0;

/// The extra cost of a merge whose added sentence comes first (see
/// `Model::leading_extra`).
const LEAD: f64 = 0.3;

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
/// with the sentence and whether it is a source sentence.
pub type Extra<'a> = dyn Fn(&str, bool) -> Vec<u64> + 'a;

/// [`align`], with extra anchors (the glossary's names).
pub fn align_with(
    source: &[&str],
    target: &[&str],
    from: Lang,
    to: Lang,
    extra: &Extra,
) -> Vec<Link> {
    let (n, m) = (source.len(), target.len());
    let mut src = Side::new(source, from, |s| extra(s, true));
    let mut tgt = Side::new(target, to, |s| extra(s, false));
    anchors::keep_shared(&mut src.keys, &mut tgt.keys, band_start(n, m));
    src.seal();
    tgt.seal();
    let ratio = if src.total() > 0.0 && tgt.total() > 0.0 {
        (tgt.total() / src.total()).clamp(0.4, 2.5)
    } else {
        1.0
    };
    let model = Model {
        src: &src,
        tgt: &tgt,
        ratio,
    };

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

    // A band around the diagonal keeps time and memory linear for long
    // texts; a path that runs along the band's edge may have been squeezed,
    // so the band doubles until the path stays clear of its edges.
    let mut half = band_start(n, m);
    loop {
        let band = Band::new(n, m, half);
        let (path, squeezed) = band.best_path(&model);
        if !squeezed || band.is_full() {
            return path;
        }
        half *= 2;
    }
}

/// The first half-width of the band: the whole table for paragraphs of
/// ordinary size.
fn band_start(n: usize, m: usize) -> usize {
    if n * m <= 250_000 {
        n.max(m) + 1
    } else {
        64 + n.abs_diff(m) / 8
    }
}

/// The cells of the dynamic program kept for each source position: the
/// targets within `half` of the diagonal.
struct Band {
    n: usize,
    m: usize,
    half: usize,
    /// For row i, the first target index kept and where its cells start.
    lo: Vec<usize>,
    hi: Vec<usize>,
    start: Vec<usize>,
}

impl Band {
    fn new(n: usize, m: usize, half: usize) -> Band {
        let (mut lo, mut hi, mut start) = (
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 2),
        );
        start.push(0);
        for i in 0..=n {
            let centre = i * m / n.max(1);
            let l = centre.saturating_sub(half);
            let h = (centre + half).min(m);
            lo.push(l);
            hi.push(h);
            start.push(start[i] + (h - l + 1));
        }
        Band {
            n,
            m,
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
        (j >= self.lo[i] && j <= self.hi[i]).then(|| self.start[i] + j - self.lo[i])
    }

    /// The cheapest path through the band, and whether it touches the
    /// band's edge somewhere the edge is not the table's.
    fn best_path(&self, model: &Model) -> (Vec<Link>, bool) {
        let cells = self.start[self.n + 1];
        let mut cost = vec![f32::INFINITY; cells];
        let mut back = vec![0u8; cells];
        cost[0] = 0.0;
        for i in 0..=self.n {
            for j in self.lo[i]..=self.hi[i] {
                if i == 0 && j == 0 {
                    continue;
                }
                let mut best = f32::INFINITY;
                let mut best_move = 0u8;
                for (k, &(a, b, prior)) in MOVES.iter().enumerate() {
                    if a > i || b > j {
                        continue;
                    }
                    let Some(at) = self.cell(i - a, j - b) else {
                        continue;
                    };
                    let prior = model.prior(prior, i - a..i, j - b..j);
                    // Five sentences or more in one link only when each has
                    // a partner on the other side, or is short: an omitted
                    // stretch must not be swallowed whole.
                    if a + b >= 5 && !model.covered(i - a..i, j - b..j) {
                        continue;
                    }
                    let before = cost[at];
                    // The fit is never negative: a move that cannot beat the
                    // best so far on its prior alone is not worth scoring.
                    if !before.is_finite() || before + prior as f32 >= best {
                        continue;
                    }
                    let c = before
                        + (prior + model.fit(i - a..i, j - b..j) + model.bulk(i - a..i, j - b..j))
                            as f32;
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

        let mut links = Vec::new();
        let mut squeezed = false;
        let (mut i, mut j) = (self.n, self.m);
        while i > 0 || j > 0 {
            let edge = (j == self.lo[i] && j > 0) || (j == self.hi[i] && j < self.m);
            squeezed |= edge && i > 0 && i < self.n;
            let (a, b, _) = MOVES[back[self.cell(i, j).expect("on the path")] as usize];
            links.push(model.link(i - a..i, j - b..j));
            i -= a;
            j -= b;
        }
        links.reverse();
        (links, squeezed)
    }
}

/// One side of a paragraph: sentence lengths and anchor keys.
struct Side {
    lengths: Vec<f64>,
    /// Sentences without a word of two letters or more.
    noise: Vec<bool>,

    keys: Vec<anchors::Keys>,
    /// The keys of every run of two and of three sentences, merged once so
    /// that the dynamic program's inner loop allocates nothing.
    pairs: Vec<anchors::Keys>,
    triples: Vec<anchors::Keys>,
    /// The summed anchor weight of each run of one, two and three sentences.
    weights: [Vec<f64>; 3],
}

impl Side {
    fn new(sentences: &[&str], lang: Lang, extra: impl Fn(&str) -> Vec<u64>) -> Side {
        Side {
            lengths: sentences
                .iter()
                .map(|s| s.chars().filter(|c| !c.is_whitespace()).count() as f64)
                .collect(),
            noise: sentences
                .iter()
                .map(|s| {
                    !s.split(|c: char| !c.is_alphabetic())
                        .any(|w| w.chars().count() >= 2)
                })
                .collect(),
            keys: sentences
                .iter()
                .map(|s| {
                    let mut keys = anchors::keys(s, lang);
                    keys.extend(extra(s));
                    keys.sort_unstable();
                    keys
                })
                .collect(),
            pairs: Vec::new(),
            triples: Vec::new(),
            weights: Default::default(),
        }
    }

    /// Merges the keys of runs of two and three sentences; call once the
    /// keys are final.
    fn seal(&mut self) {
        let run = |keys: &[anchors::Keys], len: usize| -> Vec<anchors::Keys> {
            (0..keys.len())
                .map(|i| {
                    let mut all: Vec<u64> = keys[i..(i + len).min(keys.len())]
                        .iter()
                        .flatten()
                        .copied()
                        .collect();
                    all.sort_unstable();
                    all
                })
                .collect()
        };
        self.pairs = run(&self.keys, 2);
        self.triples = run(&self.keys, 3);
        let totals = |runs: &[anchors::Keys]| runs.iter().map(|k| anchors::total(k)).collect();
        self.weights = [
            totals(&self.keys),
            totals(&self.pairs),
            totals(&self.triples),
        ];
    }

    /// The summed anchor weight of the keys of `r`.
    fn weight(&self, r: Range<usize>) -> f64 {
        match r.len() {
            0 => 0.0,
            len @ 1..=3 => self.weights[len - 1][r.start],
            _ => anchors::total(&self.keys(r)),
        }
    }

    fn total(&self) -> f64 {
        self.lengths.iter().sum()
    }

    fn length(&self, r: Range<usize>) -> f64 {
        self.lengths[r].iter().sum()
    }

    fn keys(&self, r: Range<usize>) -> Cow<'_, [u64]> {
        match r.len() {
            0 => Cow::Borrowed(&[]),
            1 => Cow::Borrowed(&self.keys[r.start]),
            2 => Cow::Borrowed(&self.pairs[r.start]),
            3 => Cow::Borrowed(&self.triples[r.start]),
            _ => {
                let mut all: Vec<u64> = self.keys[r].iter().flatten().copied().collect();
                all.sort_unstable();
                Cow::Owned(all)
            }
        }
    }
}

struct Model<'a> {
    src: &'a Side,
    tgt: &'a Side,
    ratio: f64,
}

impl Model<'_> {
    /// Whether every sentence of a link that is not [`SHORT`] shares a
    /// strong anchor with the other side of it.
    fn covered(&self, s: Range<usize>, t: Range<usize>) -> bool {
        let (ks, kt) = (self.src.keys(s.clone()), self.tgt.keys(t.clone()));
        let short = |side: &Side, k: usize| side.lengths[k] < SHORT;
        s.clone()
            .all(|i| short(self.src, i) || anchors::shares(&self.src.keys[i], &kt))
            && t.clone()
                .all(|j| short(self.tgt, j) || anchors::shares(&self.tgt.keys[j], &ks))
    }

    /// A move's prior, adjusted for what its sentences look like.
    fn prior(&self, base: f64, s: Range<usize>, t: Range<usize>) -> f64 {
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
    /// prior aside: length disagreement plus separated anchors.
    fn fit(&self, s: Range<usize>, t: Range<usize>) -> f64 {
        self.fit_with(s, t, false)
    }

    /// [`fit`](Self::fit); for a score, leaving out the words of a bridge
    /// translation: a machine translation shares only some words with a
    /// human one, which says where a link goes but not how good it is.
    fn fit_with(&self, s: Range<usize>, t: Range<usize>, scoring: bool) -> f64 {
        let ks = self.src.keys(s.clone());
        let kt = self.tgt.keys(t.clone());
        let anchor = if scoring {
            anchors::unmatched_without_words(&ks, &kt)
        } else {
            let shared = anchors::matched(&ks, &kt);
            (self.src.weight(s.clone()) + self.tgt.weight(t.clone()) - 2.0 * shared).max(0.0)
        };
        if s.is_empty() || t.is_empty() {
            // A sentence left alone: the longer it is, the less likely.
            let len = self.src.length(s) + self.tgt.length(t);
            return anchor + len / 60.0;
        }
        let lead = self.leading_extra(s.clone(), t.clone(), &ks, &kt);
        let ls = self.src.length(s) * self.ratio;
        let lt = self.tgt.length(t);
        let d = ((lt + SMOOTHING) / (ls + SMOOTHING)).ln();
        anchor + d * d / (2.0 * SIGMA * SIGMA) + lead
    }

    /// A sentence added in translation more often follows what it
    /// elaborates than precedes it: a link of one sentence and several whose
    /// first shares less with the one than its last does costs a little more.
    fn leading_extra(&self, s: Range<usize>, t: Range<usize>, ks: &[u64], kt: &[u64]) -> f64 {
        let (one, many, side) = match (s.len(), t.len()) {
            (1, n) if n >= 2 => (ks, t, self.tgt),
            (n, 1) if n >= 2 => (kt, s, self.src),
            _ => return 0.0,
        };
        let first = anchors::matched(&side.keys[many.start], one);
        let last = anchors::matched(&side.keys[many.end - 1], one);
        if first < last { LEAD } else { 0.0 }
    }

    fn link(&self, s: Range<usize>, t: Range<usize>) -> Link {
        let fit = self.fit_with(s.clone(), t.clone(), true);
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
