import * as fs from 'node:fs';

/** The streams and directory of one CLI run. Only `bin/` builds it from the process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Relative paths (`--manifest`, `--out`) resolve against it. */
  readonly cwd: string;
}

/**
 * Writes and waits until the stream has taken the text, so a failed delivery (a closed pipe) is
 * known before the command reports success.
 */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      stream.write(text, (err?: Error | null) => (err ? reject(err) : resolve()));
    } catch (e) {
      reject(e as Error);
    }
  });
}

/** A plain text table: a header row and columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `-` for an empty list, else the items separated by spaces. */
export function list(items: readonly string[]): string {
  return items.length === 0 ? '-' : items.join(' ');
}

/**
 * Creates a file only the owner can read (mode 0600) and refuses to overwrite one. Leaves no
 * partial file behind. Throws the file system's error; the caller turns it into a message.
 */
export function writePrivateFile(file: string, content: string): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  let written = false;
  try {
    // The mode passed to open is filtered by the umask; set it exactly.
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, content);
    written = true;
  } finally {
    fs.closeSync(fd);
    // Half a credentials file is worse than none.
    if (!written) fs.rmSync(file, { force: true });
  }
}
