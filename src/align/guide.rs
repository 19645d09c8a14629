//! Where the dynamic program looks in a long block. A translation wanders
//! from the straight diagonal (an omitted stretch, a run of merges), so the
//! band of cells the program fills follows a guide instead: the longest
//! chain of sentence pairs that share an anchor found nowhere else nearby
//! (a number, a name, a bridge word), as hunalign and Bertalign take their
//! skeleton from confident pairs first.

use super::anchors::{KeyLists, is_strong, rank};

/// Where the band goes, for each source position `0..=n`.
pub struct Guide {
    /// The target position the band is centred on.
    pub centres: Vec<usize>,
    /// Whether the position lies between two pairs of the chain as far
    /// apart on both sides and at most [`STRAIGHT`] apart: a translation
    /// that keeps its sentences there, which a narrow band follows.
    pub straight: Vec<bool>,
}

/// The longest stretch between two pairs of the chain that counts as
/// straight.
const STRAIGHT: usize = 64;

impl Guide {
    /// The straight diagonal, where there is no chain to follow.
    pub fn diagonal(n: usize, m: usize) -> Guide {
        Guide {
            centres: (0..=n).map(|i| i * m / n.max(1)).collect(),
            straight: vec![false; n + 1],
        }
    }
}

/// The guide for sides with the given anchor keys, numbered (`ranks` of
/// them). `reach` is how far from the diagonal a partner is looked for, in
/// target sentences.
pub fn guide(source: &KeyLists, target: &KeyLists, reach: usize, ranks: usize) -> Guide {
    let (n, m) = (source.len(), target.len());
    let (in_source, in_target) = (occurrences(source, ranks), occurrences(target, ranks));
    let diagonal = |i: usize| i * m / n.max(1);
    let reach_source = reach * n / m.max(1) + 1;
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let (mut at_s, mut at_t) = (Vec::new(), Vec::new());
    for (s, t) in shared(&in_source, &in_target) {
        positions(s, &mut at_s);
        positions(t, &mut at_t);
        for (x, &i) in at_s.iter().enumerate() {
            let alone = (x == 0 || i - at_s[x - 1] > reach_source)
                && at_s.get(x + 1).is_none_or(|&next| next - i > reach_source);
            if !alone {
                continue;
            }
            let c = diagonal(i);
            let from = at_t.partition_point(|&p| p + reach < c);
            let to = at_t.partition_point(|&p| p <= c + reach);
            if to == from + 1 {
                pairs.push((i, at_t[from]));
            }
        }
    }
    let mut points = vec![(0, 0)];
    points.extend(longest_chain(pairs));
    points.push((n, m));
    let mut centres = vec![0; n + 1];
    let mut straight = vec![false; n + 1];
    for w in points.windows(2) {
        let ((i0, j0), (i1, j1)) = (w[0], w[1]);
        for (i, c) in centres.iter_mut().enumerate().take(i1 + 1).skip(i0) {
            *c = j0 + (j1 - j0) * (i - i0) / (i1 - i0).max(1);
        }
        // The block's own ends are no pairs of the chain.
        if i1 - i0 == j1 - j0 && i1 - i0 <= STRAIGHT && i0 > 0 && i1 < n {
            straight[i0..=i1].fill(true);
        }
    }
    Guide { centres, straight }
}

/// The sentences each strong key occurs in, by the key's number:
/// `sentences[at[r]..at[r + 1]]` for number `r`, in order. Sentences alone,
/// four bytes each, are what the counting sort scatters: its writes land
/// anywhere in the list, and each is a cache miss on a long text.
struct Occurrences {
    at: Vec<u32>,
    sentences: Vec<u32>,
}

impl Occurrences {
    fn of(&self, rank: usize) -> &[u32] {
        &self.sentences[self.at[rank] as usize..self.at[rank + 1] as usize]
    }
}

/// Every strong key of one side with the sentences it is in, each key's
/// going straight to its number's place.
fn occurrences(side: &KeyLists, ranks: usize) -> Occurrences {
    let strong = || {
        side.iter().enumerate().flat_map(|(k, keys)| {
            keys.iter()
                .filter(|&&key| is_strong(key))
                .map(move |&key| (rank(key), k as u32))
        })
    };
    // Where each rank's occurrences start.
    let mut at = vec![0u32; ranks + 1];
    for (r, _) in strong() {
        at[r + 1] += 1;
    }
    for r in 1..at.len() {
        at[r] += at[r - 1];
    }
    let mut sentences = vec![0; at[ranks] as usize];
    // `at[r]` moves along rank `r`'s place as it fills, and so ends where
    // rank `r + 1` starts: moved one place on, it says where each starts.
    for (r, k) in strong() {
        let place = &mut at[r];
        sentences[*place as usize] = k;
        *place += 1;
    }
    at.rotate_right(1);
    at[0] = 0;
    Occurrences { at, sentences }
}

/// For each key that both sides have, the sentences it occurs in on each.
fn shared<'a>(
    a: &'a Occurrences,
    b: &'a Occurrences,
) -> impl Iterator<Item = (&'a [u32], &'a [u32])> {
    (0..a.at.len() - 1).filter_map(|r| {
        let (x, y) = (a.of(r), b.of(r));
        (!x.is_empty() && !y.is_empty()).then_some((x, y))
    })
}

/// The sentences a key occurs in, each once, in order.
fn positions(occurrences: &[u32], out: &mut Vec<usize>) {
    out.clear();
    for &k in occurrences {
        if out.last() != Some(&(k as usize)) {
            out.push(k as usize);
        }
    }
}

/// The longest chain of pairs rising strictly on both sides, minus the
/// end points (0, 0) and (n, m) the caller adds.
fn longest_chain(mut pairs: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    // Sorted by source ascending and, within a source position, by target
    // descending, a strictly rising run of targets rises on both sides.
    pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    pairs.dedup();
    pairs.retain(|&(i, j)| i > 0 && j > 0);
    // tails[k]: the index of the pair ending the best chain of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; pairs.len()];
    for (x, &(_, j)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < j);
        before[x] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(x);
        } else {
            tails[k] = x;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(x) = at {
        chain.push(pairs[x]);
        at = before[x];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_rises_on_both_sides() {
        let chain = longest_chain(vec![(1, 1), (2, 5), (3, 2), (4, 3), (4, 4), (5, 1), (6, 6)]);
        assert_eq!(chain, [(1, 1), (3, 2), (4, 3), (6, 6)]);
    }

    #[test]
    fn shared_keys_are_found_whatever_their_classes() {
        // Numbered as met: a name, a number, a name. The target lacks the
        // first, so the keys' own order (a number before a name) is not the
        // order of their numbers.
        let mut numbering = super::super::anchors::Numbering::default();
        let name = |k: u64| vec![(2u64 << 56) | k];
        let number = |k: u64| vec![(1u64 << 56) | k];
        let source = numbering.lists(&[name(1), number(2), name(3)]);
        let target = numbering.lists(&[number(2), name(3)]);
        let ranks = numbering.keys().len();
        let (a, b) = (occurrences(&source, ranks), occurrences(&target, ranks));
        let found: Vec<(u32, u32)> = shared(&a, &b).map(|(x, y)| (x[0], y[0])).collect();
        assert_eq!(found, [(1, 0), (2, 1)]);
    }

    #[test]
    fn the_guide_follows_an_omitted_stretch() {
        // Source sentence k has the unique key k; the target lacks source
        // sentences 40..80, so the path shifts by 40 there. The keys
        // alternate between two strong classes, so that their numbers, in
        // the order met, are not in the order of the keys.
        let key = |k: usize| vec![((1 + k as u64 % 2) << 56) | k as u64];
        let mut numbering = super::super::anchors::Numbering::default();
        let source: Vec<_> = (0..200).map(key).collect();
        let target: Vec<_> = (0..200)
            .filter(|k| !(40..80).contains(k))
            .map(key)
            .collect();
        let source = numbering.lists(&source);
        let target = numbering.lists(&target);
        let ranks = numbering.keys().len();
        let guide = guide(&source, &target, 100, ranks);
        let c = &guide.centres;
        assert_eq!(c[20], 20);
        assert_eq!(c[100], 60);
        assert_eq!(c[199], 159);
        assert_eq!(c[200], 160);
    }
}
