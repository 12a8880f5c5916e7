/** A byte count for people: powers of 1000, as disks are sold ("1.2 MB"). */
const UNITS = ['kB', 'MB', 'GB', 'TB'];

export function formatBytes(count: number): string {
  if (count < 1000) return `${count} ${count === 1 ? 'byte' : 'bytes'}`;
  let size = count;
  let unit = '';
  for (unit of UNITS) {
    size /= 1000;
    if (size < 1000) break;
  }
  return `${size.toFixed(1)} ${unit}`;
}
