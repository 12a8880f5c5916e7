/** Feature scores and importances as a ranked bar chart. */
const MAX_BARS = 30;

export function isScoreTable(columns: { name: string }[]): boolean {
  return columns.length === 2 && columns[0]?.name === 'Feature' && columns[1]?.name === 'Score';
}

export function ScoreBars({ rows }: { rows: unknown[][] }) {
  const scores = rows
    .map(([feature, score]) => ({ feature: String(feature), score: Number(score) }))
    .filter((row) => Number.isFinite(row.score))
    .slice(0, MAX_BARS);
  const highest = Math.max(...scores.map((row) => Math.abs(row.score)), 1e-12);
  return (
    <div className="score-bars" data-testid="score-bars">
      {scores.map(({ feature, score }) => (
        <div key={feature} className="score-bar">
          <span className="score-feature" title={feature}>
            {feature}
          </span>
          <span className="score-track">
            <span className="score-fill" style={{ width: `${(Math.abs(score) / highest) * 100}%` }} />
          </span>
          <span className="score-value">{score.toPrecision(3)}</span>
        </div>
      ))}
    </div>
  );
}
