// `kubeglass`: the auth proxy's process entry. Prints exactly one line on stdout when ready —
// "kubeglass ready: http://127.0.0.1:PORT/?token=SECRET" — and everything else (warnings,
// errors) on stderr through the redacting logger. Exit codes: 2 usage, 1 startup failure.
import { spawn } from 'node:child_process';
import { parseCliOptions, USAGE, UsageError } from './cli-options.ts';
import { type Launched, launch } from './launch.ts';
import { createLogger } from './log/redacting-logger.ts';

export const READY_PREFIX = 'kubeglass ready:';

/** Best effort: a missing opener (headless machines) is not an error. */
function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // ignore: the URL is printed anyway
  }
}

async function main(argv: string[]): Promise<number> {
  const logger = createLogger();
  let opts: ReturnType<typeof parseCliOptions>;
  try {
    opts = parseCliOptions(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`kubeglass: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (opts === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let launched: Launched;
  try {
    launched = await launch(opts, process.env, logger);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${opts.port} is in use; pick another with --port`
        : err instanceof Error
          ? err.message
          : String(err);
    logger.error(message);
    return 1;
  }
  process.stdout.write(`${READY_PREFIX} ${launched.url}\n`);
  if (opts.open) openBrowser(launched.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  // Bounded shutdown: open watches are dropped, never waited for.
  const timer = setTimeout(() => process.exit(0), 3000);
  timer.unref();
  await launched.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`kubeglass: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
