// CPU time per process from /proc (Linux), for saying which process a throughput figure was bound
// by: on two cores the simulator, the proxy, the browser's processes and the client share the
// machine, and a rate means little without knowing who was busy.

/** Ticks of user + system CPU per process, keyed "PID COMMAND-LINE". */
export type CpuSnapshot = Map<string, number>;

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

/** Every readable process's CPU ticks now; empty where /proc does not exist. */
export function cpuSnapshot(procRoot = '/proc'): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name));
  } catch {
    return snapshot;
  }
  for (const pid of pids) {
    try {
      const ticks = parseStatTicks(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
      const command = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (ticks !== undefined) snapshot.set(`${pid} ${command}`, ticks);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return snapshot;
}

/**
 * utime + stime of one /proc/PID/stat line. The command name (field 2) is in parentheses and may
 * hold spaces and parentheses itself, so fields are counted from the last ')'.
 */
export function parseStatTicks(stat: string): number | undefined {
  const end = stat.lastIndexOf(')');
  if (end === -1) return undefined;
  const fields = stat.slice(end + 2).split(' ');
  // After the command: state is field 3, utime field 14, stime field 15 (1-based, proc(5)).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

/**
 * The CPU ms each process used between two snapshots, busiest first, those that used at least
 * minMs. `name` shortens a command line for the report.
 */
export function cpuUsedBetween(
  before: CpuSnapshot,
  after: CpuSnapshot,
  name: (command: string) => string,
  minMs = 50,
): Array<{ process: string; ms: number }> {
  const used: Array<{ process: string; ms: number }> = [];
  for (const [key, ticks] of after) {
    const ms = ((ticks - (before.get(key) ?? 0)) * 1000) / TICKS_PER_SECOND;
    if (ms >= minMs) used.push({ process: name(key.slice(key.indexOf(' ') + 1)), ms });
  }
  return used.sort((a, b) => b.ms - a.ms);
}

/** A short name for the bench's processes: the sim, the proxy, Chromium's renderer/network/browser. */
export function benchProcessName(command: string): string {
  if (command.includes('sim-process.ts')) return 'sim';
  if (command.includes('proxy-process.ts') || /proxy\/(src\/)?main\.[jt]s/.test(command)) return 'proxy';
  if (command.includes('client-node-process.ts')) return 'client-node';
  if (command.includes('bench/run.ts')) return 'bench';
  if (command.includes('chromium')) {
    const type = /--type=(\S+)/.exec(command)?.[1];
    if (type === 'utility' && command.includes('NetworkService')) return 'chromium network';
    return type ? `chromium ${type}` : 'chromium browser';
  }
  return command.split(' ')[0]?.split('/').pop() ?? command;
}
