// PGlite is one process's database: two processes on one data folder (a second `serve`, or `migrate`
// while serving) would corrupt it, and PGlite itself takes no lock. A pid file claims the folder;
// a file left by a process that no longer runs (a crash, SIGKILL) is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims dataDir for this process; returns the release function. Throws DataDirInUseError if another live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'samverkan.lock');
  const mine = String(process.pid);
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, mine);
    closeSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new DataDirInUseError(`The data folder ${dataDir} is in use by process ${holder}; stop it first (one process per PGlite data folder)`);
    }
    writeFileSync(file, mine, { mode: 0o600 });
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === mine) unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
}
