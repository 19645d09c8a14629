//! Every provider's answer parser on any status and body: translations or a
//! typed failure, never a panic. The first byte picks the provider, the
//! next two the HTTP status.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reqwest::StatusCode;
use selaras::translate::{CustomShape, Settings, provider};

fuzz_target!(|bytes: &[u8]| {
    let [pick, hi, lo, body @ ..] = bytes else {
        return;
    };
    let names = [
        "libretranslate",
        "apertium",
        "google",
        "deepl",
        "azure",
        "mymemory",
        "openai",
        "custom",
    ];
    let name = names[usize::from(*pick) % names.len()];
    let status =
        StatusCode::from_u16(100 + u16::from_be_bytes([*hi, *lo]) % 500).unwrap_or(StatusCode::OK);
    let settings = Settings {
        endpoint: Some("http://127.0.0.1:5000".parse().unwrap()),
        source: "id".into(),
        target: "en".into(),
        api_key: Some("key".into()),
        region: Some("region".into()),
        model: Some("model".into()),
        custom: Some(CustomShape {
            method: None,
            headers: Default::default(),
            query: Default::default(),
            body: Some(r#"{"q": {text}}"#.into()),
            result: "/translation".into(),
            error: Some("/error".into()),
        }),
        ..Settings::default()
    };
    let service = provider(name, &settings).expect("the provider builds");
    let _ = service.parse(status, body);
});
