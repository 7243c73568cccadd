// The default theme is embedded in the binary for `dossier init`; rebuild
// when it changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
