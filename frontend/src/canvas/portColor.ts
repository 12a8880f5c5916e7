/** A stable colour per port type, so compatible ports look alike. */
const KNOWN: Record<string, string> = {
  table: '#2563eb',
  text: '#d97706',
  model: '#7c3aed',
  metrics: '#059669',
};

export function portColor(type: string): string {
  const known = KNOWN[type];
  if (known) return known;
  let hash = 0;
  for (const character of type) hash = (hash * 31 + character.charCodeAt(0)) % 360;
  return `hsl(${hash} 60% 45%)`;
}
