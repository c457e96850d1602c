//! Honest numbers: 95 % intervals for CSAT (Wilson) and the average (normal, with the
//! sample standard deviation), and the two-proportion z-test on a change of CSAT.

/// The normal quantile of a two-sided 95 % interval.
pub const Z95: f64 = 1.959964;

/// `x` rounded to `decimals`, half away from zero (`f64::round` rounds halves away from 0).
pub fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// The Wilson score interval (95 %, no continuity correction) of `high` out of `n`, in
/// percent, each bound rounded to 1 decimal; None when `n` < 2.
pub fn wilson_pct(high: i64, n: i64) -> Option<[f64; 2]> {
    if n < 2 {
        return None;
    }
    let (n, p) = (n as f64, high as f64 / n as f64);
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // The exact bounds lie in [0, 100]; clamping only removes floating-point dust.
    Some([round((100.0 * (center - half)).max(0.0), 1), round((100.0 * (center + half)).min(100.0), 1)])
}

/// Mean ± 1.959964 × s ÷ √n, with `s` the sample standard deviation (n − 1), from the sum
/// and the sum of squares; not clamped; 2 decimals; None when `n` < 2.
pub fn mean_interval(sum: i64, sum_of_squares: i64, n: i64) -> Option<[f64; 2]> {
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mean = sum as f64 / nf;
    // Exact in integers up to the division: n·Σx² − (Σx)² = n(n−1)s².
    let spread = (n as i128 * sum_of_squares as i128 - sum as i128 * sum as i128) as f64;
    let variance = (spread / (nf * (nf - 1.0))).max(0.0);
    let half = Z95 * variance.sqrt() / nf.sqrt();
    Some([round(mean - half, 2), round(mean + half, 2)])
}

/// Whether two shares differ at p < 0.05 (two-sided two-proportion z-test, pooled share,
/// no continuity correction); false when either sample has fewer than 2 or the pooled
/// share is 0 % or 100 %.
pub fn shares_differ(high_a: i64, n_a: i64, high_b: i64, n_b: i64) -> bool {
    if n_a < 2 || n_b < 2 {
        return false;
    }
    let pooled = (high_a + high_b) as f64 / (n_a + n_b) as f64;
    if pooled <= 0.0 || pooled >= 1.0 {
        return false;
    }
    let (pa, pb) = (high_a as f64 / n_a as f64, high_b as f64 / n_b as f64);
    let se = (pooled * (1.0 - pooled) * (1.0 / n_a as f64 + 1.0 / n_b as f64)).sqrt();
    ((pa - pb) / se).abs() > Z95
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_match_a_reference_computation() {
        // 8 of 10: the textbook Wilson interval is 49.0 %–94.3 %.
        assert_eq!(wilson_pct(8, 10), Some([49.0, 94.3]));
        assert_eq!(wilson_pct(0, 10), Some([0.0, 27.8]));
        assert_eq!(wilson_pct(10, 10), Some([72.2, 100.0]));
        assert_eq!(wilson_pct(1, 1), None);
    }

    #[test]
    fn mean_intervals_use_the_sample_deviation_and_are_not_clamped() {
        // Scores 1 and 5: mean 3, s = 2.828, half = 1.96 × 2.828 / 1.414 = 3.92.
        assert_eq!(mean_interval(6, 26, 2), Some([-0.92, 6.92]));
        assert_eq!(mean_interval(20, 80, 5), Some([4.0, 4.0]), "no spread, no width");
        assert_eq!(mean_interval(5, 25, 1), None);
    }

    #[test]
    fn changes_of_share_are_significant_only_with_evidence() {
        assert!(!shares_differ(1, 1, 0, 1), "one response each proves nothing");
        assert!(!shares_differ(5, 10, 4, 10));
        assert!(shares_differ(90, 100, 60, 100));
        assert!(!shares_differ(10, 10, 20, 20), "pooled share of 100 %");
        assert!(!shares_differ(0, 10, 0, 20), "pooled share of 0 %");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round(0.125, 2), 0.13);
        assert_eq!(round(-2.5, 0), -3.0);
        assert_eq!(round(94.25, 1), 94.3);
    }
}
