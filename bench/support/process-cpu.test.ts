import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchProcessName, cpuSnapshot, cpuUsedBetween, parseStatTicks } from './process-cpu.ts';

// A /proc/PID/stat line: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt
// cmajflt utime stime ...
const stat = (comm: string, utime: number, stime: number) =>
  `42 (${comm}) S 1 42 42 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 1 0 5 0 0`;

describe('process CPU from /proc', () => {
  it('reads utime + stime, counting fields from the last parenthesis of the command', () => {
    expect(parseStatTicks(stat('node', 700, 81))).toBe(781);
    expect(parseStatTicks(stat('we (ird) name', 5, 6))).toBe(11);
    expect(parseStatTicks('garbage')).toBeUndefined();
  });

  it('reports the ms each process used between snapshots, busiest first, above the floor', () => {
    const root = mkdtempSync(join(tmpdir(), 'kubeglass-proc-'));
    const write = (pid: number, cmdline: string, utime: number, stime: number) => {
      mkdirSync(join(root, String(pid)), { recursive: true });
      writeFileSync(join(root, String(pid), 'stat'), stat('x', utime, stime));
      writeFileSync(join(root, String(pid), 'cmdline'), cmdline.replace(/ /g, '\0'));
    };
    write(10, '/usr/bin/node --import tsx bench/support/sim-process.ts --pods 5', 100, 0);
    write(11, '/usr/lib/chromium/chromium --type=renderer --foo', 50, 50);
    write(12, '/usr/bin/idle-thing', 7, 0);
    const before = cpuSnapshot(root);
    write(10, '/usr/bin/node --import tsx bench/support/sim-process.ts --pods 5', 400, 100);
    write(11, '/usr/lib/chromium/chromium --type=renderer --foo', 300, 100);
    write(12, '/usr/bin/idle-thing', 8, 0);
    write(
      13,
      '/usr/lib/chromium/chromium --type=utility --utility-sub-type=network.mojom.NetworkService',
      20,
      0,
    );
    const used = cpuUsedBetween(before, cpuSnapshot(root), benchProcessName);
    expect(used).toEqual([
      { process: 'sim', ms: 4000 },
      { process: 'chromium renderer', ms: 3000 },
      { process: 'chromium network', ms: 200 },
    ]);
  });

  it('names the bench processes', () => {
    expect(benchProcessName('node dist/proxy/main.js --no-open --port 0')).toBe('proxy');
    expect(benchProcessName('/usr/bin/node --import tsx bench/run.ts --only ui')).toBe('bench');
    expect(
      benchProcessName(
        'node --max-old-space-size=8192 --import tsx bench/support/client-node-process.ts --context c',
      ),
    ).toBe('client-node');
    expect(benchProcessName('/usr/lib/chromium/chromium --type=gpu-process --x')).toBe(
      'chromium gpu-process',
    );
    expect(benchProcessName('/usr/lib/chromium/chromium --headless --no-sandbox')).toBe('chromium browser');
  });

  it('is empty where there is no /proc', () => {
    expect(cpuSnapshot('/no/such/proc').size).toBe(0);
  });
});
