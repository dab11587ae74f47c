//! Property test: arbitrary bytes given to every importer never panic; each
//! either imports (and the agenda passes check) or returns located errors.

use proptest::prelude::*;
use showcall::import::{Format, Options, import};

fn prefixes() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![
        &b""[..],
        b"PK\x03\x04",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:",
        b"<?xml version=\"1.0\"?><schedule><day index=\"1\" date=\"2020-01-01\"><room name=\"a\"><event id=\"1\"><start>",
        b"{\"schedule\":{\"conference\":{\"days\":[{\"rooms\":{\"a\":[{\"start\":\"",
        b"{\"rundown\":[{\"type\":\"event\",\"timeStart\":",
        b"start,title,duration\n",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn arbitrary_bytes_never_panic(prefix in prefixes(), body in prop::collection::vec(any::<u8>(), 0..400), f in 0usize..9) {
        let mut bytes = prefix.to_vec();
        bytes.extend(body);
        let opts = Options {
            format: Format::ALL.get(f).copied(),
            timezone: Some(chrono_tz::Europe::Zurich),
            all_rooms: true,
            allow_overlap: true,
            ..Options::default()
        };
        match import(&bytes, "fuzz.bin", &opts) {
            Ok(done) => {
                prop_assert!(showcall::agenda::Agenda::parse(done.toml.as_bytes(), "a.toml").is_ok());
            }
            Err(d) => {
                prop_assert!(!d.0.is_empty());
                prop_assert!(d.0.iter().all(|x| x.file.starts_with("fuzz.bin") && !x.message.is_empty()));
            }
        }
    }
}
