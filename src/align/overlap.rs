//! The anchor weight a run of source sentences and a run of target
//! sentences share, for every pair of runs the dynamic program tries at a
//! cell.
//!
//! Merging the sorted keys of two runs for each move is a chain of
//! dependent loads, and the program tries a dozen moves at a cell. Instead,
//! the row keeps, for every key by its rank, how often each of the last
//! `MOST` source sentences has it; each target sentence near the row is then
//! a short list of the ranks of its keys the source sentences have, and a
//! move sums a few counts. The result is exactly the merge's: each shared
//! key counts as often as the rarer side has it.

use std::ops::Range;

use super::anchors::{self, KeyLists};

/// The most sentences on one side of a move.
pub const MOST: usize = 4;

/// The overlaps of one row of the dynamic program: source runs ending at
/// the row's position, target runs ending anywhere near it. Made once for
/// a block and moved from row to row: each row changes one source sentence.
pub struct Row {
    /// What the row keeps for each key rank, side by side: a key's
    /// counts, weight and scratch count are read together.
    ranks: Vec<Rank>,
    /// For each key rank, whether it is strong.
    strong: Vec<bool>,
    /// The source sentence in each lane, if any.
    lanes: [Option<usize>; MOST],
    /// The row's position.
    at: usize,
    /// How far a count turns right to hold the sentence `o` places before
    /// the row's position in lane `o`, and those of its lanes that hold
    /// such a sentence (the first rows have fewer than `MOST` before them).
    turn: u32,
    valid: u64,
    /// The target sentences the row looks at, and for each the ranks of
    /// its keys the source sentences have (repeated as often as it has
    /// them).
    targets: Range<usize>,
    starts: Vec<u32>,
    found: Vec<u32>,
    /// How much each target sentence shares with the last source sentence,
    /// worked out once asked for ([`UNKNOWN`] until then): only a link of
    /// one sentence and several that is close to winning asks.
    with_last: Vec<u32>,
    /// The ranks with a scratch count, in the order met (room kept from
    /// sum to sum).
    touched: Vec<u32>,
}

/// One key rank's part of a [`Row`].
#[derive(Clone, Copy, Default)]
struct Rank {
    /// How often source sentence `k` has the key, in lane [`lane`]`(k)`
    /// of 16 bits (a count beyond 65,535 stays there).
    counts: u64,
    /// The key's weight.
    units: u32,
    /// How often a target run has it, summed over the run; zero outside
    /// `touched`.
    scratch: u32,
}

/// A rank's `counts`, turned so that the sentence `o` places before the
/// row's position is in lane `o`, and lanes that hold no such sentence
/// cleared (see [`Row::turn`]).
fn in_reach(counts: u64, turn: u32, valid: u64) -> u64 {
    counts.rotate_right(turn) & valid
}

/// What a target run shares with the row's source runs.
#[derive(Clone, Copy, Default)]
pub struct Shared {
    /// With the last `a + 1` source sentences, in twentieths of a nat.
    pub runs: [u32; MOST],
    /// With the source sentence `o` places before the row's position
    /// alone: for a run of one target sentence only (zero for longer
    /// runs), the only kind of move that asks.
    pub sentences: [u32; MOST],
}

impl Row {
    /// A row for keys numbered by an [`anchors::Numbering`]: `vocabulary`
    /// is the numbered key of each number.
    pub fn new(vocabulary: &[anchors::Key]) -> Row {
        Row {
            ranks: vocabulary
                .iter()
                .map(|&k| Rank {
                    units: anchors::units(&[k]),
                    ..Rank::default()
                })
                .collect(),
            strong: vocabulary.iter().map(|&k| anchors::is_strong(k)).collect(),
            lanes: [None; MOST],
            at: 0,
            turn: 0,
            valid: 0,
            targets: 0..0,
            starts: Vec::new(),
            found: Vec::new(),
            with_last: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Prepares the row at source position `i`: `source` are all source
    /// sentences' keys, `target` all target sentences', and `targets` the
    /// target sentences the row's moves may take.
    // Out of line: inlined into the dynamic program, it made the whole
    // 12 million instructions longer on 19,744 pairs.
    #[inline(never)]
    pub fn start(&mut self, source: &KeyLists, i: usize, target: &KeyLists, targets: Range<usize>) {
        self.at = i;
        // Sentence `i - 1 - o` is in lane `(o + 1 - i) mod MOST`.
        self.turn = 16 * lane(i + MOST - 1) as u32;
        self.valid = match i {
            0..MOST => (1 << (16 * i)) - 1,
            _ => u64::MAX,
        };
        for k in i.saturating_sub(MOST)..i {
            let lane = lane(k);
            if self.lanes[lane] == Some(k) {
                continue;
            }
            let shift = 16 * lane;
            if let Some(old) = self.lanes[lane] {
                for &x in &source[old] {
                    self.ranks[anchors::rank(x)].counts &= !(0xffff << shift);
                }
            }
            for &x in &source[k] {
                let c = &mut self.ranks[anchors::rank(x)].counts;
                if (*c >> shift) & 0xffff < 0xffff {
                    *c += 1 << shift;
                }
            }
            self.lanes[lane] = Some(k);
        }
        // A band that starts behind the last row leaves lanes holding
        // sentences at or past this one: they are emptied.
        for lane in 0..MOST {
            if let Some(old) = self.lanes[lane].filter(|&k| k >= i || k + MOST < i) {
                for &x in &source[old] {
                    self.ranks[anchors::rank(x)].counts &= !(0xffff << (16 * lane));
                }
                self.lanes[lane] = None;
            }
        }

        self.targets = targets.clone();
        self.starts.clear();
        self.with_last.clear();
        self.with_last.resize(targets.len(), UNKNOWN);
        // Room for every key of the targets, made once: each key is written
        // and kept only if a source sentence has it, with no branch on
        // that, which goes either way at random.
        self.found.clear();
        self.found.resize(target.run(targets.clone()).len(), 0);
        let mut end = 0;
        for j in targets {
            self.starts.push(end as u32);
            for &x in &target[j] {
                let x = anchors::rank(x);
                self.found[end] = x as u32;
                end += usize::from(self.ranks[x].counts != 0);
            }
        }
        self.found.truncate(end);
        self.starts.push(end as u32);
    }

    /// How often each of the last `MOST` source sentences has the key of
    /// rank `x`, the last in the lowest lane.
    fn counts(&self, x: usize) -> u64 {
        in_reach(self.ranks[x].counts, self.turn, self.valid)
    }

    /// What target sentences `t` share with the row's source runs and
    /// sentences.
    pub fn shared(&mut self, t: Range<usize>) -> Shared {
        let from = self.starts[t.start - self.targets.start] as usize;
        let to = self.starts[t.end - self.targets.start] as usize;
        let shared = self.sum(from..to, t.len() == 1);
        if t.len() == 1 {
            self.with_last[t.start - self.targets.start] = shared.sentences[0];
        }
        shared
    }

    fn sum(&mut self, found: Range<usize>, sentences: bool) -> Shared {
        // Branch-free, as in `start`; the room is kept from call to call,
        // and only its first `distinct` places are this call's.
        if self.touched.len() < found.len() {
            self.touched.resize(found.len(), 0);
        }
        let mut distinct = 0;
        for &x in &self.found[found] {
            self.touched[distinct] = x;
            let rank = &mut self.ranks[x as usize];
            distinct += usize::from(rank.scratch == 0);
            rank.scratch += 1;
        }
        let mut out = Shared::default();
        // The units of keys that the runs share from their `o`th sentence
        // on, once each: most keys are once in the target run and at most
        // once in each source sentence, and such a key adds its units to
        // every run that reaches back to the first sentence that has it.
        let mut from = [0; MOST + 1];
        let (turn, valid) = (self.turn, self.valid);
        for &x in &self.touched[..distinct] {
            let rank = &mut self.ranks[x as usize];
            let (have, units) = (rank.scratch, rank.units);
            rank.scratch = 0;
            let counts = in_reach(rank.counts, turn, valid);
            let count = |o: usize| (counts >> (16 * o)) as u32 & 0xffff;
            if have == 1 && counts & !ONES == 0 {
                // A key no sentence in reach has (all counts 0) goes to
                // `from[MOST]`, which no run sums.
                from[counts.trailing_zeros() as usize / 16] += units;
                if sentences {
                    for (o, sum) in out.sentences.iter_mut().enumerate() {
                        *sum += count(o) * units;
                    }
                }
            } else {
                let mut run = 0;
                for o in 0..MOST {
                    run += count(o);
                    out.runs[o] += have.min(run) * units;
                    if sentences {
                        out.sentences[o] += have.min(count(o)) * units;
                    }
                }
            }
        }
        let mut reached = 0;
        for (run, from) in out.runs.iter_mut().zip(from) {
            reached += from;
            *run += reached;
        }
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
        source: &KeyLists,
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
            let shares = self.found[from..to].iter().any(|&x| {
                let lanes = u64::MAX.checked_shr(16 * (MOST - a) as u32).unwrap_or(0);
                self.strong[x as usize] && self.counts(x as usize) & lanes != 0
            });
            if !shares {
                return false;
            }
        }
        let from = self.starts[t.start - self.targets.start] as usize;
        let to = self.starts[t.end - self.targets.start] as usize;
        let in_target = |x: u32| self.found[from..to].contains(&x);
        (0..a).all(|o| {
            short_source(o)
                || source[self.at - 1 - o].iter().any(|&x| {
                    let x = anchors::rank(x);
                    self.strong[x] && in_target(x as u32)
                })
        })
    }
}

/// The lane that holds source sentence `k`'s counts: the lanes run
/// backwards, so that a turn puts the last sentence lowest and the ones
/// before it above, in order.
fn lane(k: usize) -> usize {
    (MOST - k % MOST) % MOST
}

/// A count of one in every lane.
const ONES: u64 = 0x0001_0001_0001_0001;

/// A share not worked out yet: no sum of weights comes near it.
const UNKNOWN: u32 = u32::MAX;

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
        let mut numbering = anchors::Numbering::default();
        let source_lists = numbering.lists(&source);
        let target_lists = numbering.lists(&target);
        let mut row = Row::new(numbering.keys());
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
                        let alone = if j1 == j0 + 1 { one } else { 0.0 };
                        assert_eq!(anchors::nats(shared.sentences[a - 1]), alone);
                        let strong = |x: &[u64], y: &[u64]| anchors::shares(x, y);
                        let covered = (i - a..i).all(|k| strong(&source[k], &kt))
                            && (j0..j1).all(|k| strong(&target[k], &ks));
                        assert_eq!(
                            row.covered(&source_lists, a, j0..j1, |_| false, |_| false),
                            covered
                        );
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
