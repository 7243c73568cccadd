//! `dossier serve` against what a build refuses or a hostile local program
//! does: a copied file swapped for a refused link.

use dossier::serve;

use crate::harness::Site;

const SECRET: &str = "secret-the-build-refuses";

#[test]
fn a_copied_file_swapped_for_a_refused_link_is_not_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), SECRET).unwrap();
    let site = Site::linked()
        .file("content/files/ok.txt", "a copied file")
        .file("secret.txt", SECRET)
        .file(".git/config", SECRET)
        .file("public/index.html", SECRET);
    let preview = serve::Preview::load(site.root(), false).unwrap();
    let served = preview.get("files/ok.txt").unwrap().unwrap();
    assert_eq!(served.as_slice(), b"a copied file");
    let file = site.root().join("content/files/ok.txt");
    // Each a place discovery refuses a link to: the site's own files
    // outside its source folders, a hidden folder, the output, elsewhere.
    for target in [
        site.root().join("secret.txt"),
        site.root().join(".git/config"),
        site.root().join("public/index.html"),
        outside.path().join("secret.txt"),
    ] {
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&target, &file).unwrap();
        let served = preview.get("files/ok.txt").unwrap();
        assert!(
            served.is_none(),
            "a link to {} is served: {:?}",
            target.display(),
            served.map(|b| String::from_utf8_lossy(&b).into_owned())
        );
    }
    // A link the build accepts is still followed.
    std::fs::write(site.root().join("content/files/real.txt"), "linked").unwrap();
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(site.root().join("content/files/real.txt"), &file).unwrap();
    let served = preview.get("files/ok.txt").unwrap().unwrap();
    assert_eq!(served.as_slice(), b"linked");
}
