//! The same input gives byte-identical output whatever the thread count.

use crate::harness::{Site, snapshot};

fn build_with_threads(site: &Site, threads: usize, output: &str) -> Vec<(String, Vec<u8>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let output = site.root().join(output);
    let built = pool.install(|| site.build_with(|o| o.output = Some(output.clone())));
    let built = built.clean();
    snapshot(&built.output)
}

#[test]
fn output_is_identical_with_one_and_two_threads_run_after_run() {
    let mut site = Site::linked();
    for i in 0..40 {
        site = site.file(
            &format!("content/incidents/incident-{i:02}.md"),
            &format!(
                "---\ntitle: Incident {i}\ndate: 2005-{:02}\ntags: [tag-{}, shared]\nplace: {{name: Town, governorate: {}}}\nperpetrators: [us-marine-corps]\nsources: [amnesty-2023]\n---\nSee [the other](@/incidents/incident-{:02}.md).\n",
                i % 12 + 1,
                i % 7,
                ["Anbar", "Baghdad", "Basra", "Nineveh", "Kirkuk"][i % 5],
                (i + 1) % 40
            ),
        );
    }
    let one = build_with_threads(&site, 1, "out-1");
    let two = build_with_threads(&site, 2, "out-2");
    let again = build_with_threads(&site, 2, "out-3");
    assert!(one.len() > 40);
    assert_eq!(one, two);
    assert_eq!(two, again);
}
