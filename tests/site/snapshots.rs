//! A few pages of docs/example as insta snapshots: a story, a goal, a document and the search
//! entry of one item. Read the `.snap` files (and open the pages) when they change.

use crate::plans::{built, example, page};

#[test]
fn example_pages() {
    let t = example();
    let dir = built(&t);
    for (name, rel) in [
        ("story_S-5", "items/S-5.html"),
        ("goal_G-3", "items/G-3.html"),
        ("doc_readme", "docs/README.html"),
    ] {
        let html = page(&dir, rel).replace(env!("CARGO_PKG_VERSION"), "VERSION");
        insta::assert_snapshot!(name, html);
    }
}
