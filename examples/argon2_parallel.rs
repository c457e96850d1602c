//! The hardware's pace for logins: Argon2id with the server's parameters, verified as the
//! server verifies (`verify_in_thread_memory`) on every core at once, with nothing else running. `bench/perf.py` compares the server's logins/s
//! with this rate (the simple ceiling, cores ÷ one hash's time, assumes hashes scale
//! perfectly over cores; memory bandwidth says otherwise).
//!
//!     cargo run --release --example argon2_parallel -- [SECONDS] [THREADS]
//!
//! Prints one line: `<verifications per second> <threads> <seconds>`.

use std::{
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::{Duration, Instant},
};

use argon2::PasswordHasher as _;
use pulse::core::password::{argon2, verify_in_thread_memory};

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().map_or(5.0, |s| s.parse().expect("SECONDS is a number"));
    let threads: usize = args.next().map_or_else(
        || std::thread::available_parallelism().map_or(2, |n| n.get()),
        |s| s.parse().expect("THREADS is a number"),
    );
    let stored = argon2().hash_password(b"correct horse battery staple").unwrap();
    let (stop, done) = (AtomicBool::new(false), AtomicU64::new(0));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    assert!(verify_in_thread_memory(b"correct horse battery staple", &stored).unwrap());
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        std::thread::sleep(Duration::from_secs_f64(seconds));
        stop.store(true, Ordering::Relaxed);
    });
    let elapsed = started.elapsed().as_secs_f64();
    println!("{:.2} {threads} {elapsed:.2}", done.load(Ordering::Relaxed) as f64 / elapsed);
}
