//! The binary carries the built web UI (`web/dist`, from `npm run build` in `web/`),
//! compressed, so that `pulse serve` serves it from any directory. Build the UI first: a
//! binary built before it embeds nothing and reads the UI from `WEB_DIR` or `./web/dist`
//! instead (see `src/api/web.rs`); after a first UI build, `touch build.rs` (or any
//! later change to `web/dist`) brings it in.

use std::{env, fs, path::PathBuf};

fn main() {
    let dist = PathBuf::from("web/dist");
    if dist.join("index.html").exists() {
        // Also asks cargo to run this again whenever `web/dist` changes.
        memory_serve::load_directory_with_embed(dist, true);
        println!("cargo::rustc-env=PULSE_UI_EMBEDDED=1");
    } else {
        let empty = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("no-web-ui");
        fs::create_dir_all(&empty).expect("OUT_DIR is writable");
        memory_serve::load_directory_with_embed(empty, true);
    }
    println!("cargo::rerun-if-changed=build.rs");
}
