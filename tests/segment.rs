//! Sentence segmentation, as tables of (paragraph, expected sentences) for
//! each language. Every mistake found in real text gets a row here.

mod common;

use common::selaras;
use selaras::segment::{Lang, sentences};

fn check(lang: Lang, cases: &[(&str, &[&str])]) {
    let mut failures = Vec::new();
    for (input, expected) in cases {
        let got = sentences(input, lang);
        if got != *expected {
            failures.push(format!(
                "input:    {input}\nexpected: {expected:#?}\ngot:      {got:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn indonesian() {
    check(
        Lang::Indonesian,
        &[
            // a question headline
            (
                "Mengapa Jakarta tenggelam?",
                &["Mengapa Jakarta tenggelam?"],
            ),
            // two plain sentences
            (
                "Hujan turun sejak pagi. Warga mengungsi ke masjid.",
                &["Hujan turun sejak pagi.", "Warga mengungsi ke masjid."],
            ),
            // titles and ranks
            (
                "Jend. Agus Subiyanto tiba pukul 10.30 WIB. Ia disambut Dr. Siti Rahma.",
                &[
                    "Jend. Agus Subiyanto tiba pukul 10.30 WIB.",
                    "Ia disambut Dr. Siti Rahma.",
                ],
            ),
            (
                "DR. Hendra Wijaya dari Encore Energy Pte. Ltd. hadir. Acara dimulai.",
                &[
                    "DR. Hendra Wijaya dari Encore Energy Pte. Ltd. hadir.",
                    "Acara dimulai.",
                ],
            ),
            (
                "Letjen. Budi Hartono dan Prof. Dr. Ir. Wahyu Santoso hadir. Acara dimulai.",
                &[
                    "Letjen. Budi Hartono dan Prof. Dr. Ir. Wahyu Santoso hadir.",
                    "Acara dimulai.",
                ],
            ),
            // initials
            (
                "Menurut Joko W. Santoso, banjir surut. R. A. Kartika setuju.",
                &[
                    "Menurut Joko W. Santoso, banjir surut.",
                    "R. A. Kartika setuju.",
                ],
            ),
            // thousands, decimals and times are not stops
            (
                "Sebanyak 10.000 tentara dikirim sejauh 5.000 mil. Air naik 2,5 meter pada pukul 10.30.",
                &[
                    "Sebanyak 10.000 tentara dikirim sejauh 5.000 mil.",
                    "Air naik 2,5 meter pada pukul 10.30.",
                ],
            ),
            // a sentence that ends with a number
            (
                "Percakapan itu terjadi pada tahun 2021. Milley membantahnya.",
                &[
                    "Percakapan itu terjadi pada tahun 2021.",
                    "Milley membantahnya.",
                ],
            ),
            // AS is a country, not an abbreviation
            (
                "Hal itu tidak mengubah kesiapan AS. Washington tetap waspada.",
                &[
                    "Hal itu tidak mengubah kesiapan AS.",
                    "Washington tetap waspada.",
                ],
            ),
            // closing quotes stay with their sentence
            (
                "Ia memperkirakan pasukan tiba dalam “hari, bukan bulan.”",
                &["Ia memperkirakan pasukan tiba dalam “hari, bukan bulan.”"],
            ),
            (
                "Dia berkata: “Putin sedang menguji Barat.” “Saya yakin ia akan menambah pasukan.”",
                &[
                    "Dia berkata: “Putin sedang menguji Barat.”",
                    "“Saya yakin ia akan menambah pasukan.”",
                ],
            ),
            // a quote followed by a lowercase attribution is one sentence
            (
                "“Apakah kami aman?” tanya seorang warga. “Tidak,” kata petugas.",
                &[
                    "“Apakah kami aman?” tanya seorang warga.",
                    "“Tidak,” kata petugas.",
                ],
            ),
            // a quoted phrase mid-sentence
            (
                "Ia menyebutnya “perang suci” dan menuduh AS. Seoul membantah.",
                &[
                    "Ia menyebutnya “perang suci” dan menuduh AS.",
                    "Seoul membantah.",
                ],
            ),
            // brackets
            (
                "Presiden (kanan) berjabat tangan. (Foto: arsip.) Mereka tersenyum.",
                &[
                    "Presiden (kanan) berjabat tangan.",
                    "(Foto: arsip.)",
                    "Mereka tersenyum.",
                ],
            ),
            // stray ". ." glued to the next word
            (
                "Rusia dapat menggunakan pasukan itu dalam operasi tersebut. .Di garis depan. Dalam beberapa hari mendatang.",
                &[
                    "Rusia dapat menggunakan pasukan itu dalam operasi tersebut. .",
                    "Di garis depan.",
                    "Dalam beberapa hari mendatang.",
                ],
            ),
            // stray ". ." at the end of a paragraph
            (
                "Korban sudah melebihi setengah juta. .",
                &["Korban sudah melebihi setengah juta. ."],
            ),
            // a lost space after a stop
            (
                "Banjir surut pada sore hari.Warga kembali ke rumah.",
                &["Banjir surut pada sore hari.", "Warga kembali ke rumah."],
            ),
            // captions and credits without a final stop are one sentence
            (
                "Arsip - Presiden Rusia Vladimir Putin, kanan, dan pemimpin Korea Utara Kim",
                &["Arsip - Presiden Rusia Vladimir Putin, kanan, dan pemimpin Korea Utara Kim"],
            ),
            (
                "(Lee Jin-man/Pers Terkait)",
                &["(Lee Jin-man/Pers Terkait)"],
            ),
            ("Sumber", &["Sumber"]),
            // a final fragment without a stop
            (
                "Tentara memasang ranjau. Dalam foto ini disediakan oleh layanan pers Brigade ke-24",
                &[
                    "Tentara memasang ranjau.",
                    "Dalam foto ini disediakan oleh layanan pers Brigade ke-24",
                ],
            ),
            // dates and ordinals
            (
                "Pertemuan digelar Kamis, 31 Oktober 2024. Brigade Mekanik ke-24 hadir.",
                &[
                    "Pertemuan digelar Kamis, 31 Oktober 2024.",
                    "Brigade Mekanik ke-24 hadir.",
                ],
            ),
            // money
            (
                "Kerugian mencapai Rp 1,2 triliun. Pemerintah menanggung 12,5 persen.",
                &[
                    "Kerugian mencapai Rp 1,2 triliun.",
                    "Pemerintah menanggung 12,5 persen.",
                ],
            ),
            // exclamation, ellipsis
            (
                "Awas! Air naik... Semua lari. Ia ragu… lalu pergi.",
                &[
                    "Awas!",
                    "Air naik...",
                    "Semua lari.",
                    "Ia ragu… lalu pergi.",
                ],
            ),
            // abbreviations that end lists may end sentences
            (
                "Mereka membawa beras, gula, minyak, dll. Bantuan tiba Senin.",
                &[
                    "Mereka membawa beras, gula, minyak, dll.",
                    "Bantuan tiba Senin.",
                ],
            ),
            // numbered references
            (
                "Aturan itu ada di Pasal 5 ayat 2. Lihat No. 12 di halaman itu.",
                &[
                    "Aturan itu ada di Pasal 5 ayat 2.",
                    "Lihat No. 12 di halaman itu.",
                ],
            ),
        ],
    );
}

#[test]
fn english() {
    check(
        Lang::English,
        &[
            (
                "Why is North Korea sending troops to help Russia?",
                &["Why is North Korea sending troops to help Russia?"],
            ),
            // titles, ranks, months
            (
                "Gen. Mark Milley spoke on Oct. 31, 2024. Dr. Lee agreed.",
                &[
                    "Gen. Mark Milley spoke on Oct. 31, 2024.",
                    "Dr. Lee agreed.",
                ],
            ),
            (
                "Lt. Gen. Kim arrived on Jan. 6 at 10 a.m. Monday, officials said. He left.",
                &[
                    "Lt. Gen. Kim arrived on Jan. 6 at 10 a.m. Monday, officials said.",
                    "He left.",
                ],
            ),
            // U.S. mid-sentence and at the end of a sentence
            (
                "U.S. officials met N. Korea's envoy. The talks did not change U.S. readiness.",
                &[
                    "U.S. officials met N. Korea's envoy.",
                    "The talks did not change U.S. readiness.",
                ],
            ),
            (
                "The attack hit the U.S. Capitol on Jan. 6. Milley said so.",
                &[
                    "The attack hit the U.S. Capitol on Jan. 6.",
                    "Milley said so.",
                ],
            ),
            (
                "They accused South Korea and the U.S. The claims were denied.",
                &[
                    "They accused South Korea and the U.S.",
                    "The claims were denied.",
                ],
            ),
            // numbers
            (
                "About 10,000 troops traveled 5,000 miles. Water rose 2.5 meters.",
                &[
                    "About 10,000 troops traveled 5,000 miles.",
                    "Water rose 2.5 meters.",
                ],
            ),
            // quotes
            (
                "He expects them within “days, not months.” Blinken agreed.",
                &[
                    "He expects them within “days, not months.”",
                    "Blinken agreed.",
                ],
            ),
            (
                "“Putin is testing the West.” “I believe he will add troops.”",
                &[
                    "“Putin is testing the West.”",
                    "“I believe he will add troops.”",
                ],
            ),
            (
                "“Are we safe?” a resident asked. “No,” the officer said.",
                &[
                    "“Are we safe?” a resident asked.",
                    "“No,” the officer said.",
                ],
            ),
            // stray dots carried over by machine translation
            (
                "Russia could use them in the operation. .On the front line. In the coming days.",
                &[
                    "Russia could use them in the operation. .",
                    "On the front line.",
                    "In the coming days.",
                ],
            ),
            (
                "Casualties already exceed half a million. .",
                &["Casualties already exceed half a million. ."],
            ),
            // captions and credits
            (
                "(Lee Jin-man/Associated Press)",
                &["(Lee Jin-man/Associated Press)"],
            ),
            ("Source", &["Source"]),
            // initials
            (
                "Analyst Edward J. Howell said so. Victor D. Cha agreed.",
                &["Analyst Edward J. Howell said so.", "Victor D. Cha agreed."],
            ),
            // Ph.D. and e.g. inside a sentence
            (
                "She holds a Ph.D. in physics, e.g. optics. She teaches.",
                &["She holds a Ph.D. in physics, e.g. optics.", "She teaches."],
            ),
            // company forms
            (
                "The firms were PT. Esa Tama and Hyundai Merchant Marine Co. Ltd. of Seoul. The deal closed.",
                &[
                    "The firms were PT. Esa Tama and Hyundai Merchant Marine Co. Ltd. of Seoul.",
                    "The deal closed.",
                ],
            ),
            // a stop before a company suffix is inside the name
            (
                "It sold Glavermas Mirror Pte. Ltd. to Concept Link. Ltd. The deal closed.",
                &[
                    "It sold Glavermas Mirror Pte. Ltd. to Concept Link. Ltd.",
                    "The deal closed.",
                ],
            ),
            (
                "It was bought by Acme Corp. The price was not disclosed.",
                &[
                    "It was bought by Acme Corp.",
                    "The price was not disclosed.",
                ],
            ),
            // ordinals
            (
                "The 24th Mechanized Brigade laid mines. Troops of the 24th stayed.",
                &[
                    "The 24th Mechanized Brigade laid mines.",
                    "Troops of the 24th stayed.",
                ],
            ),
        ],
    );
}

#[test]
fn segment_command_prints_one_sentence_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(
        &file,
        "\u{feff}Judul?\r\n\r\nSatu. Dua baris\r\nlanjut.\r\n",
    )
    .unwrap();
    selaras()
        .args(["segment", "--lang", "id"])
        .arg(&file)
        .assert()
        .success()
        .stdout("Judul?\n\nSatu.\nDua baris lanjut.\n");
}
