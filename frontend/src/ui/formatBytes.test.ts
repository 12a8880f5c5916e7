import { describe, expect, it } from 'vitest';
import { formatBytes } from './formatBytes';

describe('formatBytes', () => {
  it('counts small sizes in bytes', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
  });

  it('uses the largest unit that keeps the number under 1000', () => {
    expect(formatBytes(1000)).toBe('1.0 kB');
    expect(formatBytes(13_512)).toBe('13.5 kB');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(formatBytes(5_000_000_000)).toBe('5.0 GB');
  });

  it('stops at terabytes', () => {
    expect(formatBytes(2_500_000_000_000_000)).toBe('2500.0 TB');
  });
});
