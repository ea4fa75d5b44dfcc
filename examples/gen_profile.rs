use margin_lab::engine::population::{PopulationParams, PopulationSpec};
use margin_lab::engine::*;
fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let mut cfg = PresetId::AaveV3.config();
    cfg.population = Some(PopulationSpec {
        params: PopulationParams::with_count(n),
        seed: 7,
    });
    let t = std::time::Instant::now();
    let e = Engine::new(cfg).unwrap();
    eprintln!(
        "{n} borrowers in {:?}, {} events",
        t.elapsed(),
        e.events().len()
    );
}
