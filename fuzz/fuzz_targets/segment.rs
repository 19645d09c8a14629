//! Reading and segmenting any bytes: decoding never panics, and the
//! sentences of a paragraph keep every character of it, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selaras::document::{decode, paragraphs};
use selaras::segment::{Lang, sentences};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else {
        return;
    };
    for paragraph in paragraphs(&text) {
        for lang in [Lang::Indonesian, Lang::English, Lang::Other] {
            let joined: String = sentences(&paragraph.text, lang).concat();
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(squeeze(&joined), squeeze(&paragraph.text));
        }
    }
});
