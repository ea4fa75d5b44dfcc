// The price file of the market's measured runs (`market.mjs`, `profile.mjs crowd-crash`), the same
// walk as the native bench `cargo bench --bench market -- crowd_daily_crash`.

/** 10,000 daily ETH closes: a seeded walk around 2,000 with a 45% crash over 20 days from day
 *  3,000 and a 35% one from day 7,000. */
export function crashFile(days = 10_000) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ['Date,Open,High,Low,Close,Adj Close,Volume'];
  let p = 2000;
  const start = Date.UTC(1990, 0, 1);
  for (let d = 0; d < days; d++) {
    p *= 1 + (rand() - 0.5) * 0.02;
    if (d >= 3000 && d < 3020) p *= 0.55 ** (1 / 20);
    if (d >= 7000 && d < 7020) p *= 0.65 ** (1 / 20);
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    const c = p.toFixed(2);
    rows.push(`${date},${c},${c},${c},${c},${c},1000`);
  }
  return { name: 'eth-two-crashes.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') };
}
