// Paths and settings shared by every file of the browser suite.
//
// DOSSIER_PUBLIC  the built site to test (default: public/ at the repo root);
//                 a relative path is taken from the current directory.
// CHROMIUM_PATH   the browser binary (default: Debian's /usr/bin/chromium).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const SUITE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(SUITE_DIR, '..', '..');
export const PUBLIC_DIR = process.env.DOSSIER_PUBLIC
  ? path.resolve(process.env.DOSSIER_PUBLIC)
  : path.join(REPO_ROOT, 'public');
export const ARTIFACTS_DIR = path.join(SUITE_DIR, 'artifacts');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// Top-level folders of public/ that hold files copied as-is rather than pages
// the site renders: archived copies of sources (third-party HTML snapshots,
// content/files/) and the Pagefind index. They are still link targets, but
// they are not validated and their own links are not checked.
export const VERBATIM_DIRS = ['files', 'pagefind'];

export function publicExists() {
  return fs.existsSync(PUBLIC_DIR) && fs.statSync(PUBLIC_DIR).isDirectory();
}

export function ensureArtifactsDir() {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return ARTIFACTS_DIR;
}
