import { describe, expect, it } from 'vitest';
import { WEB_HEAP_MB, webNodeArgs } from './web-heap.ts';

describe('webNodeArgs', () => {
  it('adds the heap bound to a web process’s flags', () => {
    expect(webNodeArgs(['--import', 'tsx'], '')).toEqual(['--import', 'tsx', `--max-old-space-size=${WEB_HEAP_MB}`]);
    expect(webNodeArgs([], '--enable-source-maps')).toEqual([`--max-old-space-size=${WEB_HEAP_MB}`]);
  });

  it('keeps a bound the operator set, in the flags or in NODE_OPTIONS', () => {
    expect(webNodeArgs(['--max-old-space-size=4096'], '')).toEqual(['--max-old-space-size=4096']);
    expect(webNodeArgs(['--cpu-prof'], '--enable-source-maps --max-old-space-size=800')).toEqual(['--cpu-prof']);
    // A flag that only starts alike is not the bound.
    expect(webNodeArgs(['--max-old-space-size-x=1'], '')).toContain(`--max-old-space-size=${WEB_HEAP_MB}`);
  });
});
