#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier::fuzz::site_toml(data));
