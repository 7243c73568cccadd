#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier::fuzz::front_matter(data));
