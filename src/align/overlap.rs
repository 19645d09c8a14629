//! The anchor weight a run of source sentences and a run of target
//! sentences share, for every pair of runs the dynamic program tries at a
//! cell.
//!
//! Merging the sorted keys of two runs for each move is a chain of
//! dependent loads, and the program tries a dozen moves at a cell. Instead,
//! each row numbers the distinct keys of the source sentences its moves can
//! take and counts them per sentence; each target sentence near the row is
//! then a short list of those numbers, and a move sums a few counts. The
//! result is exactly the merge's: each shared key counts as often as the
//! rarer side has it.

use std::ops::Range;

use super::anchors::{self, KeyLists};

/// The most sentences on one side of a move.
pub const MOST: usize = 4;

/// The overlaps of one row of the dynamic program: source runs ending at
/// the row's position, target runs ending anywhere near it.
#[derive(Default)]
pub struct Row {
    /// The distinct keys of the row's last `MOST` source sentences, in no
    /// particular order.
    keys: Vec<u64>,
    units: Vec<u32>,
    strong: Vec<bool>,
    /// For each key, how often it occurs in the source sentence `o` places
    /// before the row's position (`o = 0`: the last one).
    counts: Vec<[u32; MOST]>,
    /// For each key, how often it occurs in the last `a + 1` sentences.
    runs: Vec<[u32; MOST]>,
    /// An open-addressed table from key to its number, plus one.
    slots: Vec<u32>,
    /// The target sentences the row looks at, and for each the numbers of
    /// its keys the source sentences have (repeated as often as it has
    /// them).
    targets: Range<usize>,
    starts: Vec<u32>,
    found: Vec<u32>,
    /// How much each target sentence shares with the last source sentence,
    /// worked out once asked for ([`UNKNOWN`] until then): only a link of
    /// one sentence and several that is close to winning asks.
    with_last: Vec<u32>,
    /// Counts summed over a target run, zero outside `touched`.
    scratch: Vec<u32>,
    touched: Vec<u32>,
}

/// What a target run shares with the row's source runs.
#[derive(Clone, Copy, Default)]
pub struct Shared {
    /// With the last `a + 1` source sentences, in twentieths of a nat.
    pub runs: [u32; MOST],
    /// With the source sentence `o` places before the row's position
    /// alone.
    pub sentences: [u32; MOST],
}

impl Row {
    /// Prepares the row at source position `i`: `source` are all source
    /// sentences' keys, `target` all target sentences', and `targets` the
    /// target sentences the row's moves may take.
    pub fn start(&mut self, source: &KeyLists, i: usize, target: &KeyLists, targets: Range<usize>) {
        self.keys.clear();
        self.units.clear();
        self.strong.clear();
        self.counts.clear();
        self.runs.clear();
        let sentences = MOST.min(i);
        let most: usize = (0..sentences).map(|o| source[i - 1 - o].len()).sum();
        let size = (most * 2).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(size, 0);
        for o in 0..sentences {
            for &key in &source[i - 1 - o] {
                let mut s = slot(key, size);
                let x = loop {
                    match self.slots[s] {
                        0 => {
                            self.keys.push(key);
                            self.units.push(anchors::units(&[key]));
                            self.strong.push(anchors::is_strong(key));
                            self.counts.push([0; MOST]);
                            self.slots[s] = self.keys.len() as u32;
                            break self.keys.len() - 1;
                        }
                        x if self.keys[x as usize - 1] == key => break x as usize - 1,
                        _ => s = (s + 1) & (size - 1),
                    }
                };
                self.counts[x][o] += 1;
            }
        }
        for c in &self.counts {
            let mut run = [0; MOST];
            let mut sum = 0;
            for (a, slot) in run.iter_mut().enumerate() {
                sum += c[a];
                *slot = sum;
            }
            self.runs.push(run);
        }
        self.scratch.clear();
        self.scratch.resize(self.keys.len(), 0);

        self.targets = targets.clone();
        self.starts.clear();
        self.found.clear();
        self.with_last.clear();
        for j in targets {
            self.starts.push(self.found.len() as u32);
            for &key in &target[j] {
                if let Some(x) = self.number(key) {
                    self.found.push(x);
                }
            }
            self.with_last.push(UNKNOWN);
        }
        self.starts.push(self.found.len() as u32);
    }

    fn number(&self, key: u64) -> Option<u32> {
        let size = self.slots.len();
        let mut s = slot(key, size);
        loop {
            match self.slots[s] {
                0 => return None,
                x if self.keys[x as usize - 1] == key => return Some(x - 1),
                _ => s = (s + 1) & (size - 1),
            }
        }
    }

    /// What target sentences `t` share with the row's source runs and
    /// sentences.
    pub fn shared(&mut self, t: Range<usize>) -> Shared {
        let from = self.starts[t.start - self.targets.start] as usize;
        let to = self.starts[t.end - self.targets.start] as usize;
        let shared = self.sum(from..to);
        if t.len() == 1 {
            self.with_last[t.start - self.targets.start] = shared.sentences[0];
        }
        shared
    }

    fn sum(&mut self, found: Range<usize>) -> Shared {
        for &x in &self.found[found] {
            if self.scratch[x as usize] == 0 {
                self.touched.push(x);
            }
            self.scratch[x as usize] += 1;
        }
        let mut out = Shared::default();
        for &x in &self.touched {
            let x = x as usize;
            let (have, units) = (self.scratch[x], self.units[x]);
            for a in 0..MOST {
                out.runs[a] += have.min(self.runs[x][a]) * units;
                out.sentences[a] += have.min(self.counts[x][a]) * units;
            }
            self.scratch[x] = 0;
        }
        self.touched.clear();
        out
    }

    /// How much target sentence `j` shares with the last source sentence.
    pub fn with_last(&mut self, j: usize) -> u32 {
        match self.with_last[j - self.targets.start] {
            UNKNOWN => self.shared(j..j + 1).sentences[0],
            known => known,
        }
    }

    /// Whether the last `a` source sentences and target sentences `t` each
    /// share a strong anchor with the other run, sentences for which
    /// `short_source(o)` (counted back from the row's position) or
    /// `short_target(j)` holds aside.
    pub fn covered(
        &mut self,
        a: usize,
        t: Range<usize>,
        short_source: impl Fn(usize) -> bool,
        short_target: impl Fn(usize) -> bool,
    ) -> bool {
        for j in t.clone() {
            if short_target(j) {
                continue;
            }
            let from = self.starts[j - self.targets.start] as usize;
            let to = self.starts[j + 1 - self.targets.start] as usize;
            let shares = self.found[from..to]
                .iter()
                .any(|&x| self.strong[x as usize] && self.runs[x as usize][a - 1] > 0);
            if !shares {
                return false;
            }
        }
        let from = self.starts[t.start - self.targets.start] as usize;
        let to = self.starts[t.end - self.targets.start] as usize;
        let in_target = |x: usize| self.found[from..to].contains(&(x as u32));
        (0..a).all(|o| {
            short_source(o)
                || (0..self.keys.len())
                    .any(|x| self.strong[x] && self.counts[x][o] > 0 && in_target(x))
        })
    }
}

/// A share not worked out yet: no sum of weights comes near it.
const UNKNOWN: u32 = u32::MAX;

/// Where a key's search starts in a table of `size` slots. Keys are hashes
/// already, their class in the top byte: the multiply spreads both.
fn slot(key: u64, size: usize) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize & (size - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Lang;

    #[test]
    fn sums_equal_the_merge_of_the_runs() {
        let source: Vec<anchors::Keys> = [
            "Presiden Joko Widodo tiba di Jenewa pada Senin, 10.000 orang?",
            "Ia bertemu Sekjen PBB Antonio Guterres di Jenewa.",
            "Pertemuan itu berlangsung 2,5 jam: \"damai\".",
            "Widodo dan Guterres membahas Gaza dan Ukraina.",
            "Jenewa, Jenewa, Jenewa.",
        ]
        .iter()
        .map(|s| anchors::keys(s, Lang::Indonesian))
        .collect();
        let target: Vec<anchors::Keys> = [
            "President Joko Widodo arrived in Geneva on Monday.",
            "10,000 people? He met UN Secretary-General Antonio Guterres.",
            "The meeting lasted 2.5 hours: \"peace\".",
            "Widodo and Guterres discussed Gaza and Ukraine in Jenewa.",
            "Jenewa Jenewa.",
        ]
        .iter()
        .map(|s| anchors::keys(s, Lang::English))
        .collect();
        let merged = |keys: &[anchors::Keys]| {
            let mut all: anchors::Keys = keys.iter().flatten().copied().collect();
            all.sort_unstable();
            all
        };
        let lists = |side: &[anchors::Keys]| side.iter().cloned().collect::<KeyLists>();
        let (source_lists, target_lists) = (lists(&source), lists(&target));
        let mut row = Row::default();
        for i in 0..=source.len() {
            row.start(&source_lists, i, &target_lists, 0..target.len());
            for j0 in 0..target.len() {
                for j1 in j0 + 1..=target.len().min(j0 + MOST) {
                    let shared = row.shared(j0..j1);
                    let kt = merged(&target[j0..j1]);
                    for a in 1..=MOST.min(i) {
                        let ks = merged(&source[i - a..i]);
                        let expected = anchors::matched(&ks, &kt);
                        assert_eq!(anchors::nats(shared.runs[a - 1]), expected);
                        let one = anchors::matched(&source[i - a], &kt);
                        assert_eq!(anchors::nats(shared.sentences[a - 1]), one);
                        let strong = |x: &[u64], y: &[u64]| anchors::shares(x, y);
                        let covered = (i - a..i).all(|k| strong(&source[k], &kt))
                            && (j0..j1).all(|k| strong(&target[k], &ks));
                        assert_eq!(row.covered(a, j0..j1, |_| false, |_| false), covered);
                    }
                    if i > 0 && j1 == j0 + 1 {
                        let last = anchors::matched(&target[j0], &source[i - 1]);
                        assert_eq!(anchors::nats(row.with_last(j0)), last);
                    }
                }
            }
        }
    }
}
