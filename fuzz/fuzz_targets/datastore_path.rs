#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| virt_esx::fuzzing::datastore_path(data));
