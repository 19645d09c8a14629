//! Abbreviation lists, one per language. A word here followed by "." never
//! ends a sentence. Words that often *do* end a sentence ("dll.", "etc.",
//! "Inc.") are deliberately absent: before a capital they end it.

/// Indonesian: titles, ranks, months, addresses.
pub const INDONESIAN: &[&str] = &[
    // titles and ranks
    "Jend", "Jen", "Letjen", "Mayjen", "Brigjen", "Laksda", "Laksdya", "Laksma", "Marsda",
    "Marsdya", "Marsma", "Kol", "Letkol", "Mayj", "Kapt", "Lettu", "Letda", "Serka", "Sertu",
    "Kompol", "AKBP", "AKP", "Irjen", "Komjen", "Kombes", "Dr", "DR", "dr", "Drs", "Dra", "Prof",
    "Ir", "Hj", "KH", "Tn", "Ny", "Nn", "Sdr", "Sdri", "Bpk", "Yth", "St", "Mgr", "Pdt",
    // months
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Agu", "Agt", "Ags", "Sep", "Sept", "Okt", "Nov",
    "Des", // addresses and references
    "Jl", "Jln", "Kec", "Kab", "Kel", "Prov", "tsb", "hlm", "tgl", "a.n", "u.p", "s.d", "Bp", "Ds",
    "Gg", "Kp",
];

/// English: titles, ranks, months, states, common news abbreviations.
pub const ENGLISH: &[&str] = &[
    // titles and ranks
    "Mr", "Mrs", "Ms", "Dr", "DR", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr", "Adm", "Sgt",
    "Cpl", "Pvt", "Brig", "Rep", "Reps", "Sen", "Sens", "Gov", "Pres", "Amb", "Rev", "Hon", "St",
    "Mt", "Ft", "Supt", "Insp", "Gens", // months
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    // days
    "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri",
    // US states as AP style writes them
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky",
    "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa",
    "Tenn", "Va", "Vt", "Wash", "Wis", "Wyo", // others that sit inside sentences
    "vs", "approx", "est", "Dept", "Univ", "Assn", "Bros", "e.g", "i.e", "cf", "al",
];

/// Both languages: abbreviations that bind only to a following number
/// ("No. 5", "Rp. 5.000"); before a word they may end a sentence.
pub const BEFORE_NUMBER: &[&str] = &[
    "No", "Nos", "no", "Vol", "vol", "Art", "art", "pp", "p", "Rp", "Tel", "tel", "hal", "Psl",
    "Ps", "Fig", "fig", "Ch", "ch", "Sec", "sec", "Pasal", "Bab", "ayat",
];

/// Both languages: company forms and suffixes ("PT. Esa Tama", "Hyundai
/// Co. Ltd.", "Bob Smith Jr."). They end a sentence only before a word that
/// usually opens one, like dotted abbreviations.
pub const BEFORE_NAME: &[&str] = &[
    "PT", "CV", "Tbk", "Co", "Corp", "Inc", "Ltd", "Pte", "Pty", "Plc", "LLC", "Jr", "Sr", "Bhd",
];

/// Company suffixes that never open a sentence: a stop before one ("Concept
/// Link. Ltd.", "Mirror Pte. Ltd.") is inside a company's name.
pub const COMPANY_SUFFIXES: &[&str] = &[
    "Ltd", "Pte", "Pty", "Plc", "LLC", "Inc", "Corp", "Tbk", "Bhd", "GmbH",
];

/// Words that open sentences often enough that, after a dotted abbreviation
/// such as "U.S." or "a.m.", they mark a new sentence.
pub const SENTENCE_STARTERS: &[&str] = &[
    // English
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "Or",
    "So",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Their",
    "His",
    "Her",
    "Its",
    "Our",
    "In",
    "On",
    "At",
    "After",
    "Before",
    "When",
    "While",
    "However",
    "Meanwhile",
    "Still",
    "Yet",
    "If",
    "As",
    "For",
    "Some",
    "Many",
    "Most",
    "Officials",
    "Analysts",
    // Indonesian
    "Dia",
    "Ia",
    "Mereka",
    "Kami",
    "Kita",
    "Saya",
    "Namun",
    "Tetapi",
    "Tapi",
    "Sementara",
    "Ini",
    "Itu",
    "Hal",
    "Pada",
    "Di",
    "Dalam",
    "Setelah",
    "Sebelum",
    "Ketika",
    "Para",
    "Sejumlah",
    "Menurut",
    "Selain",
    "Jika",
    "Karena",
    "Bagi",
    "Sedangkan",
];
