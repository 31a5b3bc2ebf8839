import { existsSync, realpathSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

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

/** Content types of what a Vite build writes; anything else is sent as bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** Called when the static files have nothing for a path; `hint` says why when there is no dashboard at all. */
export type NotFound = (hint?: string) => void;

/**
 * The built dashboard, looked up on disk at every request, so a rebuild while the desk runs is
 * served at once (a list of files made at start would 404 the new hashed assets: a blank page).
 * Hashed files under `/assets/` are cached for good, everything else (index.html above all)
 * revalidated on every load. A path without a file extension is a route of the page and gets
 * index.html. Null when no folder is configured; a folder that does not exist yet (the desk started
 * before the first build) is served once it does.
 */
export function createStaticFiles(dir: string | undefined) {
  if (!dir) return null;
  const root = resolve(dir);
  return (req: IncomingMessage, res: ServerResponse, pathname: string, notFound: NotFound): void => {
    if (isPrivatePath(pathname) || (req.method !== 'GET' && req.method !== 'HEAD')) return notFound();
    const file = fileOf(root, pathname);
    if (file === null) return notFound();
    void sendFile(req, res, file, notFound).catch(() => res.destroy());
  };
}

interface StaticFile {
  path: string;
  /** index.html, for the page or one of its routes. */
  page: boolean;
  /** Under `/assets/`, where a build names every file by its contents' hash. */
  hashed: boolean;
}

/** The file under `root` a request path names (index.html for a route of the page); null if it names none. */
function fileOf(root: string, pathname: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const page = decoded.endsWith('/') || extname(decoded) === '';
  const path = page ? join(root, 'index.html') : join(root, decoded);
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return { path, page, hashed: !page && rel.split(sep)[0] === 'assets' };
}

/**
 * Sends `file` from one open handle: its size and contents belong to the same file even while a
 * build replaces it, and a file removed in between is a 404, never an unhandled stream error.
 */
async function sendFile(req: IncomingMessage, res: ServerResponse, file: StaticFile, notFound: NotFound): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file.path, 'r');
  } catch {
    return notFound(file.page ? 'the dashboard is not built; run npm run build' : undefined);
  }
  let streaming = false;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return notFound();
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    res.setHeader('cache-control', file.hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('etag', etag);
    res.setHeader('last-modified', stats.mtime.toUTCString());
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream', 'content-length': stats.size });
    if (req.method === 'HEAD' || stats.size === 0) {
      res.end();
      return;
    }
    // Exactly the length announced, however the file changes while it is read.
    const stream = handle.createReadStream({ start: 0, end: stats.size - 1 });
    streaming = true;
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  } finally {
    if (!streaming) await handle.close();
  }
}
