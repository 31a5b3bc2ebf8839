import { existsSync, realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import sirv from 'sirv';

/** File names the desk keeps beside its data; never served even if they end up in the static folder. */
const PRIVATE_FILE = /^(admin-token|.*\.(db|db-wal|db-shm|db-journal|sqlite\d?|sqlite\d?-(wal|shm|journal)))$/i;

/**
 * True for a request path the static files must not answer: any segment starting with a dot
 * (`.env`, `.git/`), the database and its WAL, the admin token. Checked on the decoded path, so
 * `%2e` and `%2F` do not slip past it.
 */
export function isPrivatePath(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return true;
  }
  return decoded.split(/[/\\]/).some((segment) => segment.startsWith('.') || PRIVATE_FILE.test(segment));
}

/** The real path of `path`, or of its nearest existing parent joined with the rest. */
function realish(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : resolve(realish(parent), relative(parent, absolute));
}

/**
 * Throws when a data file (the database, the admin token) would lie inside the static folder, where
 * anyone could download it. A one-line message that names both paths.
 */
export function assertOutsideStatic(staticDir: string, dataFiles: readonly string[]): void {
  const root = realish(staticDir);
  for (const file of dataFiles) {
    if (file === ':memory:') continue;
    const path = realish(file);
    const rel = relative(root, path);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      throw new Error(`refusing to start: ${file} is inside the static folder ${staticDir}, which would serve it to anyone; move DESK_DATA_DIR/DESK_DB or DESK_STATIC_DIR`);
    }
  }
}

/**
 * The built dashboard: hashed files under `/assets/` cached for good, everything else (index.html
 * above all, so a new build is picked up) revalidated on every load. Null when `dir` is missing.
 */
export function createStaticFiles(dir: string | undefined) {
  if (!dir || !existsSync(dir)) return null;
  const serve = sirv(dir, {
    single: true,
    etag: true,
    dotfiles: false,
    setHeaders(res, pathname) {
      res.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req: IncomingMessage, res: ServerResponse, pathname: string, notFound: () => void) => {
    if (isPrivatePath(pathname)) return notFound();
    serve(req, res, notFound);
  };
}
