//! The README's key table is generated from the keymap, so it cannot drift from the keys.

#[test]
fn readme_key_table_matches_the_keymap() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let table = elogii_console::tui::markdown_table();
    assert!(
        readme.contains(table.trim()),
        "README.md's key table is out of date; replace it with:\n\n{table}"
    );
}
